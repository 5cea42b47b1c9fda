// Parts of this file are adapted from html-to-markdown v2.5.2
// (github.com/JohannesKaufmann/html-to-markdown), under its licence:
//
// MIT License
//
// Copyright (c) 2018 Johannes Kaufmann
//
// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all
// copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
// SOFTWARE.

package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"

	"github.com/wparchive/wparchive/wxr/fixture"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// newLibraryMarkdownConverter is newMarkdownConverter with the library's
// base plugin in place of basePlugin: the reference basePlugin is held to.
func newLibraryMarkdownConverter(wp converter.Plugin) *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(table.WithSpanCellBehavior(table.SpanBehaviorMirror), table.WithHeaderPromotion(true)),
		strikethrough.NewStrikethroughPlugin(),
		wp,
	))
}

// baseEdgeCases are fragments aimed at the base rules: whitespace runs for
// the trim, removable tags, nested and side by side, text left adjacent by
// removals, control bytes and invalid UTF-8.
func baseEdgeCases() []string {
	cases := []string{
		"",
		" ",
		"\n\n\n",
		"a",
		"<p>a</p>\n\n\n\n<p>b</p>",
		"<pre>a\n\n\n\nb\n \n \n \nc  \n\n  \n  \nd  \n \ne</pre>",
		"<pre>\n \n  \n   \n\n\n    x</pre><p>y</p>",
		"<pre>  \n\n</pre><pre>  \n  \n</pre><pre>  \n \n</pre><pre>  \n  \n  \n  \n</pre>",
		"<pre>\t\n\t\n\t\n\tx\t \t\n \t \n</pre>",
		"<pre>a \u00a0\n\u00a0\n\n\n\u3000\n\n\nb</pre>",
		"a<br>b<br><br><br><br>c<br> <br> <br>d",
		"<p>a<br>\n<br>\n<br>\n</p><p>  </p><p>\t</p><p>x</p>",
		"<h2>a</h2>\n\n\n\n\n<h2>b</h2>",
		"<ul><li>a<br><br><br></li><li><br></li></ul><ol><li>b</li></ol><ul><li>c</li></ul>",
		"<blockquote><p>a</p>\n\n\n<p>b</p><p>  </p></blockquote>",
		"<table><tr><td>a<br><br><br>b</td></tr></table>",
		"x\x00y\x00\x00<p>\x00</p>",
		"bad \xff\xfe utf-8 \xe2\x82 <b>\xc3</b>\n\n\n\xe2\n\n\n\xf0\x9f\x98",
		"\a marker \a\a* \a",
		"text\u2028line\u2029para\u0085nel",
		"<script>alert(1)</script>a<script>b</script>c",
		"a<style>p{}</style>b<link rel=x>c<meta name=y>d",
		"a<noscript>n</noscript>b<iframe src=\"https://e.com/\">i</iframe>c",
		"a<textarea>t\n\n\nt</textarea>b<input value=v>c<input>d",
		"a<!-- comment -->b<!---->c<!--\n\n\n-->d",
		"<div><script><style>x</style></script><noscript><iframe></iframe></noscript></div>",
		"<p>one <span><script>x</script></span> two <b>three<!--c--></b><!--c--> four</p>",
		"<p>a<script></script>b<style></style>c<!---->d<meta>e</p>",
		"<p>a <textarea>x</textarea> <input> b</p><p><input>c</p>",
		"<em>a<script>s</script></em><em>b</em><strong>c<!--x--></strong><strong>d</strong>",
		"<code>a<!--x-->b</code><code></code><pre><code>x<script>y</script>\n\n\n\nz</code></pre>",
		"<ul><li>a</li><!--c--><li>b</li></ul><!--c--><ul><li>c</li></ul>",
		"<figure><img src=\"a.png\"><figcaption>c<script>x</script>d</figcaption></figure>",
		"<span>a<div>b</div>c</span><span><p>p</p></span><span>s</span>",
		"<b>a<b>b</b></b><i>x</i><i>y</i><a href=\"u\"><a href=\"v\">z</a></a>",
		"<h1><a href=\"x\">h</a></h1><a href=\"y\"><h2>g</h2></a><h3><blockquote>q</blockquote></h3>",
		"<del>a</del><del>b</del><s><s>c</s></s>",
		"<p>a  <br>  b  </p><p>c   \n   d</p>",
		"<head><title>t</title></head><p>x</p>",
		"<wpa-raw>a\n\n\n\nb</wpa-raw><wpa-more></wpa-more><figure>f</figure>",
		// Tag types the WordPress plugin registers: the more divider is a
		// block, so collapsing trims the space before it.
		"a <!--more--> b",
		"<p>x <!--more--> y</p><p>z <wpa-more></wpa-more> w</p>",
		"a <figure> f </figure> b <wpa-raw> r </wpa-raw> c",
		"<custom-tag>a</custom-tag><x-y>b</x-y><my:tag>c</my:tag>",
		"<article><section><header>h</header>\n\n\n<footer>f</footer></section></article>",
		"<select><option>o</option></select><button>b</button><object>x</object><embed src=e>",
		"<audio src=\"a.mp3\">fallback</audio><video src=\"v.mp4\"><track></video>",
		"&lt;script&gt; &amp; &#0; &#x0; &nbsp;&nbsp;&nbsp;",
	}
	var spaced strings.Builder
	for i := range 12 {
		spaced.WriteString("x")
		spaced.WriteString(strings.Repeat(" ", i%4))
		spaced.WriteString(strings.Repeat("\n", i))
		spaced.WriteString(strings.Repeat(" ", (i+1)%3))
	}
	cases = append(cases, "<pre>"+spaced.String()+"</pre>", spaced.String())
	// Removable tags around every other one, in a paragraph and alone.
	removable := []string{"script", "style", "noscript", "iframe", "textarea", "title"}
	for _, outer := range removable {
		for _, inner := range removable {
			cases = append(cases,
				"<p>a <"+outer+">x<"+inner+">y</"+inner+">z</"+outer+"> b</p>",
				"a<"+outer+"></"+outer+">b<"+inner+">c</"+inner+">d")
		}
	}
	return cases
}

// baseEdgeDocuments are whole documents, converted without the WordPress
// pipeline, so the document node, doctype, head and its links and metas
// reach the base rules.
func baseEdgeDocuments() []string {
	return []string{
		"",
		"<!DOCTYPE html><html><head><title>t</title><meta charset=utf-8><link rel=stylesheet href=s.css><style>p{}</style><script>x</script></head><body><p>a</p><!--c--><p>b</p></body></html>",
		"<!DOCTYPE html><!--before--><html><body>\n\n\n<noscript>n</noscript>x<iframe></iframe>y<textarea>z</textarea></body></html><!--after-->",
		"<html><body><pre>a\n\n\n\n  b</pre><input type=text><p>\x00\xff</p></body></html>",
		"<frameset><frame src=a></frameset>",
		"<svg><script>x</script><style>y</style><title>t</title></svg><math><mi>x</mi></math>",
	}
}

// baseSource is one content to convert both ways: through the WordPress
// pipeline, or as a whole document when raw.
type baseSource struct {
	src Source
	raw bool
}

// baseCorpus names a list of contents; sources skips the test where they
// are absent.
type baseCorpus struct {
	name    string
	sources func(t *testing.T) []baseSource
}

func baseCorpora() []baseCorpus {
	fromSources := func(srcs []Source) []baseSource {
		out := make([]baseSource, len(srcs))
		for i, s := range srcs {
			out[i] = baseSource{src: s}
		}
		return out
	}
	return []baseCorpus{
		{"edge", func(t *testing.T) []baseSource {
			var out []baseSource
			for _, s := range baseEdgeCases() {
				out = append(out, baseSource{src: Source{HTML: s, Index: testIndex()}})
				out = append(out, baseSource{src: Source{HTML: s}, raw: true})
			}
			for _, s := range baseEdgeDocuments() {
				out = append(out, baseSource{src: Source{HTML: s}, raw: true})
			}
			return out
		}},
		{"plain", func(t *testing.T) []baseSource {
			var out []baseSource
			for _, s := range plainCases() {
				out = append(out, baseSource{src: Source{HTML: s}})
			}
			return out
		}},
		{"golden", func(t *testing.T) []baseSource {
			ins, _ := filepath.Glob("testdata/TestConvert/*.in.html")
			if len(ins) == 0 {
				t.Fatal("no golden inputs in testdata/TestConvert")
			}
			var out []baseSource
			for _, in := range ins {
				b, err := os.ReadFile(in)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, baseSource{src: Source{HTML: string(b), ItemID: 10, Index: testIndex()}})
				out = append(out, baseSource{src: Source{HTML: string(b)}, raw: true})
			}
			return out
		}},
		{"testdata-wxr", func(t *testing.T) []baseSource {
			files, _ := filepath.Glob("../testdata/wxr/*.xml")
			if len(files) == 0 {
				t.Fatal("no exports in ../testdata/wxr")
			}
			return fromSources(exportsIn(t, files))
		}},
		{"shared-wxr", func(t *testing.T) []baseSource {
			files, _ := filepath.Glob(filepath.Join(fixture.Dir(t, "wxr"), "*.xml"))
			return fromSources(exportsIn(t, files))
		}},
		{"shared-html", func(t *testing.T) []baseSource {
			files, _ := filepath.Glob(filepath.Join(fixture.Dir(t, "html"), "*.html"))
			var out []baseSource
			for _, p := range files {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, baseSource{src: Source{HTML: string(b)}})
				out = append(out, baseSource{src: Source{HTML: string(b)}, raw: true})
			}
			return out
		}},
		{"generated", func(t *testing.T) []baseSource {
			var gen bytes.Buffer
			if err := wxrgen.Generate(&gen, wxrgen.Options{Posts: 60, Seed: 7}); err != nil {
				t.Fatal(err)
			}
			return fromSources(exportSources(gen.Bytes()))
		}},
	}
}

// exportsIn are the contents of every item of the exports files.
func exportsIn(t *testing.T, files []string) []Source {
	t.Helper()
	var out []Source
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, exportSources(b)...)
	}
	return out
}

// renderBoth converts s with both converters, each from its own parse: the
// rules change the tree.
func renderBoth(t testing.TB, c *Converter, ours, ref *converter.Converter, s baseSource) (got, want string) {
	t.Helper()
	render := func(md *converter.Converter) string {
		var body *html.Node
		var err error
		if s.raw {
			body, err = html.Parse(strings.NewReader(s.src.HTML))
		} else {
			src := s.src
			body, err = c.tree(&src, &Document{})
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := md.ConvertNode(body)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	return render(ours), render(ref)
}

// TestBaseMatchesLibrary converts a wide corpus with basePlugin and with the
// library's base plugin, with the WordPress plugin's own text rendering and
// with the library's, and wants the same Markdown byte for byte.
func TestBaseMatchesLibrary(t *testing.T) {
	c := newTestConverter(t)
	for _, corpus := range baseCorpora() {
		t.Run(corpus.name, func(t *testing.T) {
			sources := corpus.sources(t)
			for _, wp := range []struct {
				name   string
				plugin wordpressPlugin
			}{
				{"wordpress-text", wordpressPlugin{}},
				{"library-text", wordpressPlugin{libraryText: true}},
			} {
				if corpus.name == "plain" && wp.plugin.libraryText {
					continue // TestPlainMatchesLibrary holds the two text paths equal there
				}
				ours, ref := newMarkdownConverter(wp.plugin), newLibraryMarkdownConverter(wp.plugin)
				for i, s := range sources {
					if got, want := renderBoth(t, c, ours, ref, s); got != want {
						t.Errorf("%s: case %d (raw %v) %.80q:\n got %q\nwant %q", wp.name, i, s.raw, s.src.HTML, got, want)
					}
				}
			}
			t.Logf("%d contents", len(sources))
		})
	}
}

func FuzzBaseMatchesLibrary(f *testing.F) {
	for _, s := range baseEdgeCases() {
		f.Add(s, false)
	}
	for _, s := range baseEdgeDocuments() {
		f.Add(s, true)
	}
	c := newTestConverter(f)
	ours, ref := newMarkdownConverter(wordpressPlugin{}), newLibraryMarkdownConverter(wordpressPlugin{})
	oursLib, refLib := newMarkdownConverter(wordpressPlugin{libraryText: true}), newLibraryMarkdownConverter(wordpressPlugin{libraryText: true})
	f.Fuzz(func(t *testing.T, s string, raw bool) {
		src := baseSource{src: Source{HTML: s, Index: testIndex()}, raw: raw}
		if got, want := renderBoth(t, c, ours, ref, src); got != want {
			t.Errorf("%q (raw %v):\n got %q\nwant %q", s, raw, got, want)
		}
		if got, want := renderBoth(t, c, oursLib, refLib, src); got != want {
			t.Errorf("library text: %q (raw %v):\n got %q\nwant %q", s, raw, got, want)
		}
	})
}

// libraryTrimConsecutiveNewlines is textutils.TrimConsecutiveNewlines of
// html-to-markdown v2.5.2 (MIT, Johannes Kaufmann), copied as it is: the
// package is internal.
func libraryTrimConsecutiveNewlines(input []byte) []byte {
	var result []byte
	newlineCount := 0
	spaceBuffer := []byte{}

	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])

		if r == '\n' {
			newlineCount++
			if newlineCount <= 2 {
				// Preserve up to 2 newlines, including preceding spaces
				result = append(result, spaceBuffer...)
				result = append(result, '\n')
				spaceBuffer = spaceBuffer[:0] // Clear space buffer
			} else {
				// Skip additional newlines
				spaceBuffer = spaceBuffer[:0] // Clear space buffer
			}
		} else if r == ' ' {
			// Collect spaces into the space buffer
			spaceBuffer = append(spaceBuffer, input[i:i+size]...)
		} else {
			// Reset newline count and append non-newline characters
			newlineCount = 0
			result = append(result, spaceBuffer...)
			result = append(result, input[i:i+size]...)
			spaceBuffer = spaceBuffer[:0] // Clear space buffer
		}

		i += size
	}

	// Append any trailing spaces
	result = append(result, spaceBuffer...)

	return result
}

// libraryTrimUnnecessaryHardLineBreaks is textutils'
// TrimUnnecessaryHardLineBreaks of v2.5.2, copied as it is.
func libraryTrimUnnecessaryHardLineBreaks(content []byte) []byte {
	content = bytes.ReplaceAll(content, []byte("  \n\n"), []byte("\n\n"))
	content = bytes.ReplaceAll(content, []byte("  \n  \n"), []byte("\n\n"))
	content = bytes.ReplaceAll(content, []byte("  \n \n"), []byte("\n\n"))
	return content
}

// trimCases are inputs for the trims alone: runs of spaces, newlines and
// other whitespace at the ends and inside, and invalid UTF-8 around them.
func trimCases() []string {
	cases := []string{
		"", " ", "\n", "\n\n", "\n\n\n", " \n \n \n ", "a\n\n\nb", "a \n \n \n b",
		"a  \n\nb", "a  \n  \nb", "a  \n \nb", "a  \n  \n  \n  \nb", "a   \n\n\n\nb  \n\n",
		"a\t\n\t\n\t\nb", "a\r\n\r\n\r\nb", "\xff\n\n\n\xfe", "\xe2\n\n\n\x82", "\xe2\x82\n \n \n",
		"\x00\n\n\n\x00", "é\n\n\nü  \n\n€", "a\n\n\n\n\n\n\n\n\n\n", "  \n  \n  \n  ",
	}
	var long strings.Builder
	for i := range 40 {
		long.WriteString(strings.Repeat(" ", i%5))
		long.WriteString(strings.Repeat("\n", i%6))
		long.WriteString(strings.Repeat("  \n", i%3))
		long.WriteString("w\xc3")
	}
	return append(cases, long.String())
}

func TestTrimMatchesLibrary(t *testing.T) {
	for _, s := range trimCases() {
		checkTrim(t, []byte(s))
	}
}

func FuzzTrimMatchesLibrary(f *testing.F) {
	for _, s := range trimCases() {
		f.Add([]byte(s))
	}
	f.Fuzz(checkTrim)
}

// checkTrim wants each trim, and the post-renderer as a whole, to give what
// the library's gives for in.
func checkTrim(t *testing.T, in []byte) {
	t.Helper()
	if got, want := trimConsecutiveNewlines(bytes.Clone(in)), libraryTrimConsecutiveNewlines(bytes.Clone(in)); !bytes.Equal(got, want) {
		t.Errorf("trimConsecutiveNewlines(%q) = %q, want %q", in, got, want)
	}
	if got, want := trimHardLineBreaks(bytes.Clone(in)), libraryTrimUnnecessaryHardLineBreaks(bytes.Clone(in)); !bytes.Equal(got, want) {
		t.Errorf("trimHardLineBreaks(%q) = %q, want %q", in, got, want)
	}
	want := libraryTrimUnnecessaryHardLineBreaks(libraryTrimConsecutiveNewlines(bytes.TrimSpace(bytes.Clone(in))))
	if got := (basePlugin{}).postRenderTrim(nil, bytes.Clone(in)); !bytes.Equal(got, want) {
		t.Errorf("postRenderTrim(%q) = %q, want %q", in, got, want)
	}
}

// BenchmarkMarkdownBase renders the posts of a generated export with
// basePlugin and with the library's base plugin; one op is one post, its
// tree built in the op as well.
func BenchmarkMarkdownBase(b *testing.B) {
	var gen bytes.Buffer
	if err := wxrgen.Generate(&gen, wxrgen.Options{Posts: 200, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	srcs := exportSources(gen.Bytes())
	c := newTestConverter(b)
	for _, bc := range []struct {
		name string
		md   *converter.Converter
	}{
		{"library", newLibraryMarkdownConverter(wordpressPlugin{})},
		{"own", newMarkdownConverter(wordpressPlugin{})},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			cpu := startCPU(b)
			for b.Loop() {
				src := srcs[i%len(srcs)]
				i++
				body, err := c.tree(&src, &Document{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bc.md.ConvertNode(body); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b.N)
		})
	}
}

// TestBaseConcurrent converts from several goroutines with a converter whose
// tag kinds are not known yet, as the workers of a run do, and wants what
// a converter of its own gives each content (run with -race).
func TestBaseConcurrent(t *testing.T) {
	c := newTestConverter(t)
	var srcs []baseSource
	for _, s := range baseEdgeCases() {
		srcs = append(srcs, baseSource{src: Source{HTML: s, Index: testIndex()}})
	}
	want := make([]string, len(srcs))
	for i, s := range srcs {
		want[i], _ = renderBoth(t, c, newMarkdownConverter(wordpressPlugin{}), newMarkdownConverter(wordpressPlugin{}), s)
	}
	shared := newMarkdownConverter(wordpressPlugin{})
	const workers = 4
	errs := make(chan string, workers*len(srcs))
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range srcs {
				i := (k + w*len(srcs)/workers) % len(srcs)
				src := srcs[i].src
				body, err := c.tree(&src, &Document{})
				if err != nil {
					errs <- err.Error()
					continue
				}
				out, err := shared.ConvertNode(body)
				if err != nil {
					errs <- err.Error()
				} else if string(out) != want[i] {
					errs <- "case " + src.HTML + ": got " + string(out) + ", want " + want[i]
				}
			}
		}()
	}
	for range workers {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
