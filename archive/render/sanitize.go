package render

import (
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
)

// Every piece of archived HTML (the Markdown rendered with raw HTML kept, and
// the comments as exported) goes through one allowlist sanitizer. Keeping raw
// HTML rather than letting goldmark drop it matters for an archive: items the
// converter could only keep as HTML would otherwise render empty. The
// sanitizer is also where URLs are rewritten, so the "no request leaves the
// archive" property holds whatever goldmark or the export produced.

// allowed lists the elements kept, with the attributes each may carry
// beyond the global ones (title). URL attributes are handled separately.
var allowed = map[string]map[string]bool{
	"p": nil, "br": nil, "hr": nil, "div": nil, "span": nil,
	"h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
	"blockquote": nil, "pre": nil, "code": {"class": true},
	"em": nil, "strong": nil, "b": nil, "i": nil, "u": nil, "s": nil, "del": nil, "ins": nil,
	"strike": nil, "small": nil, "sub": nil, "sup": nil, "mark": nil, "abbr": nil, "cite": nil,
	"q": nil, "kbd": nil, "samp": nil, "var": nil, "dfn": nil,
	"ul": nil, "ol": {"start": true}, "li": nil, "dl": nil, "dt": nil, "dd": nil,
	"table": nil, "thead": nil, "tbody": nil, "tfoot": nil, "tr": nil, "caption": nil,
	"th":     {"align": true, "colspan": true, "rowspan": true},
	"td":     {"align": true, "colspan": true, "rowspan": true},
	"figure": nil, "figcaption": nil, "details": nil, "summary": nil,
	"a": nil, "img": nil, "input": nil,
}

// dropped are elements whose content is not text a reader should see, or
// that embed other documents; they go with everything inside them.
var dropped = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"noscript": true, "template": true, "textarea": true, "select": true, "svg": true,
	"math": true, "title": true, "head": true, "frameset": true, "frame": true,
	"audio": true, "video": true, "applet": true, "canvas": true, "button": true,
}

var void = map[string]bool{"br": true, "hr": true, "img": true, "input": true}

// resolver turns the URLs of one source (an item's Markdown or comments)
// into URLs of the page being written.
type resolver struct {
	base  string            // payload folder relative URLs in the source resolve against
	page  string            // payload folder of the HTML page being written
	items map[string]string // item Markdown path → its HTML page path
	site  *url.URL          // the original site, for root-relative URLs; may be nil
	has   func(name string) bool

	remoteImages int
	missing      []string // local images not in the archive, from the payload root
}

// target is where a URL found in the source leads.
type target struct {
	kind  targetKind
	value string // URL to write, relative to the page for local targets
	path  string // the file, relative to the payload root, for local targets
}

type targetKind int

const (
	unusable     targetKind = iota // dropped: unknown scheme, or leaves the archive
	local                          // a file of the archive
	missingLocal                   // a file of the archive that is not there
	remote                         // an explicit link to the web
	fragment                       // a place in the same page
)

func (r *resolver) resolve(raw string) target {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return target{}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return target{}
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto":
		return target{kind: remote, value: u.String()}
	case u.Scheme != "" || u.Opaque != "":
		return target{} // javascript:, data:, file: and the like
	case u.Host != "": // protocol-relative: a network address all the same
		u.Scheme = "https"
		return target{kind: remote, value: u.String()}
	case u.Path == "" && u.Fragment != "":
		return target{kind: fragment, value: "#" + u.EscapedFragment()}
	case u.Path == "":
		return target{}
	case strings.HasPrefix(u.Path, "/"):
		// A path of the original site: offline it would point into the
		// reader's own disk, so it becomes an explicit link to the site.
		if r.site == nil {
			return target{}
		}
		return target{kind: remote, value: r.site.ResolveReference(u).String()}
	}
	p := path.Join(r.base, u.Path)
	if p == ".." || strings.HasPrefix(p, "../") || p == "." {
		return target{}
	}
	kind := local
	if page, ok := r.items[p]; ok {
		p = page
	} else if page, ok := r.items[p+"/index.md"]; ok {
		p = page
	} else if r.has != nil && !r.has(p) {
		kind = missingLocal
	}
	rel := &url.URL{Path: relPath(r.page, p), Fragment: u.Fragment}
	return target{kind: kind, value: rel.String(), path: p}
}

// relPath returns the path of target relative to the folder fromDir, both
// slash paths from the payload root.
func relPath(fromDir, target string) string {
	from := strings.Split(fromDir, "/")
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	var b strings.Builder
	for range from[i:] {
		b.WriteString("../")
	}
	b.WriteString(strings.Join(to[i:], "/"))
	return b.String()
}

// sanitize returns src (an HTML fragment) with only allowed elements and
// attributes, every URL rewritten by r, remote images turned into links,
// and every element it opened closed.
func sanitize(src string, r *resolver) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(src))
	var open []string
	skip, skipName := 0, ""
	inLink := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		name := tok.Data
		if skip > 0 {
			switch {
			case tt == html.StartTagToken && name == skipName:
				skip++
			case tt == html.EndTagToken && name == skipName:
				skip--
			}
			continue
		}
		switch tt {
		case html.TextToken:
			b.WriteString(html.EscapeString(tok.Data))
		case html.StartTagToken, html.SelfClosingTagToken:
			if dropped[name] {
				if tt == html.StartTagToken {
					skip, skipName = 1, name
				}
				continue
			}
			if _, ok := allowed[name]; !ok {
				continue
			}
			switch name {
			case "img":
				writeImage(&b, tok, r, inLink > 0)
				continue
			case "input":
				if attr(tok, "type") == "checkbox" {
					b.WriteString(`<input type="checkbox" disabled`)
					if hasAttr(tok, "checked") {
						b.WriteString(" checked")
					}
					b.WriteString(">")
				}
				continue
			case "a":
				if inLink > 0 {
					continue // no link inside a link; its text stays
				}
				inLink++
			}
			b.WriteString("<" + name)
			writeAttrs(&b, tok, r)
			b.WriteString(">")
			if !void[name] && tt == html.StartTagToken {
				open = append(open, name)
			} else if name == "a" {
				b.WriteString("</a>")
				inLink--
			}
		case html.EndTagToken:
			i := len(open) - 1
			for i >= 0 && open[i] != name {
				i--
			}
			if i < 0 {
				continue // never opened here: dropped, or meant to close our page
			}
			for j := len(open) - 1; j >= i; j-- {
				b.WriteString("</" + open[j] + ">")
				if open[j] == "a" {
					inLink--
				}
			}
			open = open[:i]
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		b.WriteString("</" + open[j] + ">")
	}
	return b.String()
}

func writeAttrs(b *strings.Builder, tok html.Token, r *resolver) {
	extra := allowed[tok.Data]
	for _, a := range tok.Attr {
		if a.Namespace != "" {
			continue
		}
		val := a.Val
		switch {
		case a.Key == "href" && tok.Data == "a":
			t := r.resolve(val)
			if t.kind == unusable {
				continue
			}
			val = t.value
			if t.kind == remote {
				b.WriteString(` rel="external nofollow noreferrer"`)
			}
		case a.Key == "title":
		case !extra[a.Key]:
			continue
		case a.Key == "class":
			if val = languageClass(val); val == "" {
				continue
			}
		case a.Key == "align":
			if val != "left" && val != "right" && val != "center" {
				continue
			}
		default: // start, colspan, rowspan
			if !isDigits(val) {
				continue
			}
		}
		b.WriteString(" " + a.Key + `="` + html.EscapeString(val) + `"`)
	}
}

// writeImage writes an image of the archive as <img>, and any other image
// as a link (or, inside a link, as text), so the page loads nothing from
// the network.
func writeImage(b *strings.Builder, tok html.Token, r *resolver, inLink bool) {
	alt := strings.TrimSpace(attr(tok, "alt"))
	label := "[image]"
	if alt != "" {
		label = "[image: " + alt + "]"
	}
	t := r.resolve(attr(tok, "src"))
	switch t.kind {
	case local:
		b.WriteString(`<img src="` + html.EscapeString(t.value) + `" alt="` + html.EscapeString(alt) + `"`)
		for _, k := range []string{"width", "height"} {
			if v := attr(tok, k); isDigits(v) {
				b.WriteString(" " + k + `="` + v + `"`)
			}
		}
		if v := attr(tok, "title"); v != "" {
			b.WriteString(` title="` + html.EscapeString(v) + `"`)
		}
		b.WriteString(` loading="lazy">`)
	case remote:
		r.remoteImages++
		if inLink {
			b.WriteString(html.EscapeString(label))
			return
		}
		b.WriteString(`<a class="remote-image" rel="external nofollow noreferrer" href="` + html.EscapeString(t.value) + `">` + html.EscapeString(label) + `</a>`)
	case missingLocal:
		r.missing = append(r.missing, t.path)
		b.WriteString(`<span class="missing-image">` + html.EscapeString("[image not in the archive: "+strings.TrimSpace(alt+" "+t.path)+"]") + `</span>`)
	default:
		b.WriteString(html.EscapeString(label))
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(tok html.Token, key string) bool {
	for _, a := range tok.Attr {
		if a.Key == key && a.Namespace == "" {
			return true
		}
	}
	return false
}

// languageClass keeps a code block's "language-x" class, the only class
// that carries meaning outside the original theme.
func languageClass(v string) string {
	for _, c := range strings.Fields(v) {
		lang, ok := strings.CutPrefix(c, "language-")
		if !ok || lang == "" {
			continue
		}
		for _, r := range lang {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '+' || r == '_' || r == '#') {
				return ""
			}
		}
		return c
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
