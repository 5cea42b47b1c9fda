package wxr

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/wparchive/wparchive/wxr/spill"
)

// An Index made by NewSpillingIndex keeps at most a few thousand entries in
// memory. When that many have been added, they are sorted and written to a
// run: a temporary file of entries in ascending id order, read back in
// blocks. Memory then holds, per run, only the first id and the offset of
// each block, so it no longer grows with the size of the export.
//
// Exports list their items in ascending id order, so a spill nearly always
// comes after the last run's ids and extends that run: a whole export ends
// as one run. Spills that overlap earlier ones start new runs, and past
// maxRuns the runs are merged, so that a lookup reads a bounded number.

// disk is the part of an Index that lives on disk.
type disk struct {
	dir  string // where runs are created; "" is the system's
	at   int    // entries kept in memory before a spill
	runs []*run

	mu    sync.Mutex // guards cache and err: reads may come from many goroutines
	cache [cacheBlocks]cachedBlock
	clock int
	err   error
}

const (
	defaultSpillAt = 2048
	maxRuns        = 8
	blockEntries   = 64   // entries per block at most
	blockBytes     = 4096 // a block ends once it holds this many bytes
	cacheBlocks    = 32   // blocks kept decoded-ready in memory
	headerSize     = 8 + 8 + 8 + 4 + 2 + 2 + 2 + 1
)

// run is one sorted run in its own file.
type run struct {
	f        *os.File
	name     string
	size     int64
	n        int
	min, max int64
	blocks   []blockStart
}

// blockStart locates one block: the id of its first entry and its offset.
type blockStart struct {
	id, off int64
}

type cachedBlock struct {
	r    *run
	b    int
	data []byte
	used int
}

// NewSpillingIndex returns an empty Index that keeps its entries in
// temporary files in dir ("" for the system's temporary folder) once it
// holds memory entries (a few thousand when memory is 0 or less). Close it
// to release them.
func NewSpillingIndex(dir string, memory int) *Index {
	if memory <= 0 {
		memory = defaultSpillAt
	}
	return &Index{spill: &disk{dir: dir, at: memory}}
}

// Err returns the first error met reading or writing the index's temporary
// files. An index with an error may have missed entries, so a run that
// relied on it must fail.
func (x *Index) Err() error {
	var err error
	if x.spill != nil {
		x.spill.mu.Lock()
		err = x.spill.err
		x.spill.mu.Unlock()
	}
	if err == nil && x.kids != nil {
		if err = x.kids.Err(); err != nil {
			err = fmt.Errorf("index: attachments: %w", err)
		}
	}
	return err
}

// Close releases the index's temporary files.
func (x *Index) Close() error {
	var errs []error
	if x.kids != nil {
		errs = append(errs, x.kids.Close())
	}
	if x.spill == nil {
		return errors.Join(errs...)
	}
	for _, r := range x.spill.runs {
		errs = append(errs, r.close())
	}
	x.spill.runs = nil
	x.spill.cache = [cacheBlocks]cachedBlock{}
	return errors.Join(errs...)
}

func (s *disk) fail(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = fmt.Errorf("index: %w", err)
	}
	s.mu.Unlock()
}

func (s *disk) failed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err != nil
}

func (r *run) close() error {
	err := r.f.Close()
	_ = os.Remove(r.name) // already gone where the system let it go at once
	return err
}

// spillMemory writes the entries held in memory to a run and empties memory.
func (x *Index) spillMemory() {
	s := x.spill
	if len(x.recs) == 0 || s.failed() {
		return
	}
	x.merge()
	var rw *runWriter
	var err error
	if n := len(s.runs); n > 0 && x.recs[0].id > s.runs[n-1].max {
		rw = extendRun(s.runs[n-1])
	} else {
		rw, err = newRun(s.dir)
		if err != nil {
			s.fail(err)
			return
		}
		s.runs = append(s.runs, rw.r)
	}
	for i := range x.recs {
		if err := rw.add(x.load(&x.recs[i]), &x.names); err != nil {
			s.fail(err)
			return
		}
	}
	if err := rw.finish(); err != nil {
		s.fail(err)
		return
	}
	x.recs, x.sort, x.tail, x.arena = x.recs[:0], 0, nil, arena{}
	if len(s.runs) > maxRuns {
		x.mergeRuns(nil)
	}
}

// mergeRuns writes every run, and the entries in memory when withMemory,
// to one new run through fn (when set), and drops the old ones.
func (x *Index) mergeRuns(fn func(*Entry)) {
	s := x.spill
	rw, err := newRun(s.dir)
	if err != nil {
		s.fail(err)
		return
	}
	x.each(func(e Entry) bool {
		if fn != nil {
			id := e.ID
			fn(&e)
			e.ID = id
		}
		err = rw.add(e, &x.names)
		return err == nil
	})
	if err == nil {
		err = rw.finish()
	}
	if err != nil {
		s.fail(err)
		_ = rw.r.close()
		return
	}
	for _, r := range s.runs {
		_ = r.close()
	}
	s.runs = []*run{rw.r}
	x.recs, x.sort, x.tail, x.arena = x.recs[:0], 0, nil, arena{}
	s.mu.Lock()
	s.cache = [cacheBlocks]cachedBlock{}
	s.mu.Unlock()
}

// getSpilled looks id up in the runs.
func (x *Index) getSpilled(id int64) (Entry, bool) {
	s := x.spill
	for _, r := range s.runs {
		if id < r.min || id > r.max {
			continue
		}
		b := sort.Search(len(r.blocks), func(i int) bool { return r.blocks[i].id > id }) - 1
		if b < 0 {
			continue
		}
		data, err := s.block(r, b)
		if err != nil {
			s.fail(err)
			return Entry{}, false
		}
		for at := 0; at < len(data); {
			got, next, err := entryID(data, at)
			if err == nil && got == id {
				var e Entry
				e, _, err = decodeEntry(data, at, &x.names)
				if err == nil {
					return e, true
				}
			}
			if err != nil {
				s.fail(fmt.Errorf("%s: block %d: %w", r.name, b, err))
				return Entry{}, false
			}
			if got > id {
				break
			}
			at = next
		}
	}
	return Entry{}, false
}

// block reads block b of r, from the cache when it is there.
func (s *disk) block(r *run, b int) ([]byte, error) {
	s.mu.Lock()
	s.clock++
	oldest := 0
	for i := range s.cache {
		c := &s.cache[i]
		if c.r == r && c.b == b {
			c.used = s.clock
			data := c.data
			s.mu.Unlock()
			return data, nil
		}
		if c.used < s.cache[oldest].used {
			oldest = i
		}
	}
	s.mu.Unlock()
	data, err := r.readBlock(b)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache[oldest] = cachedBlock{r: r, b: b, data: data, used: s.clock}
	s.mu.Unlock()
	return data, nil
}

func (r *run) readBlock(b int) ([]byte, error) {
	end := r.size
	if b+1 < len(r.blocks) {
		end = r.blocks[b+1].off
	}
	data := make([]byte, end-r.blocks[b].off)
	if _, err := r.f.ReadAt(data, r.blocks[b].off); err != nil {
		return nil, fmt.Errorf("%s: read: %w", r.name, err)
	}
	return data, nil
}

// runWriter appends entries, in ascending id order, to a run.
type runWriter struct {
	r       *run
	w       *bufio.Writer
	inBlock int   // entries in the current block; 0: the next starts one
	start   int64 // offset of the current block
	buf     []byte
	strs    []byte
}

func newRun(dir string) (*runWriter, error) {
	f, err := spill.TempFile(dir, "wparchive-index-*")
	if err != nil {
		return nil, err
	}
	return extendRun(&run{f: f, name: f.Name()}), nil
}

// extendRun appends to r. The next entry starts a block, so blocks already
// read, and perhaps cached, never change.
func extendRun(r *run) *runWriter {
	return &runWriter{r: r, w: bufio.NewWriterSize(io.NewOffsetWriter(r.f, r.size), 64<<10)}
}

func (w *runWriter) add(e Entry, names *interner) error {
	r := w.r
	if w.inBlock == blockEntries || w.inBlock > 0 && r.size-w.start >= blockBytes {
		w.inBlock = 0
	}
	if w.inBlock == 0 {
		w.start = r.size
		r.blocks = append(r.blocks, blockStart{id: e.ID, off: r.size})
	}
	if r.n == 0 {
		r.min = e.ID
	}
	w.buf, w.strs = encodeEntry(w.buf[:0], w.strs[:0], &e, names)
	if _, err := w.w.Write(w.buf); err != nil {
		return fmt.Errorf("%s: write: %w", r.name, err)
	}
	r.size += int64(len(w.buf))
	r.n++
	r.max = e.ID
	w.inBlock++
	return nil
}

func (w *runWriter) finish() error {
	if err := w.w.Flush(); err != nil {
		return fmt.Errorf("%s: write: %w", w.r.name, err)
	}
	return nil
}

// encodeEntry appends e as a run stores it: the fixed fields of a record,
// then the length of its strings and the strings as the arena packs them.
// strs is scratch space for the strings; both are returned for reuse.
func encodeEntry(b, strs []byte, e *Entry, names *interner) ([]byte, []byte) {
	r, here := recordOf(e, names)
	strs = appendStrings(strs, e, here)
	b = binary.LittleEndian.AppendUint64(b, uint64(r.id))
	b = binary.LittleEndian.AppendUint64(b, uint64(r.parent))
	b = binary.LittleEndian.AppendUint64(b, uint64(r.thumbnail))
	b = binary.LittleEndian.AppendUint32(b, uint32(r.menuOrder))
	b = binary.LittleEndian.AppendUint16(b, r.typ)
	b = binary.LittleEndian.AppendUint16(b, r.status)
	b = binary.LittleEndian.AppendUint16(b, r.mime)
	b = append(b, r.flags)
	b = binary.AppendUvarint(b, uint64(len(strs)))
	return append(b, strs...), strs
}

var errCorrupt = errors.New("corrupt entry")

// decodeEntry reads the entry at data[at:] and returns where the next
// starts. Its strings share data.
func decodeEntry(data []byte, at int, names *interner) (Entry, int, error) {
	if len(data)-at < headerSize {
		return Entry{}, 0, errCorrupt
	}
	h := data[at:]
	r := record{
		id:        int64(binary.LittleEndian.Uint64(h)),
		parent:    int64(binary.LittleEndian.Uint64(h[8:])),
		thumbnail: int64(binary.LittleEndian.Uint64(h[16:])),
		menuOrder: int32(binary.LittleEndian.Uint32(h[24:])),
		typ:       binary.LittleEndian.Uint16(h[28:]),
		status:    binary.LittleEndian.Uint16(h[30:]),
		mime:      binary.LittleEndian.Uint16(h[32:]),
		flags:     h[34],
	}
	n, w := binary.Uvarint(h[headerSize:])
	start := at + headerSize + w
	if w <= 0 || n > uint64(len(data)-start) {
		return Entry{}, 0, errCorrupt
	}
	strs := data[start : start+int(n) : start+int(n)]
	return loadWith(arenaReader{c: strs}, names, &r), start + int(n), nil
}

// entryID returns the id of the entry at data[at:] and where the next starts.
func entryID(data []byte, at int) (int64, int, error) {
	if len(data)-at < headerSize {
		return 0, 0, errCorrupt
	}
	n, w := binary.Uvarint(data[at+headerSize:])
	next := at + headerSize + w
	if w <= 0 || n > uint64(len(data)-next) {
		return 0, 0, errCorrupt
	}
	return int64(binary.LittleEndian.Uint64(data[at:])), next + int(n), nil
}

// cursor walks a run's entries in order, a block at a time.
type cursor struct {
	s     *disk
	r     *run
	b     int
	data  []byte
	at    int
	e     Entry
	ok    bool
	names *interner
}

func (c *cursor) next() {
	c.ok = false
	for c.at >= len(c.data) {
		if c.b >= len(c.r.blocks) {
			return
		}
		data, err := c.r.readBlock(c.b)
		if err != nil {
			c.s.fail(err)
			return
		}
		c.data, c.at = data, 0
		c.b++
	}
	e, next, err := decodeEntry(c.data, c.at, c.names)
	if err != nil {
		c.s.fail(fmt.Errorf("%s: block %d: %w", c.r.name, c.b-1, err))
		return
	}
	c.e, c.at, c.ok = e, next, true
}

// each calls fn for every entry, in memory and in the runs, in ascending id
// order, until fn returns false.
func (x *Index) each(fn func(Entry) bool) {
	s := x.spill
	cs := make([]*cursor, len(s.runs))
	for i, r := range s.runs {
		cs[i] = &cursor{s: s, r: r, names: &x.names}
		cs[i].next()
	}
	pick := func() *cursor {
		var best *cursor
		for _, c := range cs {
			if c.ok && (best == nil || c.e.ID < best.e.ID) {
				best = c
			}
		}
		return best
	}
	stopped := false
	x.rangeMemory(func(m Entry) bool {
		for c := pick(); c != nil && c.e.ID < m.ID; c = pick() {
			if !fn(c.e) {
				stopped = true
				return false
			}
			c.next()
		}
		if !fn(m) {
			stopped = true
			return false
		}
		return true
	})
	if stopped {
		return
	}
	for c := pick(); c != nil; c = pick() {
		if !fn(c.e) {
			return
		}
		c.next()
	}
}
