package archive

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// sumModel runs operations on a sumStore and on a map, as the Writer does:
// spilling when the store is full.
type sumModel struct {
	t    testing.TB
	s    *sumStore
	dir  string
	want map[string]fileSum
}

func newSumModel(t testing.TB, limit int, dir string) *sumModel {
	s := newSumStore()
	s.limit = limit
	t.Cleanup(func() { s.close() })
	return &sumModel{t: t, s: s, dir: dir, want: map[string]fileSum{}}
}

func (m *sumModel) spillIfFull() {
	m.t.Helper()
	if m.s.full() {
		if err := m.s.spill(m.dir); err != nil {
			m.t.Fatal(err)
		}
	}
}

func (m *sumModel) set(name string, v fileSum) {
	m.t.Helper()
	m.s.set(name, v)
	m.want[name] = v
	m.spillIfFull()
}

func (m *sumModel) delete(name string) {
	m.t.Helper()
	m.s.delete(name)
	delete(m.want, name)
	m.spillIfFull()
}

func (m *sumModel) rename(from, to string) {
	m.t.Helper()
	if v, ok := m.s.get(from); ok {
		m.s.delete(from)
		m.s.set(to, v)
	}
	if v, ok := m.want[from]; ok {
		delete(m.want, from)
		m.want[to] = v
	}
	m.spillIfFull()
}

func (m *sumModel) get(name string) {
	m.t.Helper()
	got, ok := m.s.get(name)
	want, wok := m.want[name]
	if m.s.err != nil {
		m.t.Fatal(m.s.err)
	}
	if ok != wok || got != want {
		m.t.Fatalf("get(%q) = %v, %v; want %v, %v", name, got, ok, want, wok)
	}
}

// check compares every name and the sorted iteration with the map.
func (m *sumModel) check(names []string) {
	m.t.Helper()
	for _, n := range names {
		m.get(n)
	}
	want := make([]string, 0, len(m.want))
	for n := range m.want {
		want = append(want, n)
	}
	slices.Sort(want)
	it, err := m.s.iter()
	if err != nil {
		m.t.Fatal(err)
	}
	defer it.close()
	got := iterAll(m.t, it)
	if len(got) != len(want) {
		m.t.Fatalf("iteration: %d names, want %d", len(got), len(want))
	}
	for i, e := range got {
		if e.name != want[i] || e.sum != m.want[want[i]] {
			m.t.Fatalf("iteration #%d: %q %v, want %q %v", i, e.name, e.sum, want[i], m.want[want[i]])
		}
	}
}

type namedSum struct {
	name string
	sum  fileSum
}

func iterAll(t testing.TB, it *sumIter) []namedSum {
	t.Helper()
	var out []namedSum
	for {
		e, ok, err := it.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return out
		}
		if e.dead {
			t.Fatalf("iteration returned the tombstone of %q", e.name)
		}
		out = append(out, namedSum{string(e.name), e.sum})
	}
}

func testSum(i int) fileSum {
	return fileSum{sha: [32]byte{byte(i), byte(i >> 8), byte(i >> 16), 0xaa}, size: int64(i)}
}

// testNames returns n names sharing prefixes, as bundle paths do, in no
// particular order.
func testNames(n int) []string {
	names := []string{"", "a", "data/é/index.md", strings.Repeat("long/", 300) + "x"}
	for i := len(names); i < n; i++ {
		names = append(names, fmt.Sprintf("data/posts/%d/%02d/p%d/index.%s", 2000+i%13, i%12, i, []string{"md", "json"}[i%2]))
	}
	return names[:n]
}

// TestSumStore runs random sets, overwrites, deletes, renames and gets on
// a store that spills early and on a map, and compares lookups and the
// sorted iteration along the way.
func TestSumStore(t *testing.T) {
	cases := []struct {
		name  string
		limit int
		names int
		ops   int
		del   int // percent of deletions
	}{
		{"in memory", recentSums, 200, 3000, 20},
		{"limit 1", 1, 40, 1000, 20},
		{"limit 2", 2, 100, 3000, 30},
		{"limit 7 few names", 7, 10, 3000, 40},
		{"limit 16 many names", 16, 3000, 8000, 10},
		{"limit 64 mostly deletes", 64, 500, 8000, 60},
		{"limit 100 no deletes", 100, 5000, 10000, 0},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newSumModel(t, tc.limit, t.TempDir())
			names := testNames(tc.names)
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			pick := func() string { return names[rng.IntN(len(names))] }
			for op := range tc.ops {
				switch r := rng.IntN(100); {
				case r < tc.del:
					m.delete(pick())
				case r < tc.del+10:
					m.rename(pick(), pick())
				case r < tc.del+20:
					m.get(pick())
				default:
					m.set(pick(), testSum(op))
				}
				if op%997 == 0 {
					m.check(names)
				}
			}
			m.check(names)
			if tc.limit == recentSums && len(m.s.runs) > 0 {
				t.Errorf("%d runs on disk for a table that was never full", len(m.s.runs))
			}
			total := 0
			for _, r := range m.s.runs {
				total += r.count
				if want := (r.count + fenceEvery - 1) / fenceEvery; len(r.fence) != want {
					t.Errorf("a run of %d records has %d fence entries, want %d", r.count, len(r.fence), want)
				}
			}
			if max := 2*bits.Len(uint(total/max(tc.limit, 1))) + 2; len(m.s.runs) > max {
				t.Errorf("%d runs for %d records, want at most %d", len(m.s.runs), total, max)
			}
		})
	}
}

// TestSumStoreIterSnapshot: an open iterator sees the store as it was; the
// runs it reads are not merged away under it, and merging resumes after.
func TestSumStoreIterSnapshot(t *testing.T) {
	m := newSumModel(t, 4, t.TempDir())
	names := testNames(200)
	for i, n := range names {
		m.set(n, testSum(i))
	}
	snapshot := maps2sorted(m.want)
	it, err := m.s.iter()
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		if i%3 == 0 {
			m.delete(n)
		} else {
			m.set(n, testSum(i+1000))
		}
	}
	before := len(m.s.runs)
	got := iterAll(t, it)
	it.close()
	if !slices.Equal(got, snapshot) {
		t.Errorf("the iterator saw %d names, want the %d of its start", len(got), len(snapshot))
	}
	for i := range 8 {
		m.set(fmt.Sprint("more/", i), testSum(i))
	}
	if len(m.s.runs) >= before {
		t.Errorf("%d runs after the iterator closed, %d while it was open: no merge", len(m.s.runs), before)
	}
	m.check(names)
}

func maps2sorted(m map[string]fileSum) []namedSum {
	var out []namedSum
	for n, v := range m {
		out = append(out, namedSum{n, v})
	}
	slices.SortFunc(out, func(a, b namedSum) int { return strings.Compare(a.name, b.name) })
	return out
}

// TestSumRecCorrupt: a truncated or unknown record is an error, not a
// panic.
func TestSumRecCorrupt(t *testing.T) {
	full := appendSumRec(nil, &sumEntry{name: []byte("data/a"), sum: testSum(300)})
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"length only", full[:1]},
		{"no kind", full[:7]},
		{"short digest", full[:20]},
		{"no size", full[:8+32]},
		{"unknown kind", append(append([]byte{}, full[:7]...), 9)},
		{"huge length", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
	} {
		var e sumEntry
		if n, err := decodeSumRec(tc.b, &e); !errors.Is(err, errCorruptRecord) {
			t.Errorf("%s: %d, %v; want errCorruptRecord", tc.name, n, err)
		}
	}
	var e sumEntry
	if n, err := decodeSumRec(full, &e); err != nil || n != len(full) || string(e.name) != "data/a" || e.sum != testSum(300) || e.dead {
		t.Errorf("whole record: %d, %v, %+v", n, err, e)
	}
}

// FuzzSumStore drives a store with a tiny table from the bytes, two per
// operation, against a map.
func FuzzSumStore(f *testing.F) {
	f.Add([]byte{0, 1, 0, 2, 0, 3, 1, 2, 2, 1, 3, 9})
	f.Add([]byte("\x02set set set del del ren get set"))
	f.Add(bytes.Repeat([]byte{0, 5, 1, 5, 0, 6}, 40))
	f.Add([]byte{5, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 1, 0, 1, 1, 1, 2, 2, 3, 2, 4})
	dir := f.TempDir()
	names := testNames(24)
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) == 0 {
			return
		}
		m := newSumModel(t, int(ops[0]%6)+1, dir)
		ops = ops[1:]
		for i := 0; i+1 < len(ops); i += 2 {
			name := names[int(ops[i+1])%len(names)]
			switch ops[i] % 4 {
			case 0:
				m.set(name, testSum(i))
			case 1:
				m.delete(name)
			case 2:
				m.rename(name, names[(int(ops[i+1])/len(names)+int(ops[i]))%len(names)])
			case 3:
				m.get(name)
			}
		}
		m.check(names)
	})
}

// writtenNames lists what w recorded, in order.
func writtenNames(t testing.TB, w *Writer) []string {
	t.Helper()
	var names []string
	err := w.EachWritten(func(name string, _ Sum) error {
		names = append(names, name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// TestWriterSpilledManifest writes, renames and removes files through a
// writer whose checksums spill to disk every few files and through one
// that keeps them in memory: the bags must be the same, byte for byte.
func TestWriterSpilledManifest(t *testing.T) {
	bag := func(limit int) (string, *Writer) {
		w, dir := newTestWriter(t, nil)
		w.TempDir = t.TempDir()
		w.sums.limit = limit
		for i := range 150 {
			name := fmt.Sprintf("%s/posts/%d/p%d/index.md", PayloadDir, i%5, i)
			if err := w.WriteFile(name, []byte(fmt.Sprint("post ", i))); err != nil {
				t.Fatal(err)
			}
			switch i % 10 {
			case 3:
				if err := w.Rename(name, name+".moved"); err != nil {
					t.Fatal(err)
				}
			case 5:
				if err := w.Remove(name); err != nil {
					t.Fatal(err)
				}
			case 7:
				if err := w.writeSpool(spoolDir+fmt.Sprintf("/%d.md", i), []byte("waiting")); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, n := range []string{PayloadDir + "/odd%name\nwith a line", "outside.txt"} {
			if err := w.WriteFile(n, []byte(n)); err != nil {
				t.Fatal(err)
			}
		}
		if err := writeBag(w, "test", &SiteRecord{Title: "t"}, newReport("test"), true); err != nil {
			t.Fatal(err)
		}
		return dir, w
	}
	memDir, memW := bag(recentSums)
	diskDir, diskW := bag(3)
	if len(memW.sums.runs) != 0 {
		t.Errorf("the in-memory writer spilled %d runs", len(memW.sums.runs))
	}
	if len(diskW.sums.runs) == 0 {
		t.Fatal("the spilling writer never spilled")
	}
	for _, f := range []string{ManifestFile, BagInfoFile, TagManifestFile} {
		a, errA := os.ReadFile(filepath.Join(memDir, f))
		b, errB := os.ReadFile(filepath.Join(diskDir, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs (%v, %v):\n%s\nvs\n%s", f, errA, errB, a, b)
		}
	}
	manifest, _ := os.ReadFile(filepath.Join(diskDir, ManifestFile))
	if lines := bytes.Count(manifest, []byte("\n")); lines != 150-15+1 {
		t.Errorf("manifest: %d lines, want %d", lines, 150-15+1)
	}
	if !bytes.Contains(manifest, []byte("odd%25name%0Awith a line\n")) || bytes.Contains(manifest, []byte("outside.txt")) {
		t.Errorf("manifest escapes or filters wrongly:\n%s", manifest)
	}
	if got, want := writtenNames(t, diskW), writtenNames(t, memW); !slices.Equal(got, want) {
		t.Errorf("EachWritten: %d names spilled, %d in memory", len(got), len(want))
	}
}

// TestWriterSpillConcurrent writes from many goroutines through a writer
// that spills every few files, reading sums and iterating meanwhile; run
// with -race.
func TestWriterSpillConcurrent(t *testing.T) {
	w := NewWriter(DiscardFS{}, nil)
	defer w.Close()
	w.TempDir = t.TempDir()
	w.sums.limit = 5
	const workers, each = 6, 200
	var wg sync.WaitGroup
	errs := make(chan error, workers+1)
	for g := range workers {
		wg.Go(func() {
			for i := range each {
				name := fmt.Sprintf("data/%d/%d/index.md", g, i)
				data := []byte(name)
				if err := w.WriteFile(name, data); err != nil {
					errs <- err
					return
				}
				if s, ok := w.SumOf(name); !ok || s.Size != int64(len(data)) {
					errs <- fmt.Errorf("%s: %v %v right after writing", name, s, ok)
					return
				}
				if i%50 == 0 {
					if err := w.Remove(name); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			prev := ""
			err := w.EachWritten(func(name string, _ Sum) error {
				if name <= prev && prev != "" {
					return fmt.Errorf("%q after %q", name, prev)
				}
				prev = name
				return nil
			})
			if err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	names := writtenNames(t, w)
	if want := workers * (each - each/50); len(names) != want {
		t.Errorf("%d names recorded, want %d", len(names), want)
	}
	if !slices.IsSorted(names) {
		t.Error("names not sorted")
	}
}

// TestWriterSpillFails: a failure to spill is not lost: the write that
// met it and every later one fail, and so does the manifest, naming it.
func TestWriterSpillFails(t *testing.T) {
	w := NewWriter(DiscardFS{}, nil)
	defer w.Close()
	w.TempDir = filepath.Join(t.TempDir(), "missing")
	w.sums.limit = 3
	var failed error
	for i := range 10 {
		if err := w.WriteFile(fmt.Sprintf("data/%d", i), nil); err != nil {
			failed = err
			break
		}
	}
	if failed == nil || !strings.Contains(failed.Error(), "checksums: spill: ") || !errors.Is(failed, os.ErrNotExist) {
		t.Fatalf("writes past the table's size: %v, want a spill error", failed)
	}
	if err := w.WriteFile("data/later", nil); err == nil || !strings.Contains(err.Error(), "checksums: spill: ") {
		t.Errorf("a later write: %v, want the spill error", err)
	}
	if err := writeBag(w, "test", &SiteRecord{}, newReport("test"), true); err == nil || !strings.Contains(err.Error(), "checksums: spill: ") {
		t.Errorf("writeBag: %v, want the spill error", err)
	}
	if err := w.EachWritten(func(string, Sum) error { return nil }); err == nil {
		t.Error("EachWritten: no error after a failed spill")
	}
}

// TestWriterSmallRunInMemory: a run smaller than the table never creates a
// temporary file (here it could not).
func TestWriterSmallRunInMemory(t *testing.T) {
	w := NewWriter(DiscardFS{}, nil)
	defer w.Close()
	w.TempDir = filepath.Join(t.TempDir(), "missing")
	for i := range recentSums - 10 {
		if err := w.WriteFile(fmt.Sprintf("data/%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := writeBag(w, "test", &SiteRecord{}, newReport("test"), true); err != nil {
		t.Fatal(err)
	}
	if len(w.sums.runs) != 0 {
		t.Errorf("%d runs spilled", len(w.sums.runs))
	}
}

// TestWriterClosedAfterSpill: a writer closed with checksums on disk
// refuses to go on rather than forget them; one without goes on.
func TestWriterClosedAfterSpill(t *testing.T) {
	for _, spilled := range []bool{false, true} {
		t.Run(fmt.Sprint("spilled=", spilled), func(t *testing.T) {
			w := NewWriter(DiscardFS{}, nil)
			w.TempDir = t.TempDir()
			if spilled {
				w.sums.limit = 2
			}
			for i := range 5 {
				if err := w.WriteFile(fmt.Sprintf("data/%d", i), nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			err := w.WriteFile("data/after", nil)
			if spilled != (err != nil) {
				t.Errorf("write after Close: %v", err)
			}
		})
	}
}
