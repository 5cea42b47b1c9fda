package convert

import (
	"strings"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
)

// renderImage writes an image as commonmark does ("![alt](src)"), without
// the library's URL round trip for a plain address (absoluteURL). An image
// with a title is left to commonmark (TestPlainMatchesLibrary).
func (wordpressPlugin) renderImage(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	src := strings.TrimSpace(dom.GetAttributeOr(n, "src", ""))
	if src == "" || dom.GetAttributeOr(n, "title", "") != "" {
		return converter.RenderTryNext
	}
	alt := strings.ReplaceAll(dom.GetAttributeOr(n, "alt", ""), "\n", " ")
	w.WriteString("![")
	writeAlt(w, alt)
	w.WriteString("](")
	w.WriteString(absoluteURL(ctx, "img", src))
	w.WriteByte(')')
	return converter.RenderSuccess
}

// writeAlt writes an alt text between brackets, escaping a bracket unless
// a backslash comes before it, as commonmark does.
func writeAlt(w converter.Writer, alt string) {
	start := 0
	for i := 0; i < len(alt); i++ {
		if (alt[i] == '[' || alt[i] == ']') && (i == 0 || alt[i-1] != '\\') {
			w.WriteString(alt[start:i])
			w.WriteByte('\\')
			start = i
		}
	}
	w.WriteString(alt[start:])
}

// absoluteURL is ctx.AssembleAbsoluteURL, which parses every address,
// re-encodes its query and prints it again: a plain address, most of a
// site's links and images, comes out of that as it went in and is
// returned at once.
func absoluteURL(ctx converter.Context, tag, raw string) string {
	if plainURL(raw) {
		return raw
	}
	return ctx.AssembleAbsoluteURL(ctx, tag, raw)
}

// plainURL reports whether raw is an http or https address with a host of
// letters, digits, dots and hyphens (and a port), and a path of letters,
// digits and "-._~/" without dot segments: no query, fragment, escape,
// user or character net/url would print differently.
func plainURL(raw string) bool {
	rest, ok := strings.CutPrefix(raw, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(raw, "http://"); !ok {
			return false
		}
	}
	host, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		host, path = rest[:i], rest[i:]
	}
	if name, port, ok := strings.Cut(host, ":"); ok {
		if name == "" || port == "" {
			return false
		}
		for i := 0; i < len(port); i++ {
			if port[i] < '0' || port[i] > '9' {
				return false
			}
		}
		host = name
	}
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !isAlnum(c) && c != '.' && c != '-' {
			return false
		}
	}
	for i := 0; i < len(path); i++ {
		c := path[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' && c != '~' && c != '/' {
			return false
		}
		// A "." or ".." segment, which resolving against a domain removes.
		if c == '.' && path[i-1] == '/' {
			end := i + 1
			if end < len(path) && path[end] == '.' {
				end++
			}
			if end == len(path) || path[end] == '/' {
				return false
			}
		}
	}
	return true
}
