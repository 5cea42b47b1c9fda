package convert

import (
	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// Plain elements are those no rule of the plugins renders: the library
// falls back to writing their children, between blank lines for a block.
// For every node it renders, the library copies and sorts its renderers
// and tries each one, and every text node goes through two text
// transformers and an escaping pass that look each byte up in a map under
// a lock. Paragraphs and their text are most of a post, so the WordPress
// plugin renders plain elements and their text children itself, byte for
// byte as the library would (TestPlainMatchesLibrary).

// isPlain reports whether name is an element the WordPress plugin renders
// as the library's fallback would. The list is of elements none of the
// registered plugins has a rule or a tag type for.
func isPlain(name string) bool {
	switch name {
	case "p", "div", "span", "body",
		"section", "article", "header", "footer", "main", "aside", "nav", "address",
		"sup", "sub", "small", "u", "ins", "mark", "cite", "abbr", "font", "center",
		"li", "td", "th", "dl", "dt", "dd", "figcaption", "details", "summary",
		"q", "big", "acronym", "time", "dfn":
		return true
	}
	return false
}

// renderPlain writes n as the library's fallback does: its children,
// between blank lines when n is a block.
func (p wordpressPlugin) renderPlain(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	block := dom.NameIsBlockNode(n.Data)
	if block {
		w.WriteString("\n\n")
	}
	p.renderChildren(ctx, w, n)
	if block {
		w.WriteString("\n\n")
	}
	return converter.RenderSuccess
}

// renderChildren writes n's children as ctx.RenderChildNodes does.
func (p wordpressPlugin) renderChildren(ctx converter.Context, w converter.Writer, n *html.Node) {
	p.renderChildrenExcept(ctx, w, n, nil)
}

// renderChildrenExcept writes n's children as ctx.RenderChildNodes does,
// skipping those skip takes. Text is written without the library's text
// path, and elements go to the plugin's own renderer first: the library
// would try it first too, after copying and sorting its renderers again.
func (p wordpressPlugin) renderChildrenExcept(ctx converter.Context, w converter.Writer, n *html.Node, skip func(*html.Node) bool) {
	// Looked up once: commonmark marks the context inside a link.
	link, looked := false, false
	// The library's renderers take a slice of nodes: one for all the
	// children instead of one for each.
	var one []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case skip != nil && skip(c):
		case p.libraryText:
			ctx.RenderNodes(ctx, w, c)
		case c.Type == html.TextNode:
			if !looked {
				link, _ = ctx.Value("is_inside_link").(bool)
				looked = true
			}
			writeText(w, c.Data, link)
		case p.render(ctx, w, c) != converter.RenderSuccess:
			// Nothing is written before a renderer tries the next one.
			if one == nil {
				one = make([]*html.Node, 1)
			}
			one[0] = c
			ctx.RenderNodes(ctx, w, one...)
		}
	}
}

// writeText writes the text s as the library's text transformers would:
// the base plugin replaces "<" and ">" by character references, then puts
// the escaping marker before each Markdown character (the postrender pass
// later keeps the ones that need a backslash) and U+FFFD for NUL;
// commonmark turns a marked "]" into "\]" inside a link.
func writeText(w converter.Writer, s string, inLink bool) {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !textSpecial[c] {
			continue
		}
		w.WriteString(s[start:i])
		start = i + 1
		switch {
		case c == '<':
			w.WriteString("&lt;")
		case c == '>':
			w.WriteString("&gt;")
		case c == 0:
			w.WriteString("\uFFFD")
		case c == ']' && inLink:
			w.WriteString(`\]`)
		case needsMarker(c, s, i):
			w.WriteByte(marker.BytesMarkerEscaping[0])
			w.WriteByte(c)
		default:
			w.WriteByte(c)
		}
	}
	w.WriteString(s[start:])
}

// needsMarker reports whether the escaping marker must go before s[i]:
// the un-escape pass drops every marker its rules do not turn into a
// backslash, and for every marker it asks each rule after copying and
// sorting them. No rule escapes a quote, "$", "(" or "]", and none escapes
// "-", "+" or "=" right after a letter, digit or punctuation, nor "." or
// ")" right after a letter or punctuation, as in "well-known" or "end.":
// the rules for those look back over spaces and markers only, for a line
// start or the digits of a list number. The
// library's renderers only ever drop or replace whitespace around text,
// so a printable byte before one of these stays before it. The other
// characters keep their marker: "*", "_" and "~" look ahead, "#" is
// escaped at the end of a heading through its marker, "|" in table cells.
func needsMarker(c byte, s string, i int) bool {
	switch c {
	case '"', '\'', '$', '(', ']':
		return false
	case '.', ')':
		return i == 0 || !opaque(s[i-1]) || '0' <= s[i-1] && s[i-1] <= '9'
	case '-', '+', '=':
		return i == 0 || !opaque(s[i-1])
	}
	return true
}

// opaque reports whether b is printable ASCII other than a space: a byte
// the un-escape rules do not look past, and that no renderer trims.
func opaque(b byte) bool { return '!' <= b && b <= '~' }

// markdownChars are the characters the commonmark, table and
// strikethrough plugins register for escaping.
const markdownChars = "\\*_-+.>|$#=[]()!~`\"'"

// textSpecial marks the bytes writeText does not copy as they are.
var textSpecial = func() (t [256]bool) {
	for i := range len(markdownChars) {
		t[markdownChars[i]] = true
	}
	t['<'], t['>'], t[0] = true, true, true
	return t
}()
