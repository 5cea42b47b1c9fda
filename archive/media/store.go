package media

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
)

// Store is where media files are kept, addressed by slash-separated paths
// relative to the payload root ("media/2012/09/name.jpg"). The archive
// writer provides one over its os.Root with atomic writes; DirStore is a
// simple one.
type Store interface {
	// Stat reports the size and hex sha256 of the file at rel, if it exists.
	Stat(rel string) (size int64, sha string, ok bool)
	// Write stores r at rel atomically (never a partial file at rel),
	// creating folders, and returns the bytes written and their hex sha256.
	// On error nothing is left at rel.
	Write(ctx context.Context, rel string, r io.Reader) (n int64, sha string, err error)
	// Rename moves a file written by Write, replacing any file at to.
	Rename(from, to string) error
	// Remove deletes the file (or empty folder) at rel.
	Remove(rel string) error
}

// DirStore is a Store in a folder, confined to it by os.Root so that a
// symlink planted in the folder cannot redirect a write.
type DirStore struct {
	Root *os.Root
}

// Stat implements Store by reading and hashing the file.
func (d DirStore) Stat(rel string) (int64, string, bool) {
	f, err := d.Root.Open(rel)
	if err != nil {
		return 0, "", false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return 0, "", false
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", false
	}
	return n, hex.EncodeToString(h.Sum(nil)), true
}

// Write implements Store: a temporary file beside rel, synced, then renamed.
func (d DirStore) Write(ctx context.Context, rel string, r io.Reader) (int64, string, error) {
	if !fs.ValidPath(rel) {
		return 0, "", fmt.Errorf("store %s: invalid path", rel)
	}
	if err := d.Root.MkdirAll(path.Dir(rel), 0o755); err != nil {
		return 0, "", fmt.Errorf("store %s: %w", rel, err)
	}
	tmp := rel + ".tmp-" + rand.Text()[:8]
	f, err := d.Root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, "", fmt.Errorf("store %s: %w", rel, err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx, r})
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.Root.Rename(tmp, rel)
	}
	if err != nil {
		d.Root.Remove(tmp)
		return 0, "", fmt.Errorf("store %s: %w", rel, err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// Rename implements Store.
func (d DirStore) Rename(from, to string) error {
	if err := d.Root.MkdirAll(path.Dir(to), 0o755); err != nil {
		return fmt.Errorf("store %s: %w", to, err)
	}
	if err := d.Root.Rename(from, to); err != nil {
		return fmt.Errorf("store %s: %w", to, err)
	}
	return nil
}

// Remove implements Store.
func (d DirStore) Remove(rel string) error {
	if err := d.Root.Remove(rel); err != nil {
		return fmt.Errorf("store %s: %w", rel, err)
	}
	return nil
}

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
