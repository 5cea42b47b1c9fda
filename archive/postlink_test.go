package archive

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// hrefAttr finds the links of generated content; a regex is enough there.
var hrefAttr = regexp.MustCompile(`href="([^"]*)"`)

// linkFixture is a generated export indexed and planned as a run does, with
// the Markdown file and the hrefs of each written post.
type linkFixture struct {
	idx   *wxr.Index
	links *linkIndex
	lay   *layout
	posts []linkPost
}

type linkPost struct {
	from  string
	hrefs []string
}

func newLinkFixture(tb testing.TB, posts int) *linkFixture {
	tb.Helper()
	var buf bytes.Buffer
	if err := wxrgen.Generate(&buf, wxrgen.Options{Posts: posts, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	idx := wxr.NewSpillingIndex(dir, 0)
	tb.Cleanup(func() { idx.Close() })
	if err := wxr.BuildIndex(context.Background(), bytes.NewReader(buf.Bytes()), wxr.Options{}, idx); err != nil {
		tb.Fatal(err)
	}
	links := newLinkIndex(idx, dir, 0)
	tb.Cleanup(func() { links.close() })
	lay, err := newLayout(idx, false, dir, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { lay.close() })
	slimIndex(idx, lay)
	if err := lay.settle(); err != nil {
		tb.Fatal(err)
	}
	fx := &linkFixture{idx: idx, links: links, lay: lay}
	dec := wxr.NewDecoder(bytes.NewReader(buf.Bytes()), wxr.Options{})
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		d, ok := lay.planned(it.ID)
		if !ok {
			continue
		}
		p := linkPost{from: Plain{}.Paths(&Bundle{Dir: d}).Markdown}
		for _, m := range hrefAttr.FindAllStringSubmatch(it.Content, -1) {
			p.hrefs = append(p.hrefs, m[1])
		}
		fx.posts = append(fx.posts, p)
	}
	return fx
}

// BenchmarkLinkLookup resolves the hrefs of every post of a generated
// export, one postLinks per post as archiveItem makes them.
func BenchmarkLinkLookup(b *testing.B) {
	fx := newLinkFixture(b, 2000)
	n := 0
	for _, p := range fx.posts {
		n += len(p.hrefs)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range fx.posts {
			pl := &postLinks{links: fx.links, lay: fx.lay, t: Plain{}, from: p.from}
			for _, h := range p.hrefs {
				if _, ok := pl.link(h); !ok {
					b.Fatalf("%s: %q not resolved", p.from, h)
				}
			}
		}
	}
	b.ReportMetric(float64(n), "links/op")
}

// oldLink is the closure postLinks replaces.
func oldLink(fx *linkFixture, t Target, from string, href string) (string, bool) {
	id, ok := oldLookup(fx.links, href)
	if !ok {
		return "", false
	}
	d, ok := fx.lay.planned(id)
	e, indexed := fx.idx.Get(id)
	if !ok || !indexed {
		return "", false
	}
	ob := &Bundle{Dir: d, ID: id, Type: orPost(e.Type), PostDate: e.PostDate, Link: e.Link, Draft: decideEntry(&e, false).Draft}
	if u, ok := t.(URLer); ok {
		return u.URL(ob), true
	}
	return t.Link(from, t.Paths(ob).Markdown), true
}

// extraHrefs are links the generated content lacks: other forms of the
// site's own links, and none of its own.
var extraHrefs = []string{
	"", "#top", "/?p=3", "mailto:a@example.org", "//example.org/?p=5", " https://example.org/?p=5 ",
	"https://EXAMPLE.org/?page_id=7", "https://www.example.org/?attachment_id=9", "https://example.org/?p=x&page_id=4",
	"https://example.org/?p=4;x", "https://example.org/?p=%34", "https://example.org/?p=%zz", "https://example.org/?p=",
	"https://example.org:8080/?p=4", "https://elsewhere.org/?p=4", "http://example.org/?p=999999", "https://example.org/%zz",
	"https://example.org/?p=-1", "https://user@example.org/?p=4", "https://example.org/2012/09/", "javascript://x",
}

func TestPostLinksMatchOld(t *testing.T) {
	fx := newLinkFixture(t, 120)
	extra := append([]string{}, extraHrefs...)
	fx.idx.Range(func(e wxr.Entry) bool {
		for _, s := range []string{e.Link, e.GUID} {
			extra = append(extra, s, strings.TrimSuffix(s, "/"), strings.ToUpper(s), s+"#c", s+"?x=1")
		}
		return len(extra) < 1000
	})
	byKey := 0
	for _, tgt := range []Target{Plain{}, Hugo{}} {
		for _, p := range fx.posts {
			pl := &postLinks{links: fx.links, lay: fx.lay, t: tgt, from: p.from}
			// Twice, to check what the second asking of an href returns.
			for range 2 {
				for _, h := range append(append([]string{}, p.hrefs...), extra...) {
					got, gotOK := pl.link(h)
					want, wantOK := oldLink(fx, tgt, p.from, h)
					if gotOK && !strings.Contains(h, "?") {
						byKey++
					}
					if got != want || gotOK != wantOK {
						t.Fatalf("%s %s: link(%q) = %q, %v; want %q, %v", tgt.Name(), p.from, h, got, gotOK, want, wantOK)
					}
				}
			}
		}
	}
	if byKey == 0 {
		t.Error("no link found by its key: the test checks only query-string links")
	}
}

// FuzzLinkLookup checks lookup against the one with u.Query() it replaces.
func FuzzLinkLookup(f *testing.F) {
	for _, h := range extraHrefs {
		f.Add(h)
	}
	fx := newLinkFixture(f, 20)
	f.Fuzz(func(t *testing.T, href string) {
		id, ok := fx.links.lookup(href)
		wantID, wantOK := oldLookup(fx.links, href)
		if id != wantID || ok != wantOK {
			t.Errorf("lookup(%q) = %d, %v; want %d, %v", href, id, ok, wantID, wantOK)
		}
	})
}
