package page

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// linkedData is what the page's JSON-LD says about the article.
type linkedData struct {
	headline, published, modified, author, image, lang, siteName string
	sections, keywords                                           []string
}

// readLinkedData reads the first Article-like object of every
// application/ld+json script, including those in an @graph.
func readLinkedData(doc *goquery.Document) linkedData {
	var ld linkedData
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return
		}
		for _, o := range ldObjects(v) {
			switch ldString(o["@type"]) {
			case "Article", "BlogPosting", "NewsArticle", "Report", "TechArticle",
				"SocialMediaPosting", "LiveBlogPosting", "ScholarlyArticle", "WebPage":
			case "WebSite", "Organization":
				if ld.siteName == "" {
					ld.siteName = ldString(o["name"])
				}
				continue
			default:
				continue
			}
			setOnce(&ld.headline, ldString(o["headline"]))
			setOnce(&ld.published, ldString(o["datePublished"]))
			setOnce(&ld.modified, ldString(o["dateModified"]))
			setOnce(&ld.author, ldName(o["author"]))
			setOnce(&ld.image, ldURL(o["image"]))
			setOnce(&ld.lang, ldString(o["inLanguage"]))
			if len(ld.sections) == 0 {
				ld.sections = ldStrings(o["articleSection"])
			}
			if len(ld.keywords) == 0 {
				ld.keywords = ldStrings(o["keywords"])
			}
		}
	})
	return ld
}

func ldObjects(v any) []map[string]any {
	var out []map[string]any
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, ldObjects(x)...)
		}
	case map[string]any:
		out = append(out, t)
		if g, ok := t["@graph"]; ok {
			out = append(out, ldObjects(g)...)
		}
	}
	return out
}

func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	}
	return ""
}

func ldStrings(v any) []string {
	switch t := v.(type) {
	case string:
		var out []string
		for _, s := range strings.Split(t, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	case []any:
		var out []string
		for _, x := range t {
			if s := ldString(x); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func ldName(v any) string {
	switch t := v.(type) {
	case map[string]any:
		return ldString(t["name"])
	case []any:
		if len(t) > 0 {
			return ldName(t[0])
		}
	case string:
		return strings.TrimSpace(t)
	}
	return ""
}

func ldURL(v any) string {
	switch t := v.(type) {
	case map[string]any:
		return ldString(t["url"])
	case []any:
		if len(t) > 0 {
			return ldURL(t[0])
		}
	case string:
		return strings.TrimSpace(t)
	}
	return ""
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func first(vs ...string) string {
	for _, v := range vs {
		if v = squash(v); v != "" {
			return v
		}
	}
	return ""
}

// meta returns the content of <meta property=key> or <meta name=key>.
func meta(doc *goquery.Document, key string) string {
	v, _ := doc.Find(`meta[property="` + key + `"], meta[name="` + key + `"], meta[itemprop="` + key + `"]`).First().Attr("content")
	return strings.TrimSpace(v)
}

// articleScope is the element holding the post with its header and footer,
// where categories, tags, byline and dates are looked up; nil means the whole
// document.
func articleScope(doc *goquery.Document) *goquery.Selection {
	for _, sel := range []string{
		"article.post", "article.type-post", ".hentry", "article[id^=post-]",
		"[itemtype*=BlogPosting]", "[itemtype*=Article]", "div.post", "article",
	} {
		s := doc.Find(sel).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return !inside(s.Get(0), isCommentArea) && !inside(s.Get(0), isCommentNode)
		})
		if s.Length() > 0 {
			return s.First()
		}
	}
	return nil
}

func isCommentArea(n *html.Node) bool {
	for _, c := range classes(n) {
		switch c {
		case "comments-area", "comment-list", "commentlist", "comments", "comment-respond":
			return true
		}
	}
	id := attr(n, "id")
	return id == "comments" || id == "respond"
}

// readMetadata fills the article's metadata from the intact document.
func readMetadata(a *Article, doc *goquery.Document, ld linkedData, base *url.URL) {
	// Hidden labels ("Posted on", "Author") would otherwise prefix values.
	doc.Find(".screen-reader-text").Remove()
	scope := articleScope(doc)
	in := func(sel string) *goquery.Selection {
		if scope != nil {
			return scope.Find(sel)
		}
		return doc.Find(sel)
	}
	outsideComments := func(s *goquery.Selection) *goquery.Selection {
		return s.FilterFunction(func(_ int, s *goquery.Selection) bool {
			return !inside(s.Get(0), isCommentArea) && !inside(s.Get(0), isCommentNode)
		})
	}

	a.SiteName = first(meta(doc, "og:site_name"), ld.siteName,
		doc.Find("#site-title, .site-title").First().Text())
	a.Title = first(
		in(".entry-title, .post-title, [itemprop=headline]").First().Text(),
		meta(doc, "og:title"), ld.headline,
		stripSiteName(doc.Find("title").First().Text(), a.SiteName),
		in("h1").First().Text())
	a.Title = stripSiteName(a.Title, a.SiteName)

	a.Author = first(meta(doc, "author"), ld.author,
		in(".byline .author .fn, .byline .fn, .author.vcard .fn, .author.vcard").First().Text(),
		outsideComments(in("a[rel~=author]")).First().Text(),
		in("[itemprop=author] [itemprop=name], [itemprop=author]").First().Text(),
		in(".entry-author, .post-author, .author-name, .post-meta-author a").First().Text(),
		outsideComments(in(`a[href*="/author/"]`)).First().Text(),
		meta(doc, "article:author"))
	if strings.HasPrefix(a.Author, "http") {
		a.Author = "" // article:author is often a profile URL, not a name
	}

	timeAttr := func(s *goquery.Selection) string {
		if v, ok := s.Attr("datetime"); ok {
			return v
		}
		if v, ok := s.Attr("content"); ok {
			return v
		}
		v, _ := s.Attr("title")
		return v
	}
	a.Published = normaliseDate(first(meta(doc, "article:published_time"), ld.published,
		meta(doc, "datePublished"),
		timeAttr(in("[itemprop=datePublished]").First()),
		timeAttr(in("time.published, time.entry-date, abbr.published").First()),
		timeAttr(outsideComments(in("time[datetime]")).First())))
	a.Modified = normaliseDate(first(meta(doc, "article:modified_time"), meta(doc, "og:updated_time"),
		ld.modified, meta(doc, "dateModified"),
		timeAttr(in("[itemprop=dateModified]").First()),
		timeAttr(in("time.updated, abbr.updated").First())))

	a.Canonical = resolve(base, first(attrOf(doc.Find(`link[rel="canonical"]`).First(), "href"), meta(doc, "og:url")))
	if a.Canonical == "" && base != nil {
		a.Canonical = base.String()
	}

	lang := first(attrOf(doc.Find("html").First(), "lang"), ld.lang,
		strings.ReplaceAll(meta(doc, "og:locale"), "_", "-"))
	a.Lang = lang

	img := first(meta(doc, "og:image"), meta(doc, "og:image:secure_url"), meta(doc, "twitter:image"), ld.image)
	if strings.Contains(img, "blavatar") || strings.Contains(img, "gravatar.com") {
		img = "" // the site icon WordPress.com puts in og:image when a post has no image
	}
	if img == "" {
		img = first(attrOf(in("img.wp-post-image, .post-thumbnail img, .featured-image img").First(), "src"))
	}
	a.FeaturedImage = resolve(base, img)

	var cats, tags []string
	outsideComments(in("a[rel]")).Each(func(_ int, s *goquery.Selection) {
		rel := strings.Fields(attrOf(s, "rel"))
		name := squash(s.Text())
		if name == "" {
			return
		}
		isCat, isTag := false, false
		for _, r := range rel {
			switch r {
			case "category":
				isCat = true
			case "tag":
				isTag = true
			}
		}
		switch {
		case isCat:
			cats = appendUnique(cats, name)
		case isTag:
			tags = appendUnique(tags, name)
		}
	})
	if len(cats) == 0 {
		cats = appendUnique(cats, ld.sections...)
		if len(cats) == 0 {
			doc.Find(`meta[property="article:section"]`).Each(func(_ int, s *goquery.Selection) {
				cats = appendUnique(cats, squash(attrOf(s, "content")))
			})
		}
	}
	if len(tags) == 0 {
		doc.Find(`meta[property="article:tag"]`).Each(func(_ int, s *goquery.Selection) {
			tags = appendUnique(tags, squash(attrOf(s, "content")))
		})
		if len(tags) == 0 {
			tags = appendUnique(tags, ld.keywords...)
		}
	}
	a.Categories, a.Tags = cats, tags
}

func attrOf(s *goquery.Selection, key string) string {
	v, _ := s.Attr(key)
	return strings.TrimSpace(v)
}

func appendUnique(list []string, vs ...string) []string {
	for _, v := range vs {
		if v == "" {
			continue
		}
		dup := false
		for _, x := range list {
			if x == v {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, v)
		}
	}
	return list
}

// stripSiteName drops a " | Site" or " - Site" suffix from a title.
func stripSiteName(title, site string) string {
	title = squash(title)
	if site == "" {
		return title
	}
	for _, sep := range []string{" | ", " - ", " – ", " — ", " · ", " :: "} {
		if t, ok := strings.CutSuffix(title, sep+site); ok && t != "" {
			return t
		}
	}
	return title
}

func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if base == nil || base.String() == "" {
		return u.String()
	}
	return base.ResolveReference(u).String()
}

// dateLayouts are the machine-readable forms found in WordPress themes and
// plugins, tried in order.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05-0700",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05-07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
}

// normaliseDate returns the date as RFC 3339; a date without a time stays a
// full-date ("2006-01-02") rather than gaining an invented time and zone.
// Unparseable values are returned as found.
func normaliseDate(s string) string {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if l == "2006-01-02" {
			return t.Format("2006-01-02")
		}
		return t.Format(time.RFC3339)
	}
	return s
}
