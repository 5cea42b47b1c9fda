package convert

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/collapse"
	"golang.org/x/net/html"
)

// collapseCases are fragments with whitespace of every kind around inline,
// block, void and preformatted elements, comments and doctypes.
func collapseCases() []string {
	cases := []string{
		"a \nb", "a\n b", " \t\r\n x  y \n", "x \t", "  ", " ", "\n", "a  b   c    d",
		"<p> a </p> <p>\tb\t</p>\n<p>\r\nc\r\n</p>",
		"<span> a </span><span> b </span> <em> c </em>d <br> e<br>f",
		"a <img src=x> b <input> c <wbr> d <hr> e <code> x  y </code> f <pre> p  q </pre> g",
		"<pre>\n\n a  \n</pre> x <code>\t</code> y <kbd> z </kbd>",
		"a <!-- c --> b<!---->  c",
		"<div>  <div>  <p>  deep  </p>  </div>  </div>",
		"<ul>\n<li> one </li>\n<li> two <ul> <li> three </li> </ul> </li>\n</ul>",
		"<table> <tr> <td> a </td> <td> b </td> </tr> </table>",
		"a <wpa-more></wpa-more> b <x-block> c </x-block> d <x-inline> e </x-inline> f",
		"<b> a </b> <i> b </i>  <b></b> <i> </i> c",
		"x<span></span> <span> </span> y",
		"é \u00a0 ü\u2003 x \u3000 y",
	}
	var all strings.Builder
	for _, c := range cases {
		all.WriteString(c)
	}
	return append(cases, all.String(), "<pre>"+all.String()+"</pre>", "<code>"+all.String()+"</code>")
}

// collapseTestBlock answers as the converter does for a name: the
// library's block names, and two names the way a plugin may register them.
func collapseTestBlock(n *html.Node) bool {
	switch n.Data {
	case "wpa-more", "x-block":
		return true
	case "div":
		return false
	}
	return dom.NameIsBlockNode(n.Data)
}

func TestCollapseMatchesLibrary(t *testing.T) {
	cases := append(collapseCases(), baseEdgeCases()...)
	cases = append(cases, baseEdgeDocuments()...)
	ins, _ := filepath.Glob("testdata/TestConvert/*.in.html")
	for _, in := range ins {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		checkCollapse(t, s)
	}
}

func FuzzCollapseMatchesLibrary(f *testing.F) {
	for _, s := range collapseCases() {
		f.Add(s)
	}
	f.Fuzz(checkCollapse)
}

// checkCollapse collapses s, parsed as a document and as a fragment of a
// body and of a pre, both ways, and wants the same trees.
func checkCollapse(t *testing.T, s string) {
	t.Helper()
	parses := []func() *html.Node{
		func() *html.Node {
			doc, err := html.Parse(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			return doc
		},
	}
	for _, ctx := range []string{"body", "pre", "p"} {
		parses = append(parses, func() *html.Node {
			root := &html.Node{Type: html.ElementNode, Data: ctx}
			nodes, err := html.ParseFragment(strings.NewReader(s), bodyContext)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range nodes {
				root.AppendChild(n)
			}
			return root
		})
	}
	for i, parse := range parses {
		got, want := parse(), parse()
		collapseWhitespace(got, collapseTestBlock)
		collapse.Collapse(want, &collapse.DomFuncs{IsBlockNode: collapseTestBlock})
		if g, w := dumpTree(got), dumpTree(want); g != w {
			t.Errorf("parse %d of %q:\n got %s\nwant %s", i, s, g, w)
		}
	}
}

// dumpTree writes every node of n's tree with its type, name, attributes
// and text, so that text split across nodes shows.
func dumpTree(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		b.WriteString(strings.Repeat(" ", depth))
		b.WriteString(dom.NodeName(n))
		for _, a := range n.Attr {
			b.WriteString(" " + a.Key + "=" + a.Val)
		}
		if n.Type == html.TextNode || n.Type == html.CommentNode {
			b.WriteString(" " + strings.ReplaceAll(n.Data, "\n", "\\n"))
		}
		b.WriteString("|\n")
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}
