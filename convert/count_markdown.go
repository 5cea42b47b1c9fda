package convert

import (
	"bytes"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// countMarkdown counts what a reader of the Markdown sees, walking the
// goldmark (GFM) document instead of rendering it: the counts and text are
// those countHTML would find in goldmark's HTML rendering (raw HTML omitted,
// as goldmark does by default), without writing and parsing that HTML.
// Text goes through goldmark's own writer, so escapes and character
// references resolve exactly as in the rendering. linkish reports whether a
// text holds "http", "ftp" or "www", where GFM's linkify may find a link: not
// in a link's text, where linkify looks for none.
func countMarkdown(doc ast.Node, source []byte, t *tally) (_ Counts, linkish bool) {
	var c Counts
	t.text = t.text[:0]
	t.linkish = false
	w := textWriter{t}
	c.walkMarkdown(doc, source, false, w)
	return c, t.linkish
}

func (c *Counts) walkMarkdown(n ast.Node, source []byte, inCell bool, w textWriter) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Text:
			v := ch.Segment.Value(source)
			if !w.t.linkish && w.t.inLink == 0 && mayLinkify(v) {
				w.t.linkish = true
			}
			if ch.IsRaw() {
				ghtml.DefaultWriter.RawWrite(w, v)
			} else {
				w.text(v)
				if ch.HardLineBreak() || ch.SoftLineBreak() {
					w.t.separate() // <br> or a newline
				}
			}
		case *ast.String:
			switch {
			case ch.IsCode():
				w.t.text = append(w.t.text, ch.Value...)
			case ch.IsRaw():
				ghtml.DefaultWriter.RawWrite(w, ch.Value)
			default:
				ghtml.DefaultWriter.Write(w, ch.Value)
			}
		case *ast.CodeSpan:
			for t := ch.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					ghtml.DefaultWriter.RawWrite(w, t.Segment.Value(source))
				}
			}
		case *ast.Emphasis, *east.Strikethrough:
			c.walkMarkdown(ch, source, inCell, w)
		case *ast.Link:
			if hasSafeURL(util.URLEscape(ch.Destination, true)) {
				c.Links++
			}
			w.t.inLink++
			c.walkMarkdown(ch, source, inCell, w)
			w.t.inLink--
		case *ast.AutoLink:
			url := util.URLEscape(ch.URL(source), false)
			if ch.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) || hasSafeURL(url) {
				c.Links++
			}
			ghtml.DefaultWriter.RawWrite(w, ch.Label(source))
		case *ast.Image:
			// <img>: a block boundary for the words, its alt text an attribute.
			w.t.separate()
			if hasSafeURL(util.URLEscape(ch.Destination, true)) {
				c.Images++
			}
			w.t.separate()
		case *ast.RawHTML:
			// An HTML comment: no text, no boundary.
		case *east.TaskCheckBox:
			w.t.separate() // <input>
		default:
			if ch.Type() != ast.TypeBlock {
				c.walkMarkdown(ch, source, inCell, w)
				continue
			}
			c.blockMarkdown(ch, source, inCell, w)
		}
	}
}

// blockMarkdown counts a block; every block starts and ends a word.
func (c *Counts) blockMarkdown(n ast.Node, source []byte, inCell bool, w textWriter) {
	w.t.separate()
	defer w.t.separate()
	switch n := n.(type) {
	case *ast.Paragraph:
		start := len(w.t.text)
		c.walkMarkdown(n, source, inCell, w)
		if !inCell && bytes.IndexFunc(w.t.text[start:], isWordRune) >= 0 {
			c.Paragraphs++
		}
		return
	case *ast.Heading:
		c.Headings++
	case *ast.ListItem:
		c.ListItems++
		inCell = true
	case *east.TableCell:
		inCell = true
	case *east.Table:
		c.Tables++
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		c.CodeBlocks++
		lines := n.Lines()
		for i := range lines.Len() {
			line := lines.At(i)
			ghtml.DefaultWriter.RawWrite(w, line.Value(source))
		}
		return
	case *ast.HTMLBlock:
		// An HTML comment and a newline.
		return
	}
	// Blockquotes never count as paragraphs: goldmark puts their text in <p>.
	c.walkMarkdown(n, source, inCell, w)
}

// hasSafeURL reports whether goldmark writes url into an href or src:
// it leaves the attribute empty for a dangerous one.
func hasSafeURL(url []byte) bool {
	if len(url) == 0 {
		return false
	}
	// The dangerous schemes (javascript:, vbscript:, file:, data:) start
	// with j, v, f or d in either case, and no other first byte lower-cases
	// to one of them; IsDangerousURL lower-cases a copy of every URL.
	switch url[0] | 0x20 {
	case 'j', 'v', 'f', 'd':
		return !ghtml.IsDangerousURL(url)
	}
	return true
}

// textWriter takes the text goldmark's writer produces. That text is
// HTML-escaped: each escape (&amp; &lt; &gt; &quot;) arrives as a write of
// its own and stands for punctuation, a word boundary.
type textWriter struct{ t *tally }

// changedByWriter holds the bytes goldmark's writer does not copy as they
// are: a NUL, an escape, a reference, and what it escapes for HTML.
var changedByWriter = func() (t [256]bool) {
	for _, c := range []byte("\x00\\&<>\"") {
		t[c] = true
	}
	return t
}()

// text writes a text as goldmark's writer does: most texts hold none of
// the bytes it changes, and are copied whole, without its two passes.
func (w textWriter) text(v []byte) {
	for _, c := range v {
		if changedByWriter[c] {
			ghtml.DefaultWriter.Write(w, v)
			return
		}
	}
	w.t.text = append(w.t.text, v...)
}

func (w textWriter) Write(p []byte) (int, error) {
	if len(p) > 0 && p[0] == '&' {
		w.t.separate()
	} else {
		w.t.text = append(w.t.text, p...)
	}
	return len(p), nil
}

func (w textWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w textWriter) WriteByte(c byte) error {
	_, err := w.Write([]byte{c})
	return err
}

func (w textWriter) WriteRune(r rune) (int, error) {
	n := len(w.t.text)
	w.t.text = utf8.AppendRune(w.t.text, r)
	return len(w.t.text) - n, nil
}

func (textWriter) Available() int { return 1 << 20 }
func (textWriter) Buffered() int  { return 0 }
func (textWriter) Flush() error   { return nil }
