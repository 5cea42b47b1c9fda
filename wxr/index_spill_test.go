package wxr

import (
	"encoding/binary"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
)

func TestIndexAttachments(t *testing.T) {
	for _, spillAt := range []int{0, 7} {
		t.Run("spill="+strconv.Itoa(spillAt), func(t *testing.T) {
			idx := newTestIndex(t, spillAt)
			want := map[int64][]int64{}
			// Descending, so that spills overlap and runs are merged.
			for id := int64(300); id > 0; id-- {
				e := Entry{ID: id, Type: TypePost}
				if id%3 != 0 {
					e.Type, e.Parent = TypeAttachment, id%5
					if e.Parent != 0 {
						want[e.Parent] = append(want[e.Parent], id)
					}
				}
				idx.Add(e)
			}
			for parent := int64(0); parent < 6; parent++ {
				var got []int64
				idx.Attachments(parent, func(e Entry) bool {
					got = append(got, e.ID)
					return true
				})
				w := want[parent]
				slices.Sort(w)
				if !slices.Equal(got, w) {
					t.Errorf("Attachments(%d) = %v, want %v", parent, got, w)
				}
			}
			n := 0
			idx.Attachments(1, func(Entry) bool { n++; return n < 2 })
			if n != 2 {
				t.Errorf("Attachments went on after false: %d calls", n)
			}
			if err := idx.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestIndexSpillExtends checks that an export in id order ends as one run,
// and that out-of-order spills are merged past maxRuns.
func TestIndexSpillExtends(t *testing.T) {
	tests := []struct {
		name     string
		ids      func(i int) int64
		wantRuns func(int) bool
	}{
		{"ascending", func(i int) int64 { return int64(i) }, func(n int) bool { return n == 1 }},
		{"descending", func(i int) int64 { return int64(100000 - i) }, func(n int) bool { return n >= 1 && n <= maxRuns }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := newTestIndex(t, 10)
			for i := range 1000 {
				idx.Add(Entry{ID: tt.ids(i), Title: strconv.Itoa(i)})
			}
			if n := len(idx.spill.runs); !tt.wantRuns(n) {
				t.Errorf("%d runs", n)
			}
			if idx.Len() != 1000 {
				t.Errorf("Len = %d", idx.Len())
			}
		})
	}
}

func TestIndexSpillConcurrentGet(t *testing.T) {
	idx := newTestIndex(t, 50)
	for i := range 5000 {
		idx.Add(Entry{ID: int64(i * 3), Name: "n" + strconv.Itoa(i), Metadata: string(make([]byte, i%300))})
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < 5000; i += 7 {
				e, ok := idx.Get(int64(i * 3))
				if !ok || e.Name != "n"+strconv.Itoa(i) || len(e.Metadata) != i%300 {
					t.Errorf("Get(%d) = %+v, %v", i*3, e.Name, ok)
					return
				}
				if _, ok := idx.Get(int64(i*3 + 1)); ok {
					t.Errorf("Get(%d) found an entry never added", i*3+1)
					return
				}
			}
			n := 0
			idx.Range(func(Entry) bool { n++; return true })
			if n != 5000 {
				t.Errorf("Range gave %d entries", n)
			}
		})
	}
	wg.Wait()
}

func TestIndexSpillError(t *testing.T) {
	idx := NewSpillingIndex(filepath.Join(t.TempDir(), "missing"), 4)
	defer idx.Close()
	for i := range 10 {
		idx.Add(Entry{ID: int64(i)})
	}
	if idx.Err() == nil {
		t.Fatal("no error from a spill into a missing folder")
	}
}

// FuzzIndexSpill drives an index that spills every few entries and a map
// with the same additions, and compares lookups and the ordered walk.
func FuzzIndexSpill(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, uint8(3))
	f.Add([]byte{200, 100, 50, 25, 12, 6, 3, 1, 2, 4, 8, 16, 32, 64, 128}, uint8(2))
	f.Add([]byte{5, 5, 5, 1, 1, 9, 0, 255, 254, 3}, uint8(1))
	f.Fuzz(func(t *testing.T, ops []byte, at uint8) {
		idx := NewSpillingIndex(t.TempDir(), int(at%16)+1)
		defer idx.Close()
		want := map[int64]Entry{}
		for i, op := range ops {
			id := int64(op) - 100
			e := Entry{ID: id, Name: strconv.Itoa(i), Parent: int64(op % 4)}
			if op%2 == 0 {
				e.Type = TypeAttachment
			}
			_, dup := want[id]
			if added := idx.Add(e); added == dup {
				t.Fatalf("Add(%d) = %v, duplicate %v", id, added, dup)
			}
			if !dup {
				want[id] = e
			}
			if i%5 == 4 {
				idx.Slim(func(e *Entry) {})
			}
		}
		if err := idx.Err(); err != nil {
			t.Fatal(err)
		}
		for id := int64(-101); id < 157; id++ {
			got, ok := idx.Get(id)
			w, has := want[id]
			if ok != has || got != w {
				t.Fatalf("Get(%d) = %+v, %v; want %+v, %v", id, got, ok, w, has)
			}
		}
		var ids []int64
		idx.Range(func(e Entry) bool { ids = append(ids, e.ID); return true })
		if len(ids) != len(want) || !slices.IsSorted(ids) {
			t.Fatalf("Range = %v, %d entries wanted", ids, len(want))
		}
		for parent := int64(1); parent < 4; parent++ {
			var got []int64
			idx.Attachments(parent, func(e Entry) bool { got = append(got, e.ID); return true })
			var w []int64
			for _, id := range ids {
				if e := want[id]; e.Type == TypeAttachment && e.Parent == parent {
					w = append(w, id)
				}
			}
			if !slices.Equal(got, w) {
				t.Fatalf("Attachments(%d) = %v, want %v", parent, got, w)
			}
		}
	})
}

func TestDecodeEntryCorrupt(t *testing.T) {
	var names interner
	good, _ := encodeEntry(nil, nil, &Entry{ID: 7, Title: "t"}, &names)
	long := slices.Clone(good)
	binary.PutUvarint(long[headerSize:], 1000)
	for _, data := range [][]byte{nil, good[:headerSize-1], good[:len(good)-1], long} {
		if _, _, err := decodeEntry(data, 0, &names); err == nil {
			t.Errorf("decodeEntry(%x) gave no error", data)
		}
		if _, _, err := entryID(data, 0); err == nil {
			t.Errorf("entryID(%x) gave no error", data)
		}
	}
	e, next, err := decodeEntry(good, 0, &names)
	if err != nil || e.ID != 7 || e.Title != "t" || next != len(good) {
		t.Errorf("decodeEntry = %+v, %d, %v", e, next, err)
	}
}
