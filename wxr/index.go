package wxr

import (
	"encoding/binary"
	"math"
	"slices"
	"unsafe"

	"github.com/wparchive/wparchive/wxr/spill"
)

// Index is what a first pass over the export files knows about every item, so
// that the second pass can resolve references to items that come later in a
// file (featured images, [gallery ids=…], parent pages, internal links).
// It holds a small Entry per item, never content.
//
// A run keeps its index for as long as it lasts, so the entries are stored
// compactly and without pointers, which the garbage collector then never
// scans: fixed-size records sorted by id, their strings packed in a byte
// arena, and the few distinct types, statuses and media types kept once.
// Reads (Get, Range, Len) are safe for concurrent use; Add and Slim are not.
type Index struct {
	recs  []record        // by ascending id up to sorted, then as added
	tail  map[int64]int32 // positions of recs[sort:] by id
	sort  int             // len of the sorted prefix of recs
	arena arena
	names interner
	spill *disk // nil: everything stays in memory

	kids *spill.Table   // parent → id of every attachment that has one
	dups map[int64]bool // ids Add refused
}

// Entry is the indexed summary of one item. The strings of an Entry read from
// an Index share its storage: they stay valid, but are not copies.
type Entry struct {
	ID            int64
	Type          PostType
	Status        Status
	Name          string // slug as exported
	Title         string
	Link          string
	GUID          string
	Parent        int64
	PostDate      string
	AttachmentURL string
	AttachedFile  string // _wp_attached_file
	Alt           string // _wp_attachment_image_alt
	Caption       string // the attachment's excerpt
	MimeType      string
	Metadata      string // _wp_attachment_metadata, serialized PHP as exported
	Thumbnail     int64  // _thumbnail_id
	HasPassword   bool   // post_password is set (the password itself is never kept)
	MenuOrder     int
	// Note is the index user's own: BuildIndex leaves it empty, Slim may
	// set it (an archive notes there the folder it planned for the item).
	Note string
}

// record is an Entry as stored: strs locates its strings in the arena.
type record struct {
	id, parent, thumbnail int64
	strs                  uint64
	menuOrder             int32
	typ, status, mime     uint16
	flags                 uint8
}

const (
	flagPassword  = 1 << iota
	flagNamesHere // type, status and media type are in the arena: the interner was full
)

// mergeAt is the number of unsorted records that makes Add sort them in.
const mergeAt = 4096

// NewIndex returns an empty Index.
func NewIndex() *Index { return &Index{} }

// Len is the number of entries.
func (x *Index) Len() int {
	n := len(x.recs)
	if x.spill != nil {
		for _, r := range x.spill.runs {
			n += r.n
		}
	}
	return n
}

// Add stores e unless its ID is already indexed, and reports whether it did.
// An entry the index could not store, for an error in its temporary files,
// is reported as stored; Err returns the error.
func (x *Index) Add(e Entry) bool {
	if x.has(e.ID) {
		if x.dups == nil {
			x.dups = map[int64]bool{}
		}
		x.dups[e.ID] = true
		return false
	}
	x.recs = append(x.recs, x.store(e))
	if x.tail == nil {
		x.tail = map[int64]int32{}
	}
	x.tail[e.ID] = int32(len(x.recs) - 1)
	if e.Type == TypeAttachment && e.Parent != 0 {
		if x.kids == nil {
			if x.spill != nil {
				x.kids = spill.New(x.spill.dir, 0)
			} else {
				x.kids = spill.New("", math.MaxInt)
			}
		}
		x.kids.Add(uint64(e.Parent), uint64(e.ID))
	}
	if x.spill != nil && len(x.recs) >= x.spill.at {
		x.spillMemory()
	} else if len(x.tail) >= mergeAt && len(x.tail) >= x.sort/4 {
		x.merge()
	}
	return true
}

// Duplicate reports whether Add refused an entry with id because one with
// that id was already indexed.
func (x *Index) Duplicate(id int64) bool { return x.dups[id] }

// Get returns the entry with id.
func (x *Index) Get(id int64) (Entry, bool) {
	if i, ok := x.find(id); ok {
		return x.load(&x.recs[i]), true
	}
	if x.spill != nil {
		return x.getSpilled(id)
	}
	return Entry{}, false
}

// Attachments calls fn for every attachment whose parent is parent, in
// ascending id order, until fn returns false.
func (x *Index) Attachments(parent int64, fn func(Entry) bool) {
	if x.kids == nil {
		return
	}
	// Ids as uint64 sort negative ones last: put them back in order.
	var ids []int64
	x.kids.Lookup(uint64(parent), func(id uint64) bool {
		ids = append(ids, int64(id))
		return true
	})
	slices.Sort(ids)
	for _, id := range ids {
		if e, ok := x.Get(id); ok && !fn(e) {
			return
		}
	}
}

// Range calls fn for every entry in ascending id order until fn returns false.
func (x *Index) Range(fn func(Entry) bool) {
	if x.spill != nil && len(x.spill.runs) > 0 {
		x.each(fn)
		return
	}
	x.rangeMemory(fn)
}

// rangeMemory is Range over the entries held in memory.
func (x *Index) rangeMemory(fn func(Entry) bool) {
	if len(x.tail) == 0 {
		for i := range x.recs {
			if !fn(x.load(&x.recs[i])) {
				return
			}
		}
		return
	}
	rest := make([]int, 0, len(x.recs)-x.sort)
	for i := x.sort; i < len(x.recs); i++ {
		rest = append(rest, i)
	}
	slices.SortFunc(rest, func(a, b int) int { return cmpID(x.recs[a].id, x.recs[b].id) })
	i, j := 0, 0
	for i < x.sort || j < len(rest) {
		var r *record
		if j == len(rest) || (i < x.sort && x.recs[i].id < x.recs[rest[j]].id) {
			r = &x.recs[i]
			i++
		} else {
			r = &x.recs[rest[j]]
			j++
		}
		if !fn(x.load(r)) {
			return
		}
	}
}

// Slim rewrites every entry through fn, which may empty or shorten its
// strings or set its Note (not change its ID), and packs the storage again:
// a run calls it once it no longer needs some fields, to give their memory
// back.
func (x *Index) Slim(fn func(*Entry)) {
	if x.spill != nil && len(x.spill.runs) > 0 {
		x.mergeRuns(fn)
		return
	}
	x.merge()
	old := x.arena
	x.arena = arena{}
	for i := range x.recs {
		e := loadFrom(&old, &x.names, &x.recs[i])
		fn(&e)
		e.ID = x.recs[i].id
		x.recs[i] = x.store(e)
	}
}

func (x *Index) has(id int64) bool {
	if _, ok := x.find(id); ok {
		return true
	}
	if x.spill != nil {
		_, ok := x.getSpilled(id)
		return ok
	}
	return false
}

// find returns the position of id's record.
func (x *Index) find(id int64) (int, bool) {
	if i, ok := slices.BinarySearchFunc(x.recs[:x.sort], id, func(r record, id int64) int { return cmpID(r.id, id) }); ok {
		return i, true
	}
	i, ok := x.tail[id]
	return int(i), ok
}

// merge sorts the records added since the last merge in with the others.
func (x *Index) merge() {
	if len(x.tail) == 0 {
		return
	}
	rest := x.recs[x.sort:]
	slices.SortFunc(rest, func(a, b record) int { return cmpID(a.id, b.id) })
	if x.sort > 0 && rest[0].id < x.recs[x.sort-1].id {
		merged := make([]record, 0, len(x.recs))
		a, b := x.recs[:x.sort], rest
		for len(a) > 0 && len(b) > 0 {
			if a[0].id < b[0].id {
				merged, a = append(merged, a[0]), a[1:]
			} else {
				merged, b = append(merged, b[0]), b[1:]
			}
		}
		x.recs = append(append(merged, a...), b...)
	}
	x.sort = len(x.recs)
	x.tail = nil
	if x.kids != nil {
		x.kids.Seal()
	}
}

// settle sorts the entries added since the last merge in with the others
// and compacts the attachments by parent, once a file is indexed.
func (x *Index) settle() {
	x.merge()
	if x.kids != nil {
		x.kids.Compact()
	}
}

func cmpID(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (x *Index) store(e Entry) record {
	r, here := recordOf(&e, &x.names)
	w := x.arena.begin(stringsLen(&e, here) + 14*binary.MaxVarintLen64)
	r.strs = w.at
	w.c = appendStrings(w.c, &e, here)
	x.arena.end(w)
	return r
}

// recordOf returns e's record, strings aside, and whether its type, status
// and media type must be stored with its strings.
func recordOf(e *Entry, names *interner) (record, bool) {
	r := record{id: e.ID, parent: e.Parent, thumbnail: e.Thumbnail, menuOrder: int32(e.MenuOrder)}
	if int(r.menuOrder) != e.MenuOrder {
		r.menuOrder = 0 // beyond what WordPress stores
	}
	if e.HasPassword {
		r.flags |= flagPassword
	}
	t, ok1 := names.code(string(e.Type))
	s, ok2 := names.code(string(e.Status))
	m, ok3 := names.code(e.MimeType)
	r.typ, r.status, r.mime = t, s, m
	here := !ok1 || !ok2 || !ok3
	if here {
		r.flags |= flagNamesHere
	}
	return r, here
}

func stringsLen(e *Entry, here bool) int {
	n := len(e.Name) + len(e.Title) + len(e.Link) + len(e.GUID) + len(e.PostDate) + len(e.AttachmentURL) +
		len(e.AttachedFile) + len(e.Alt) + len(e.Caption) + len(e.Metadata) + len(e.Note)
	if here {
		n += len(e.Type) + len(e.Status) + len(e.MimeType)
	}
	return n
}

// appendStrings appends e's strings, each after its length as a uvarint,
// in the order loadWith reads them.
func appendStrings(b []byte, e *Entry, here bool) []byte {
	for _, s := range [...]string{e.Name, e.Title, e.Link, e.GUID, e.PostDate, e.AttachmentURL, e.AttachedFile, e.Alt, e.Caption, e.Metadata, e.Note} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	if here {
		for _, s := range [...]string{string(e.Type), string(e.Status), e.MimeType} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	return b
}

func (x *Index) load(r *record) Entry { return loadFrom(&x.arena, &x.names, r) }

func loadFrom(a *arena, names *interner, r *record) Entry {
	return loadWith(a.reader(r.strs), names, r)
}

func loadWith(rd arenaReader, names *interner, r *record) Entry {
	e := Entry{
		ID: r.id, Parent: r.parent, Thumbnail: r.thumbnail, MenuOrder: int(r.menuOrder),
		HasPassword: r.flags&flagPassword != 0,
	}
	e.Name = rd.next()
	e.Title = rd.next()
	e.Link = rd.next()
	e.GUID = rd.next()
	e.PostDate = rd.next()
	e.AttachmentURL = rd.next()
	e.AttachedFile = rd.next()
	e.Alt = rd.next()
	e.Caption = rd.next()
	e.Metadata = rd.next()
	e.Note = rd.next()
	if r.flags&flagNamesHere != 0 {
		e.Type, e.Status, e.MimeType = PostType(rd.next()), Status(rd.next()), rd.next()
	} else {
		e.Type, e.Status, e.MimeType = PostType(names.value(r.typ)), Status(names.value(r.status)), names.value(r.mime)
	}
	return e
}

// interner gives each distinct short string a code: an index holds a
// handful of post types, statuses and media types, repeated on every entry.
type interner struct {
	codes  map[string]uint16
	values []string
}

// code returns the code of s; false when the table is full.
func (n *interner) code(s string) (uint16, bool) {
	if s == "" {
		return 0, true
	}
	if c, ok := n.codes[s]; ok {
		return c, true
	}
	if n.codes == nil {
		n.codes = map[string]uint16{}
		n.values = []string{""}
	}
	if len(n.values) > 0xFFFF || len(s) > 256 {
		return 0, false
	}
	c := uint16(len(n.values))
	n.codes[s] = c
	n.values = append(n.values, s)
	return c, true
}

func (n *interner) value(c uint16) string {
	if c == 0 {
		return ""
	}
	return n.values[c]
}

// arena packs strings in large chunks that are never written again once
// filled, so strings can point into them without copies. Each entry is its
// strings, each with its length as a uvarint before it.
type arena struct {
	chunks [][]byte
}

const chunkSize = 256 << 10

// arenaWriter appends the strings of one entry.
type arenaWriter struct {
	at uint64 // chunk<<32 | offset
	c  []byte
}

// begin makes room for up to n bytes.
func (a *arena) begin(n int) arenaWriter {
	last := len(a.chunks) - 1
	if last < 0 || cap(a.chunks[last])-len(a.chunks[last]) < n {
		a.chunks = append(a.chunks, make([]byte, 0, max(n, chunkSize)))
		last++
	}
	c := a.chunks[last]
	return arenaWriter{at: uint64(last)<<32 | uint64(len(c)), c: c}
}

func (a *arena) end(w arenaWriter) { a.chunks[w.at>>32] = w.c }

// arenaReader reads the strings of one entry back.
type arenaReader struct {
	c []byte
	i int
}

func (a *arena) reader(at uint64) arenaReader {
	return arenaReader{c: a.chunks[at>>32], i: int(uint32(at))}
}

func (r *arenaReader) next() string {
	n, w := binary.Uvarint(r.c[r.i:])
	r.i += w
	if n == 0 {
		return ""
	}
	s := unsafe.String(&r.c[r.i], int(n))
	r.i += int(n)
	return s
}
