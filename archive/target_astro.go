package archive

import (
	"path"
	"strings"
)

// Astro lays the archive out as an Astro project's content collections:
//
//	src/content/blog/<YYYY-MM-slug>.md   posts, flat: the folder's year and month keep names unique
//	src/content/pages/<parent>/<slug>.md pages, nested like their parents
//	src/content/<type>/<slug>.md         other post types, a collection each
//	public/media/…                       media, served at /media/…
//	wparchive/                           items.jsonl, site.json, report.json, media.json,
//	                                     redirects, and every item's index.json and comments.md
//
// A collection folder must hold entries only (JSON beside Markdown is an
// error for Astro's legacy collections), so records live in wparchive/,
// which Astro, reading src/ and public/, never sees. Each entry's slug is
// its id in the collection, so ids stay unique whatever the loader. The
// front matter follows the blog starter's schema: pubDate, updatedDate,
// heroImage (a public path: declare it z.string()), description.
type Astro struct {
	// MDX writes .mdx entries, their bodies made safe for MDX (mdxSafe).
	MDX bool
}

const (
	astroContent = "src/content"
	astroPublic  = "public"
	astroMeta    = "wparchive"
	astroBlog    = "blog"
)

// Name implements Target.
func (a Astro) Name() string {
	if a.MDX {
		return "astro-mdx"
	}
	return "astro"
}

// Body implements BodyFilter.
func (a Astro) Body(md string) string {
	if a.MDX {
		return mdxSafe(md)
	}
	return md
}

// Bag implements Target.
func (Astro) Bag() bool { return false }

// MetaDir implements Target.
func (Astro) MetaDir() string { return astroMeta }

// MediaBase implements Target: Astro copies public/ to the site root.
func (Astro) MediaBase() string { return astroPublic }

func (Astro) yamlOnly() {}

// Paths implements Target.
func (a Astro) Paths(b *Bundle) BundlePaths {
	coll, id := astroEntry(b)
	ext := ".md"
	if a.MDX {
		ext = ".mdx"
	}
	return BundlePaths{
		Markdown: joinPath(astroContent, coll, id+ext),
		Record:   joinPath(astroMeta, b.Dir, RecordFile),
		Comments: joinPath(astroMeta, b.Dir, CommentsFile),
	}
}

// astroEntry is an item's collection and its id there.
func astroEntry(b *Bundle) (collection, id string) {
	switch {
	case isPost(b):
		return astroBlog, flatName(b.Dir)
	case isPage(b):
		return PagesDir, strings.TrimPrefix(b.Dir, PagesDir+"/")
	}
	return path.Dir(b.Dir), path.Base(b.Dir)
}

// Link implements Target: media by their site path (/media/2012/09/x.jpg).
func (Astro) Link(from, to string) string {
	if isMedia(to, astroPublic) {
		return servedPath(to, astroPublic)
	}
	return relLink(from, to)
}

// URL implements URLer: the routes of the blog starter, /blog/<id>/, and
// of a catch-all page route, /<id>/; other collections at /<type>/<id>/.
func (Astro) URL(b *Bundle) string {
	coll, id := astroEntry(b)
	switch coll {
	case astroBlog:
		return "/blog/" + id + "/"
	case PagesDir:
		return "/" + id + "/"
	}
	return "/" + coll + "/" + id + "/"
}

// FrontMatter implements Target. Astro redirects are configured in
// astro.config, not per entry: the old addresses are in wparchive/'s
// redirect files, not in aliases.
func (Astro) FrontMatter(fm *FrontMatter, b *Bundle) ([]byte, error) {
	c := withExtra(fm)
	_, c.Slug = astroEntry(b)
	c.Aliases = nil
	if c.Date != "" {
		c.Extra["pubDate"] = c.Date
		c.Date = ""
	}
	if c.Lastmod != "" {
		c.Extra["updatedDate"] = c.Lastmod
		c.Lastmod = ""
	}
	if c.FeaturedImage != "" {
		c.Extra["heroImage"] = c.FeaturedImage
		c.FeaturedImage = ""
	}
	if d := excerptText(b.Excerpt); d != "" {
		c.Extra["description"] = d
	}
	return renderFrontMatter(c, "yaml")
}
