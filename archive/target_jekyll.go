package archive

import "path"

// Jekyll lays the archive out as a Jekyll site:
//
//	_posts/YYYY-MM-DD-<slug>.md          published posts, dated by the local post date
//	_drafts/YYYY-MM-<slug>.md            drafts (built with --drafts); the front matter's slug keeps the URL
//	pages/<parent>/<slug>/index.md       pages and other post types, placed by their permalink
//	assets/media/…                       media, served at /assets/media/…
//	_wparchive/                          items.jsonl, site.json, report.json, media.json,
//	                                     redirects, and every item's index.json and comments.md
//
// Folders whose name starts with "_" are never published, so _wparchive/
// stays out of the site. Every item gets a permalink: its old permalink's
// path, so its address does not change, or its folder when it had none.
type Jekyll struct{}

const (
	jekyllMedia = "assets"
	jekyllMeta  = "_wparchive"
)

// Name implements Target.
func (Jekyll) Name() string { return "jekyll" }

// Bag implements Target.
func (Jekyll) Bag() bool { return false }

// MetaDir implements Target.
func (Jekyll) MetaDir() string { return jekyllMeta }

// MediaBase implements Target.
func (Jekyll) MediaBase() string { return jekyllMedia }

func (Jekyll) yamlOnly() {}

// Paths implements Target. A published post without a date cannot be in
// _posts (Jekyll takes the date from the file name): it is placed like a
// page, with the post layout.
func (Jekyll) Paths(b *Bundle) BundlePaths {
	p := BundlePaths{
		Markdown: joinPath(b.Dir, MarkdownFile),
		Record:   joinPath(jekyllMeta, b.Dir, RecordFile),
		Comments: joinPath(jekyllMeta, b.Dir, CommentsFile),
	}
	if isPost(b) {
		if b.Draft {
			p.Markdown = "_drafts/" + flatName(b.Dir) + ".md"
		} else if day := postDay(b.PostDate); day != "" {
			p.Markdown = "_posts/" + day + "-" + path.Base(b.Dir) + ".md"
		}
	}
	return p
}

// Link implements Target: media by their site path (/assets/media/…).
func (Jekyll) Link(from, to string) string {
	if isMedia(to, jekyllMedia) {
		return servedPath(to, "")
	}
	return relLink(from, to)
}

// URL implements URLer: the permalink the front matter sets.
func (Jekyll) URL(b *Bundle) string {
	if p := oldPath(b.Link); p != "" {
		return p
	}
	return "/" + b.Dir + "/"
}

// FrontMatter implements Target. The old address is the permalink, not a
// redirect_from: a page that redirects from its own address is a conflict
// for Jekyll. render_with_liquid is off so that "{{" or "{%" in a post
// (code samples) stays text instead of breaking the build.
func (j Jekyll) FrontMatter(fm *FrontMatter, b *Bundle) ([]byte, error) {
	c := withExtra(fm)
	c.Aliases = nil
	c.Extra["layout"] = "page"
	if isPost(b) {
		c.Extra["layout"] = "post"
	}
	c.Extra["permalink"] = j.URL(b)
	c.Extra["render_with_liquid"] = false
	if c.Lastmod != "" {
		c.Extra["last_modified_at"] = c.Lastmod // jekyll-seo-tag, jekyll-sitemap
		c.Lastmod = ""
	}
	if c.FeaturedImage != "" {
		c.Extra["image"] = c.FeaturedImage // jekyll-seo-tag
		c.FeaturedImage = ""
	}
	if d := excerptText(b.Excerpt); d != "" {
		c.Extra["description"] = d
	}
	return renderFrontMatter(c, "yaml")
}
