package archive

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSumTable runs the same operations on a sumTable and on a map, with
// the real hash and with one that makes every name collide.
func TestSumTable(t *testing.T) {
	for _, collide := range []bool{false, true} {
		t.Run(fmt.Sprint("collide=", collide), func(t *testing.T) {
			tab := newSumTable()
			if collide {
				tab.hash = func(string) uint64 { return 7 }
			}
			want := map[string]fileSum{}
			sum := func(i int) fileSum { return fileSum{sha: [32]byte{byte(i), byte(i >> 8)}, size: int64(i)} }
			long := strings.Repeat("x", nameChunk+10) // longer than a chunk
			names := []string{"data/a/index.md", "data/a/index.json", "data/b/index.md", "", long, "data/é/index.md"}
			for i := range 300 {
				names = append(names, fmt.Sprintf("data/posts/%03d/index.md", i))
			}
			for i, n := range names {
				tab.set(n, sum(i))
				want[n] = sum(i)
			}
			for i, n := range names {
				switch i % 4 {
				case 0: // deleted
					tab.delete(n)
					delete(want, n)
				case 1: // deleted, then set again
					tab.delete(n)
					tab.set(n, sum(i+1000))
					want[n] = sum(i + 1000)
				case 2: // overwritten
					tab.set(n, sum(i+2000))
					want[n] = sum(i + 2000)
				}
			}
			tab.delete("never set")
			tab.tomb("tombstone only")
			for _, n := range append(names, "never set", "data/a", "tombstone only") {
				got, ok := tab.get(n)
				w, wok := want[n]
				if ok != wok || got != w {
					t.Errorf("get(%.40q) = %v, %v; want %v, %v", n, got, ok, w, wok)
				}
			}
			if _, found, dead := tab.lookup("tombstone only"); !found || !dead {
				t.Errorf("lookup(tombstone only) = found %v, dead %v; want a tombstone", found, dead)
			}
			var wantNames, gotNames []string
			for n := range want {
				wantNames = append(wantNames, n)
			}
			slices.Sort(wantNames)
			for _, e := range tab.sorted() {
				if !e.dead {
					gotNames = append(gotNames, string(e.name))
				}
			}
			if !slices.Equal(gotNames, wantNames) {
				t.Errorf("sorted: %d live names, want %d", len(gotNames), len(wantNames))
			}
		})
	}
}
