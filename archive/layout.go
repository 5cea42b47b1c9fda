package archive

import (
	"fmt"
	"path"
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
type layout struct {
	idx  *wxr.Index
	dirs map[int64]string
	used map[string]bool // pathKey of every folder taken
	seen map[int64]bool  // ids met in the second pass, to catch duplicates
}

// newLayout plans the folder of every indexed item the policy will write,
// in ascending id order, so that collision suffixes are stable.
func newLayout(idx *wxr.Index, includePrivate bool) *layout {
	l := &layout{idx: idx, dirs: map[int64]string{}, used: map[string]bool{}, seen: map[int64]bool{}}
	idx.Range(func(e wxr.Entry) bool { // in ascending id order
		if decideEntry(&e, includePrivate).Outcome == Written {
			l.dir(e.ID, 0)
		}
		return true
	})
	return l
}

// dir returns the planned folder of an indexed item, planning it (and its
// parents) on first use.
func (l *layout) dir(id int64, depth int) string {
	if d, ok := l.dirs[id]; ok {
		return d
	}
	e, ok := l.idx.Get(id)
	if !ok {
		return ""
	}
	base := l.parentDir(&e, depth) + "/" + entrySegment(e.Name, e.Type, e.ID)
	d := l.reserve(base)
	l.dirs[id] = d
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
	for n := 2; l.used[pathKey(d)]; n++ {
		d = base + "-" + strconv.Itoa(n)
	}
	l.used[pathKey(d)] = true
	return d
}

// place returns the folder for an item met in the second pass. An item whose
// id was already met (duplicate ids) or was not indexed gets a fresh folder.
func (l *layout) place(it *wxr.Item) string {
	if !l.seen[it.ID] {
		l.seen[it.ID] = true
		if d, ok := l.dirs[it.ID]; ok {
			return d
		}
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
