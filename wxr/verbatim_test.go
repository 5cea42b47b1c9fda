package wxr

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"
	"testing"
)

func TestBuildIndexVerbatim(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>` + "\n"
	const item = "<item><title>A</title><wp:post_id>1</wp:post_id><content:encoded><![CDATA[<p>x</p>]]></content:encoded></item>\n"
	const tail = "</channel></rss>\n"
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"plain", head + item + tail, true},
		{"non-ASCII UTF-8", head + "<item><title>é – ✓</title></item>\n" + tail, true},
		{"byte order mark", "\xEF\xBB\xBF" + head + item + tail, false},
		{"junk before the XML", "junk\n" + head + item + tail, false},
		{"control character", head + "<item><title>a\x01b</title></item>\n" + tail, false},
		{"invalid UTF-8", head + "<item><title>a\xffb</title></item>\n" + tail, false},
		{"]]> inside CDATA", head + "<item><content:encoded><![CDATA[a]]>b]]></content:encoded></item>\n" + tail, false},
		{"declared single-byte encoding", `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n<rss><channel>" + item + tail, false},
		{"truncated", head + item, false},
		{"mismatched end tag", head + "<item><title>a</titel></item>\n" + tail, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, warn := range []func(Warning){nil, func(Warning) {}} {
				st, _ := BuildIndexStats(context.Background(), bytes.NewReader([]byte(tc.in)), Options{Name: "in.xml", Warn: warn}, NewIndex())
				if st.Verbatim != tc.want {
					t.Errorf("warnings taken %v: Verbatim = %v, want %v", warn != nil, st.Verbatim, tc.want)
				}
			}
			if d := diffVerbatim([]byte(tc.in)); d != "" {
				t.Error(d)
			}
		})
	}
}

// decoded is everything a Decoder gives for an input.
type decoded struct {
	items    []*Item
	site     *Site
	warnings []string
	err      string
}

func decodeWith(data []byte, opts Options) decoded {
	var out decoded
	opts.Warn = func(w Warning) { out.warnings = append(out.warnings, w.String()) }
	d := NewDecoder(bytes.NewReader(data), opts)
	for {
		it, err := d.Next()
		if err != nil {
			if err != io.EOF {
				out.err = err.Error()
			}
			break
		}
		out.items = append(out.items, it)
	}
	out.site = d.Site()
	return out
}

// diffVerbatim reports how the two ways BuildIndexStats reads a file
// disagree on whether it is verbatim, and, for a verbatim file, how reading
// it with Options.Verbatim differs from reading it cleaned.
func diffVerbatim(data []byte) string {
	quiet, _ := BuildIndexStats(context.Background(), bytes.NewReader(data), Options{Name: "in.xml"}, NewIndex())
	loud, _ := BuildIndexStats(context.Background(), bytes.NewReader(data), Options{Name: "in.xml", Warn: func(Warning) {}}, NewIndex())
	if quiet != loud {
		return fmt.Sprintf("verbatim %v cleaned ahead, %v cleaned by the decoder", quiet.Verbatim, loud.Verbatim)
	}
	if !quiet.Verbatim {
		return ""
	}
	want := decodeWith(data, Options{Name: "in.xml"})
	got := decodeWith(data, Options{Name: "in.xml", Verbatim: true})
	switch {
	case got.err != want.err:
		return fmt.Sprintf("read verbatim: error %q, want %q", got.err, want.err)
	case !slices.Equal(got.warnings, want.warnings):
		return fmt.Sprintf("read verbatim: warnings %q, want %q", got.warnings, want.warnings)
	case !reflect.DeepEqual(got.items, want.items):
		return fmt.Sprintf("read verbatim: items differ:\n got %+v\nwant %+v", got.items, want.items)
	case !reflect.DeepEqual(got.site, want.site):
		return fmt.Sprintf("read verbatim: site differs:\n got %+v\nwant %+v", got.site, want.site)
	}
	return ""
}

// TestVerbatimDifferential runs diffVerbatim on the golden cases, the fuzz
// corpora and the shared fixtures.
func TestVerbatimDifferential(t *testing.T) {
	inputs := differentialInputs(t)
	if fx := fixturesDirOrEmpty(t); fx != "" {
		addFixtureInputs(t, fx, inputs)
	}
	verbatim := 0
	for name, data := range inputs {
		if d := diffVerbatim(data); d != "" {
			t.Errorf("%s: %s", name, d)
		}
		if st, _ := BuildIndexStats(context.Background(), bytes.NewReader(data), Options{}, NewIndex()); st.Verbatim {
			verbatim++
		}
	}
	t.Logf("%d of %d inputs verbatim", verbatim, len(inputs))
}

func FuzzVerbatim(f *testing.F) {
	addDecodeCases(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := diffVerbatim(data); d != "" {
			t.Fatal(d)
		}
	})
}
