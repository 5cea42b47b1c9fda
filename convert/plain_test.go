package convert

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/fixture"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// plainCases are fragments around the plain elements: every ASCII byte,
// the escaping marker itself, NUL, and plain elements inside links,
// emphasis, headings, lists, quotes and table cells.
func plainCases() []string {
	var ascii strings.Builder
	for c := range 128 {
		if c != '<' && c != '&' {
			ascii.WriteByte(byte(c))
		}
	}
	text := []string{
		ascii.String(),
		"a < b > c &lt; d &amp; e \a] f \a\a] g ]] [x] (y) *z* _w_ ~v~ `u` # h = - + 1. 2) | $ ! \" '",
		"\u00e9t\u00e9 \u2014 caf\u00e9 \ufffd \U0001F600 ] trailing\\",
		"- item\n+ item\n1. one\n# not a heading\n> not a quote\n```\ncode\n```\n---\n===",
		"  spaced   out  \n\n  text ",
		// Markers the un-escape pass may or may not turn into backslashes.
		"1. a.b 2) c) d-e f+g h=i 3.x 4-5 \u00a0- \u00a0+ z\u00a0. 6\u00a0. - a\n= b\n- c\n+ d\n1) e\n\t- f ,-, ;+; !=! ?.? ~.~ \\. \\-",
		"-x +y =z .w )v 9. 9) x# y## \"q\" 'r' $s (t) [u]",
	}
	var escaped []string
	for _, t := range text {
		escaped = append(escaped, html.EscapeString(t))
	}
	// Emphasis around spaces, line breaks, blocks and nothing.
	escaped = append(escaped,
		"<em> lead</em>and<strong>trail </strong>x<b>\u00a0nb\u00a0</b>y<i> </i><b></b>",
		"<strong>a<br>b<br><br> c </strong><em>x<br></em>",
		"<strong><p>one</p><p> two </p></strong><em><div>d</div>e</em>",
		"<em>a <strong>b <i>c</i></strong> d</em> <b>*star* _under_ ~t~</b>",
		"<em>x<a href=\"https://e.com/\">link <b>bold</b></a>y</em>",
		"<strong>[not](a link)</strong> <em>- list?</em> <b>1. no</b>",
		"<a href=\" https://e.com/a b?q=1+2&r=[x] \"> spaced ] </a><a href=\"\">empty href</a><a href=\"/x\"></a><a href=\"#\">#</a>",
		"<a href=\"https://e.com/\" title=\"a &quot;t&quot; 'q'\">titled</a><a title=\"t\">no href</a><a href=\"x\">a<br>b</a><a href=\"x\"><p>p1</p><p>p2</p></a>",
		"<h3>a <span>b#</span></h3><h3><em>1</em>. x</h3><ul><li>\u00a0- x</li><li><span> - </span>y</li><li>1<b>.</b> z</li></ul>",
		"<p>2020<span>-</span>01 <b>x</b>- y <i>1</i>. z <span>a</span>= b</p><p>a<br>- b<br>1. c<br>= d</p>",
		"<a href=\"javascript:alert(1)\">js</a><a href=\"mailto:a@b.c?subject=a b\">mail</a><a href=\"data:text/plain,a b\">data</a><a href=\"x\"><img src=\"i.png\" alt=\"]\"></a>",
	)
	tags := []string{"em", "strong", "b", "i", "a", "p", "div", "span", "section", "sup", "sub", "small", "u", "ins", "mark", "cite", "abbr", "font", "center", "article", "aside", "nav", "address", "header", "footer", "main",
		"li", "td", "th", "dl", "dt", "dd", "figcaption", "details", "summary", "q", "big", "acronym", "time", "dfn"}
	wraps := []string{
		"<a href=\"https://e.com/x\">%s</a>",
		"<a href=\"https://e.com/x\">x <span>%s</span> y</a>",
		"<p>before <strong>%s</strong> after</p>",
		"<h2>%s</h2>",
		"<ul><li>%s</li><li><p>x</p>%s</li></ul>",
		"<ol><li>%s<ul><li>%s</li></ul></li></ol>",
		"<blockquote>%s</blockquote>",
		"<table><tr><th>%s</th></tr><tr><td>%s</td></tr></table>",
		"<figure><img src=\"a.png\" alt=\"a\">%s<figcaption>%s</figcaption></figure>",
		"<pre>%s</pre><code>%s</code>",
		"<del>%s</del> text %s",
	}
	// Each element with each text on its own, then all of them in each
	// of the surroundings.
	var cases []string
	for _, t := range escaped {
		var all strings.Builder
		for _, tag := range tags {
			el := "<" + tag + ">" + t + "<em>" + t + "</em>" + t + "</" + tag + ">"
			cases = append(cases, el)
			all.WriteString(el)
		}
		for _, wrap := range wraps {
			cases = append(cases, strings.ReplaceAll(wrap, "%s", all.String()))
		}
	}
	return cases
}

// TestPlainMatchesLibrary renders content with the plain elements and
// their text written by the WordPress plugin and by the library, and
// wants the same Markdown from both.
func TestPlainMatchesLibrary(t *testing.T) {
	c := newTestConverter(t)
	ref := newMarkdownConverter(wordpressPlugin{libraryText: true})
	cases := differentialSources(t)
	for i, src := range cases {
		got := renderWith(t, c, c.md, src)
		want := renderWith(t, c, ref, src)
		if got != want {
			t.Errorf("case %d %.60q:\n got %q\nwant %q", i, src.HTML, got, want)
		}
	}
	t.Logf("%d cases", len(cases))
}

// differentialSources are the contents differential tests convert both
// ways: plainCases, the golden inputs, the shared fixtures and a generated
// export.
func differentialSources(t *testing.T) []Source {
	t.Helper()
	var cases []Source
	for _, s := range plainCases() {
		cases = append(cases, Source{HTML: s})
	}
	ins, _ := filepath.Glob("testdata/TestConvert/*.in.html")
	for _, in := range ins {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, Source{HTML: string(b), ItemID: 10, Index: testIndex()})
	}
	for _, p := range fixtureFiles("html", "*.html") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, Source{HTML: string(b)})
	}
	for _, p := range fixtureFiles("wxr", "*.xml") {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, exportSources(b)...)
	}
	var gen bytes.Buffer
	if err := wxrgen.Generate(&gen, wxrgen.Options{Posts: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return append(cases, exportSources(gen.Bytes())...)
}

// fixtureFiles lists the shared fixtures in dir matching pattern, none
// when they are absent.
func fixtureFiles(dir, pattern string) []string {
	p, ok := fixture.Find(dir)
	if !ok {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(p, pattern))
	return files
}

// exportSources are the contents of every item of an export, indexed,
// skipping an export the decoder rejects.
func exportSources(b []byte) []Source {
	idx := wxr.NewIndex()
	if err := wxr.BuildIndex(context.Background(), bytes.NewReader(b), wxr.Options{}, idx); err != nil {
		return nil
	}
	dec := wxr.NewDecoder(bytes.NewReader(b), wxr.Options{})
	var out []Source
	for {
		it, err := dec.Next()
		if err == io.EOF || err != nil {
			return out
		}
		if it.Content != "" {
			out = append(out, Source{HTML: it.Content, ItemID: it.ID, Index: idx})
		}
	}
}

func renderWith(t *testing.T, c *Converter, md *converter.Converter, src Source) string {
	t.Helper()
	body, err := c.tree(&src, &Document{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := md.ConvertNode(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPlainURL renders images and links to addresses both ways: those
// plainURL passes as they are must come out of the library unchanged.
func TestPlainURL(t *testing.T) {
	c := newTestConverter(t)
	ref := newMarkdownConverter(wordpressPlugin{libraryText: true})
	for _, tt := range []struct {
		url   string
		plain bool
	}{
		{"https://example.org/wp-content/uploads/2008/06/canola2.jpg", true},
		{"http://example.org", true},
		{"https://Example.ORG:8080/a_b/c~d/", true},
		{"https://example.org/.well-known/x", true},
		{"https://example.org/a/./b", false},
		{"https://example.org/a/../b", false},
		{"https://example.org/a/..", false},
		{"https://example.org/a/...b/c..", true},
		{"HTTPS://example.org/", false},
		{"https://example.org/?p=1", false},
		{"https://example.org/a#b", false},
		{"https://example.org/%CE%B1", false},
		{"https://example.org/α", false},
		{"https://user@example.org/", false},
		{"https://example.org:/", false},
		{"https://:80/", false},
		{"https:///a", false},
		{"https://example.org/a b", false},
		{"https://example.org/(a)", false},
		{"https://exa_mple.org/", false},
		{"//example.org/a", false},
		{"/a/b.jpg", false},
		{"a.jpg", false},
		{"#", false},
		{"mailto:a@b.c", false},
		{"data:image/png;base64,AAAA", false},
	} {
		if got := plainURL(tt.url); got != tt.plain {
			t.Errorf("plainURL(%q) = %v, want %v", tt.url, got, tt.plain)
		}
		for _, h := range []string{
			fmt.Sprintf("<p><img src=%q alt=\"a [b] \\[c\\]\"> <a href=%q>x</a></p>", tt.url, tt.url),
			fmt.Sprintf("<p><img src=\" %s \"><img src=%q title=\"t\"></p>", tt.url, tt.url),
		} {
			src := Source{HTML: h}
			if got, want := renderWith(t, c, c.md, src), renderWith(t, c, ref, src); got != want {
				t.Errorf("%q:\n got %q\nwant %q", h, got, want)
			}
		}
	}
}

func FuzzPlainMatchesLibrary(f *testing.F) {
	f.Add("<p>1. a.b 2) c-d x- y</p><h2>a <span>b#</span></h2><ul><li>\u00a0- x</li></ul>")
	f.Add("<img src=\"https://e.org/a/b.jpg\" alt=\"[x]\"><a href=\"http://e.org:8/a/../b\">y</a><img src=\"/c.png\">")
	f.Add("<a href=\"x\">[a] (b)</a> <em>\"q\" 'r' $s</em><table><tr><td>a|b</td></tr></table>")
	c := newTestConverter(f)
	ref := newMarkdownConverter(wordpressPlugin{libraryText: true})
	f.Fuzz(func(t *testing.T, s string) {
		src := Source{HTML: s}
		if got, want := renderWith(t, c, c.md, src), renderWith(t, c, ref, src); got != want {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want)
		}
	})
}
