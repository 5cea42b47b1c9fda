package archive

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// Target lays the archive out for its reader: the plain archive (a BagIt
// bag, the default), or the tree a static site generator expects. Every
// path a Target returns is slash-separated and relative to the payload root
// (data/ in a bag, the output folder otherwise).
type Target interface {
	// Name is the value of --target.
	Name() string
	// Bag reports whether the output is a BagIt bag with its payload under
	// data/; a target that must lay files out for a generator writes only a
	// manifest-sha256.txt at the root.
	Bag() bool
	// Paths places an item's files. b.Dir is the item's planned folder
	// (posts/2012/09/slug, pages/about/team…), unique in the run.
	Paths(b *Bundle) BundlePaths
	// MetaDir is the folder of items.jsonl, site.json, report.json and
	// media.json; "" is the payload root.
	MetaDir() string
	// MediaBase is the folder that holds media/; "" is the payload root.
	MediaBase() string
	// Link is how the Markdown file at from links to the file at to (an
	// item's Markdown or a media file).
	Link(from, to string) string
	// FrontMatter renders the header of an item's Markdown file.
	FrontMatter(fm *FrontMatter, b *Bundle) ([]byte, error)
}

// Bundle is what a Target knows of an item when it places and heads it.
type Bundle struct {
	Dir      string // the planned folder, unique in the run
	ID       int64
	Type     wxr.PostType
	PostDate string // local, as exported: "2006-01-02 15:04:05"
	Link     string // the original permalink
	Draft    bool
	// Excerpt is the item's excerpt as exported (HTML), for a description.
	Excerpt string
}

// BundlePaths are an item's files, relative to the payload root.
type BundlePaths struct {
	Markdown string
	Record   string
	Comments string
}

// Plain is the default target: the documented wparchive/1 archive.
type Plain struct {
	// Format is the front matter's format: yaml (default), toml or json.
	Format string
}

// Name implements Target.
func (Plain) Name() string { return "plain" }

// Bag implements Target.
func (Plain) Bag() bool { return true }

// Paths implements Target.
func (Plain) Paths(b *Bundle) BundlePaths {
	return BundlePaths{
		Markdown: b.Dir + "/" + MarkdownFile,
		Record:   b.Dir + "/" + RecordFile,
		Comments: b.Dir + "/" + CommentsFile,
	}
}

// MetaDir implements Target.
func (Plain) MetaDir() string { return "" }

// MediaBase implements Target.
func (Plain) MediaBase() string { return "" }

// Link implements Target: relative links, so the archive works anywhere.
func (Plain) Link(from, to string) string { return relPath(path.Dir(from), to) }

// FrontMatter implements Target.
func (p Plain) FrontMatter(fm *FrontMatter, _ *Bundle) ([]byte, error) {
	return renderFrontMatter(fm, p.Format)
}

// targetNames are the values --target accepts.
var targetNames = []string{"plain", "hugo", "jekyll", "astro", "astro-mdx", "eleventy"}

// newTarget builds the target called name.
func newTarget(name, format string) (Target, bool) {
	switch name {
	case "plain", "":
		return Plain{Format: format}, true
	case "hugo":
		return Hugo{Format: format}, true
	case "jekyll":
		return Jekyll{}, true
	case "astro":
		return Astro{}, true
	case "astro-mdx":
		return Astro{MDX: true}, true
	case "eleventy":
		return Eleventy{}, true
	}
	return nil, false
}

// TargetNamed returns the target of a --target value with a front matter format.
func TargetNamed(name, format string) (Target, error) {
	switch format {
	case "", "yaml", "toml", "json":
	default:
		return nil, fmt.Errorf("front matter format %q: want yaml, toml or json", format)
	}
	t, ok := newTarget(name, format)
	if !ok {
		return nil, fmt.Errorf("target %q: want one of %s", name, strings.Join(TargetNames(), ", "))
	}
	if _, ok := t.(yamlOnly); ok && format != "" && format != "yaml" {
		return nil, fmt.Errorf("front matter format %q: %s reads YAML front matter only", format, t.Name())
	}
	return t, nil
}

// TargetNames lists the known targets.
func TargetNames() []string {
	names := append([]string(nil), targetNames...)
	sort.Strings(names)
	return names
}

// joinPath joins archive path parts, skipping empty ones.
func joinPath(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, strings.Trim(p, "/"))
		}
	}
	return strings.Join(keep, "/")
}
