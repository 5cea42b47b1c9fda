package archive

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// What the generator targets (hugo, jekyll, astro, eleventy) share: a
// generator serves files at site addresses, so their links are absolute
// paths, and old permalinks become the generator's aliases or permalinks.

// servedPath is the address of a file of a generator's tree: the path
// without the folder the generator publishes as the site root ("static"
// for Hugo, "public" for Astro; "" when the file is served where it is).
func servedPath(file, siteRoot string) string {
	if siteRoot != "" {
		file = strings.TrimPrefix(file, siteRoot+"/")
	}
	return "/" + file
}

// isMedia reports whether the archive path to is a media file of a target
// whose media live under base.
func isMedia(to, base string) bool {
	return strings.HasPrefix(to, joinPath(base, MediaDir)+"/")
}

// oldPath is the path of an item's original permalink, percent-decoded:
// generators write the file of an alias or permalink under that name, and
// web servers decode a request's path before they look for the file. The
// encoded form is kept when decoding would change the path's structure
// (an encoded "/") or give control characters; "" when the permalink has no
// absolute path, or one that climbs out of the site ("..").
func oldPath(link string) string {
	p := permalinkPath(link)
	if !strings.HasPrefix(p, "/") || hasDotSegment(p) { // a relative link is no address
		return ""
	}
	d, err := url.PathUnescape(p)
	if err != nil || !utf8.ValidString(d) || strings.Contains(strings.ToLower(p), "%2f") || hasDotSegment(d) {
		return p
	}
	for _, r := range d {
		if unicode.IsControl(r) {
			return p
		}
	}
	return d
}

func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// excerptText is a WordPress excerpt (HTML) as one line of plain text, for
// a description field; "" when there is none.
func excerptText(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			// Blocks and line breaks separate words (<p>a</p><p>b</p> is
			// "a b"); inline tags do not (<em>a</em>. is "a.").
			if name, _ := z.TagName(); blockTags[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

var blockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true, "blockquote": true, "pre": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true,
	"table": true, "tr": true, "td": true, "th": true, "figure": true, "figcaption": true, "dd": true, "dt": true,
}

// withExtra is a copy of fm that a target may change: the same front
// matter is rendered again when an item's media arrive.
func withExtra(fm *FrontMatter) *FrontMatter {
	c := *fm
	c.Extra = make(map[string]any, len(fm.Extra)+4)
	for k, v := range fm.Extra {
		c.Extra[k] = v
	}
	return &c
}

// isPage reports whether b is a page; pages nest, other items never do.
func isPage(b *Bundle) bool {
	return strings.HasPrefix(b.Dir, PagesDir+"/")
}

// isPost reports whether b is a post.
func isPost(b *Bundle) bool {
	return strings.HasPrefix(b.Dir, PostsDir+"/")
}

// postDay is the local post date as YYYY-MM-DD, or "" when it has none.
func postDay(local string) string {
	if len(local) < 10 || monthFolder(local) == undatedFolder || local[7] != '-' || !isDigits(local[8:10]) || local[8:10] == "00" {
		return ""
	}
	return local[:10]
}

// flatName is a post's folder without posts/ and with "-" for "/": unique
// among posts, since the year and month folders have a fixed width
// (posts/2012/09/slug is 2012-09-slug, posts/undated/slug is undated-slug).
func flatName(dir string) string {
	return strings.ReplaceAll(strings.TrimPrefix(dir, PostsDir+"/"), "/", "-")
}

// relLink is a relative link, for what a generator does not serve itself.
func relLink(from, to string) string { return relPath(path.Dir(from), to) }

// yamlOnly marks the targets whose generator reads YAML front matter only.
type yamlOnly interface{ yamlOnly() }
