package live

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// pageMeta is what a WordPress theme says about a page outside the article,
// which the extractor does not report: the post id and type from the body
// classes and the shortlink, and the site's own name and tagline.
type pageMeta struct {
	BodyClasses []string
	Shortlink   string
	OGType      string
	SiteName    string // og:site_name
	Title       string // <title>
	SiteTitle   string // #site-title / .site-title text
	SiteDesc    string // #site-description / .site-description text, or the tagline meta
	Lang        string
	Canonical   string
}

// scanPageMeta reads the page's tags once; it stops at the end of the body
// and never fails (a broken page yields what was found before the break).
func scanPageMeta(raw []byte) pageMeta {
	var m pageMeta
	z := html.NewTokenizer(bytes.NewReader(raw))
	var capture *string // the field the current text goes to
	var captureTag string
	depth := 0
	var text strings.Builder
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return m
		case html.TextToken:
			if capture != nil {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if capture != nil && string(name) == captureTag {
				depth--
				if depth == 0 {
					*capture = strings.Join(strings.Fields(text.String()), " ")
					capture = nil
				}
			}
			if string(name) == "body" {
				return m
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if _, seen := attrs[string(k)]; !seen {
					attrs[string(k)] = string(v)
				}
			}
			if capture != nil {
				if tag == captureTag && tt == html.StartTagToken {
					depth++
				}
				continue
			}
			switch tag {
			case "html":
				m.Lang = attrs["lang"]
			case "body":
				m.BodyClasses = strings.Fields(attrs["class"])
			case "title":
				if m.Title == "" {
					capture, captureTag, depth = &m.Title, tag, 1
					text.Reset()
				}
			case "link":
				for _, rel := range strings.Fields(strings.ToLower(attrs["rel"])) {
					switch rel {
					case "shortlink":
						m.Shortlink = attrs["href"]
					case "canonical":
						m.Canonical = attrs["href"]
					}
				}
			case "meta":
				switch strings.ToLower(attrs["property"]) {
				case "og:type":
					m.OGType = attrs["content"]
				case "og:site_name":
					m.SiteName = attrs["content"]
				}
			}
			if tt == html.SelfClosingTagToken {
				continue
			}
			id, classes := attrs["id"], " "+attrs["class"]+" "
			switch {
			case m.SiteTitle == "" && (id == "site-title" || strings.Contains(classes, " site-title ")):
				capture, captureTag, depth = &m.SiteTitle, tag, 1
				text.Reset()
			case m.SiteDesc == "" && (id == "site-description" || strings.Contains(classes, " site-description ")):
				capture, captureTag, depth = &m.SiteDesc, tag, 1
				text.Reset()
			}
		}
	}
}

// postID is the WordPress id the page gives away: a postid-N or page-id-N
// body class, or a ?p=N shortlink. 0 when there is none.
func (m pageMeta) postID() int64 {
	for _, c := range m.BodyClasses {
		for _, p := range []string{"postid-", "page-id-", "attachmentid-"} {
			if n, ok := strings.CutPrefix(c, p); ok {
				if id, err := strconv.ParseInt(n, 10, 64); err == nil && id > 0 {
					return id
				}
			}
		}
	}
	if u, err := url.Parse(m.Shortlink); err == nil {
		if id, err := strconv.ParseInt(u.Query().Get("p"), 10, 64); err == nil && id > 0 {
			return id
		}
	}
	return 0
}

// isPage reports whether the theme marks the page as a WordPress page
// rather than a post.
func (m pageMeta) isPage() bool {
	for _, c := range m.BodyClasses {
		switch {
		case c == "single-post", strings.HasPrefix(c, "postid-"):
			return false
		case c == "page", c == "page-template-default", strings.HasPrefix(c, "page-id-"):
			return true
		}
	}
	return strings.EqualFold(m.OGType, "website")
}
