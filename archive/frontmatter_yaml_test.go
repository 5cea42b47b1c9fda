package archive

import (
	"bytes"
	"testing"
)

// checkPlainFrontMatter fails when the fast path accepts fm but renders it
// otherwise than yaml.v3.
func checkPlainFrontMatter(t *testing.T, fm *FrontMatter) bool {
	t.Helper()
	got, ok := appendPlainFrontMatter(nil, fm)
	if !ok {
		return false
	}
	want, err := marshalYAMLFrontMatter(fm)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fast path differs from yaml.v3 for %+v\n got: %q\nwant: %q", fm, got, want)
	}
	return true
}

func TestPlainFrontMatter(t *testing.T) {
	base := func() *FrontMatter {
		return &FrontMatter{
			Title: "Coast and Coffee", Date: "2012-09-08T10:00:00+02:00", Lastmod: "2012-09-09T10:00:00Z",
			Slug: "coast-and-coffee", Author: `Edith "Ed" Tor`, Categories: []string{"World"},
			Tags: []string{"Human rights", "한국어"}, Aliases: []string{"/2012/09/08/coast/"},
			FeaturedImage: "../../media/a.jpg", WordPressID: 10, Summary: "It's a summary, (short)!",
		}
	}
	cases := []struct {
		name string
		edit func(*FrontMatter)
		fast bool
	}{
		{"usual", func(*FrontMatter) {}, true},
		{"empty title and slug", func(fm *FrontMatter) { fm.Title, fm.Slug = "", "" }, true},
		{"draft, no date", func(fm *FrontMatter) { fm.Draft, fm.Date, fm.Lastmod = true, "", "" }, true},
		{"local date", func(fm *FrontMatter) { fm.Date = "2012-09-08T10:00:00" }, true},
		{"type", func(fm *FrontMatter) { fm.Type = "page" }, true},
		{"colon", func(fm *FrontMatter) { fm.Title = "Classic: colons" }, true},
		{"hash", func(fm *FrontMatter) { fm.Title = "a #hash" }, true},
		{"quote in quotes", func(fm *FrontMatter) { fm.Title = "Draft: it's late" }, true},
		{"colon in a list", func(fm *FrontMatter) { fm.Tags = []string{"a: b", "c"} }, true},
		{"url", func(fm *FrontMatter) { fm.FeaturedImage = "https://example.org/a.jpg?x=1#f" }, true},
		{"backslash and quotes", func(fm *FrontMatter) { fm.Title = `a\b "c"` }, true},
		{"leading quote", func(fm *FrontMatter) { fm.Title = `"quoted"` }, false},
		{"leading indicator", func(fm *FrontMatter) { fm.Title = "*star" }, false},
		{"leading digit", func(fm *FrontMatter) { fm.Title = "10 things" }, false},
		{"keyword", func(fm *FrontMatter) { fm.Title = "yes" }, false},
		{"keyword in a list", func(fm *FrontMatter) { fm.Tags = []string{"No"} }, false},
		{"emoji", func(fm *FrontMatter) { fm.Title = "Party 🎉" }, false},
		{"newline", func(fm *FrontMatter) { fm.Summary = "two\nlines" }, false},
		{"trailing space", func(fm *FrontMatter) { fm.Title = "x " }, false},
		{"odd date", func(fm *FrontMatter) { fm.Date = "yesterday" }, false},
		{"extra", func(fm *FrontMatter) { fm.Extra = map[string]any{"layout": "post"} }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fm := base()
			tc.edit(fm)
			if fast := checkPlainFrontMatter(t, fm); fast != tc.fast {
				t.Errorf("fast path taken: %v, want %v", fast, tc.fast)
			}
		})
	}
}

func FuzzPlainFrontMatter(f *testing.F) {
	for _, s := range []string{"Coast and Coffee", "Edith \"Ed\" Tor", "한국어", "../x", "/a/b/", "yes", "Ünïcödé", "a,b", "a - b", "l'été", "a&b", "x!", "Ⅻ"} {
		f.Add(s, s, s)
	}
	f.Fuzz(func(t *testing.T, title, author, tag string) {
		// Prefixed with a letter too, so that most inputs reach the fast path.
		fm := &FrontMatter{Title: title, Slug: "s" + title, Author: author, Tags: []string{tag, "T" + tag}, Aliases: []string{author}, Summary: "A" + tag, Date: "2012-09-08T10:00:00Z"}
		checkPlainFrontMatter(t, fm)
	})
}

// TestPlainScalarRunes puts every character of the Basic Multilingual Plane
// (in steps, the ASCII range in pairs) in a title and compares with yaml.v3.
func TestPlainScalarRunes(t *testing.T) {
	check := func(s string) {
		checkPlainFrontMatter(t, &FrontMatter{Title: s, Slug: "s", WordPressID: 1})
	}
	for r := rune(0x20); r <= 0xFFFF; r++ {
		if r > 0x3000 && r%7 != 0 {
			continue // the scripts beyond repeat the categories below
		}
		c := string(r)
		for _, s := range []string{"a" + c + "b", "a" + c, c + "a", "a " + c + " b", c} {
			check(s)
		}
	}
	for a := byte(0x20); a < 0x7F; a++ {
		for b := byte(0x20); b < 0x7F; b++ {
			check("x" + string([]byte{a, b}) + "y")
			check(string([]byte{a, b}) + "y")
		}
	}
}

func BenchmarkFrontMatter(b *testing.B) {
	fm := &FrontMatter{
		Title: "Coast and Coffee", Date: "2012-09-08T10:00:00+02:00", Slug: "coast-and-coffee",
		Author: "The Editor", Categories: []string{"World"}, Tags: []string{"Human rights", "Travel"},
		Aliases: []string{"/2012/09/08/coast-and-coffee/"}, WordPressID: 10,
	}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := marshalFrontMatter(fm); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := marshalYAMLFrontMatter(fm); err != nil {
				b.Fatal(err)
			}
		}
	})
}
