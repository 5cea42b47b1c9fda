package convert

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// TestCensusWithoutAt counts Markdown without an "@" with the GFM parser
// and with the one the loss census uses for it, and wants the same counts
// and text from both.
func TestCensusWithoutAt(t *testing.T) {
	c := newTestConverter(t)
	markdown := [][]byte{
		[]byte("http://e.com https://e.com/a_b ftp://e.com www.e.com *www.e.com* _http://e.com_ ~https://e.com~ (www.e.com) [www.e.com](http://x) `http://e.com`"),
		[]byte("http:/x https: www. wwwx hxttp://e.com xhttp://e.com fwww.e.com\nwww.e.com\nhttps://e.com/x?y=(z).\n  ftp://e.com  \n<http://e.com> **http://e.com/*x*** h f w"),
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
		markdown = append(markdown, out, bytes.ReplaceAll(out, []byte("@"), []byte(" ")))
	}
	n := 0
	for i, md := range markdown {
		if bytes.IndexByte(md, '@') >= 0 {
			continue
		}
		n++
		want, wantText := census(c.gm, md)
		got, gotText := census(c.gmNoAt, md)
		if got != want || gotText != wantText {
			t.Errorf("case %d %.60q:\n got %+v %q\nwant %+v %q", i, md, got, gotText, want, wantText)
		}
	}
	t.Logf("%d cases", n)
}

func census(p parser.Parser, md []byte) (Counts, string) {
	t := newTally()
	c := countMarkdown(p.Parse(text.NewReader(md)), md, t)
	return c, string(t.text)
}
