package wxr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// buildIndexTokens is BuildIndex as it was before the scanner: every item
// read by the token decoder. The scanner must give the same index, error and
// warnings.
func buildIndexTokens(ctx context.Context, r io.Reader, opts Options, idx *Index) error {
	defer idx.merge()
	d := NewDecoder(r, opts)
	d.light = true
	d.scan = nil // NewDecoder turns the scanner on
	for {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		it, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !idx.Add(entryOf(it)) {
			d.warnAt(it.Pos, "item ID %d already indexed: this one is ignored by the index", it.ID)
		}
	}
}

// BuildIndexTokens lets the external benchmarks compare the two passes.
var BuildIndexTokens = buildIndexTokens

type indexResult struct {
	entries  map[int64]Entry
	err      string
	warnings []string
}

func runIndex(build func(context.Context, io.Reader, Options, *Index) error, r io.Reader) indexResult {
	var res indexResult
	return res.run(build, r, Options{Name: "in.xml", Warn: func(w Warning) {
		res.warnings = append(res.warnings, w.String())
	}})
}

// runIndexQuiet builds the index without taking its warnings, which makes
// BuildIndex clean the input on a goroutine of its own.
func runIndexQuiet(build func(context.Context, io.Reader, Options, *Index) error, r io.Reader) indexResult {
	var res indexResult
	return res.run(build, r, Options{Name: "in.xml"})
}

func (res *indexResult) run(build func(context.Context, io.Reader, Options, *Index) error, r io.Reader, opts Options) indexResult {
	idx := NewIndex()
	err := build(context.Background(), r, opts, idx)
	if err != nil {
		res.err = err.Error()
	}
	res.entries = map[int64]Entry{}
	idx.Range(func(e Entry) bool {
		res.entries[e.ID] = e
		return true
	})
	return *res
}

// diffIndex reports how the scanning BuildIndex differs from the token one
// on data, read whole and a byte at a time, with its warnings taken or not
// (cleaned on a goroutine of its own).
func diffIndex(data []byte) string {
	want := runIndex(buildIndexTokens, bytes.NewReader(data))
	for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data)), iotest.HalfReader(bytes.NewReader(data))} {
		got := runIndex(BuildIndex, r)
		if !reflect.DeepEqual(got.entries, want.entries) {
			return fmt.Sprintf("entries differ:\n got %v\nwant %v", got.entries, want.entries)
		}
		if got.err != want.err {
			return fmt.Sprintf("error = %q, want %q", got.err, want.err)
		}
		if !slices.Equal(got.warnings, want.warnings) {
			return fmt.Sprintf("warnings differ:\n got %q\nwant %q", got.warnings, want.warnings)
		}
	}
	for _, r := range []io.Reader{bytes.NewReader(data), iotest.OneByteReader(bytes.NewReader(data))} {
		got := runIndexQuiet(BuildIndex, r)
		if !reflect.DeepEqual(got.entries, want.entries) {
			return fmt.Sprintf("cleaned ahead, entries differ:\n got %v\nwant %v", got.entries, want.entries)
		}
		if got.err != want.err {
			return fmt.Sprintf("cleaned ahead, error = %q, want %q", got.err, want.err)
		}
	}
	return ""
}

// differentialInputs are the shared fixtures, the golden cases and the fuzz
// corpus, by name.
func differentialInputs(t *testing.T) map[string][]byte {
	in := map[string][]byte{}
	add := func(pattern string) {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			in[f] = data
		}
	}
	add(filepath.Join("testdata", "TestDecode", "*.in.xml"))
	add(filepath.Join("testdata", "TestIndexScan", "*.xml"))
	for _, target := range []string{"FuzzDecoder", "FuzzClean", "FuzzIndexScan", "FuzzItemScan"} {
		files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", target, "*"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			v, ok := corpusBytes(data)
			if !ok {
				t.Fatalf("%s: not a []byte fuzz corpus entry", f)
			}
			in[f] = v
		}
	}
	return in
}

// addFixtureInputs adds the shared WXR fixtures in fx to inputs and
// returns their names.
func addFixtureInputs(t *testing.T, fx string, inputs map[string][]byte) []string {
	files, _ := filepath.Glob(filepath.Join(fx, "*.xml"))
	var names []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = data
		names = append(names, filepath.Base(f))
	}
	return names
}

// corpusBytes reads a "go test fuzz v1" file holding one []byte.
func corpusBytes(data []byte) ([]byte, bool) {
	_, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, false
	}
	s := strings.TrimSpace(string(rest))
	if !strings.HasPrefix(s, "[]byte(") || !strings.HasSuffix(s, ")") {
		return nil, false
	}
	v, err := strconv.Unquote(s[len("[]byte(") : len(s)-1])
	return []byte(v), err == nil
}

func TestIndexScanDifferential(t *testing.T) {
	inputs := differentialInputs(t)
	if fx := fixturesDirOrEmpty(t); fx != "" {
		addFixtureInputs(t, fx, inputs)
	} else {
		t.Log("shared WXR fixtures absent: compared on the golden cases and the fuzz corpus only")
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			if d := diffIndex(data); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestIndexScanFallback checks that the cases the scanner hands back are
// read exactly by the token decoder, each in an otherwise plain export.
func TestIndexScanFallback(t *testing.T) {
	item := func(id int, body string) string {
		return fmt.Sprintf("\n<item><title>T%d</title><wp:post_id>%d</wp:post_id>%s</item>", id, id, body)
	}
	tests := map[string]string{
		"plain":             "",
		"child in title":    "<title>a<b>c</b></title>",
		"pi":                "<?php x ?>",
		"rebinding":         `<wp:post_name xmlns:wp="urn:x">n</wp:post_name>`,
		"mismatch":          "<wp:post_name>n</wp:post_type>",
		"illegal char ref":  "<title>a&#1;</title>",
		"entities":          "<title>a &amp; b &eacute; &#233; &#x41; &bogus; & c &#; &#xZ;</title>",
		"cr":                "<title>a\r\nb\rc</title><wp:post_name><![CDATA[x\r\ny]]></wp:post_name>",
		"attr entity":       `<category domain="a&amp;b" nicename="c&#1;">x</category>`,
		"bad int":           "<wp:post_parent>12x</wp:post_parent><wp:menu_order>7</wp:menu_order>",
		"meta":              "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value> 5 </wp:meta_value><foo:x/></wp:postmeta>",
		"unbound prefix":    "<excerpt:encoded>e</excerpt:encoded><foo:bar>x</foo:bar>",
		"comment":           "<!-- a -- b -->",
		"good comment":      "<!-- a - b --><title><!-- c -->t</title>",
		"cdata end in text": "<title>a ]]&gt; b</title>",
		"self closing":      "<wp:post_type/><wp:postmeta/>",
		"name with dot":     "<a.b>x</a.b><_x:y-z>q</_x:y-z>",
		"non-ascii name":    "<é>x</é>",
		"deep":              strings.Repeat("<x>", 1200) + strings.Repeat("</x>", 1200),
	}
	head := `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"><channel>`
	for name, body := range tests {
		for _, tail := range []string{"</channel></rss>", "", "\n<wp:term><wp:term_slug>s</wp:term_slug></wp:term></channel></rss>"} {
			doc := head + item(1, "") + item(2, body) + item(3, "") + tail
			if d := diffIndex([]byte(doc)); d != "" {
				t.Errorf("%s, tail %q: %s", name, tail, d)
			}
		}
	}
}

// fixturesDirOrEmpty is fixturesDir without the skip.
func fixturesDirOrEmpty(t *testing.T) string {
	var dir string
	t.Run("fixtures", func(t *testing.T) { dir = fixturesDir(t) })
	return dir
}

func FuzzIndexScan(f *testing.F) {
	addDecodeCases(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := diffIndex(data); d != "" {
			t.Fatal(d)
		}
	})
}
