//go:build linux

package archive

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOpenDirInReplaced: a folder replaced by a link or a file after it was
// checked is refused when it is opened.
func TestOpenDirInReplaced(t *testing.T) {
	base := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(base, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	parent, err := unix.Open(base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(parent)
	if fd, err := openDirIn(parent, "x/link", "link"); !errors.Is(err, ErrUnsafePath) {
		unix.Close(fd)
		t.Errorf("openDirIn(link) = %v, want ErrUnsafePath", err)
	}
	if fd, err := openDirIn(parent, "x/file", "file"); err == nil || !strings.Contains(err.Error(), "x/file: exists and is not a folder") {
		unix.Close(fd)
		t.Errorf("openDirIn(file) = %v, want not a folder", err)
	}
}

// TestWriterManyFolders writes into more bundle folders than it keeps
// open, going back to early ones, and past Close, which leaves no folder
// open.
func TestWriterManyFolders(t *testing.T) {
	w, dir := newTestWriter(t, nil)
	fds := openFiles(t)
	name := func(i int) string { return fmt.Sprintf("data/posts/%d/b%d/index.md", i%3, i) }
	n := 3 * maxRecentDirs
	for round := range 2 {
		for i := range n {
			if err := w.WriteFile(name(i), []byte(fmt.Sprint(round, i))); err != nil {
				t.Fatal(err)
			}
		}
		if got := len(w.held.recent); got > maxRecentDirs {
			t.Errorf("%d bundle folders held, want at most %d", got, maxRecentDirs)
		}
		w.Close()
		if len(w.held.open) != 0 {
			t.Errorf("%d folders held after Close", len(w.held.open))
		}
		if got := openFiles(t); got != fds {
			t.Errorf("%d files open after Close, %d before writing", got, fds)
		}
	}
	for i := range n {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name(i))))
		if err != nil || string(got) != fmt.Sprint(1, i) {
			t.Errorf("%s: %q %v", name(i), got, err)
		}
	}
}

// openFiles counts the process's open descriptors.
func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	return len(fds)
}
