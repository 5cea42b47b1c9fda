//go:build linux

package archive

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"golang.org/x/sys/unix"
)

// On Linux the writer works with the folders' descriptors itself rather
// than through os.Root and os.File: each os.Root call checks again what it
// opens, and each os.File asks the poller about a regular file, which it
// never takes. A small file written in a folder the run made costs an
// open, a write, a close and a rename.

// maxOpenDirs bounds the parent folders kept open for the writer's life;
// maxRecentDirs the bundle folders kept open while their files come in.
const (
	maxOpenDirs   = 256
	maxRecentDirs = 64
)

// heldDir is an open folder of the output.
type heldDir struct {
	fd   int
	file *os.File // the output folder itself, opened through os.Root
	// made: this writer created the folder, so no name in it can be a
	// link planted before the run, and none needs checking.
	made bool
	refs int  // writes using it now
	gone bool // dropped from heldDirs: closed when refs reaches 0
}

// heldDirs are the folders a Writer keeps open, by slash path; guarded by
// the writer's lock.
type heldDirs struct {
	open   map[string]*heldDir
	parent int      // entries kept for the writer's life
	recent []string // the others, oldest first
}

// add records d, open and in use, as the folder dir.
func (h *heldDirs) add(dir string, d *heldDir, keep bool) {
	if h.open == nil {
		h.open = map[string]*heldDir{}
	}
	h.open[dir] = d
	if keep && h.parent < maxOpenDirs {
		h.parent++
		return
	}
	h.recent = append(h.recent, dir)
	if len(h.recent) <= maxRecentDirs {
		return
	}
	old := h.recent[0]
	n := copy(h.recent, h.recent[1:])
	h.recent = h.recent[:n]
	if o, ok := h.open[old]; ok {
		delete(h.open, old)
		o.gone = true
		if o.refs == 0 {
			o.close()
		}
	}
}

// close releases every folder; one still in use is released by its last
// user.
func (h *heldDirs) close() error {
	for k, d := range h.open {
		delete(h.open, k)
		d.gone = true
		if d.refs == 0 {
			d.close()
		}
	}
	h.parent, h.recent = 0, h.recent[:0]
	return nil
}

func (d *heldDir) close() {
	if d.file != nil {
		d.file.Close()
		return
	}
	_ = unix.Close(d.fd)
}

// letGo ends a use of d.
func (w *Writer) letGo(d *heldDir) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d.refs--
	if d.gone && d.refs == 0 {
		d.close()
	}
}

// holdDir returns the folder dir of the output, open, created if missing
// and never reached through a symbolic link: every folder is opened in its
// parent's descriptor without following links. letGo releases it. Folders
// opened as the parent of another (keep) stay open: they are few
// (posts/2012/09…) and used again and again; a bundle's own folder stays
// open while a few more bundles are written, long enough for its files.
func (w *Writer) holdDir(rfs *RootFS, dir string, keep bool) (*heldDir, error) {
	w.mu.Lock()
	if d, ok := w.held.open[dir]; ok {
		d.refs++
		w.mu.Unlock()
		return d, nil
	}
	w.mu.Unlock()
	if dir == "." {
		return w.holdRoot(rfs)
	}
	parent, err := w.holdDir(rfs, path.Dir(dir), true)
	if err != nil {
		return nil, err
	}
	defer w.letGo(parent)
	base := path.Base(dir)
	w.mu.Lock()
	made, known := w.dirs.get(dir)
	w.mu.Unlock()
	if !known {
		m, err := mkdirIn(parent.fd, dir, base)
		if err != nil {
			return nil, err
		}
		w.mu.Lock()
		made = w.dirs.add(dir, m)
		w.mu.Unlock()
	}
	fd, err := openDirIn(parent.fd, dir, base)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if d, ok := w.held.open[dir]; ok {
		_ = unix.Close(fd)
		d.refs++
		return d, nil
	}
	d := &heldDir{fd: fd, made: made, refs: 1}
	w.held.add(dir, d, keep)
	return d, nil
}

// holdRoot returns the output folder itself, open.
func (w *Writer) holdRoot(rfs *RootFS) (*heldDir, error) {
	f, err := rfs.Root.Open(".")
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if d, ok := w.held.open["."]; ok {
		f.Close()
		d.refs++
		return d, nil
	}
	d := &heldDir{fd: int(f.Fd()), file: f, refs: 1}
	w.held.add(".", d, true)
	return d, nil
}

// mkdirIn makes the folder base in the folder parent, and reports whether
// it made it; a name already there must be a folder, not a link to one.
func mkdirIn(parent int, dir, base string) (made bool, err error) {
	err = retryEINTR(func() error { return unix.Mkdirat(parent, base, 0o755) })
	if err == nil {
		return true, nil
	}
	if err != unix.EEXIST {
		return false, &fs.PathError{Op: "mkdirat", Path: dir, Err: err}
	}
	return false, checkDirIn(parent, dir, base)
}

// checkDirIn says what is wrong with a name in parent that should be a
// folder, if anything.
func checkDirIn(parent int, dir, base string) error {
	var st unix.Stat_t
	err := retryEINTR(func() error { return unix.Fstatat(parent, base, &st, unix.AT_SYMLINK_NOFOLLOW) })
	switch {
	case err != nil:
		return &fs.PathError{Op: "fstatat", Path: dir, Err: err}
	case st.Mode&unix.S_IFMT == unix.S_IFLNK:
		return fmt.Errorf("%w: %s is a symbolic link", ErrUnsafePath, dir)
	case st.Mode&unix.S_IFMT != unix.S_IFDIR:
		return fmt.Errorf("%s: exists and is not a folder", dir)
	}
	return nil
}

// openDirIn opens the folder base of the folder parent, refusing a link.
func openDirIn(parent int, dir, base string) (int, error) {
	var fd int
	err := retryEINTR(func() (err error) {
		fd, err = unix.Openat(parent, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		return err
	})
	switch err {
	case nil:
		return fd, nil
	case unix.ELOOP, unix.ENOTDIR:
		// Replaced since it was made or checked: say with what.
		if cerr := checkDirIn(parent, dir, base); cerr != nil {
			return -1, cerr
		}
	}
	return -1, &fs.PathError{Op: "openat", Path: dir, Err: err}
}

// writeInDir is write on the real file system, done in the file's own
// folder, held open: every operation names a single component.
func (w *Writer) writeInDir(rfs *RootFS, name string, c content) (fileSum, error) {
	dir, base := path.Dir(name), path.Base(name)
	d, err := w.holdDir(rfs, dir, false)
	if err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	defer w.letGo(d)
	if !d.made {
		// Rename would replace a link, not follow it, but a link where the
		// archive expects a file means someone tampered with the folder.
		var st unix.Stat_t
		err := retryEINTR(func() error { return unix.Fstatat(d.fd, base, &st, unix.AT_SYMLINK_NOFOLLOW) })
		if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
			return fileSum{}, fmt.Errorf("write %s: %w: the name is a symbolic link", name, ErrUnsafePath)
		}
	}
	tmp := tempName(base)
	var fd int
	err = retryEINTR(func() (err error) {
		fd, err = unix.Openat(d.fd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
		return err
	})
	if err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, &fs.PathError{Op: "openat", Path: tmp, Err: err})
	}
	s, err := c.copyTo(fdWriter{fd: fd, name: tmp})
	// Close is not retried on EINTR: Linux has released the descriptor.
	if cerr := unix.Close(fd); err == nil && cerr != nil {
		err = &fs.PathError{Op: "close", Path: tmp, Err: cerr}
	}
	if err == nil {
		err = retryEINTR(func() error { return unix.Renameat(d.fd, tmp, d.fd, base) })
		if err != nil {
			err = &os.LinkError{Op: "renameat", Old: tmp, New: base, Err: err}
		}
	}
	if err != nil {
		_ = unix.Unlinkat(d.fd, tmp, 0)
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	if err := w.record(name, s); err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	return s, nil
}

// fdWriter writes to a file descriptor.
type fdWriter struct {
	fd   int
	name string
}

// Write implements io.Writer, writing all of p or failing.
func (f fdWriter) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := unix.Write(f.fd, p[n:])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return n, &fs.PathError{Op: "write", Path: f.name, Err: err}
		case m == 0:
			return n, io.ErrShortWrite
		}
		n += m
	}
	return n, nil
}

func retryEINTR(f func() error) error {
	for {
		if err := f(); err != unix.EINTR {
			return err
		}
	}
}
