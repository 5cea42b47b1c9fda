package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/fixture"
)

// chunks collects what an itemEncoder flushes, in place of the digest, so
// that a test sees where the streamed bytes part from json.Marshal's.
type chunks struct{ bytes.Buffer }

func (*chunks) Sum(b []byte) []byte { return b }
func (*chunks) Size() int           { return 0 }
func (*chunks) BlockSize() int      { return 1 }

// chunkLimits are buffer sizes to stream an item through: tiny ones cut
// every string, and even keys, many times.
var chunkLimits = []int{1, 7, 64, 65, 100, 385, 1000, 4096, sourceChunk}

func checkItemJSON(t *testing.T, it *wxr.Item) {
	t.Helper()
	want, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	if got := appendItemJSON(nil, it); !bytes.Equal(got, want) {
		t.Fatalf("item differs at %s", firstDiff(got, want))
	}
	if got, want := sourceSum(it), sha256.Sum256(want); got != want {
		t.Fatalf("sourceSum %x, want %x", got, want)
	}
	for _, limit := range chunkLimits {
		var c chunks
		e := itemEncoder{limit: limit, h: &c}
		c.Write(e.item(make([]byte, 0, limit), it))
		if got := c.Bytes(); !bytes.Equal(got, want) {
			t.Fatalf("streamed through %d bytes, item differs at %s", limit, firstDiff(got, want))
		}
		e = itemEncoder{limit: limit}
		if got, want := e.sum(nil, it), sha256.Sum256(want); got != want {
			t.Fatalf("streamed through %d bytes: sum %x, want %x", limit, got, want)
		}
	}
}

func TestItemJSON(t *testing.T) {
	full := &wxr.Item{}
	n := 0
	filled(t, reflect.ValueOf(full).Elem(), &n, 0)
	for name, it := range map[string]*wxr.Item{
		"nil":  nil,
		"zero": {},
		"full": full,
		"empty lists": {
			Terms: []wxr.ItemTerm{}, Meta: []wxr.Meta{},
			Comments: []wxr.Comment{{Meta: []wxr.Meta{}}, {Meta: nil}, {Meta: []wxr.Meta{{}}}},
		},
		"numbers": {
			ID: -1 << 63, Parent: 1<<63 - 1, MenuOrder: -1, Sticky: true,
			Comments: []wxr.Comment{{ID: -1, Parent: 1<<63 - 1, UserID: -1 << 63}, {UserID: 1}},
		},
		"unserialised": {Password: "secret", Pos: wxr.Position{File: "x.xml", Line: 3, Col: 4}},
		"long": {
			Content:  strings.Repeat("<p>caf\u00e9 \u2028 & \"x\"\n\xe2\x80</p>", 3000),
			Excerpt:  strings.Repeat("\x80", 5000) + strings.Repeat("\U0001F389", 3000),
			Comments: []wxr.Comment{{Content: strings.Repeat("\x00<>", 4000)}},
		},
	} {
		t.Run(name, func(t *testing.T) { checkItemJSON(t, it) })
	}
	t.Run("strings", func(t *testing.T) {
		for i, s := range oddStrings {
			checkItemJSON(t, stringItem(s, oddStrings[(i+1)%len(oddStrings)], int64(i)))
		}
	})
}

// stringItem puts a and b in the item's strings of every kind, omitted
// ones included.
func stringItem(a, b string, n int64) *wxr.Item {
	return &wxr.Item{
		ID: n, Title: a, Link: b, GUID: a, PubDate: b, Creator: a, Description: b, Content: a + b + a, Excerpt: b,
		PostDate: a, PostDateGMT: b, Modified: a, ModifiedGMT: b, CommentStatus: a, PingStatus: b, Name: a,
		Status: wxr.Status(b), Parent: -n, MenuOrder: int(n), Type: wxr.PostType(a), Password: b, Sticky: n%2 == 0,
		AttachmentURL: a,
		Terms:         []wxr.ItemTerm{{Domain: a, Nicename: b, Name: a}, {}},
		Meta:          []wxr.Meta{{Key: b, Value: a}, {Key: a}},
		Comments: []wxr.Comment{
			{ID: n, Author: a, AuthorEmail: b, AuthorURL: a, AuthorIP: b, Date: a, DateGMT: b, Content: b + a,
				Approved: a, Type: b, Parent: n, UserID: n, Agent: a, Meta: []wxr.Meta{{Key: a, Value: b}}},
			{Content: a},
		},
	}
}

// TestItemJSONExports encodes every item of the exports in testdata and
// of the shared real-world fixtures, as the decoder reads them.
func TestItemJSONExports(t *testing.T) {
	local, _ := filepath.Glob(filepath.Join("..", "testdata", "wxr", "*.xml"))
	if len(local) == 0 {
		t.Fatal("no exports in ../testdata/wxr")
	}
	t.Run("testdata", func(t *testing.T) { checkExports(t, local) })
	t.Run("shared", func(t *testing.T) {
		shared, _ := filepath.Glob(filepath.Join(fixture.Dir(t, "wxr"), "*.xml"))
		if len(shared) == 0 {
			t.Skip("no exports in the shared fixtures: skipping")
		}
		checkExports(t, shared)
	})
}

func checkExports(t *testing.T, files []string) {
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			d := wxr.NewDecoder(f, wxr.Options{Name: filepath.Base(file)})
			items := 0
			for {
				it, err := d.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					// A malformed export ends early: its items read so far still count.
					t.Logf("%d items, then %v", items, err)
					break
				}
				items++
				checkItemJSON(t, it)
			}
			if items == 0 {
				t.Log("no items")
			}
		})
	}
}

func FuzzItemJSON(f *testing.F) {
	for i, s := range oddStrings {
		f.Add(s, oddStrings[(i+1)%len(oddStrings)], int64(i))
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64) {
		checkItemJSON(t, stringItem(a, b, n))
	})
}

// sampleItem is sampleRecord's post as the export has it.
func sampleItem() *wxr.Item {
	r := sampleRecord()
	return &wxr.Item{
		ID: r.ID, Title: r.Title, Link: r.Link, GUID: r.GUID, PubDate: r.PubDate, Creator: r.Author.Login,
		Content: r.Content, PostDate: r.PostDate, PostDateGMT: r.PostDateGMT, Modified: r.Modified, ModifiedGMT: r.ModifiedGMT,
		CommentStatus: r.CommentStatus, PingStatus: r.PingStatus, Name: r.PostName, Status: wxr.StatusPublish, Type: wxr.TypePost,
		Terms: r.Terms,
		Meta:  []wxr.Meta{{Key: "_edit_last", Value: "1"}, {Key: "_thumbnail_id", Value: "2499113"}},
		Comments: []wxr.Comment{{ID: 2499204, Author: "Jo", AuthorURL: "https://reader.example.net/", AuthorIP: "192.0.2.7",
			Date: "2007-06-03 18:16:24", DateGMT: "2007-06-03 18:16:24", Approved: "1", Type: "comment",
			Content: "Café au lait &amp; croissants are worth the detour though."}},
		Pos: r.Source,
	}
}

// BenchmarkSourceSum hashes one post's source, as json.Marshal and
// sha256.Sum256 did it and as sourceSum does; "long" is a post longer than
// the buffer, hashed a chunk at a time.
func BenchmarkSourceSum(b *testing.B) {
	long := sampleItem()
	long.Content = strings.Repeat(long.Content, 20)
	for _, c := range []struct {
		name string
		it   *wxr.Item
	}{{"post", sampleItem()}, {"long", long}} {
		js, _ := json.Marshal(c.it)
		b.Run(c.name+"/marshal", func(b *testing.B) {
			b.SetBytes(int64(len(js)))
			b.ReportAllocs()
			for b.Loop() {
				src, _ := json.Marshal(c.it)
				_ = sha256.Sum256(src)
			}
		})
		b.Run(c.name+"/encoder", func(b *testing.B) {
			b.SetBytes(int64(len(js)))
			b.ReportAllocs()
			for b.Loop() {
				_ = sourceSum(c.it)
			}
		})
	}
}
