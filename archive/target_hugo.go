package archive

import (
	"strings"
	"unicode"
)

// Hugo lays the archive out as a Hugo site's content:
//
//	content/posts/YYYY/MM/<slug>/index.md   a leaf bundle per post (and per item of other types)
//	content/posts/YYYY/MM/<slug>/index.json the record, a page resource (not published)
//	content/posts/YYYY/MM/<slug>/comments.md the thread, a page resource (not a page, not published)
//	content/pages/<parent>/<slug>.md        pages, one file each (see Paths)
//	static/media/…                          media, served at /media/…
//	wparchive/                              items.jsonl, site.json, report.json, media.json,
//	                                        redirects, and the records of pages
//
// Hugo ignores top-level folders it does not know, so wparchive/ is never
// published. Items link to each other and to media by absolute site paths,
// the addresses Hugo gives them by default; old permalinks are aliases.
type Hugo struct {
	// Format is the front matter's format: yaml (default), toml or json.
	Format string
}

const (
	hugoContent = "content"
	hugoStatic  = "static"
	hugoMeta    = "wparchive"
)

// Name implements Target.
func (Hugo) Name() string { return "hugo" }

// Bag implements Target.
func (Hugo) Bag() bool { return false }

// MetaDir implements Target.
func (Hugo) MetaDir() string { return hugoMeta }

// MediaBase implements Target: Hugo copies static/ to the site root.
func (Hugo) MediaBase() string { return hugoStatic }

// Paths implements Target. A page is a single file, not a leaf bundle:
// pages nest, and a leaf bundle swallows the pages below it as resources.
// Its record and comments therefore go to wparchive/, where a comments.md
// cannot become a page.
func (Hugo) Paths(b *Bundle) BundlePaths {
	if isPage(b) {
		return BundlePaths{
			Markdown: joinPath(hugoContent, b.Dir+".md"),
			Record:   joinPath(hugoMeta, b.Dir, RecordFile),
			Comments: joinPath(hugoMeta, b.Dir, CommentsFile),
		}
	}
	return BundlePaths{
		Markdown: joinPath(hugoContent, b.Dir, MarkdownFile),
		Record:   joinPath(hugoContent, b.Dir, RecordFile),
		Comments: joinPath(hugoContent, b.Dir, CommentsFile),
	}
}

// Link implements Target: media by their site path (/media/2012/09/x.jpg).
func (Hugo) Link(from, to string) string {
	if isMedia(to, hugoStatic) {
		return servedPath(to, hugoStatic)
	}
	return relLink(from, to)
}

// URL implements URLer: the address Hugo gives a content file by default,
// its path made safe and lower-cased as Hugo does (without
// disablePathToLower), with a trailing slash (uglyURLs off).
func (Hugo) URL(b *Bundle) string {
	return "/" + hugoSanitize(b.Dir) + "/"
}

// FrontMatter implements Target. Hugo reads every common field as it is;
// aliases are the old permalinks, decoded, as Hugo writes them as files.
func (h Hugo) FrontMatter(fm *FrontMatter, b *Bundle) ([]byte, error) {
	c := withExtra(fm)
	c.Aliases = nil
	if p := oldPath(b.Link); p != "" && p != h.URL(b) {
		c.Aliases = []string{p}
	}
	if !isPage(b) {
		// The record and the thread are for templates to read, not to
		// serve: they hold what a site need not publish (postmeta, the
		// raw content).
		c.Extra["_build"] = map[string]any{"publishResources": false}
	}
	if c.Summary == "" {
		c.Summary = excerptText(b.Excerpt)
	}
	return renderFrontMatter(c, h.Format)
}

// hugoSanitize is the path Hugo makes of a content path: letters, digits,
// marks, "%XX" and . / \ _ # + ~ - @ kept, runs of spaces turned into one
// hyphen, anything else dropped, then lower-cased.
func hugoSanitize(s string) string {
	rs := []rune(s)
	var b strings.Builder
	hyphen := false
	for i, r := range rs {
		ok := strings.ContainsRune("./\\_#+~-@", r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
			(r == '%' && i+2 < len(rs) && isHex(rs[i+1]) && isHex(rs[i+2]))
		switch {
		case ok:
			if hyphen && r != '-' {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case b.Len() > 0 && unicode.IsSpace(r):
			hyphen = true
		}
	}
	return strings.ToLower(b.String())
}

func isHex(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}
