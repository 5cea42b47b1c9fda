package archive

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
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
// It is planned before the second pass and kept through it, so it is kept
// compactly: the folders packed in one byte slice, the planned ids and the
// hashes of the folders' keys in sorted slices, no map per item.
type layout struct {
	idx     *wxr.Index
	folders []byte   // every folder taken, one after the other
	ends    []uint32 // where folder i ends in folders

	// While planning: the folder of every planned id and every key taken.
	planning map[int64]int32
	used     map[string]bool

	// Once planned: ids ascending, their folders, and whether the second
	// pass met them, to catch duplicates.
	ids  []int64
	at   []int32
	seen []uint64 // one bit per ids[i]
	// keys are the sorted fnv-1a hashes of the pathKey of every planned
	// folder, keyAt the folder of each, to check a match.
	keys      []uint64
	keyAt     []int32
	later     map[string]bool  // pathKeys taken in the second pass
	laterDirs map[int64]string // folders of items planned in the second pass
}

// newLayout plans the folder of every indexed item the policy will write,
// in ascending id order, so that collision suffixes are stable.
func newLayout(idx *wxr.Index, includePrivate bool) *layout {
	l := &layout{idx: idx, planning: map[int64]int32{}, used: map[string]bool{}}
	idx.Range(func(e wxr.Entry) bool { // in ascending id order
		if decideEntry(&e, includePrivate).Outcome == Written {
			l.dir(e.ID, 0)
		}
		return true
	})
	l.settle()
	return l
}

// settle turns the planning maps into the sorted slices the second pass reads.
func (l *layout) settle() {
	l.ids = make([]int64, 0, len(l.planning))
	for id := range l.planning {
		l.ids = append(l.ids, id)
	}
	slices.Sort(l.ids)
	l.at = make([]int32, len(l.ids))
	for i, id := range l.ids {
		l.at[i] = l.planning[id]
	}
	l.seen = make([]uint64, (len(l.ids)+63)/64)
	type key struct {
		h uint64
		f int32
	}
	keys := make([]key, len(l.ends))
	for f := range l.ends {
		keys[f] = key{keyHash(pathKey(l.folder(int32(f)))), int32(f)}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.f, b.f)) })
	l.keys, l.keyAt = make([]uint64, len(keys)), make([]int32, len(keys))
	for i, k := range keys {
		l.keys[i], l.keyAt[i] = k.h, k.f
	}
	l.planning, l.used = nil, nil
	l.later, l.laterDirs = map[string]bool{}, map[int64]string{}
}

func keyHash(k string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(k))
	return h.Sum64()
}

// folder returns folder f.
func (l *layout) folder(f int32) string {
	start := uint32(0)
	if f > 0 {
		start = l.ends[f-1]
	}
	return string(l.folders[start:l.ends[f]])
}

func (l *layout) addFolder(d string) int32 {
	l.folders = append(l.folders, d...)
	l.ends = append(l.ends, uint32(len(l.folders)))
	return int32(len(l.ends) - 1)
}

// planned returns the folder planned for id.
func (l *layout) planned(id int64) (string, bool) {
	if i, ok := slices.BinarySearch(l.ids, id); ok {
		return l.folder(l.at[i]), true
	}
	return "", false
}

// taken reports whether a folder with pathKey k is taken.
func (l *layout) taken(k string) bool {
	if l.used != nil {
		return l.used[k]
	}
	if l.later[k] {
		return true
	}
	h := keyHash(k)
	i, _ := slices.BinarySearch(l.keys, h)
	for ; i < len(l.keys) && l.keys[i] == h; i++ {
		if pathKey(l.folder(l.keyAt[i])) == k {
			return true
		}
	}
	return false
}

// dir returns the planned folder of an indexed item, planning it (and its
// parents) on first use.
func (l *layout) dir(id int64, depth int) string {
	if l.planning == nil {
		// Planning is over: the folder of an item that was not planned
		// (a withheld parent page) is taken as it would have been.
		if d, ok := l.planned(id); ok {
			return d
		}
		if d, ok := l.laterDirs[id]; ok {
			return d
		}
	} else if f, ok := l.planning[id]; ok {
		return l.folder(f)
	}
	e, ok := l.idx.Get(id)
	if !ok {
		return ""
	}
	base := l.parentDir(&e, depth) + "/" + entrySegment(e.Name, e.Type, e.ID)
	d := l.reserve(base)
	if l.planning != nil {
		l.planning[id] = l.addFolder(d)
	} else {
		l.laterDirs[id] = d
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
	if l.used != nil {
		l.used[pathKey(d)] = true
	} else {
		l.later[pathKey(d)] = true
	}
	return d
}

// place returns the folder for an item met in the second pass. An item whose
// id was already met (duplicate ids) or was not indexed gets a fresh folder.
func (l *layout) place(it *wxr.Item) string {
	if i, ok := slices.BinarySearch(l.ids, it.ID); ok && l.seen[i/64]&(1<<(i%64)) == 0 {
		l.seen[i/64] |= 1 << (i % 64)
		return l.folder(l.at[i])
	}
	e := &wxr.Entry{ID: it.ID, Type: it.Type, Status: it.Status, Name: it.Name, Parent: it.Parent, PostDate: it.PostDate}
	return l.reserve(l.parentDir(e, 0) + "/" + entrySegment(e.Name, e.Type, e.ID))
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
// to the payload root.
func relPath(fromDir, target string) string {
	from := strings.Split(path.Clean(fromDir), "/")
	to := strings.Split(path.Clean(target), "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	var b strings.Builder
	for j := i; j < len(from); j++ {
		if from[j] != "." && from[j] != "" {
			b.WriteString("../")
		}
	}
	b.WriteString(strings.Join(to[i:], "/"))
	return b.String()
}
