package convert

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr/fixture"

	"github.com/wparchive/wparchive/wxr"
)

var update = flag.Bool("update", false, "rewrite golden files")

func newTestConverter(t testing.TB) *Converter {
	t.Helper()
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testIndex holds two image attachments of post 10 for gallery cases.
func testIndex() *wxr.Index {
	idx := wxr.NewIndex()
	for _, e := range []*wxr.Entry{
		{ID: 21, Type: wxr.TypeAttachment, Parent: 10, Title: "Second", AttachmentURL: "https://example.com/wp-content/uploads/b.jpg", MimeType: "image/jpeg", Caption: "Bee"},
		{ID: 20, Type: wxr.TypeAttachment, Parent: 10, Title: "First", Alt: "An A", AttachmentURL: "https://example.com/wp-content/uploads/a.jpg", MimeType: "image/jpeg"},
		{ID: 30, Type: wxr.TypeAttachment, Parent: 10, Title: "Song", AttachmentURL: "https://example.com/wp-content/uploads/song.mp3", MimeType: "audio/mpeg"},
	} {
		idx.Add(*e)
	}
	return idx
}

func TestConvert(t *testing.T) {
	c := newTestConverter(t)
	ins, err := filepath.Glob("testdata/TestConvert/*.in.html")
	if err != nil || len(ins) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.html")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := c.Convert(context.Background(), Source{
				HTML: string(src), ItemID: 10, Index: testIndex(),
				Link: func(href string) (string, bool) {
					rest, ok := strings.CutPrefix(href, "https://example.com/20")
					if !ok || strings.Contains(href, "/wp-content/") {
						return "", false
					}
					return "../20" + rest, true
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			got := goldenText(doc)
			out := strings.TrimSuffix(in, ".in.html") + ".out.md"
			if *update {
				if err := os.WriteFile(out, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// goldenText is the Markdown followed by what else the conversion reports,
// in an HTML comment so the golden file still reads as Markdown.
func goldenText(d *Document) string {
	var b strings.Builder
	b.WriteString(d.Markdown)
	b.WriteString("\n\n<!-- report\n")
	for _, m := range d.Media {
		b.WriteString("media: " + m.Kind + " " + m.URL)
		if m.AttachmentID != 0 {
			b.WriteString(" #" + strconv.FormatInt(m.AttachmentID, 10))
		}
		b.WriteString("\n")
	}
	if d.More {
		b.WriteString("summary: " + strings.ReplaceAll(d.Summary, "\n", "⏎") + "\n")
	}
	for _, s := range d.UnknownShortcodes {
		b.WriteString("unknown shortcode: " + s + "\n")
	}
	for _, s := range d.UnknownBlocks {
		b.WriteString("unknown block: " + s + "\n")
	}
	for _, s := range d.Warnings {
		b.WriteString("warning: " + s + "\n")
	}
	if d.RawFallback {
		b.WriteString("raw fallback\n")
	}
	for _, s := range d.Loss.Differences() {
		b.WriteString("loss: " + s + "\n")
	}
	b.WriteString("-->\n")
	return b.String()
}

func TestConvertDeepHTMLFallsBack(t *testing.T) {
	c := newTestConverter(t)
	src := strings.Repeat("<div>", 600) + "deep" + strings.Repeat("</div>", 600)
	doc, err := c.Convert(context.Background(), Source{HTML: src})
	if err != nil {
		t.Fatal(err)
	}
	if !doc.RawFallback || doc.Markdown != src || len(doc.Warnings) == 0 {
		t.Errorf("want raw fallback, got %+v", doc.Warnings)
	}
}

func TestConvertCancelled(t *testing.T) {
	c := newTestConverter(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Convert(ctx, Source{HTML: "<p>x</p>"}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v", err)
	}
}

func TestRelink(t *testing.T) {
	urls := map[string]string{
		"https://e.com/a%20b.jpg": "media/a b.jpg",
		"https://e.com/c.pdf":     "media/c.pdf",
	}
	for _, tc := range []struct{ in, want string }{
		{"![x](https://e.com/a%20b.jpg)", "![x](media/a%20b.jpg)"},
		{"[https://e.com/c.pdf](https://e.com/c.pdf \"t\")", "[https://e.com/c.pdf](media/c.pdf \"t\")"},
		{"`[x](https://e.com/c.pdf)`", "`[x](https://e.com/c.pdf)`"},
		{"```\n[x](https://e.com/c.pdf)\n```\n[y](https://e.com/c.pdf)", "```\n[x](https://e.com/c.pdf)\n```\n[y](media/c.pdf)"},
		{"[x](https://e.com/c.pdf2)", "[x](https://e.com/c.pdf2)"},
		{"[![i](https://e.com/a%20b.jpg)](https://e.com/c.pdf)", "[![i](media/a%20b.jpg)](media/c.pdf)"},
	} {
		if got := Relink(tc.in, urls); got != tc.want {
			t.Errorf("Relink(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// themeUnitTest reads the theme unit test export's items and its index,
// skipping when the fixture is absent.
func themeUnitTest(t testing.TB) ([]*wxr.Item, *wxr.Index) {
	path := fixture.Dir(t, "wxr", "wptt__themeunittestdata.wordpress.xml")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx := wxr.NewIndex()
	if err := wxr.BuildIndex(context.Background(), f, wxr.Options{Name: path}, idx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	dec := wxr.NewDecoder(f, wxr.Options{Name: path})
	var items []*wxr.Item
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	return items, idx
}

func publishedWithContent(items []*wxr.Item) []*wxr.Item {
	var out []*wxr.Item
	for _, it := range items {
		if (it.Type == wxr.TypePost || it.Type == wxr.TypePage) && it.Status == wxr.StatusPublish && strings.TrimSpace(it.Content) != "" {
			out = append(out, it)
		}
	}
	return out
}

func TestCorpusThemeUnitTest(t *testing.T) {
	items, idx := themeUnitTest(t)
	c := newTestConverter(t)
	var n, lossy int
	var recall, precision float64
	minRecall, minPrecision := 1.0, 1.0
	for _, it := range publishedWithContent(items) {
		doc, err := c.Convert(context.Background(), Source{HTML: it.Content, ItemID: it.ID, Index: idx})
		if err != nil {
			t.Fatalf("item %d: %v", it.ID, err)
		}
		n++
		l := doc.Loss
		recall += l.WordRecall
		precision += l.WordPrecision
		minRecall = min(minRecall, l.WordRecall)
		minPrecision = min(minPrecision, l.WordPrecision)
		classic := !hasBlocks(it.Content)
		if l.WordRecall < minWordRecall || l.WordPrecision < minWordPrecision {
			t.Errorf("item %d %q: recall %.3f precision %.3f", it.ID, it.Title, l.WordRecall, l.WordPrecision)
		}
		if classic && l.Source.Paragraphs != l.Markdown.Paragraphs {
			t.Errorf("item %d %q: paragraphs %d → %d", it.ID, it.Title, l.Source.Paragraphs, l.Markdown.Paragraphs)
		}
		if l.Markdown.Images < l.Source.Images {
			t.Errorf("item %d %q: images %d → %d", it.ID, it.Title, l.Source.Images, l.Markdown.Images)
		}
		if strings.Contains(it.Content, "[gallery") && l.Markdown.Images == 0 {
			t.Errorf("item %d %q: gallery shows no image", it.ID, it.Title)
		}
		if strings.Contains(it.Content, "[caption") && (l.Markdown.Images == 0 || !strings.Contains(doc.Markdown, "\n*")) {
			t.Errorf("item %d %q: caption lost its image or text", it.ID, it.Title)
		}
		if l.Lossy() {
			lossy++
			t.Logf("item %d %q: %v", it.ID, it.Title, l.Differences())
		}
		if doc.RawFallback {
			t.Errorf("item %d %q: raw fallback %v", it.ID, it.Title, doc.Warnings)
		}
	}
	if n == 0 {
		t.Fatal("no published content")
	}
	t.Logf("%d items: mean recall %.4f (min %.4f), mean precision %.4f (min %.4f), %d with a structural difference",
		n, recall/float64(n), minRecall, precision/float64(n), minPrecision, lossy)
}

func BenchmarkConvert(b *testing.B) {
	items, idx := themeUnitTest(b)
	items = publishedWithContent(items)
	c := newTestConverter(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU(b)
	for i := 0; i < b.N; i++ {
		for _, it := range items {
			if _, err := c.Convert(ctx, Source{HTML: it.Content, ItemID: it.ID, Index: idx}); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu.report(b.N * len(items))
	b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "posts/s")
}

// TestSkipLoss checks that leaving the loss out changes nothing else.
func TestSkipLoss(t *testing.T) {
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{
		"<p>One <em>two</em> [caption]three[/caption]</p>\n<!--more-->\nfour <a href=\"https://example.com/\">five</a>",
		"<ul><li>a</li><li>b <code>c</code></li></ul><table><tr><td>d</td></tr></table>",
		"",
	} {
		full, err := c.Convert(context.Background(), Source{HTML: in})
		if err != nil {
			t.Fatal(err)
		}
		skip, err := c.Convert(context.Background(), Source{HTML: in, SkipLoss: true})
		if err != nil {
			t.Fatal(err)
		}
		if skip.Loss != (Loss{}) {
			t.Errorf("%q: SkipLoss measured the loss: %+v", in, skip.Loss)
		}
		full.Loss = Loss{}
		if !reflect.DeepEqual(full, skip) {
			t.Errorf("%q: SkipLoss changed the document:\n%+v\n%+v", in, full, skip)
		}
	}
}
