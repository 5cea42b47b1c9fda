package wxr

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestIndexStore(t *testing.T) {
	tests := []struct {
		name string
		n    int
		ids  func(i int) int64
	}{
		{"ascending", 10000, func(i int) int64 { return int64(i + 1) }},
		{"descending", 10000, func(i int) int64 { return int64(10000 - i) }},
		{"shuffled", 20000, func(i int) int64 { return int64(rand.New(rand.NewPCG(1, uint64(i))).Uint32()) }},
		{"few", 3, func(i int) int64 { return int64(-i) }},
	}
	for _, tt := range tests {
		for _, spillAt := range []int{0, 100, 999} {
			t.Run(tt.name+"/spill="+strconv.Itoa(spillAt), func(t *testing.T) {
				testIndexStore(t, newTestIndex(t, spillAt), tt.n, tt.ids)
			})
		}
	}
}

// newTestIndex returns an index held in memory for spillAt 0, else one that
// spills past spillAt entries.
func newTestIndex(t *testing.T, spillAt int) *Index {
	if spillAt == 0 {
		return NewIndex()
	}
	idx := NewSpillingIndex(t.TempDir(), spillAt)
	t.Cleanup(func() {
		if err := idx.Close(); err != nil {
			t.Error(err)
		}
	})
	return idx
}

func testIndexStore(t *testing.T, idx *Index, n int, ids func(int) int64) {
	{
		{
			want := map[int64]Entry{}
			for i := range n {
				e := Entry{
					ID: ids(i), Type: PostType([]string{"post", "page", "attachment", ""}[i%4]), Status: StatusPublish,
					Name: "n" + strconv.Itoa(i), Link: "https://example.org/" + strconv.Itoa(i), Parent: int64(i / 3),
					Metadata: strings.Repeat("m", i%7*100), MimeType: []string{"", "image/png"}[i%2],
					HasPassword: i%5 == 0, MenuOrder: i % 11, Thumbnail: int64(i * 2), Note: strings.Repeat("d", i%3),
				}
				_, dup := want[e.ID]
				if added := idx.Add(e); added == dup {
					t.Fatalf("Add(%d) = %v with duplicate %v", e.ID, added, dup)
				}
				if !dup {
					want[e.ID] = e
				} else if !idx.Duplicate(e.ID) {
					t.Fatalf("Duplicate(%d) = false after a refused Add", e.ID)
				}
			}
			check := func() {
				t.Helper()
				if err := idx.Err(); err != nil {
					t.Fatal(err)
				}
				if idx.Len() != len(want) {
					t.Fatalf("Len = %d, want %d", idx.Len(), len(want))
				}
				for id, w := range want {
					if got, ok := idx.Get(id); !ok || got != w {
						t.Fatalf("Get(%d) = %+v, %v; want %+v", id, got, ok, w)
					}
				}
				last, n := int64(0), 0
				idx.Range(func(e Entry) bool {
					if n > 0 && e.ID <= last {
						t.Fatalf("Range: %d after %d", e.ID, last)
					}
					last, n = e.ID, n+1
					return true
				})
				if n != len(want) {
					t.Fatalf("Range gave %d entries, want %d", n, len(want))
				}
			}
			check()
			idx.merge()
			check()
			idx.Slim(func(e *Entry) { e.Name, e.Metadata = "", "" })
			for id, w := range want {
				w.Name, w.Metadata = "", ""
				want[id] = w
			}
			check()
		}
	}
}

func TestIndexManyNames(t *testing.T) {
	idx := NewIndex()
	const n = 70000 // more distinct types than the interner keeps
	for i := range n {
		idx.Add(Entry{ID: int64(i), Type: PostType("t" + strconv.Itoa(i)), Status: Status("s" + strconv.Itoa(i%3))})
	}
	for _, i := range []int{0, 1, 65534, 65535, 65536, n - 1} {
		e, ok := idx.Get(int64(i))
		if !ok || string(e.Type) != "t"+strconv.Itoa(i) || string(e.Status) != "s"+strconv.Itoa(i%3) {
			t.Errorf("Get(%d) = %+v, %v", i, e, ok)
		}
	}
}
