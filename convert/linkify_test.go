package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// TestCensusParser counts Markdown with the GFM parser and with the one
// the loss census uses, and wants the same counts and text from both.
func TestCensusParser(t *testing.T) {
	c := newTestConverter(t)
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()
	markdown := [][]byte{
		[]byte("http://e.com https://e.com/a_b ftp://e.com www.e.com *www.e.com* _http://e.com_ ~https://e.com~ (www.e.com) [www.e.com](http://x) `http://e.com`"),
		[]byte("http:/x https: www. wwwx hxttp://e.com xhttp://e.com fwww.e.com\nwww.e.com\nhttps://e.com/x?y=(z).\n  ftp://e.com  \n<http://e.com> **http://e.com/*x*** h f w"),
		[]byte("a@b.c x a@b.c *a@b.c* _a@b.c_ (a@b.c) ~a@b.c~ a.b-c_d+e@f.gh a@b a@b.c- mailto:a@b.c <a@b.c> [a@b.c](x) `a@b.c`"),
		[]byte("0123456789012345678901234567890123456789012345678901234567890123@e.com 01234567890123456789012345678901234567890123456789012345678901234@e.com .a@b.c\na@b.c\n@b.c a@\n x !a@b.c ,a@b.c -a@b.c ~~a@b.c~~ **a@b.c** \\a@b.c &amp;a@b.c"),
		[]byte("a @b.c a@ b.c a@@b.c a\n@b.c x @media é@b.c a@é.com `a`@b.c a@-b.c (a@b.c) @a a@\n| @ | a@b.c |\n|---|---|\n\n    @ @ a@b.c\n\n```\nx@y.z\n```\n"),
		[]byte("- www.e.com\n- http://e.com\n\n| a | www.e.com |\n| - | - |\n| http://e.com | ~~www.e.com~~ |\n\n> ftp://e.com\n\n# www.e.com #\n\n    http://e.com\n"),
	}
	for _, src := range differentialSources(t) {
		doc := &Document{}
		body, err := c.tree(&src, doc)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.md.ConvertNode(body)
		if err != nil {
			t.Fatal(err)
		}
		markdown = append(markdown, out, bytes.ReplaceAll(out, []byte(" "), []byte("@")))
	}
	plain := 0
	for i, md := range markdown {
		want, wantText := census(gfm, md)
		got, gotText := census(c.gm, md)
		if got != want || gotText != wantText {
			t.Errorf("case %d %.60q:\n got %+v %q\nwant %+v %q", i, md, got, gotText, want, wantText)
		}
		got, gotText = converterCensus(c, md)
		if wantText = wordList([]byte(wantText)); got != want || gotText != wantText {
			t.Errorf("case %d %.60q, Converter.countMarkdown:\n got %+v %q\nwant %+v %q", i, md, got, gotText, want, wantText)
		}
		if _, linkish := countMarkdown(c.gmPlain.Parse(text.NewReader(md)), md, newTally()); !linkish && !mayHoldAddress(md) {
			plain++
		}
	}
	t.Logf("%d of %d counted without linkify", plain, len(markdown))
	t.Logf("%d cases", len(markdown))
}

// TestMayHoldAddress checks which "@" the census reads again with linkify.
func TestMayHoldAddress(t *testing.T) {
	for _, tt := range []struct {
		md   string
		want bool
	}{
		{"", false},
		{"@", false},
		{"a@b.c", true},
		{"a@b", true}, // no dot: linkify refuses it, but later
		{"x a@1", true},
		{"a @b.c", false},
		{"a@ b.c", false},
		{"a@@b.c", false},
		{"a\n@b.c", false},
		{"@media", false},
		{"é@b.c", false},
		{"a@é.com", false},
		{"a@-b.c", false},
		{"/ @ @ \\", false},
		{"| @ | x", false},
		{"@ a@b.c", true},
		{"`a`@b.c", true},
	} {
		if got := mayHoldAddress([]byte(tt.md)); got != tt.want {
			t.Errorf("mayHoldAddress(%q) = %v, want %v", tt.md, got, tt.want)
		}
	}
}

func census(p parser.Parser, md []byte) (Counts, string) {
	t := newTally()
	c, _ := countMarkdown(p.Parse(text.NewReader(md)), md, t)
	return c, string(t.text)
}

// converterCensus counts md as the Converter does. Without linkify the
// text may be cut at other places (a hard line break is a space more), so
// it returns the words, one space between each, as the census sees them.
func converterCensus(c *Converter, md []byte) (Counts, string) {
	t := newTally()
	counts := c.countMarkdown(md, t)
	return counts, wordList(t.text)
}

func wordList(text []byte) string {
	var w words
	w.split(text)
	var b strings.Builder
	for i := range w.ends {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(w.word(i))
	}
	return b.String()
}

func FuzzCensusParser(f *testing.F) {
	f.Add("see http://e.com, www.e.com and a.b@c.de (ftp://e.com) *https://e.com/x_y*")
	f.Add("x !a@b.c ,a@b.c\n- a@b\n| www.e.com | `c@d.e` |\n|---|---|\n~~h@i.jk~~ _w@x.yz_")
	f.Add("a`b@c.com` x ht`tp://e.com` (http://e.com) [x](http://e.com) h*ttp://e.com*")
	f.Add("| http://e.com | b |\n|---|---|\n\n> www.e.com\n\n    ftp://e.com\n\n<http://e.com> ![x](http://e.com)")
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()
	c := newTestConverter(f)
	f.Fuzz(func(t *testing.T, md string) {
		want, wantText := census(gfm, []byte(md))
		got, gotText := census(c.gm, []byte(md))
		if got != want || gotText != wantText {
			t.Errorf("%q:\n got %+v %q\nwant %+v %q", md, got, gotText, want, wantText)
		}
		got, gotText = converterCensus(c, []byte(md))
		if wantText = wordList([]byte(wantText)); got != want || gotText != wantText {
			t.Errorf("%q, Converter.countMarkdown:\n got %+v %q\nwant %+v %q", md, got, gotText, want, wantText)
		}
	})
}
