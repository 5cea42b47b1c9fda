package convert

import (
	"bytes"
	"unicode"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
)

// emphasisDelimiter is the delimiter commonmark writes around an emphasis
// element's content (its defaults), "" for any other element.
func emphasisDelimiter(name string) string {
	switch name {
	case "strong", "b":
		return "**"
	case "em", "i":
		return "*"
	}
	return ""
}

// renderEmphasis writes a bold or italic element as commonmark does, with
// its text rendered by renderChildren instead of the library's text path:
// the delimiters go around every line with content, inside the spaces
// that start and end the line (TestPlainMatchesLibrary).
func (p wordpressPlugin) renderEmphasis(ctx converter.Context, w converter.Writer, n *html.Node, delim string) converter.RenderStatus {
	buf := p.buffer()
	defer p.buffers.Put(buf)
	p.renderChildren(ctx, buf, n)
	content := buf.Bytes()
	for {
		line, rest, more := bytes.Cut(content, []byte("\n"))
		right := bytes.TrimRightFunc(line, unicode.IsSpace)
		trimmed := bytes.TrimLeftFunc(right, unicode.IsSpace)
		if len(trimmed) == 0 {
			w.Write(line)
		} else {
			w.Write(line[:len(right)-len(trimmed)])
			w.WriteString(delim)
			w.Write(trimmed)
			w.WriteString(delim)
			w.Write(line[len(right):])
		}
		if !more {
			break
		}
		w.WriteByte('\n')
		content = rest
	}
	return converter.RenderSuccess
}
