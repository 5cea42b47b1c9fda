//go:build !linux

package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// maxOpenDirs bounds the folders kept open for writing into.
const maxOpenDirs = 256

// heldDirs are the folders a Writer keeps open, by slash path.
type heldDirs struct {
	roots map[string]*os.Root
}

// close releases them; the writer's lock is held.
func (h *heldDirs) close() error {
	for k, r := range h.roots {
		r.Close()
		delete(h.roots, k)
	}
	return nil
}

// writeInDir is write on the real file system, done inside the file's own
// folder: os.Root resolves every component of a path on every call, and for
// an archive of deep bundle folders that was most of the run's time. The
// folders above a bundle stay open; the bundle's own folder is opened once
// per file, and every operation in it names a single component.
func (w *Writer) writeInDir(rfs *RootFS, name string, c content) (fileSum, error) {
	dir, base := path.Dir(name), path.Base(name)
	d, done, err := w.openDir(rfs, dir, false)
	if err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	defer done()
	s, err := writeAtomic(&RootFS{Root: d}, base, c)
	if err == nil {
		err = w.record(name, s)
	}
	if err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	return s, nil
}

// openDir returns the folder dir of the output, created if missing and
// never through a symbolic link; done releases it. Folders opened as the
// parent of another (keep) stay open: they are few (posts/2012/09…) and
// used again and again; a bundle's own folder serves a few files.
func (w *Writer) openDir(rfs *RootFS, dir string, keep bool) (*os.Root, func(), error) {
	if dir == "." {
		return rfs.Root, func() {}, nil
	}
	w.mu.Lock()
	if r, ok := w.held.roots[dir]; ok {
		w.mu.Unlock()
		return r, func() {}, nil
	}
	w.mu.Unlock()
	parent, done, err := w.openDir(rfs, path.Dir(dir), true)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	base := path.Base(dir)
	w.mu.Lock()
	_, known := w.dirs.get(dir)
	w.mu.Unlock()
	if !known {
		if err := parent.Mkdir(base, 0o755); err != nil {
			if !errors.Is(err, fs.ErrExist) {
				return nil, nil, err
			}
			fi, err := parent.Lstat(base)
			switch {
			case err != nil:
				return nil, nil, err
			case fi.Mode()&fs.ModeSymlink != 0:
				return nil, nil, fmt.Errorf("%w: %s is a symbolic link", ErrUnsafePath, dir)
			case !fi.IsDir():
				return nil, nil, fmt.Errorf("%s: exists and is not a folder", dir)
			}
		}
		w.mu.Lock()
		w.dirs.add(dir, false)
		w.mu.Unlock()
	}
	r, err := parent.OpenRoot(base)
	if err != nil {
		return nil, nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.held.roots[dir]; ok {
		r.Close()
		return old, func() {}, nil
	}
	if keep && len(w.held.roots) < maxOpenDirs {
		if w.held.roots == nil {
			w.held.roots = map[string]*os.Root{}
		}
		w.held.roots[dir] = r
		return r, func() {}, nil
	}
	return r, func() { r.Close() }, nil
}
