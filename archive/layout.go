package archive

import (
	"crypto/sha256"
	"fmt"
	"hash/fnv"
	"path"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/spill"
)

// File names inside the archive. They are part of the format (docs/format.md).
const (
	PayloadDir    = "data"
	ItemsFile     = "items.jsonl"
	SiteFile      = "site.json"
	ReportFile    = "report.json"
	MarkdownFile  = "index.md"
	RecordFile    = "index.json"
	CommentsFile  = "comments.md"
	PostsDir      = "posts"
	PagesDir      = "pages"
	MediaDir      = "media"
	maxPageDepth  = 32
	undatedFolder = "undated"
)

// reservedTop are names a custom post type's folder must not take.
var reservedTop = map[string]bool{
	PostsDir: true, PagesDir: true, MediaDir: true, ItemsFile: true, SiteFile: true,
	ReportFile: true, "html": true, "warc": true,
}

// reservedInBundle are the names of an item's own files: a child page slug
// must not turn into a folder of the same name.
var reservedInBundle = map[string]bool{MarkdownFile: true, RecordFile: true, CommentsFile: true}

// layout assigns every item that will be written its bundle folder, relative
// to the payload root. Folders depend on the items alone, never on the order
// in which conversions finish, so output is the same for any number of workers.
//
// Folders are planned before the second pass, walking the index in id order.
// The walk writes them to a temporary log, from which slimIndex notes them in
// the index (Entry.Note), which keeps them on disk for a large site. Memory
// keeps a 16-byte sum of every folder's key while planning, to find
// collisions, and the folders of pages, which their children's start with;
// after planning, only a spilling table of the hashes of the keys, to check
// a folder planned in the second pass against them.
type layout struct {
	idx *wxr.Index

	// While planning: the id the walk is at; the log of the folders planned
	// at the walk's own item; the folders planned out of that order (a
	// parent page, ahead of or behind the walk); the folders of pages; the
	// sums of the keys taken.
	planning bool
	cur      int64
	log      *folderLog
	early    map[int64]string
	pages    map[int64]string
	used     map[keySum]struct{}

	// The hash of the pathKey of every planned folder → its id; then, in
	// the second pass, the duplicated ids already met and the pathKeys and
	// folders of items planned then.
	keys      *spill.Table
	metDups   map[int64]bool
	later     map[string]bool
	laterDirs map[int64]string
}

// keySum identifies a pathKey while planning: 128 bits of its sha256, which
// no export can make collide.
type keySum [16]byte

func sumKey(k string) keySum {
	s := sha256.Sum256([]byte(k))
	return keySum(s[:16])
}

// newLayout plans the folder of every indexed item the policy will write,
// in ascending id order, so that collision suffixes are stable. The run
// then notes the folders in the index (see slimIndex) and calls settle.
func newLayout(idx *wxr.Index, includePrivate bool, tempDir string, memory int) (*layout, error) {
	log, err := newFolderLog(tempDir)
	if err != nil {
		return nil, err
	}
	l := &layout{
		idx: idx, planning: true, log: log, early: map[int64]string{}, pages: map[int64]string{},
		used: map[keySum]struct{}{}, keys: spill.New(tempDir, memory),
	}
	idx.Range(func(e wxr.Entry) bool { // in ascending id order
		if decideEntry(&e, includePrivate).Outcome == Written {
			l.cur = e.ID
			l.dir(e.ID, 0)
		}
		return true
	})
	l.keys.Compact()
	if err := l.log.done(); err != nil {
		l.close()
		return nil, fmt.Errorf("layout: %w", err)
	}
	return l, nil
}

// note returns the folder planned for id, "" for none, for slimIndex to
// note in the index: it must be asked in ascending id order.
func (l *layout) note(id int64) string {
	if d, ok := l.early[id]; ok {
		return d
	}
	return l.log.find(id)
}

// settle ends planning, once the index holds the folders.
func (l *layout) settle() error {
	err := l.log.err
	l.log.close()
	l.planning, l.log, l.early, l.pages, l.used = false, nil, nil, nil, nil
	l.metDups, l.later, l.laterDirs = map[int64]bool{}, map[string]bool{}, map[int64]string{}
	if err != nil {
		return fmt.Errorf("layout: %w", err)
	}
	return nil
}

// close releases the temporary files.
func (l *layout) close() error {
	if l.log != nil {
		l.log.close()
	}
	return l.keys.Close()
}

func keyHash(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

// planned returns the folder planned for id.
func (l *layout) planned(id int64) (string, bool) {
	if l.planning {
		// Only pages are asked for again while planning.
		if d, ok := l.early[id]; ok {
			return d, true
		}
		d, ok := l.pages[id]
		return d, ok
	}
	e, ok := l.idx.Get(id)
	return e.Note, ok && e.Note != ""
}

// plannedEntry returns the index's entry for id with the folder planned for
// it: planned and Get in one, reading the entry once after planning, where
// the folder is the entry's Note.
func (l *layout) plannedEntry(id int64) (wxr.Entry, string, bool) {
	if l.planning {
		d, ok := l.planned(id)
		e, indexed := l.idx.Get(id)
		return e, d, ok && indexed
	}
	e, ok := l.idx.Get(id)
	return e, e.Note, ok && e.Note != ""
}

// taken reports whether a folder with pathKey k is taken.
func (l *layout) taken(k string) bool {
	if l.planning {
		_, ok := l.used[sumKey(k)]
		return ok
	}
	if l.later[k] {
		return true
	}
	found := false
	l.keys.Lookup(keyHash(k), func(id uint64) bool {
		d, _ := l.planned(int64(id))
		found = pathKey(d) == k
		return !found
	})
	return found
}

// dir returns the planned folder of an indexed item, planning it (and its
// parents) on first use.
func (l *layout) dir(id int64, depth int) string {
	if d, ok := l.planned(id); ok {
		return d
	}
	if !l.planning {
		// Planning is over: the folder of an item that was not planned
		// (a withheld parent page) is taken as it would have been.
		if d, ok := l.laterDirs[id]; ok {
			return d
		}
	}
	e, ok := l.idx.Get(id)
	if !ok {
		return ""
	}
	base := l.parentDir(&e, depth) + "/" + entrySegment(e.Name, e.Type, e.ID)
	d := l.reserve(base)
	if !l.planning {
		l.laterDirs[id] = d
		return d
	}
	l.keys.Add(keyHash(pathKey(d)), uint64(id))
	if e.Type == wxr.TypePage {
		l.pages[id] = d
	}
	if id == l.cur {
		l.log.add(id, d)
	} else {
		l.early[id] = d
	}
	return d
}

// parentDir is the folder an item's bundle sits in.
func (l *layout) parentDir(e *wxr.Entry, depth int) string {
	switch e.Type {
	case wxr.TypePost, "":
		return PostsDir + "/" + monthFolder(e.PostDate)
	case wxr.TypePage:
		if e.Parent != 0 && e.Parent != e.ID && depth < maxPageDepth {
			if p, ok := l.idx.Get(e.Parent); ok && p.Type == wxr.TypePage {
				if d := l.dir(e.Parent, depth+1); d != "" {
					return d
				}
			}
		}
		return PagesDir
	default:
		t := SafeSegment(string(e.Type))
		if t == "" {
			t = "other"
		}
		if reservedTop[strings.ToLower(t)] {
			t = "type-" + t
		}
		return t
	}
}

// reserve takes base, or base-2, base-3… if a folder with the same key is taken.
func (l *layout) reserve(base string) string {
	d := base
	for n := 2; l.taken(pathKey(d)); n++ {
		d = base + "-" + strconv.Itoa(n)
	}
	if l.planning {
		l.used[sumKey(pathKey(d))] = struct{}{}
	} else {
		l.later[pathKey(d)] = true
	}
	return d
}

// place returns the folder for an item met in the second pass. An item whose
// id was already met (duplicate ids) or was not indexed gets a fresh folder.
func (l *layout) place(it *wxr.Item) string {
	if d, ok := l.planned(it.ID); ok && !l.metBefore(it.ID) {
		return d
	}
	e := &wxr.Entry{ID: it.ID, Type: it.Type, Status: it.Status, Name: it.Name, Parent: it.Parent, PostDate: it.PostDate}
	return l.reserve(l.parentDir(e, 0) + "/" + entrySegment(e.Name, e.Type, e.ID))
}

// metBefore reports whether the second pass met id before, and marks it
// met. Only a duplicated id can be met twice, so only those are kept.
func (l *layout) metBefore(id int64) bool {
	if !l.idx.Duplicate(id) {
		return false
	}
	met := l.metDups[id]
	l.metDups[id] = true
	return met
}

// entrySegment is the bundle folder name of an item: its safe slug, or one
// derived from its type and id when the slug is empty or unusable.
func entrySegment(name string, typ wxr.PostType, id int64) string {
	s := SafeSegment(name)
	if s == "" {
		t := SafeSegment(string(typ))
		if t == "" {
			t = "item"
		}
		s = fmt.Sprintf("%s-%d", t, id)
	}
	if reservedInBundle[strings.ToLower(s)] {
		s += "-"
	}
	return s
}

// monthFolder turns "2012-09-08 10:00:00" into "2012/09".
func monthFolder(date string) string {
	if len(date) >= 7 && date[4] == '-' && isDigits(date[:4]) && isDigits(date[5:7]) && date[:4] != "0000" && date[5:7] != "00" {
		return date[:4] + "/" + date[5:7]
	}
	return undatedFolder
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// relPath is the slash path from folder fromDir to file target, both relative
// to the payload root. It walks the cleaned paths segment by segment in
// place: links are resolved for every post, and splitting allocated.
func relPath(fromDir, target string) string {
	from, to := path.Clean(fromDir), path.Clean(target)
	// Skip the leading segments both share, but never to's last: fi and ti
	// are where the next segment starts, past the end once none is left.
	fi, ti := 0, 0
	for fi <= len(from) {
		te := segmentEnd(to, ti)
		if te == len(to) {
			break
		}
		fe := segmentEnd(from, fi)
		if from[fi:fe] != to[ti:te] {
			break
		}
		fi, ti = fe+1, te+1
	}
	ups := 0
	for fi <= len(from) {
		fe := segmentEnd(from, fi)
		if s := from[fi:fe]; s != "." && s != "" {
			ups++
		}
		fi = fe + 1
	}
	if ups == 0 {
		return to[ti:]
	}
	var b strings.Builder
	b.Grow(3*ups + len(to) - ti)
	for range ups {
		b.WriteString("../")
	}
	b.WriteString(to[ti:])
	return b.String()
}

// segmentEnd is the end of the slash-separated segment of p starting at i.
func segmentEnd(p string, i int) int {
	if j := strings.IndexByte(p[i:], '/'); j >= 0 {
		return i + j
	}
	return len(p)
}
