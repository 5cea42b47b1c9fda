package archive

import (
	"io"
	"io/fs"
)

// DiscardFS is an FS that keeps nothing: what is written to it is thrown
// away, folders and renames succeed, and it holds no file. A dry run writes
// through it to learn what a real run would write without touching the disk.
type DiscardFS struct{}

var _ FS = DiscardFS{}

// MkdirAll implements FS; it creates nothing.
func (DiscardFS) MkdirAll(string, fs.FileMode) error { return nil }

// OpenFile implements FS: the file swallows every byte.
func (DiscardFS) OpenFile(string, int, fs.FileMode) (File, error) { return discardFile{}, nil }

// Rename implements FS; there is nothing to move.
func (DiscardFS) Rename(string, string) error { return nil }

// Remove implements FS; there is nothing to remove.
func (DiscardFS) Remove(string) error { return nil }

// RemoveAll implements FS; there is nothing to remove.
func (DiscardFS) RemoveAll(string) error { return nil }

// Lstat implements FS: no name exists.
func (DiscardFS) Lstat(name string) (fs.FileInfo, error) {
	return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrNotExist}
}

// ReadFile implements FS: no file exists, so a dry run looks like a first run.
func (DiscardFS) ReadFile(name string) ([]byte, error) {
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// Open implements FS: no file exists.
func (DiscardFS) Open(name string) (io.ReadCloser, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// discardFile is a File that swallows what it is given.
type discardFile struct{}

func (discardFile) Write(p []byte) (int, error) { return len(p), nil }
func (discardFile) Sync() error                 { return nil }
func (discardFile) Close() error                { return nil }
