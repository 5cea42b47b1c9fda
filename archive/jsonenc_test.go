package archive

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// referenceJSON is what marshalJSON wrote for every value before the
// Record had an encoder of its own.
func referenceJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	out := appendIndentJSON(nil, bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return append(out, '\n'), nil
}

func checkRecordJSON(t *testing.T, r *Record) {
	t.Helper()
	want, werr := referenceJSON(r)
	got, gerr := marshalJSON(r)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("error %v, want %v", gerr, werr)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("record differs at %s", firstDiff(got, want))
	}
}

// firstDiff shows where two encodings part.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-40)
	return "byte " + strconv.Itoa(i) + ":\n got " + strconv.Quote(string(got[from:min(len(got), i+40)])) +
		"\nwant " + strconv.Quote(string(want[from:min(len(want), i+40)]))
}

// oddStrings need every kind of escape, or none where encoding/json with
// HTML escaping would use one.
var oddStrings = []string{
	"", "plain", `"quoted" and \back\slashed\`, "<p>a &amp; b</p> <script>x</script>",
	"\x00\x01\x07\b\t\n\v\f\r\x0e\x1b\x1f\x7f end", "line\u2028sep\u2029para", "\xff\xfe invalid \xc3 \xe2\x80 cut",
	"café °C 한국어 🎉", "\xed\xa0\x80 surrogate", "12345678\"12345678\\1234567\n", strings.Repeat("long run ", 40) + "\"",
	"\u00e9\u2028\u2029\ufffd\U0010ffff", "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa", "tail 1234567\x80",
}

// filled sets every field reachable from v, following pointers, slices and
// maps, to a value other than its zero one, so that a field added to the
// record and forgotten by its encoder shows.
func filled(t *testing.T, v reflect.Value, n *int, depth int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(oddStrings[*n%len(oddStrings)] + strconv.Itoa(*n))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 37)
	case reflect.Float64:
		v.SetFloat(float64(*n) / 7)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				filled(t, v.Field(i), n, depth)
			}
		}
	case reflect.Pointer:
		if depth > 3 {
			return // a nil reply ends the thread
		}
		v.Set(reflect.New(v.Type().Elem()))
		filled(t, v.Elem(), n, depth+1)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			filled(t, s.Index(i), n, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for range 3 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			filled(t, k, n, depth+1)
			filled(t, e, n, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	default:
		t.Fatalf("no filler for %s", v.Type())
	}
}

func TestRecordJSON(t *testing.T) {
	full := &Record{}
	n := 0
	filled(t, reflect.ValueOf(full).Elem(), &n, 0)
	loss := &convert.Loss{WordRecall: 1, WordPrecision: 1e-7, Source: convert.Counts{Words: 3}}
	for name, r := range map[string]*Record{
		"zero": {},
		"full": full,
		"empty lists": {
			Format: FormatVersion, Terms: []wxr.ItemTerm{}, Meta: []wxr.Meta{}, Comments: []*Comment{}, Media: []MediaRecord{},
			CommentsLeftOut: map[string]int{}, Conversion: Conversion{Warnings: []string{}, Loss: &convert.Loss{}},
		},
		"threads": {
			Comments: []*Comment{
				nil,
				{ID: 1, Content: "top", Meta: []wxr.Meta{{Key: "k", Value: "<v>"}}, Replies: []*Comment{
					{ID: 2, Parent: 1, Replies: []*Comment{{ID: 3, Parent: 2, Replies: []*Comment{}}}},
					{ID: 4, Parent: 1, Meta: []wxr.Meta{}},
				}},
			},
			CommentsLeftOut: map[string]int{"unapproved": 2, "spam": 1, "\"odd\" <key>\n": -3, "": 0},
		},
		"numbers": {
			ID: math.MinInt64, Parent: math.MaxInt64, MenuOrder: -1, Source: wxr.Position{Line: 1, Col: -1},
			Media:      []MediaRecord{{AttachmentID: -1, Size: math.MaxInt64}, {}},
			Conversion: Conversion{Loss: loss, RawFallback: true},
		},
		"deep": {Comments: deepThread(40)},
	} {
		t.Run(name, func(t *testing.T) { checkRecordJSON(t, r) })
	}
	t.Run("strings", func(t *testing.T) {
		for _, s := range oddStrings {
			checkRecordJSON(t, stringRecord(s, s, 0))
		}
	})
	t.Run("floats", func(t *testing.T) {
		for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1.0 / 3, 1e-6, 9.99e-7, 1e-7, 1.5e-300, 1e20, 1e21, 123456789e13,
			-1e21, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.9975, 100} {
			checkRecordJSON(t, &Record{Conversion: Conversion{Loss: &convert.Loss{WordRecall: f, WordPrecision: -f / 3}}})
		}
	})
	t.Run("NaN", func(t *testing.T) {
		for _, l := range []convert.Loss{{WordRecall: math.NaN()}, {WordPrecision: math.Inf(-1)}} {
			if _, err := marshalJSON(&Record{Conversion: Conversion{Loss: &l}}); err == nil {
				t.Errorf("%v encoded", l)
			}
		}
	})
	t.Run("other values", func(t *testing.T) {
		for _, v := range []any{(*Record)(nil), Record{Title: "<by value>"}, &Line{Title: "a\u2028<b>"}, map[string]int{"b": 1, "a": 2}} {
			want, _ := referenceJSON(v)
			if got, _ := marshalJSON(v); !bytes.Equal(got, want) {
				t.Errorf("%T: %s", v, firstDiff(got, want))
			}
		}
	})
}

// deepThread is a thread of n comments, each replying to the one before.
func deepThread(n int) []*Comment {
	var cs []*Comment
	for i := range n {
		cs = []*Comment{{ID: int64(n - i), Content: "reply\n", Replies: cs}}
	}
	return cs
}

// stringRecord puts a and b in the record's strings of every kind.
func stringRecord(a, b string, n int64) *Record {
	return &Record{
		Format: FormatVersion, ID: n, Title: a, Slug: b, Link: a, PubDate: b, Author: RecordAuthor{Login: b, DisplayName: a},
		Description: a, Excerpt: b, Content: a + b + a,
		Terms:           []wxr.ItemTerm{{Domain: a, Nicename: b, Name: a}},
		Meta:            []wxr.Meta{{Key: b, Value: a}},
		Comments:        []*Comment{{ID: n, Author: a, AuthorURL: b, Content: b, Meta: []wxr.Meta{{Key: a, Value: b}}}},
		CommentsLeftOut: map[string]int{a: 1, b: 2},
		Files:           RecordFiles{Markdown: a, Comments: b},
		Media:           []MediaRecord{{URL: a, Kind: b, Path: a, SHA256: b, Error: a}},
		Conversion:      Conversion{Summary: b, Warnings: []string{a, b}, UnknownShortcodes: []string{b}, UnknownBlocks: []string{a}},
		Source:          wxr.Position{File: a, Line: int(n)},
	}
}

// TestRecordJSONGolden decodes every record of the golden archives and
// encodes it again: the bytes must come back unchanged.
func TestRecordJSONGolden(t *testing.T) {
	trees, _ := filepath.Glob(filepath.Join("testdata", "TestTargets", "*.tree"))
	if len(trees) == 0 {
		t.Fatal("no golden archives")
	}
	records := 0
	for _, tree := range trees {
		data, err := os.ReadFile(tree)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(string(data), "\n=== ")[1:] {
			name, body, _ := strings.Cut(part, "\n")
			if !strings.HasSuffix(body, "\n") {
				body += "\n" // the split took it
			}
			if !strings.HasSuffix(name, "/index.json") {
				continue
			}
			records++
			var r Record
			if err := json.Unmarshal([]byte(body), &r); err != nil {
				t.Fatalf("%s: %s: %v", tree, name, err)
			}
			got, err := marshalJSON(&r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, []byte(body)) {
				t.Errorf("%s: %s: %s", tree, name, firstDiff(got, []byte(body)))
			}
		}
	}
	if records == 0 {
		t.Fatal("no records in the golden archives")
	}
}

func TestAppendJSONString(t *testing.T) {
	var all []string
	for _, s := range oddStrings {
		for cut := range len(s) + 1 {
			all = append(all, s[:cut], s[cut:], "12345678"+s[cut:])
		}
	}
	all = append(all, "<>&", "1234567<", "12345678&12345678>", "<script>alert('&amp;')</script>")
	for b := range 256 {
		all = append(all, string(rune(b)), string([]byte{byte(b)}), "1234567"+string([]byte{byte(b)})+"12345678")
	}
	for _, s := range all {
		checkJSONString(t, s)
	}
}

func checkJSONString(t *testing.T, s string) {
	t.Helper()
	want, _ := referenceJSON(s)
	want = bytes.TrimSuffix(want, []byte("\n"))
	if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
		t.Errorf("%q: got %s, want %s", s, got, want)
	}
	want, _ = json.Marshal(s)
	if got := appendJSONStringHTML(nil, s); !bytes.Equal(got, want) {
		t.Errorf("%q with HTML: got %s, want %s", s, got, want)
	}
}

func checkLineJSON(t *testing.T, l *Line) {
	t.Helper()
	want, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendLineJSON(nil, l); !bytes.Equal(got, want) {
		t.Errorf("line differs at %s", firstDiff(got, want))
	}
}

func TestLineJSON(t *testing.T) {
	full := &Line{}
	n := 0
	filled(t, reflect.ValueOf(full).Elem(), &n, 0)
	checkLineJSON(t, full)
	checkLineJSON(t, &Line{})
	checkLineJSON(t, &Line{ID: -1, Title: "a <b> & c", Comments: "x"})
	for i, s := range oddStrings {
		checkLineJSON(t, lineOf(s, oddStrings[(i+3)%len(oddStrings)], int64(i)))
	}
}

// lineOf puts a and b in the line's strings.
func lineOf(a, b string, n int64) *Line {
	return &Line{ID: n, Type: a, Status: b, Draft: n%2 == 0, Title: a + b, Slug: b, Date: a, URL: b, Markdown: a, JSON: b, Comments: a, SourceSHA256: b}
}

func FuzzRecordJSON(f *testing.F) {
	for i, s := range oddStrings {
		f.Add(s, oddStrings[(i+1)%len(oddStrings)], int64(i))
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64) {
		checkJSONString(t, a)
		checkRecordJSON(t, stringRecord(a, b, n))
		checkLineJSON(t, lineOf(a, b, n))
	})
}

// sampleRecord is a post as a generated export gives it: a few KB of HTML
// with some non-ASCII text, terms, a comment and a media reference.
func sampleRecord() *Record {
	para := "<p>Archiving a blog is mostly a matter of patience: every post carries its own history, its links to older posts, " +
		"the images its author chose and the conversation that followed. A good archive keeps all of that readable in twenty years.</p>\n\n"
	content := "<h2>Why a thermos beats a café</h2>\n" + strings.Repeat(para, 6) +
		"<pre><code>brew --temp 94 --grams 18 &gt; thermos</code></pre>\n<ol>\n<li>Warm the thermos first.</li>\n</ol>\n" +
		"<table><tr><th>Hours</th><th>Temperature</th></tr><tr><td>1</td><td>85 °C</td></tr></table>\n" + strings.Repeat(para, 4) +
		"[caption id=\"attachment_1\" align=\"alignnone\" width=\"300\"]<img src=\"https://example.org/wp-content/uploads/thermos.jpg\" " +
		"alt=\"thermos\" width=\"300\" height=\"200\" /> The old steel one.[/caption]"
	loss := &convert.Loss{
		Source:     convert.Counts{Words: 415, Paragraphs: 5, Headings: 1, ListItems: 2, Images: 1, Tables: 1, CodeBlocks: 1},
		Markdown:   convert.Counts{Words: 415, Paragraphs: 5, Headings: 1, ListItems: 2, Images: 1, Tables: 1, CodeBlocks: 1},
		WordRecall: 1, WordPrecision: 0.9975,
	}
	return &Record{
		Format: FormatVersion, ID: 2499102, Type: "post", Status: "publish", Title: "Coffee on the road",
		Slug: "coffee-on-the-road-2500", PostName: "coffee-on-the-road-2500",
		Link: "https://example.org/2007/06/03/coffee-on-the-road-2500/", GUID: "https://example.org/?p=2499102",
		PubDate: "Sun, 03 Jun 2007 17:16:24 +0000", Author: RecordAuthor{Login: "editor", DisplayName: "The Editor"},
		Date: "2007-06-03T17:16:24Z", PostDate: "2007-06-03 17:16:24", PostDateGMT: "2007-06-03 17:16:24",
		Modified: "2007-06-04 17:16:24", ModifiedGMT: "2007-06-04 17:16:24", CommentStatus: "open", PingStatus: "open",
		Content: content,
		Terms:   []wxr.ItemTerm{{Domain: "category", Nicename: "food", Name: "Food"}, {Domain: "post_tag", Nicename: "coffee", Name: "coffee"}},
		Meta:    []wxr.Meta{},
		Comments: []*Comment{{ID: 2499204, Type: "comment", Author: "Jo", AuthorURL: "https://reader.example.net/",
			Date: "2007-06-03 18:16:24", DateGMT: "2007-06-03 18:16:24", Approved: "1",
			Content: "Café au lait &amp; croissants are worth the detour though."}},
		CommentsLeftOut: map[string]int{"unapproved": 1},
		Files:           RecordFiles{Markdown: "index.md", Comments: "comments.md"},
		Media:           []MediaRecord{{URL: "https://example.org/wp-content/uploads/2012/03/thermos-300x200.jpg", Kind: "image", AttachmentID: 2499113}},
		Conversion:      Conversion{Summary: "Archiving a blog is mostly a matter of patience.", Loss: loss},
		Source:          wxr.Position{File: "export-10000-e0a901949a.xml", Line: 892433},
	}
}

// BenchmarkSidecar encodes one post's index.json.
func BenchmarkSidecar(b *testing.B) {
	r := sampleRecord()
	js, _ := marshalJSON(r)
	b.SetBytes(int64(len(js)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := marshalJSON(r); err != nil {
			b.Fatal(err)
		}
	}
}
