package wxrgen

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wparchive/wparchive/wxr/fixture"

	"github.com/wparchive/wparchive/wxr"
)

// counts is what a generated export is checked for.
type counts struct {
	items, posts, comments int
	byType                 map[wxr.PostType]int
}

// decode reads an export with the wxr package, failing on any error, and
// checks that ids, comment ids, post slugs, links and post dates are unique.
func decode(t *testing.T, data []byte) counts {
	t.Helper()
	c := counts{byType: map[wxr.PostType]int{}}
	ids, cids, slugs, links, dates := map[int64]bool{}, map[int64]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	unique := func(seen map[string]bool, what, v string) {
		if v == "" {
			return
		}
		if seen[v] {
			t.Errorf("%s %q repeated", what, v)
		}
		seen[v] = true
	}
	dec := wxr.NewDecoder(bytes.NewReader(data), wxr.Options{Name: "gen"})
	for {
		it, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("generated export does not parse: %v", err)
		}
		c.items++
		c.byType[it.Type]++
		if ids[it.ID] {
			t.Errorf("id %d repeated", it.ID)
		}
		ids[it.ID] = true
		unique(links, "link", it.Link)
		if it.Type == wxr.TypePost {
			c.posts++
			unique(slugs, "slug", it.Name)
			unique(dates, "date", it.PostDate)
		}
		for _, cm := range it.Comments {
			c.comments++
			if cids[cm.ID] {
				t.Errorf("comment id %d repeated", cm.ID)
			}
			cids[cm.ID] = true
		}
	}
	return c
}

// expected counts what Generate should write from template by its rule:
// the non-post items once, then post i mod P with its attachments and
// comments for every i.
func expected(t *testing.T, template []byte, posts int) counts {
	t.Helper()
	tm, err := loadTemplate(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	c := counts{items: len(tm.once), posts: posts, byType: map[wxr.PostType]int{}}
	for _, it := range tm.once {
		c.byType[it.Type]++
		c.comments += len(it.Comments)
	}
	for i := range posts {
		u := tm.units[i%len(tm.units)]
		c.items += 1 + len(u.attachments)
		c.byType[wxr.TypePost]++
		c.byType[wxr.TypeAttachment] += len(u.attachments)
		c.comments += len(u.post.Comments)
	}
	return c
}

func TestGenerateCounts(t *testing.T) {
	tests := []struct {
		name     string
		template string // "" is the built-in one
		posts    int
	}{
		{"builtin none", "", 0},
		{"builtin one", "", 1},
		{"builtin partial round", "", 7},
		{"builtin many rounds", "", 250},
		{"theme unit test data", "wptt__themeunittestdata.wordpress.xml", 120},
		{"wxr 1.0", "wpi__valid-wxr-1.0.xml", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := builtin
			if tt.template != "" {
				tmpl = sharedExport(t, tt.template)
			}
			var out bytes.Buffer
			if err := Generate(&out, Options{Posts: tt.posts, Seed: 3, Template: bytes.NewReader(tmpl)}); err != nil {
				t.Fatal(err)
			}
			got, want := decode(t, out.Bytes()), expected(t, tmpl, tt.posts)
			if got.items != want.items || got.posts != want.posts || got.comments != want.comments {
				t.Errorf("items %d posts %d comments %d, want %d %d %d",
					got.items, got.posts, got.comments, want.items, want.posts, want.comments)
			}
			for typ, n := range want.byType {
				if got.byType[typ] != n {
					t.Errorf("%q items: %d, want %d", typ, got.byType[typ], n)
				}
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	sum := func(o Options) [32]byte {
		h := sha256.New()
		if err := Generate(h, o); err != nil {
			t.Fatal(err)
		}
		return [32]byte(h.Sum(nil))
	}
	a, b := sum(Options{Posts: 300, Seed: 1}), sum(Options{Posts: 300, Seed: 1})
	if a != b {
		t.Error("same options gave different bytes")
	}
	if c := sum(Options{Posts: 300, Seed: 2}); c == a {
		t.Error("another seed gave the same bytes")
	}
}

// TestGenerateGolden pins the built-in template's first copies, ids remapped.
func TestGenerateGolden(t *testing.T) {
	var out bytes.Buffer
	if err := Generate(&out, Options{Posts: 6, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", t.Name(), "builtin.out.xml")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("output differs from %s (run go test -update and review the diff)", golden)
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"negative", Options{Posts: -1}},
		{"not xml", Options{Posts: 1, Template: bytes.NewReader([]byte("<rss><channel><item>"))}},
		{"no posts", Options{Posts: 1, Template: bytes.NewReader([]byte(`<rss><channel><title>x</title></channel></rss>`))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Generate(io.Discard, tt.opts); err == nil {
				t.Error("no error")
			}
		})
	}
}

// sharedExport reads a shared WXR fixture, or skips when the fixtures are absent.
func sharedExport(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(fixture.Dir(t, "wxr", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
