package archive

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestItemSpoolOrder(t *testing.T) {
	for _, memory := range []int{0, 2} {
		t.Run("memory="+strconv.Itoa(memory), func(t *testing.T) { testItemSpoolOrder(t, memory) })
	}
}

func testItemSpoolOrder(t *testing.T, memory int) {
	s, err := newItemSpool(t.TempDir(), memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	long := "posts/" + strings.Repeat("l", 70000) + "/index.md" // longer than a read of the spool
	for _, l := range []Line{
		{ID: 3, Markdown: "posts/b/index.md"},
		{ID: 1, Markdown: "posts/x/index.md"},
		{ID: 3, Markdown: "posts/a/index.md"},
		{ID: 2, Markdown: long},
		{ID: -5, Markdown: "posts/negative/index.md"},
		{ID: 3, Markdown: "posts/a-2/index.md"},
	} {
		if err := s.add(&l, "https://example.org/"+l.Markdown, guidOf(l.ID), "/"+l.Markdown); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err = s.each(func(id int64, rec *spoolRecord) error {
		var l Line
		if err := json.Unmarshal(rec.Line, &l); err != nil {
			return err
		}
		if id != l.ID {
			t.Errorf("record of %s given id %d, want %d", l.Markdown, id, l.ID)
		}
		if rec.URL != "/"+l.Markdown || rec.Link != "https://example.org/"+l.Markdown || rec.GUID != guidOf(l.ID) {
			t.Errorf("record of %s has URL %s, link %s, GUID %q", l.Markdown, rec.URL, rec.Link, rec.GUID)
		}
		if want, _ := json.Marshal(&l); !bytes.Equal(rec.Line, want) {
			t.Errorf("line %s, want %s", rec.Line, want)
		}
		got = append(got, l.Markdown)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"posts/negative/index.md", "posts/x/index.md", long, "posts/a-2/index.md", "posts/a/index.md", "posts/b/index.md"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

// guidOf gives some items a GUID and leaves the others without.
func guidOf(id int64) string {
	if id%2 == 0 {
		return ""
	}
	return "https://example.org/?p=" + strconv.FormatInt(id, 10) + "&<x>"
}

// BenchmarkItemSpool spools the lines of 1,000 items and reads them back in
// order, as items.jsonl is written.
func BenchmarkItemSpool(b *testing.B) {
	for _, order := range []struct {
		name string
		id   func(i int) int64
	}{
		{"scrambled", func(i int) int64 { return int64(i*7919%1000 + 1) }},
		{"ascending", func(i int) int64 { return int64(i + 1) }},
	} {
		b.Run(order.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s, err := newItemSpool(b.TempDir(), 0)
				if err != nil {
					b.Fatal(err)
				}
				for i := range 1000 {
					id := order.id(i)
					md := "posts/2007/06/coffee-on-the-road-" + strconv.FormatInt(id, 10) + "/index.md"
					l := Line{
						ID: id, Type: "post", Status: "publish", Title: "Coffee on the road & <more>", Slug: "coffee-on-the-road",
						Date: "2007-06-03T17:16:24Z", URL: "https://example.org/2007/06/03/coffee-on-the-road/", Markdown: md,
						JSON: strings.TrimSuffix(md, ".md") + ".json", SourceSHA256: strings.Repeat("ab", 32),
					}
					if err := s.add(&l, l.URL, guidOf(id), "/"+md); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.each(func(int64, *spoolRecord) error { return nil }); err != nil {
					b.Fatal(err)
				}
				s.close()
			}
		})
	}
}
