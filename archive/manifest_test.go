package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// hexOf is a checksum made of one hex digit repeated.
func hexOf(c byte) string { return strings.Repeat(string(c), 64) }

// manifestPairs lists m through Each.
func manifestPairs(t testing.TB, m *Manifest) [][2]string {
	t.Helper()
	var got [][2]string
	if err := m.Each(func(name, sum string) error {
		got = append(got, [2]string{name, sum})
		return nil
	}); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return got
}

// checkManifest compares m with want (name → sum) through Len, Sum and Each.
func checkManifest(t testing.TB, m *Manifest, want map[string]string) {
	t.Helper()
	if m.Len() != len(want) {
		t.Errorf("Len = %d, want %d", m.Len(), len(want))
	}
	var sorted [][2]string
	for name, sum := range want {
		sorted = append(sorted, [2]string{name, sum})
		if got, ok := m.Sum(name); !ok || got != sum {
			t.Errorf("Sum(%q) = %q, %v; want %q", name, got, ok, sum)
		}
	}
	slices.SortFunc(sorted, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	if got := manifestPairs(t, m); !slices.Equal(got, sorted) {
		t.Errorf("Each gave %q,\nwant %q", got, sorted)
	}
	for _, name := range []string{"absent", "", "data/zzz"} {
		if _, listed := want[name]; listed {
			continue
		}
		if got, ok := m.Sum(name); ok {
			t.Errorf("Sum(%q) = %q, true for a name not listed", name, got)
		}
	}
	if err := m.Err(); err != nil {
		t.Errorf("Err: %v", err)
	}
}

func TestReadManifest(t *testing.T) {
	a, b, c := hexOf('a'), hexOf('b'), hexOf('c')
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{name: "empty", in: "", want: map[string]string{}},
		{name: "blank lines", in: "\n  \n\t\n", want: map[string]string{}},
		{name: "one", in: a + "  data/a.md\n", want: map[string]string{"data/a.md": a}},
		{name: "no final newline", in: a + "  data/a.md", want: map[string]string{"data/a.md": a}},
		{
			name: "sorted",
			in:   a + "  bagit.txt\n" + b + "  data/a.md\n" + c + "  data/b.md\n",
			want: map[string]string{"bagit.txt": a, "data/a.md": b, "data/b.md": c},
		},
		{
			name: "unsorted",
			in:   c + "  data/z.md\n" + a + "  data/a.md\n" + b + "  data/m.md\n" + a + "  bagit.txt\n",
			want: map[string]string{"data/z.md": c, "data/a.md": a, "data/m.md": b, "bagit.txt": a},
		},
		{
			name: "duplicates, the last wins",
			in:   a + "  data/a.md\n" + b + "  data/b.md\n" + c + "  data/a.md\n" + a + "  data/c.md\n" + b + "  data/a.md\n",
			want: map[string]string{"data/a.md": b, "data/b.md": b, "data/c.md": a},
		},
		{
			name: "escapes",
			in:   a + "  data/100%25.md\n" + b + "  data/two%0Alines.md\n" + c + "  data/cr%0dlf%0A.md\n" + a + "  data/%2525.md\n",
			want: map[string]string{"data/100%.md": a, "data/two\nlines.md": b, "data/cr\rlf\n.md": c, "data/%25.md": a},
		},
		{
			name: "escaped and plain spelling of one name",
			in:   a + "  data/a%25b\n" + b + "  data/a%b\n",
			want: map[string]string{"data/a%b": b},
		},
		{
			name: "binary mode and extra spaces",
			in:   a + " *data/a.md\n" + b + "    data/b c.md\n",
			want: map[string]string{"data/a.md": a, "data/b c.md": b},
		},
		{
			name: "upper-case checksum",
			in:   strings.ToUpper(hexOf('e')) + "  data/a.md\n",
			want: map[string]string{"data/a.md": hexOf('e')},
		},
		{
			name: "not a sha256: listed, without a checksum",
			in:   "abc  data/short.md\n" + strings.Repeat("g", 64) + "  data/nothex.md\n" + a + "  data/ok.md\n",
			want: map[string]string{"data/short.md": "", "data/nothex.md": "", "data/ok.md": a},
		},
		{
			name:    "no separator",
			in:      a + "  data/a.md\n\n" + b + "\n",
			wantErr: ManifestFile + ":3: not",
		},
	}
	for _, tc := range tests {
		for _, limit := range []int{0, 1, 2, 3} {
			t.Run(fmt.Sprintf("%s/limit=%d", tc.name, limit), func(t *testing.T) {
				m, err := readManifest(strings.NewReader(tc.in), t.TempDir(), limit)
				if tc.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
						t.Fatalf("err = %v, want %q", err, tc.wantErr)
					}
					if m != nil {
						t.Errorf("a manifest with the error")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer m.Close()
				checkManifest(t, m, tc.want)
			})
		}
	}
}

// TestReadManifestLarge compares manifests of many names, in random order
// and with duplicates, spilled every few lines, with a map.
func TestReadManifestLarge(t *testing.T) {
	tests := []struct {
		name   string
		lines  int
		names  int
		limit  int
		sorted bool
	}{
		{"in memory", 3000, 1000, 0, false},
		{"spill every line", 300, 200, 1, false},
		{"spill every 7", 3000, 1000, 7, false},
		{"sorted, spill every 64", 3000, 3000, 64, true},
		{"mostly duplicates", 5000, 50, 16, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.lines)))
			want := map[string]string{}
			var in strings.Builder
			for i := range tc.lines {
				k := rng.IntN(tc.names)
				if tc.sorted {
					k = i
				}
				name := fmt.Sprintf("data/posts/%05d/index.md", k)
				if k%10 == 3 {
					name += "\n%" // escaped in the file
				}
				sum := fmt.Sprintf("%064x", rng.Uint64())
				want[name] = sum
				fmt.Fprintf(&in, "%s  %s\n", sum, bagEscape(name))
			}
			m, err := readManifest(strings.NewReader(in.String()), t.TempDir(), tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if tc.limit > 0 && len(m.store.runs) > 1 {
				t.Errorf("%d runs after reading, want at most one", len(m.store.runs))
			}
			checkManifest(t, m, want)
		})
	}
}

func TestManifestNil(t *testing.T) {
	var m *Manifest
	if m.Len() != 0 {
		t.Errorf("Len = %d", m.Len())
	}
	if s, ok := m.Sum("data/a.md"); ok || s != "" {
		t.Errorf("Sum = %q, %v", s, ok)
	}
	if err := m.Each(func(string, string) error { return errors.New("called") }); err != nil {
		t.Errorf("Each: %v", err)
	}
	if err := m.Err(); err != nil {
		t.Errorf("Err: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestManifestEachStops(t *testing.T) {
	in := hexOf('a') + "  a\n" + hexOf('b') + "  b\n" + hexOf('c') + "  c\n"
	for _, limit := range []int{0, 1} {
		m, err := readManifest(strings.NewReader(in), t.TempDir(), limit)
		if err != nil {
			t.Fatal(err)
		}
		stop := errors.New("stop")
		var seen []string
		err = m.Each(func(name, _ string) error {
			seen = append(seen, name)
			if name == "b" {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || !slices.Equal(seen, []string{"a", "b"}) {
			t.Errorf("limit %d: Each = %v after %q, want stop after [a b]", limit, err, seen)
		}
		if err := m.Close(); err != nil {
			t.Errorf("limit %d: Close: %v", limit, err)
		}
		if m.Len() != 0 || len(manifestPairs(t, m)) != 0 {
			t.Errorf("limit %d: names left after Close", limit)
		}
	}
}

// TestManifestConcurrent looks names up from several goroutines while
// another goes through the manifest, as a run's workers and its end do.
func TestManifestConcurrent(t *testing.T) {
	var in strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&in, "%064x  data/%04d\n", i, i)
	}
	m, err := readManifest(strings.NewReader(in.String()), t.TempDir(), 16)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < 2000; i += 4 {
				if s, ok := m.Sum(fmt.Sprintf("data/%04d", i)); !ok || s != fmt.Sprintf("%064x", i) {
					t.Errorf("Sum(data/%04d) = %q, %v", i, s, ok)
					return
				}
			}
		})
	}
	n := 0
	err = m.Each(func(name, sum string) error {
		if s, ok := m.Sum(name); !ok || s != sum {
			return fmt.Errorf("Sum(%s) = %q, %v during Each, which gave %q", name, s, ok, sum)
		}
		n++
		return nil
	})
	wg.Wait()
	if err != nil || n != 2000 {
		t.Errorf("Each: %v after %d names", err, n)
	}
}

func TestReadManifestSpillFails(t *testing.T) {
	in := hexOf('a') + "  a\n" + hexOf('b') + "  b\n" + hexOf('c') + "  c\n"
	gone := filepath.Join(t.TempDir(), "gone")
	m, err := readManifest(strings.NewReader(in), gone, 1)
	if !errors.Is(err, ErrSpill) || m != nil {
		t.Errorf("readManifest into a missing folder = %v, %v; want ErrSpill", m, err)
	}
	// A manifest small enough for memory needs no folder.
	m, err = readManifest(strings.NewReader(in), gone, 0)
	if err != nil {
		t.Fatal(err)
	}
	checkManifest(t, m, map[string]string{"a": hexOf('a'), "b": hexOf('b'), "c": hexOf('c')})
	m.Close()
}

func TestReadManifestFS(t *testing.T) {
	dir := t.TempDir()
	fsys, err := OpenRootFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if m, err := ReadManifest(fsys, t.TempDir()); !errors.Is(err, fs.ErrNotExist) || m != nil {
		t.Errorf("no manifest: %v, %v; want fs.ErrNotExist", m, err)
	}
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte(hexOf('a')+"  data/a.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadManifest(fsys, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	checkManifest(t, m, map[string]string{"data/a.md": hexOf('a')})
}

// TestWriterPreviousManifest: a file whose checksum the previous manifest
// lists is left alone when rewritten with the same bytes, and Keep trusts
// the manifest, unless its checksum is unreadable.
func TestWriterPreviousManifest(t *testing.T) {
	for _, limit := range []int{0, 1} {
		t.Run(fmt.Sprintf("limit=%d", limit), func(t *testing.T) {
			same, changed, kept, bad := []byte("same\n"), []byte("changed\n"), []byte("kept\n"), []byte("bad\n")
			in := sha256Hex(same) + "  data/same.md\n" + sha256Hex([]byte("was\n")) + "  data/changed.md\n" +
				hexOf('f') + "  data/kept.bin\n" + "zz  data/bad.bin\n"
			prev, err := readManifest(strings.NewReader(in), t.TempDir(), limit)
			if err != nil {
				t.Fatal(err)
			}
			defer prev.Close()
			w, dir := newTestWriter(t, prev)
			for name, data := range map[string][]byte{"data/same.md": same, "data/changed.md": changed, "data/kept.bin": kept, "data/bad.bin": bad} {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			before, err := os.Stat(filepath.Join(dir, "data", "same.md"))
			if err != nil {
				t.Fatal(err)
			}
			beforeChanged, err := os.Stat(filepath.Join(dir, "data", "changed.md"))
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteFile("data/same.md", same); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteFile("data/changed.md", changed); err != nil {
				t.Fatal(err)
			}
			after, _ := os.Stat(filepath.Join(dir, "data", "same.md"))
			afterChanged, _ := os.Stat(filepath.Join(dir, "data", "changed.md"))
			if !os.SameFile(before, after) {
				t.Errorf("an unchanged file was written again")
			}
			if os.SameFile(beforeChanged, afterChanged) {
				t.Errorf("a changed file was left in place")
			}
			for _, name := range []string{"data/kept.bin", "data/bad.bin"} {
				if err := w.Keep(name); err != nil {
					t.Fatalf("Keep(%s): %v", name, err)
				}
			}
			if s, _ := w.SumOf("data/kept.bin"); s.SHA256 != hexOf('f') || s.Size != int64(len(kept)) {
				t.Errorf("kept: %+v, want the manifest's checksum and the file's size", s)
			}
			if s, _ := w.SumOf("data/bad.bin"); s.SHA256 != sha256Hex(bad) || s.Size != int64(len(bad)) {
				t.Errorf("kept without a checksum: %+v, want the file hashed", s)
			}
		})
	}
}

// TestRerunSpilledManifest: a re-run whose previous manifest spills to
// temporary files every few names changes nothing, and removes what it no
// longer writes.
func TestRerunSpilledManifest(t *testing.T) {
	in := sharedFixture(t, "wxr/wptt__themeunittestdata.wordpress.xml")
	out := filepath.Join(t.TempDir(), "out")
	if run := runArchive(t, out, []string{in}, func(o *Options) { o.Jobs = 2 }); run.err != nil {
		t.Fatal(run.err)
	}
	first := snapshot(t, out)
	stale := filepath.Join(out, PayloadDir, "posts", "stale.md")
	if err := os.WriteFile(stale, []byte("stale\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := filepath.Join(out, ManifestFile)
	f, err := os.OpenFile(manifest, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "%s  %s/posts/stale.md\n", sha256Hex([]byte("stale\n")), PayloadDir)
	f.Close()
	tmp := t.TempDir()
	if run := runArchive(t, out, []string{in}, func(o *Options) { o.Jobs, o.spillAt, o.TempDir = 2, 3, tmp }); run.err != nil {
		t.Fatalf("re-run: %v", run.err)
	}
	sameTree(t, "first run vs re-run", first, snapshot(t, out))
	if left, err := os.ReadDir(tmp); err != nil || len(left) > 0 {
		t.Errorf("temporary files left: %v %v", left, err)
	}
}
