package archive

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/wparchive/wparchive/wxr/fixture"
)

// sharedFixture is a file of ../shared/fixtures beside the repository, or a skip.
func sharedFixture(t *testing.T, rel string) string { return fixture.Dir(t, filepath.FromSlash(rel)) }

// snapshot reads every file under dir: slash path → bytes.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTree(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	for name, da := range a {
		db, ok := b[name]
		switch {
		case !ok:
			t.Errorf("%s: %s only in the first tree", what, name)
		case !bytes.Equal(da, db):
			t.Errorf("%s: %s differs", what, name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			t.Errorf("%s: %s only in the second tree", what, name)
		}
	}
}

// TestDeterminism: the archive depends on the export alone, not on the
// number of workers, and a re-run into the same folder changes nothing.
func TestDeterminism(t *testing.T) {
	in := sharedFixture(t, "wxr/wptt__themeunittestdata.wordpress.xml")
	base := t.TempDir()
	one, four := filepath.Join(base, "jobs1"), filepath.Join(base, "jobs4")
	for _, r := range []struct {
		out  string
		jobs int
	}{{one, 1}, {four, 4}} {
		run := runArchive(t, r.out, []string{in}, func(o *Options) { o.Jobs = r.jobs })
		if run.err != nil {
			t.Fatalf("jobs=%d: %v", r.jobs, run.err)
		}
	}
	first := snapshot(t, one)
	if len(first) < 10 {
		t.Fatalf("only %d files written", len(first))
	}
	sameTree(t, "jobs=1 vs jobs=4", first, snapshot(t, four))

	// An index and tables that spill to disk every few entries give the
	// same archive.
	spilled := filepath.Join(base, "spilled")
	if run := runArchive(t, spilled, []string{in}, func(o *Options) { o.Jobs, o.spillAt = 2, 3 }); run.err != nil {
		t.Fatalf("spilled index: %v", run.err)
	}
	sameTree(t, "in memory vs spilled", first, snapshot(t, spilled))

	run := runArchive(t, one, []string{in}, func(o *Options) { o.Jobs = 4 })
	if run.err != nil {
		t.Fatalf("re-run: %v", run.err)
	}
	sameTree(t, "first run vs re-run", first, snapshot(t, one))
	if res := verifyDir(t, one); !res.OK() {
		t.Errorf("Verify after the re-run: %v", res.Problems)
	}
}
