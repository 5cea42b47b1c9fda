package convert

import (
	"bytes"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
)

// moreTag stands for <!--more--> in the parsed tree: the base plugin removes
// every comment, so the divider travels as an element.
const moreTag = "wpa-more"

// MoreDivider is the line the Markdown carries where the content had
// <!--more-->; Hugo and other generators read it as the summary divider.
const MoreDivider = "<!--more-->"

// wordpressPlugin registers the rules WordPress content needs on top of
// CommonMark and GFM.
type wordpressPlugin struct {
	// libraryText leaves plain elements, emphasis, links and text to the
	// library: the reference TestPlainMatchesLibrary checks the plugin's
	// own rendering of them against.
	libraryText bool
	// buffers hold what emphasis, links and captions render their content
	// into before writing it; Init makes the pool.
	buffers *sync.Pool // *bytes.Buffer
}

func (wordpressPlugin) Name() string { return "wordpress" }

func (p wordpressPlugin) Init(conv *converter.Converter) error {
	p.buffers = &sync.Pool{New: func() any { return new(bytes.Buffer) }}
	conv.Register.TagType(rawTag, converter.TagTypeInline, converter.PriorityEarly)
	conv.Register.TagType(moreTag, converter.TagTypeBlock, converter.PriorityEarly)
	conv.Register.TagType("figure", converter.TagTypeBlock, converter.PriorityEarly)
	// One renderer for the three tags and the plain elements: the
	// converter copies and sorts its renderers for every node it renders.
	conv.Register.Renderer(p.render, converter.PriorityEarly)
	return nil
}

func (p wordpressPlugin) render(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if n.Type != html.ElementNode {
		return converter.RenderTryNext
	}
	switch n.Data {
	case rawTag:
		return p.renderRaw(ctx, w, n)
	case moreTag:
		return p.renderMore(ctx, w, n)
	case "figure":
		return p.renderFigure(ctx, w, n)
	}
	if p.libraryText {
		return converter.RenderTryNext
	}
	switch n.Data {
	case "a":
		return p.renderLink(ctx, w, n)
	case "img":
		return p.renderImage(ctx, w, n)
	}
	if isPlain(n.Data) {
		return p.renderPlain(ctx, w, n)
	}
	if d := emphasisDelimiter(n.Data); d != "" {
		return p.renderEmphasis(ctx, w, n, d)
	}
	return converter.RenderTryNext
}

// renderRaw prints text exactly, only keeping "<" from opening a tag.
func (wordpressPlugin) renderRaw(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	w.WriteString(strings.ReplaceAll(textContent(n), "<", "&lt;"))
	return converter.RenderSuccess
}

func (wordpressPlugin) renderMore(_ converter.Context, w converter.Writer, _ *html.Node) converter.RenderStatus {
	w.WriteString("\n\n" + MoreDivider + "\n\n")
	return converter.RenderSuccess
}

// renderFigure prints a figure's content, then its caption as an italic
// line of its own, so that a caption keeps both its text and its image.
func (p wordpressPlugin) renderFigure(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var caption *html.Node
	w.WriteString("\n\n")
	p.renderChildrenExcept(ctx, w, n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && c.Data == "figcaption" {
			caption = c
			return true
		}
		return false
	})
	if caption != nil {
		buf := p.buffer()
		p.renderChildren(ctx, buf, caption)
		text := strings.Join(strings.Fields(buf.String()), " ")
		p.buffers.Put(buf)
		if text != "" {
			// Italic with the delimiter the caption does not already use,
			// so "A *sleepy* cat" does not turn into nested asterisks.
			mark := "*"
			if strings.Contains(text, "*") {
				mark = "_"
				if strings.Contains(text, "_") {
					mark = ""
				}
			}
			w.WriteString("\n\n" + mark + text + mark + "\n\n")
		}
	}
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

// buffer returns an empty buffer from the pool; the caller puts it back.
func (p wordpressPlugin) buffer() *bytes.Buffer {
	buf := p.buffers.Get().(*bytes.Buffer)
	buf.Reset()
	return buf
}

// textContent is the concatenated text of n's subtree.
func textContent(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			} else {
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}
