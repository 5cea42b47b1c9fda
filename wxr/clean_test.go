package wxr

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		warnings       int
	}{
		{"plain", "<a>x</a>", "<a>x</a>", 0},
		{"controls", "<a>x\x01\x02y\x00</a>", "<a>xy</a>", 1},
		{"tab newline kept", "<a>\t\r\n</a>", "<a>\t\r\n</a>", 0},
		{"nonchars", "<a>\uFFFEx\uFFFF</a>", "<a>x</a>", 1},
		{"invalid utf8 among utf8", "<a>é\xff</a>", "<a>é\uFFFD</a>", 1},
		{"undeclared latin1", "<a>caf\xe9</a>", "<a>café</a>", 1},
		{"declared latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>é</a>", 0},
		{"bom", "\xef\xbb\xbf<a/>", "<a/>", 0},
		{"junk", "Warning: x\n\n<?xml version=\"1.0\"?><a/>", "\n\n<?xml version=\"1.0\"?><a/>", 1},
		{"split cdata kept", "<a><![CDATA[x]]]]><![CDATA[>y]]></a>", "<a><![CDATA[x]]]]><![CDATA[>y]]></a>", 0},
		{"cdata end then text", "<a><![CDATA[x]]> y]]></a>", "<a><![CDATA[x]]]]><![CDATA[> y]]></a>", 1},
		{"cdata end then space and tag", "<a><![CDATA[x]]> \n</a>", "<a><![CDATA[x]]> \n</a>", 0},
		{"]]> in text", "<a>x]]>y</a>", "<a>x]]&gt;y</a>", 0},
		{"< in attribute", `<a t="x<y">`, `<a t="x&lt;y">`, 0},
		{"controls in comment", "<!-- \x01 --><a/>", "<!--  --><a/>", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, wrap := range []func(io.Reader) io.Reader{func(r io.Reader) io.Reader { return r }, iotest.OneByteReader, iotest.HalfReader} {
				n := 0
				c := newCleaner(wrap(strings.NewReader(tt.in)), "t.xml", func(Warning) { n++ })
				got, err := io.ReadAll(c)
				if err != nil {
					t.Fatal(err)
				}
				c.take(1 << 62)
				if string(got) != tt.want || n != tt.warnings {
					t.Errorf("clean(%q) = %q with %d warnings, want %q with %d", tt.in, got, n, tt.want, tt.warnings)
				}
			}
		})
	}
}

// BenchmarkClean runs the cleaner alone over the theme unit test export
// replicated to about 20 MB, as BenchmarkDecoder reads it.
func BenchmarkClean(b *testing.B) {
	input := benchExport(b)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		c := newCleaner(bytes.NewReader(input), "bench.xml", nil)
		for {
			if _, err := c.takeChunk(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}

// TestPlainLen checks the eight-at-a-time search against a byte loop, in
// every state, with the first special byte at every place.
func TestPlainLen(t *testing.T) {
	for s := range numLexStates {
		tbl := &specials[s]
		for n := 0; n <= 20; n++ {
			for _, special := range []byte{'<', '>', ']', '"', '-', '?', 0x01, 0x80, 0xFF, '\n'} {
				b := append(bytes.Repeat([]byte{'a'}, n), special, 'b')
				want := 0
				for want < len(b) && tbl[b[want]] == 0 {
					want++
				}
				if got := plainLen(b, tbl); got != want {
					t.Errorf("state %d: plainLen(%q) = %d, want %d", s, b, got, want)
				}
			}
		}
	}
}
