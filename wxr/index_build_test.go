package wxr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestBuildIndex(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "TestDecode", "attachment.in.xml"))
	if err != nil {
		t.Fatal(err)
	}
	idx := NewIndex()
	if err := BuildIndex(context.Background(), bytes.NewReader(data), Options{Name: "a.xml"}, idx); err != nil {
		t.Fatal(err)
	}
	got, ok := idx.Get(12)
	if !ok {
		t.Fatalf("entry 12 missing (%d entries)", idx.Len())
	}
	want := Entry{
		ID: 12, Type: TypeAttachment, Status: StatusInherit, Name: "post-12", Title: "Boat",
		Link: "http://example.org/?p=12", GUID: "http://example.org/?p=12", PostDate: "2024-06-10 12:00:00",
		AttachmentURL: "http://example.org/wp-content/uploads/2024/06/boat.JPG",
		AttachedFile:  "2024/06/boat.JPG", Alt: "A boat", Caption: "A boat on a lake", MimeType: "image/jpeg",
		Metadata: `a:1:{s:5:"width";i:800;}`,
	}
	if got != want {
		t.Errorf("entry =\n%+v\nwant\n%+v", got, want)
	}

	// A second file with the same ID keeps the first entry.
	var warnings []Warning
	if err := BuildIndex(context.Background(), bytes.NewReader(data), Options{Warn: func(w Warning) { warnings = append(warnings, w) }}, idx); err != nil {
		t.Fatal(err)
	}
	if again, _ := idx.Get(12); len(warnings) != 1 || again != got {
		t.Errorf("duplicate ID: warnings %v, entry replaced %v", warnings, again != got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := BuildIndex(ctx, bytes.NewReader(data), Options{}, NewIndex()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
}

func TestBuildIndexFixture(t *testing.T) {
	fx := fixturesDir(t)
	f, err := os.Open(filepath.Join(fx, "wptt__themeunittestdata.wordpress.xml"))
	if err != nil {
		t.Skipf("theme unit test data absent: %v", err)
	}
	defer f.Close()
	idx := NewIndex()
	dups := 0
	if err := BuildIndex(context.Background(), f, Options{Warn: func(Warning) { dups++ }}, idx); err != nil {
		t.Fatal(err)
	}
	// 180 items, but 18 post IDs appear twice in this export (grep -o
	// '<wp:post_id>[0-9]*' | sort | uniq -d).
	if idx.Len() != 162 || dups != 18 {
		t.Errorf("%d entries, %d duplicates; want 162, 18", idx.Len(), dups)
	}
	thumbs, mimes := 0, 0
	idx.Range(func(e Entry) bool {
		if e.Thumbnail != 0 {
			thumbs++
			if _, ok := idx.Get(e.Thumbnail); !ok {
				t.Errorf("item %d: thumbnail %d not indexed", e.ID, e.Thumbnail)
			}
		}
		if e.Type == TypeAttachment && e.MimeType != "" {
			mimes++
		}
		return true
	})
	if thumbs == 0 || mimes != 38 {
		t.Errorf("%d items with a thumbnail, %d attachments with a mime type (want >0, 38)", thumbs, mimes)
	}
}

func TestMimeByExtension(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024/06/boat.JPG", "image/jpeg"},
		{"http://x/a.png?ver=2#frag", "image/png"},
		{"doc.pdf", "application/pdf"},
		{"noext", ""},
		{"weird.xyz", ""},
	}
	for _, tt := range tests {
		if got := mimeByExtension(tt.in); got != tt.want {
			t.Errorf("mimeByExtension(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBuildIndexWarningOrder: the reader's warnings and the index's
// duplicate warnings come in file order, across batches.
func TestBuildIndexWarningOrder(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
`)
	for i := range 3 * indexBatch {
		id := i
		if i%50 == 7 {
			id = 3 // a duplicate
		}
		title := "t"
		if i%40 == 5 {
			title = "bad\x01char" // a repair by the cleaner
		}
		fmt.Fprintf(&b, "<item>\n<title>%s</title>\n<wp:post_id>%d</wp:post_id>\n<wp:post_type>post</wp:post_type>\n</item>\n", title, id)
	}
	b.WriteString("</channel></rss>\n")
	var warnings []Warning
	idx := NewIndex()
	err := BuildIndex(context.Background(), strings.NewReader(b.String()), Options{Name: "x.xml", Warn: func(w Warning) { warnings = append(warnings, w) }}, idx)
	if err != nil {
		t.Fatal(err)
	}
	var dups, repairs int
	for i, w := range warnings {
		if strings.Contains(w.Message, "already indexed") {
			dups++
		} else {
			repairs++
		}
		if i > 0 && w.Pos.Line < warnings[i-1].Pos.Line {
			t.Errorf("warning %d (line %d) after one at line %d: %s", i, w.Pos.Line, warnings[i-1].Pos.Line, w.Message)
		}
	}
	if dups != 4 || repairs == 0 {
		t.Errorf("%d duplicate and %d repair warnings, want 4 and some: %v", dups, repairs, warnings)
	}
}

// TestBuildIndexStopsReader: when the index fails, BuildIndex returns its
// error and leaves no reader running.
func TestBuildIndexStopsReader(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
`)
	for i := range 10 * indexBatch {
		fmt.Fprintf(&b, "<item><wp:post_id>%d</wp:post_id></item>\n", i)
	}
	b.WriteString("</channel></rss>\n")
	idx := NewSpillingIndex(filepath.Join(t.TempDir(), "missing"), 2)
	defer idx.Close()
	err := BuildIndex(context.Background(), strings.NewReader(b.String()), Options{}, idx)
	if err == nil {
		t.Fatal("no error from an index that cannot spill")
	}
}

// TestBuildIndexReadError: a read error stops the index with that error,
// whether the file is cleaned on the reader's goroutine or one of its own.
func TestBuildIndexReadError(t *testing.T) {
	boom := errors.New("boom")
	head := "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>\n" + strings.Repeat("<item><wp:post_id>1</wp:post_id></item>\n", 5000)
	for _, warn := range []func(Warning){nil, func(Warning) {}} {
		r := io.MultiReader(strings.NewReader(head), iotest.ErrReader(boom))
		st, err := BuildIndexStats(context.Background(), r, Options{Warn: warn}, NewIndex())
		if !errors.Is(err, boom) || st.Verbatim {
			t.Errorf("warnings taken %v: %v, verbatim %v; want boom and not verbatim", warn != nil, err, st.Verbatim)
		}
	}
}
