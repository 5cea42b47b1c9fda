package archive

import (
	"path"
	"strings"
)

// Eleventy lays the archive out as an Eleventy (11ty) input folder:
//
//	posts/YYYY/MM/<slug>/index.md        posts, served at their old permalink
//	pages/<parent>/<slug>/index.md       pages, likewise
//	media/…                              media, linked as /media/… (add a passthrough copy of media/)
//	_wparchive/                          items.jsonl, site.json, report.json, media.json,
//	                                     redirects, and every item's index.json and comments.md
//
// An index.json beside index.md would be read as that template's data file
// (its "content" and "title" would override the page's), so records live in
// _wparchive/. Eleventy renders every .md it finds: list _wparchive/ in
// .eleventyignore, or the comment threads become pages of their own.
type Eleventy struct{}

const eleventyMeta = "_wparchive"

// Name implements Target.
func (Eleventy) Name() string { return "eleventy" }

// Bag implements Target.
func (Eleventy) Bag() bool { return false }

// MetaDir implements Target.
func (Eleventy) MetaDir() string { return eleventyMeta }

// MediaBase implements Target.
func (Eleventy) MediaBase() string { return "" }

func (Eleventy) yamlOnly() {}

// Paths implements Target.
func (Eleventy) Paths(b *Bundle) BundlePaths {
	return BundlePaths{
		Markdown: joinPath(b.Dir, MarkdownFile),
		Record:   joinPath(eleventyMeta, b.Dir, RecordFile),
		Comments: joinPath(eleventyMeta, b.Dir, CommentsFile),
	}
}

// Link implements Target: media by their site path (/media/2012/09/x.jpg).
func (Eleventy) Link(from, to string) string {
	if isMedia(to, "") {
		return servedPath(to, "")
	}
	return relLink(from, to)
}

// URL implements URLer: the permalink the front matter sets, or the
// folder Eleventy serves index.md from.
func (Eleventy) URL(b *Bundle) string {
	if p := eleventyPermalink(b); p != "" {
		return p
	}
	return "/" + b.Dir + "/"
}

// eleventyPermalink is the old permalink's path as an Eleventy permalink:
// one without an extension gets a trailing slash, so it is written as
// <path>/index.html and not as a file without an extension.
func eleventyPermalink(b *Bundle) string {
	p := oldPath(b.Link)
	if p == "" || strings.HasSuffix(p, "/") || path.Ext(p) != "" {
		return p
	}
	return p + "/"
}

// FrontMatter implements Target. Posts are tagged "posts", the collection
// Eleventy's blog starter lists, besides their WordPress tags. Drafts are
// not written (permalink: false) and stay out of collections, as Hugo and
// Jekyll leave drafts out unless asked. templateEngineOverride keeps
// Eleventy from running the body through Liquid, where "{{" or "{%" in a
// post would break the build.
func (e Eleventy) FrontMatter(fm *FrontMatter, b *Bundle) ([]byte, error) {
	c := withExtra(fm)
	c.Aliases = nil
	c.Extra["layout"] = "page"
	if isPost(b) {
		c.Extra["layout"] = "post"
		tags := []string{"posts"}
		for _, t := range c.Tags {
			if t != "posts" {
				tags = append(tags, t)
			}
		}
		c.Tags = tags
	}
	c.Extra["templateEngineOverride"] = "md"
	if b.Draft {
		c.Extra["permalink"] = false
		c.Extra["eleventyExcludeFromCollections"] = true
	} else if p := eleventyPermalink(b); p != "" {
		c.Extra["permalink"] = p
	}
	if d := excerptText(b.Excerpt); d != "" {
		c.Extra["description"] = d
	}
	return renderFrontMatter(c, "yaml")
}
