package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newTestWriter returns a Writer over a fresh folder, closed with the test.
func newTestWriter(t testing.TB, previous *Manifest) (*Writer, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	fsys, err := OpenRootFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(fsys, previous)
	t.Cleanup(func() {
		w.Close()
		fsys.Close()
	})
	return w, dir
}

// plainModes returns the modes a file made 0644 and a folder made 0755
// get here, whatever the umask.
func plainModes(t testing.TB) (file, dir fs.FileMode) {
	t.Helper()
	base := t.TempDir()
	if err := os.WriteFile(filepath.Join(base, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(base, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(base, "f"))
	if err != nil {
		t.Fatal(err)
	}
	di, err := os.Stat(filepath.Join(base, "d"))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm(), di.Mode().Perm()
}

// tempFiles lists the temporary files left below dir.
func tempFiles(t testing.TB, dir string) []string {
	t.Helper()
	var left []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
			left = append(left, p)
		}
		return nil
	})
	return left
}

func TestWriterWriteFile(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	files := []struct{ name, data string }{
		{"bagit.txt", "BagIt-Version: 1.0\n"},
		{"data/items.jsonl", "{}\n"},
		{"data/posts/2012/09/a/index.md", "# a\n"},
		{"data/posts/2012/09/a/index.json", "{}"},
		{"data/posts/2012/09/b/index.md", ""},
		{"data/posts/2012/10/a/index.md", strings.Repeat("x", 100_000)},
		{"data/pages/" + strings.Repeat("é", 80) + "/index.md", "long name"},
		{"data/posts/2012/09/a/index.md", "# a, again\n"},
	}
	for _, f := range files {
		if err := w.WriteFile(f.name, []byte(f.data)); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
	}
	want := map[string]string{}
	for _, f := range files {
		want[f.name] = f.data
	}
	fileMode, dirMode := plainModes(t)
	for name, data := range want {
		p := filepath.Join(dir, filepath.FromSlash(name))
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != data {
			t.Errorf("%s: %d bytes on disk, want %d", name, len(got), len(data))
		}
		sum := sha256.Sum256([]byte(data))
		if s, ok := w.SumOf(name); !ok || s.SHA256 != hex.EncodeToString(sum[:]) || s.Size != int64(len(data)) {
			t.Errorf("%s: recorded %+v %v", name, s, ok)
		}
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != fileMode {
			t.Errorf("%s: mode %v", name, perm)
		}
		di, err := os.Lstat(filepath.Dir(p))
		if err != nil {
			t.Fatal(err)
		}
		if perm := di.Mode().Perm(); filepath.Dir(p) != dir && perm != dirMode {
			t.Errorf("%s: folder mode %v", name, perm)
		}
	}
	if got := writtenNames(t, w); len(got) != len(want) {
		t.Errorf("EachWritten: %d names, want %d", len(got), len(want))
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriterRefusesLinks plants symbolic links where the writer goes: it
// must refuse each, naming ErrUnsafePath, and write nothing through it.
func TestWriterRefusesLinks(t *testing.T) {
	cases := []struct {
		name   string
		link   string // planted below the output folder
		inside bool   // the link points to a folder inside the output
		write  string
	}{
		{"top folder", "data", false, "data/items.jsonl"},
		{"parent folder", "data/posts", false, "data/posts/2012/09/a/index.md"},
		{"bundle folder", "data/posts/2012/09/a", false, "data/posts/2012/09/a/index.md"},
		{"bundle folder inside", "data/posts/2012/09/a", true, "data/posts/2012/09/a/index.md"},
		{"file", "data/items.jsonl", false, "data/items.jsonl"},
		{"file at the top", "manifest-sha256.txt", false, "manifest-sha256.txt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			out := filepath.Join(base, "out")
			outside := filepath.Join(base, "outside")
			target := outside
			if tc.inside {
				target = filepath.Join(out, "elsewhere")
			}
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(outside, 0o755); err != nil {
				t.Fatal(err)
			}
			lp := filepath.Join(out, filepath.FromSlash(tc.link))
			if err := os.MkdirAll(filepath.Dir(lp), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, lp); err != nil {
				t.Fatal(err)
			}
			fsys, err := OpenRootFS(out)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			w := NewWriter(fsys, nil)
			defer w.Close()
			err = w.WriteFile(tc.write, []byte("x"))
			if !errors.Is(err, ErrUnsafePath) {
				t.Errorf("WriteFile = %v, want ErrUnsafePath", err)
			}
			for _, d := range []string{outside, target} {
				if got, _ := os.ReadDir(d); len(got) != 0 {
					t.Errorf("written through the link into %s: %v", d, got)
				}
			}
			if fi, err := os.Lstat(lp); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
				t.Errorf("the link was replaced: %v %v", fi, err)
			}
			if left := tempFiles(t, out); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestWriterNotAFolder: a file where a folder must go is an error, not
// something to replace.
func TestWriterNotAFolder(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	if err := os.MkdirAll(filepath.Join(dir, "data", "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "posts", "2012"), []byte("file"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := w.WriteFile("data/posts/2012/09/a/index.md", []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "data/posts/2012: exists and is not a folder") {
		t.Errorf("WriteFile = %v, want the folder named as not a folder", err)
	}
}

// TestWriterExistingFolders: folders and files of an earlier run are
// written into and replaced.
func TestWriterExistingFolders(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	if err := os.MkdirAll(filepath.Join(out, "data", "posts", "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "data", "posts", "a", "index.md"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := OpenRootFS(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	w := NewWriter(fsys, nil)
	defer w.Close()
	for _, name := range []string{"data/posts/a/index.md", "data/posts/a/index.json", "data/posts/b/index.md"} {
		if err := w.WriteFile(name, []byte("new "+name)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil || string(got) != "new "+name {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
}

func TestWriterWriteFrom(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	data := bytes.Repeat([]byte("0123456789"), 50_000)
	s, err := w.WriteFrom("data/media/a.bin", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if s.SHA256 != hex.EncodeToString(sum[:]) || s.Size != int64(len(data)) {
		t.Errorf("WriteFrom = %+v", s)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "data", "media", "a.bin")); err != nil || !bytes.Equal(got, data) {
		t.Errorf("on disk: %d bytes, %v", len(got), err)
	}
	if _, err := w.WriteFrom("data/media/b.bin", bytes.NewReader(data), int64(len(data))-1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("WriteFrom over the cap = %v, want ErrTooLarge", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "data", "media", "b.bin")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file over the cap was put in place: %v", err)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriterCreate(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	f, err := w.Create("data/captures/a.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "part one, ")
	if _, err := os.Lstat(filepath.Join(dir, "data", "captures", "a.warc.gz")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is in place before Close: %v", err)
	}
	fmt.Fprintf(f, "part two")
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "data", "captures", "a.warc.gz")); err != nil || string(got) != "part one, part two" {
		t.Errorf("on disk: %q %v", got, err)
	}
	g, err := w.Create("data/captures/b.warc.gz")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(g, "half")
	g.Abort(nil)
	if _, err := os.Lstat(filepath.Join(dir, "data", "captures", "b.warc.gz")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an aborted file was put in place: %v", err)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriterUnsafeNames(t *testing.T) {
	w, _ := newTestWriter(t, nil)
	for _, name := range []string{"", "/etc/passwd", "../x", "a/../../x", "a\\b", "a//b", "./a"} {
		if err := w.WriteFile(name, []byte("x")); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("WriteFile(%q) = %v, want ErrUnsafePath", name, err)
		}
	}
}

// BenchmarkWriteFile writes 2,000 small files, two to a bundle folder, into
// a fresh output folder, as a run without media does. Besides wall time it
// reports the process's CPU time (user+system) per run.
func BenchmarkWriteFile(b *testing.B) {
	const bundles = 1000
	md := bytes.Repeat([]byte("Some words of a post.\n"), 120)
	js := bytes.Repeat([]byte(`{"key": "value"},`), 200)
	names := make([][2]string, bundles)
	for i := range names {
		dir := fmt.Sprintf("data/posts/%d/%02d/a-post-with-a-title-%d", 2000+i%10, 1+i%12, i)
		names[i] = [2]string{dir + "/index.md", dir + "/index.json"}
	}
	b.SetBytes(int64(bundles * (len(md) + len(js))))
	b.ReportAllocs()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		dir, err := os.MkdirTemp("", "bench-writer-")
		if err != nil {
			b.Fatal(err)
		}
		fsys, err := OpenRootFS(dir)
		if err != nil {
			b.Fatal(err)
		}
		w := NewWriter(fsys, nil)
		start := cpuTime()
		b.StartTimer()
		for _, n := range names {
			if err := w.WriteFile(n[0], md); err != nil {
				b.Fatal(err)
			}
			if err := w.WriteFile(n[1], js); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		cpu += cpuTime() - start
		w.Close()
		fsys.Close()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
