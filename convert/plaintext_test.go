package convert

import (
	"context"
	"reflect"
	"testing"
)

// matchesSlow reports whether Convert gives for the comment s what the
// whole conversion gives, which Convert runs for what plainText refuses.
func matchesSlow(t *testing.T, c *Converter, s string) bool {
	t.Helper()
	src := Source{HTML: s, SkipLoss: true}
	got, err := c.Convert(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	want := &Document{}
	if err := c.convert(src, want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%q:\n got %+v\nwant %+v", s, got, want)
		return false
	}
	return true
}

// TestPlainText checks that the lines plainText passes convert to
// themselves, whatever the rest of the conversion would have found.
func TestPlainText(t *testing.T) {
	c := newTestConverter(t)
	for _, tt := range []struct {
		in    string
		plain bool
	}{
		{"Agreed.", true},
		{"These tests are amazing!", true},
		{"A 35 mm, nothing fancy.", true},
		{"We are totally going to blog about these tests Σίγουρα θα σχολιάσουμε τα τεστς!", true},
		{"Comment Depth 09 is way nested, but (really) \"fine\"; isn't it: yes - no?", true},
		{"Café", true},
		{"", false},
		{"1. First", false},
		{"- item", false},
		{" leading", false},
		{"trailing ", false},
		{"two  spaces", false},
		{"line\nbreak", false},
		{"tab\there", false},
		{"a*b*", false},
		{"a_b_", false},
		{"[...]", false},
		{"x [gallery]", false},
		{"see http://example.com", false},
		{"Café &amp; croissants", false},
		{"a <b>bold</b>", false},
		{"a\u00a0b", false},
		{"a\xffb", false},
		{"#tag", false},
		{"a # b", false},
		{"a ~b~", false},
		{"a `b`", false},
	} {
		if got := plainText(tt.in); got != tt.plain {
			t.Errorf("plainText(%q) = %v, want %v", tt.in, got, tt.plain)
		}
		if tt.plain {
			matchesSlow(t, c, tt.in)
		}
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"Agreed.", "a - b", "x (1) y: z; \"q\" 'r'!?", "Σίγουρα 2", "e\u0301 x", "a -- b", "a... b", "x -1", "a : b"} {
		f.Add(s)
	}
	c := newTestConverter(f)
	f.Fuzz(func(t *testing.T, s string) {
		if plainText(s) {
			matchesSlow(t, c, s)
		}
	})
}

// TestPlainTextShort tries every string of up to five of the pieces
// plainText cares about: where a line starts, ends, or holds punctuation
// next to punctuation.
func TestPlainTextShort(t *testing.T) {
	c := newTestConverter(t)
	pieces := []string{"a", "B", "1", "é", ".", ",", "?", "!", "'", "\"", ";", ":", "(", ")", "-", " "}
	n := 0
	var try func(s string, depth int)
	try = func(s string, depth int) {
		if plainText(s) {
			n++
			if !matchesSlow(t, c, s) {
				t.FailNow()
			}
		}
		if depth == 5 {
			return
		}
		for _, p := range pieces {
			try(s+p, depth+1)
		}
	}
	try("", 0)
	t.Logf("%d plain strings", n)
}
