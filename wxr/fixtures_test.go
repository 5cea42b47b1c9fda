package wxr

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr/fixture"
)

// fixturesDir is ../shared/fixtures/wxr beside the repository, or a skip.
func fixturesDir(t testing.TB) string { return fixture.Dir(t, "wxr") }

// TestFixtures reads every shared fixture and checks what it holds, counted
// independently with grep.
func TestFixtures(t *testing.T) {
	fx := fixturesDir(t)
	type want struct {
		types    map[PostType]int
		comments int
		authors  int
		terms    int
		meta     int
		err      string // substring of the expected error, "" for none
	}
	tests := map[string]want{
		"ghost-mg-wp-xml__sample-no-slug.xml": {types: map[PostType]int{"attachment": 1, "customcpt": 1, "page": 1, "post": 3}, authors: 2, terms: 1, meta: 2},
		"jekyll-import__sitetitle.wordpress.2025-01-19.000.xml": {types: map[PostType]int{"attachment": 6, "page": 1, "post": 7, "wp_global_styles": 1, "wp_navigation": 1},
			authors: 1, terms: 6, meta: 82},
		"wpi__crazy-cdata.xml":          {types: map[PostType]int{"post": 1}, meta: 3},
		"wpi__malformed.xml":            {types: map[PostType]int{}, err: "wpi__malformed.xml:90:1: element <notachanneltag> closed by </channel>"},
		"wpi__valid-wxr-1.0.xml":        {types: map[PostType]int{"page": 3, "post": 3}, comments: 1, terms: 9, meta: 13},
		"wpi__valid-wxr-1.1.xml":        {types: map[PostType]int{"page": 1, "post": 1}, comments: 1, authors: 1, terms: 3, meta: 1},
		"wpi__wxr-utf-8-challenges.xml": {types: map[PostType]int{"post": 1}, authors: 1, meta: 5},
		"wptt__theme-preview.xml":       {types: map[PostType]int{"post": 7}, comments: 2},
		"wptt__themeunittestdata.wordpress.xml": {types: map[PostType]int{"post": 51, "page": 21, "attachment": 38, "nav_menu_item": 70},
			comments: 32, authors: 2, terms: 183, meta: 723},
	}
	files, _ := filepath.Glob(filepath.Join(fx, "*.xml"))
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			w, ok := tests[name]
			if !ok {
				t.Skipf("no expectations for %s", name)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := decodeAll(t, name, data)
			types := map[PostType]int{}
			comments, meta := 0, 0
			for _, it := range got.Items {
				types[it.Type]++
				comments += len(it.Comments)
				meta += len(it.Meta)
			}
			if !maps.Equal(types, w.types) {
				t.Errorf("post types = %v, want %v", types, w.types)
			}
			if comments != w.comments || meta != w.meta {
				t.Errorf("comments, postmeta = %d, %d; want %d, %d", comments, meta, w.comments, w.meta)
			}
			if len(got.Site.Authors) != w.authors || len(got.Site.Terms) != w.terms {
				t.Errorf("authors, terms = %d, %d; want %d, %d", len(got.Site.Authors), len(got.Site.Terms), w.authors, w.terms)
			}
			if w.err == "" && got.Error != "" || !strings.Contains(got.Error, w.err) {
				t.Errorf("error = %q, want %q", got.Error, w.err)
			}
			if len(got.Warnings) > 0 {
				t.Logf("warnings: %v", got.Warnings)
			}
		})
	}
}

// TestFixtureValues checks fields that are easy to get subtly wrong.
func TestFixtureValues(t *testing.T) {
	fx := fixturesDir(t)
	read := func(name string) dump {
		data, err := os.ReadFile(filepath.Join(fx, name))
		if err != nil {
			t.Skipf("%s absent: %v", name, err)
		}
		return decodeAll(t, name, data)
	}
	crazy := read("wpi__crazy-cdata.xml")
	if len(crazy.Items) != 1 {
		t.Fatalf("crazy-cdata: %d items", len(crazy.Items))
	}
	it := crazy.Items[0].Item
	if want := "Content with nested <![CDATA[ tags ]]> :)"; it.Content != want {
		t.Errorf("crazy-cdata content = %q, want %q", it.Content, want)
	}
	wantMeta := []Meta{
		{"Plain string", "Foo"},
		{"Closing CDATA", "]]>"},
		{"Alot of CDATA", "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"},
	}
	if !slices.Equal(it.Meta, wantMeta) {
		t.Errorf("crazy-cdata meta = %q, want %q", it.Meta, wantMeta)
	}
	tu := read("wptt__themeunittestdata.wordpress.xml")
	if tu.Site.Title != "Theme Unit Test Data" || tu.Site.WXRVersion != "1.2" || tu.Site.Generator != "https://wordpress.com/" {
		t.Errorf("site = %q %q %q", tu.Site.Title, tu.Site.WXRVersion, tu.Site.Generator)
	}
}
