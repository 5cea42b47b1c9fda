package spill

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

func TestTable(t *testing.T) {
	tests := []struct {
		name   string
		memory int
		n      int
		keys   uint64 // distinct keys: fewer keys, more pairs per key
	}{
		{"memory", 0, 1000, 50},
		{"spill", 100, 5000, 50},
		{"spill, one key", 10, 3000, 1},
		{"spill, unique keys", 64, 20000, 1 << 40},
		{"spill, block-sized runs", 256, 2600, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := New(t.TempDir(), tt.memory)
			defer tb.Close()
			rng := rand.New(rand.NewPCG(1, 2))
			var want []Pair
			for range tt.n {
				p := Pair{rng.Uint64N(tt.keys), rng.Uint64N(1000)}
				tb.Add(p.Key, p.Value)
				want = append(want, p)
			}
			tb.Seal()
			slices.SortFunc(want, cmpPair)
			if tb.Len() != len(want) {
				t.Fatalf("Len = %d, want %d", tb.Len(), len(want))
			}
			var got []Pair
			tb.Each(func(p Pair) bool { got = append(got, p); return true })
			if !slices.Equal(got, want) {
				t.Fatalf("Each gave %d pairs, not the %d sorted ones", len(got), len(want))
			}
			byKey := map[uint64][]uint64{}
			for _, p := range want {
				byKey[p.Key] = append(byKey[p.Key], p.Value)
			}
			probe := []uint64{0, 1, tt.keys - 1, tt.keys, 1 << 63}
			for k := range byKey {
				probe = append(probe, k)
				if len(probe) > 200 {
					break
				}
			}
			for _, k := range probe {
				var vals []uint64
				tb.Lookup(k, func(v uint64) bool { vals = append(vals, v); return true })
				if !slices.Equal(vals, byKey[k]) {
					t.Fatalf("Lookup(%d) = %v, want %v", k, vals, byKey[k])
				}
			}
			if tt.memory > 0 && len(tb.runs) == 0 || len(tb.runs) > maxRuns {
				t.Errorf("%d runs", len(tb.runs))
			}
			tb.Compact()
			if tt.memory > 0 && len(tb.runs) != 1 {
				t.Errorf("%d runs after Compact", len(tb.runs))
			}
			for _, k := range probe {
				var vals []uint64
				tb.Lookup(k, func(v uint64) bool { vals = append(vals, v); return true })
				if !slices.Equal(vals, byKey[k]) {
					t.Fatalf("after Compact, Lookup(%d) = %v, want %v", k, vals, byKey[k])
				}
			}
			if err := tb.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTableStops(t *testing.T) {
	tb := New(t.TempDir(), 3)
	defer tb.Close()
	for i := range 20 {
		tb.Add(1, uint64(i))
	}
	tb.Seal()
	n := 0
	tb.Lookup(1, func(uint64) bool { n++; return n < 4 })
	tb.Each(func(Pair) bool { n++; return n < 6 })
	if n != 6 {
		t.Errorf("fn called %d times after returning false", n)
	}
}

func TestTableConcurrent(t *testing.T) {
	tb := New(t.TempDir(), 50)
	defer tb.Close()
	for i := range 3000 {
		tb.Add(uint64(i%300), uint64(i))
	}
	tb.Seal()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := g; k < 300; k += 4 {
				n := 0
				tb.Lookup(uint64(k), func(v uint64) bool {
					if v%300 != uint64(k) {
						t.Errorf("Lookup(%d) gave %d", k, v)
					}
					n++
					return true
				})
				if n != 10 {
					t.Errorf("Lookup(%d) gave %d values", k, n)
				}
			}
		})
	}
	wg.Wait()
}

func TestTableError(t *testing.T) {
	tb := New(filepath.Join(t.TempDir(), "missing"), 4)
	defer tb.Close()
	for i := range 10 {
		tb.Add(uint64(i), 0)
	}
	if tb.Err() == nil {
		t.Fatal("no error from a spill into a missing folder")
	}
}

// FuzzTable compares a table that spills every few pairs with a sorted
// slice of the same pairs.
func FuzzTable(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(2))
	f.Add([]byte{9, 9, 9, 9, 0, 0, 255, 1, 9, 3, 3}, uint8(1))
	f.Fuzz(func(t *testing.T, ops []byte, memory uint8) {
		tb := New(t.TempDir(), int(memory%8)+1)
		defer tb.Close()
		var want []Pair
		for i, op := range ops {
			p := Pair{uint64(op % 16), uint64(i)}
			tb.Add(p.Key, p.Value)
			want = append(want, p)
		}
		tb.Seal()
		slices.SortFunc(want, cmpPair)
		var got []Pair
		tb.Each(func(p Pair) bool { got = append(got, p); return true })
		if !slices.Equal(got, want) {
			t.Fatalf("Each = %v, want %v", got, want)
		}
		for k := uint64(0); k < 17; k++ {
			var vals, w []uint64
			tb.Lookup(k, func(v uint64) bool { vals = append(vals, v); return true })
			for _, p := range want {
				if p.Key == k {
					w = append(w, p.Value)
				}
			}
			if !slices.Equal(vals, w) {
				t.Fatalf("Lookup(%d) = %v, want %v", k, vals, w)
			}
		}
	})
}
