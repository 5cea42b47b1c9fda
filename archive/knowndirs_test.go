package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestKnownDirs follows a generation of two folders through additions,
// lookups that keep a folder and rotations that drop the others.
func TestKnownDirs(t *testing.T) {
	k := knownDirs{limit: 2}
	steps := []struct {
		op        string // "add" (made: true/false) or "get"
		dir       string
		made      bool
		wantMade  bool
		wantKnown bool
	}{
		{"add", "a", false, false, true},
		{"add", "b", true, true, true},
		{"add", "a", true, true, true}, // made once known: made wins
		{"get", "a", false, true, true},
		{"add", "c", false, false, true}, // rotates: a and b are the old generation
		{"get", "a", false, true, true},  // kept, back in the new one
		{"add", "d", false, false, true}, // rotates: b is dropped
		{"get", "b", false, false, false},
		{"get", "a", false, true, true},
		{"get", "c", false, false, true},
		{"add", "b", false, false, true}, // forgotten: not made any more
		{"get", "zz", false, false, false},
	}
	for i, s := range steps {
		var made, known bool
		switch s.op {
		case "add":
			made, known = k.add(s.dir, s.made), true
		case "get":
			made, known = k.get(s.dir)
		}
		if made != s.wantMade || known != s.wantKnown {
			t.Errorf("step %d: %s %s = made %v, known %v; want %v, %v", i, s.op, s.dir, made, known, s.wantMade, s.wantKnown)
		}
		if n := len(k.cur) + len(k.old); n > 2*k.limit {
			t.Errorf("step %d: %d folders held, want at most %d", i, n, 2*k.limit)
		}
	}
}

// TestWriterForgetsFolders writes into more folders than the writer
// remembers, then goes back to forgotten ones: they are written into as
// before, but one replaced by a link meanwhile is refused.
func TestWriterForgetsFolders(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	w.dirs.limit = 2
	outside := t.TempDir()
	name := func(i int) string { return fmt.Sprintf("data/posts/b%d/index.md", i) }
	n := 3*maxOpenDirs + 1
	for round := range 2 {
		for i := range n {
			if err := w.WriteFile(name(i), []byte(fmt.Sprint(round, i))); err != nil {
				t.Fatal(err)
			}
		}
		if held := len(w.dirs.cur) + len(w.dirs.old); held > 4 {
			t.Errorf("%d folders remembered, want at most 4", held)
		}
	}
	for i := range n {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name(i))))
		if err != nil || string(got) != fmt.Sprint(1, i) {
			t.Errorf("%s: %q %v", name(i), got, err)
		}
	}
	b0 := filepath.Join(dir, "data", "posts", "b0")
	if err := os.RemoveAll(b0); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, b0); err != nil {
		t.Skip(err)
	}
	if err := w.WriteFile(name(0), []byte("x")); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("write through a planted link: %v, want ErrUnsafePath", err)
	}
	if left, _ := os.ReadDir(outside); len(left) > 0 {
		t.Errorf("written through the link: %v", left)
	}
}
