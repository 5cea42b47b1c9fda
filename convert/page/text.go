package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// visibleText renders the text a reader sees: one paragraph per block
// element, paragraphs separated by a blank line, a line break for <br>,
// whitespace collapsed except inside <pre>. Image alt text is not visible
// text and is left out; captions are kept.
func visibleText(root *html.Node) string {
	t := &textWriter{}
	t.walk(root, false)
	t.flush()
	return strings.Join(t.paras, "\n\n")
}

type textWriter struct {
	paras []string
	lines []string
	cur   strings.Builder
}

func (t *textWriter) breakLine() {
	if l := squash(t.cur.String()); l != "" {
		t.lines = append(t.lines, l)
	}
	t.cur.Reset()
}

func (t *textWriter) flush() {
	t.breakLine()
	if len(t.lines) > 0 {
		t.paras = append(t.paras, strings.Join(t.lines, "\n"))
	}
	t.lines = nil
}

func (t *textWriter) walk(n *html.Node, pre bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			if pre {
				t.pre(c.Data)
			} else {
				t.cur.WriteString(c.Data)
			}
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template, atom.Noscript:
				continue
			case atom.Br:
				t.breakLine()
				continue
			case atom.Pre:
				t.flush()
				t.walk(c, true)
				t.flush()
				continue
			case atom.Td, atom.Th:
				t.cur.WriteString(" ")
				t.walk(c, pre)
				t.cur.WriteString(" ")
				continue
			}
			block := isBlock(c.DataAtom)
			if block {
				t.flush()
			}
			t.walk(c, pre)
			if block {
				t.flush()
			}
		}
	}
}

// pre keeps the line structure of preformatted text, one line per line; a
// blank line there ends a paragraph, so Text never holds two in a row.
func (t *textWriter) pre(s string) {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if i > 0 {
			line := strings.TrimRight(t.cur.String(), " \t\r")
			t.cur.Reset()
			if strings.TrimSpace(line) == "" {
				t.flush()
			} else {
				t.lines = append(t.lines, line)
			}
		}
		t.cur.WriteString(l)
	}
}
