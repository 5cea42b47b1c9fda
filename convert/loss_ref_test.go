package convert

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wparchive/wparchive/wxr/fixture"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"golang.org/x/net/html"
)

// The loss report first rendered the Markdown to HTML with goldmark and
// counted the parsed HTML with strings built per element. It is kept here
// as the reference the AST walk and the allocation-free counting are
// checked against.

type refCensus struct {
	Counts
	words map[string]int
}

func refCountHTML(root *html.Node) refCensus {
	c := refCensus{words: map[string]int{}}
	var text strings.Builder
	var walk func(n *html.Node, inCell bool)
	walk = func(n *html.Node, inCell bool) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch ch.Type {
			case html.TextNode:
				text.WriteString(ch.Data)
			case html.ElementNode:
				cell := inCell
				inline := inlineElements[ch.Data]
				if !inline {
					text.WriteByte(' ')
				}
				switch ch.Data {
				case "script", "style", "template", "noscript", "textarea", "head":
					continue
				case "p":
					if !inCell && strings.IndexFunc(textContent(ch), func(r rune) bool { return !refIsWordSeparator(r) }) >= 0 {
						c.Paragraphs++
					}
				case "figcaption", "div", "blockquote", "section", "article", "center", "address", "dd", "dt":
					if !inCell && hasDirectWords(ch) {
						c.Paragraphs++
					}
				case "li", "td", "th":
					if ch.Data == "li" {
						c.ListItems++
					}
					cell = true
				case "h1", "h2", "h3", "h4", "h5", "h6":
					c.Headings++
				case "a":
					if getAttr(ch, "href") != "" {
						c.Links++
					}
				case "img":
					if getAttr(ch, "src") != "" {
						c.Images++
					}
				case "table":
					c.Tables++
				case "pre":
					c.CodeBlocks++
				}
				walk(ch, cell)
				if !inline {
					text.WriteByte(' ')
				}
			}
		}
	}
	walk(root, false)
	for _, w := range strings.FieldsFunc(text.String(), refIsWordSeparator) {
		c.words[strings.ToLower(w)]++
		c.Words++
	}
	return c
}

func refIsWordSeparator(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func refRenderBack(md string) (refCensus, error) {
	var buf bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &buf); err != nil {
		return refCensus{}, err
	}
	return refCountHTML(parseBody(buf.String())), nil
}

func parseBody(s string) *html.Node {
	nodes, err := html.ParseFragment(strings.NewReader(s), bodyContext)
	if err != nil {
		panic(err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "body"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// wordsOf is the multiset of b's words, counted with appendNextWord.
func wordsOf(b []byte) (map[string]int, int) {
	m := map[string]int{}
	n := 0
	for i, ok := 0, true; ; {
		var w []byte
		if w, i, ok = appendNextWord(nil, b, i); !ok {
			return m, n
		}
		m[string(w)]++
		n++
	}
}

// checkSameCensus compares the counts and words of the source HTML and
// the Markdown with the reference implementation.
func checkSameCensus(t *testing.T, name, source, md string) {
	t.Helper()
	tl := newTally()
	var srcWords map[string]int
	if source != "" {
		want := refCountHTML(parseBody(source))
		got := countHTML(parseBody(source), tl)
		words, n := wordsOf(tl.text)
		got.Words = n
		if got != want.Counts || !maps.Equal(words, want.words) {
			t.Errorf("%s: source counts\n got %+v %v\nwant %+v %v", name, got, words, want.Counts, want.words)
		}
		srcWords = words
	}
	if n := tl.indexSource(); n != sum(srcWords) {
		t.Errorf("%s: %d source words, want %d", name, n, sum(srcWords))
	}
	want, err := refRenderBack(md)
	if err != nil {
		t.Fatal(err)
	}
	p := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()
	got, _ := countMarkdown(p.Parse(text.NewReader([]byte(md))), []byte(md), tl)
	words, n := wordsOf(tl.text)
	got.Words = n
	if got != want.Counts || !maps.Equal(words, want.words) {
		t.Errorf("%s: Markdown %q counts\n got %+v %v\nwant %+v %v", name, md, got, words, want.Counts, want.words)
	}
	// The words the two sides have in common, as multisets.
	common := 0
	for w, k := range words {
		common += min(k, srcWords[w])
	}
	if gotWords, gotCommon := tl.matchMarkdown(); gotWords != n || gotCommon != common {
		t.Errorf("%s: %d Markdown words, %d in common, want %d and %d", name, gotWords, gotCommon, n, common)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, k := range m {
		n += k
	}
	return n
}

// expandedHTML is the HTML the source census counts: the content after
// wpautop, blocks and shortcodes, rewritten.
func expandedHTML(t *testing.T, src Source) string {
	doc := &Document{}
	content := src.HTML
	x := &expansion{src: &src}
	if hasBlocks(content) {
		content = renderBlocks(x, parseBlocks(content), &doc.UnknownBlocks)
	} else {
		content = wpautop(autoEmbed(content))
	}
	return x.expand(content)
}

func TestLossMatchesRenderedHTML(t *testing.T) {
	c := newTestConverter(t)
	var cases []Source
	ins, _ := filepath.Glob("testdata/TestConvert/*.in.html")
	for _, in := range ins {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, Source{HTML: string(b), ItemID: 10, Index: testIndex()})
	}
	if _, ok := fixture.Find("wxr", "wptt__themeunittestdata.wordpress.xml"); ok {
		items, idx := themeUnitTest(t)
		for _, it := range items {
			cases = append(cases, Source{HTML: it.Content, ItemID: it.ID, Index: idx})
		}
	}
	for i, src := range cases {
		doc, err := c.Convert(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		checkSameCensus(t, "case "+src.HTML[:min(len(src.HTML), 40)], expandedHTML(t, src), doc.Markdown)
		_ = i
	}
	for _, md := range []string{
		"a &amp; b &eacute;t&#233; \\&amp; `x &amp; y` <span>in</span>line",
		"- [ ] task\n- [x] done\n\n| a | b \\| c &amp; |\n|---|---|\n| 1 | 2 |",
		"[x](javascript:alert) [y]() ![i](data:x) ![j](a.png) <mailto:a@b.c> www.example.com a@b.co",
		"> quote\n> more\n\n1. one\n\n   two\n2. three\n\n```go\nx &amp; \x00 y\n```\n\n    code\n\n***\n\n# H\n\nSetext\n---",
		"foo  \nbar\\\nbaz *em*~~del~~ <div>\nblock\n</div>\n\n<!--more-->",
	} {
		checkSameCensus(t, "markdown", "", md)
	}
	// Words the same, reordered, repeated, missing and added, at either end
	// and in the middle.
	for _, c := range [][2]string{
		{"<p>a b c d a</p><p>x y</p>", "a b c d a\n\nx y"},
		{"<p>a b c d a</p><p>x y</p>", "x y a b\n\nd c a a"},
		{"<p>One two two three</p>", "one two three three two"},
		{"<p>a b c</p>", "a b c d e"},
		{"<p>a b c d e</p>", "c"},
		{"<p>a a a</p>", "a a"},
		{"<p>a b a b</p>", "b a b a b"},
		{"<p>x</p>", ""},
		{"<p>,</p>", "y"},
	} {
		checkSameCensus(t, "pair", c[0], c[1])
	}
}

func FuzzLossCensus(f *testing.F) {
	f.Add("<p>a <b>b</b>c</p><ul><li><p>x</p></li></ul><table><tr><td><p>y</p></td></tr></table>", "a &amp; *b*c\n\n- x\n\n| y |\n|---|\n| z |")
	f.Add("<pre>x<script>s</script></pre><figure><figcaption>c</figcaption></figure>", "[![a](b.png)](c) <https://x.y> `c&amp;` \\&amp;")
	f.Fuzz(func(t *testing.T, source, md string) {
		if !utf8.ValidString(source) || !utf8.ValidString(md) {
			return
		}
		checkSameCensus(t, "fuzz", source, md)
	})
}

// TestHasSafeURLMatchesGoldmark checks the first-byte shortcut against
// goldmark's own test on every first byte before each scheme's rest.
func TestHasSafeURLMatchesGoldmark(t *testing.T) {
	rests := []string{"", "avascript:x", "AVASCRIPT:x", "bscript:x", "ile:///etc", "ata:x", "ata:image/png;x", "ATA:IMAGE/svg;x", "ttps://e.com", "\u212a"}
	for _, scheme := range []string{"javascript:x", "JaVaScRiPt:x", "\u212aavascript:x", "\u0130ata:x", "data:image/gif;x", "mailto:a@b.c", "//e.com", "/a", "#x"} {
		rests = append(rests, scheme[1:])
	}
	for b := range 256 {
		for _, rest := range rests {
			url := append([]byte{byte(b)}, rest...)
			if got, want := hasSafeURL(url), !ghtml.IsDangerousURL(url); got != want {
				t.Errorf("hasSafeURL(%q) = %v, want %v", url, got, want)
			}
		}
	}
	for _, url := range []string{"\u212aavascript:x", "\u0130ata:x", "\u212a"} {
		if got, want := hasSafeURL([]byte(url)), !ghtml.IsDangerousURL([]byte(url)); got != want {
			t.Errorf("hasSafeURL(%q) = %v, want %v", url, got, want)
		}
	}
}
