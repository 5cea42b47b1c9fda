package convert

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
)

// renderLink writes a link as commonmark does ("[text](href)", the spaces
// around the text outside the brackets), with its text rendered by
// renderChildren instead of the library's text path. A link with a title
// or with text on several lines is left to commonmark: rendering has no
// side effects, so rendering its children again there is only slower
// (TestPlainMatchesLibrary).
func (p wordpressPlugin) renderLink(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if dom.GetAttributeOr(n, "title", "") != "" {
		return converter.RenderTryNext
	}
	ctx = ctx.WithValue("is_inside_link", true)
	href := absoluteURL(ctx, "a", strings.TrimSpace(dom.GetAttributeOr(n, "href", "")))
	buf := p.buffer()
	defer p.buffers.Put(buf)
	p.renderChildren(ctx, buf, n)
	content := buf.Bytes()
	right := bytes.TrimRightFunc(content, unicode.IsSpace)
	text := bytes.TrimLeftFunc(right, unicode.IsSpace)
	if bytes.IndexByte(text, '\n') >= 0 {
		return converter.RenderTryNext
	}
	w.Write(content[:len(right)-len(text)])
	w.WriteByte('[')
	w.Write(text)
	w.WriteString("](")
	w.WriteString(href)
	w.WriteByte(')')
	w.Write(content[len(right):])
	return converter.RenderSuccess
}
