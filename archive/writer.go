package archive

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
)

// FS is the file system the writer works in: an output folder that no write
// may leave. RootFS is the real one; tests inject failing ones.
type FS interface {
	MkdirAll(name string, perm fs.FileMode) error
	OpenFile(name string, flag int, perm fs.FileMode) (File, error)
	Rename(oldname, newname string) error
	Remove(name string) error
	RemoveAll(name string) error
	Lstat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	// Open opens a file for reading, for what is read as a stream.
	Open(name string) (io.ReadCloser, error)
}

// File is an open file of an FS.
type File interface {
	io.Writer
	Sync() error
	Close() error
}

// RootFS is an FS confined to a folder by os.Root: no name may escape it,
// through "..", absolute paths or symbolic links.
type RootFS struct{ Root *os.Root }

// OpenRootFS opens (creating it if needed) the folder dir as a RootFS.
func OpenRootFS(dir string) (*RootFS, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &RootFS{Root: r}, nil
}

// MkdirAll implements FS.
func (r *RootFS) MkdirAll(name string, perm fs.FileMode) error { return r.Root.MkdirAll(name, perm) }

// OpenFile implements FS.
func (r *RootFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	return r.Root.OpenFile(name, flag, perm)
}

// Rename implements FS.
func (r *RootFS) Rename(oldname, newname string) error { return r.Root.Rename(oldname, newname) }

// Remove implements FS.
func (r *RootFS) Remove(name string) error { return r.Root.Remove(name) }

// Files lists every regular file and link below the root, slash-separated.
func (r *RootFS) Files() ([]string, error) {
	var names []string
	err := fs.WalkDir(r.Root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	return names, err
}

// RemoveAll implements FS.
func (r *RootFS) RemoveAll(name string) error { return r.Root.RemoveAll(name) }

// Lstat implements FS.
func (r *RootFS) Lstat(name string) (fs.FileInfo, error) { return r.Root.Lstat(name) }

// ReadFile implements FS.
func (r *RootFS) ReadFile(name string) ([]byte, error) { return r.Root.ReadFile(name) }

// Open implements FS.
func (r *RootFS) Open(name string) (io.ReadCloser, error) { return r.Root.Open(name) }

// Sync flushes the file system holding the root to disk.
func (r *RootFS) Sync() error {
	f, err := r.Root.Open(".")
	if err != nil {
		return err
	}
	defer f.Close()
	return syncFS(f)
}

// Close releases the root.
func (r *RootFS) Close() error { return r.Root.Close() }

// Sum is the checksum and size of one written file.
type Sum struct {
	SHA256 string
	Size   int64
}

// Writer writes the archive's files atomically (temporary name in the same
// folder, sync, rename), refuses symbolic links anywhere on the way, and
// records the sha256 of everything it writes for the manifest.
type Writer struct {
	// TempDir is where a large run's checksums are spilled, in temporary
	// files removed at once; "" means the system's. Set it before writing.
	TempDir string

	fs FS

	mu   sync.Mutex
	sums *sumStore // slash path from the output root → checksum
	// dirs holds folders known to exist; made for those this writer made,
	// in which no name can be a link someone planted before the run.
	dirs knownDirs
	old  *Manifest // of the previous run, to skip unchanged files; read-only
	held heldDirs  // folders kept open for writing into
}

// NewWriter returns a Writer over fsys. previous, if not nil, lists the files
// of an earlier run: a file whose bytes did not change is left as it is, so
// a re-run touches only what changed. The caller closes previous, after the
// writer is done with it.
func NewWriter(fsys FS, previous *Manifest) *Writer {
	return &Writer{fs: fsys, sums: newSumStore(), old: previous}
}

// ErrUnsafePath is returned for a path that is absolute, leaves the archive,
// or crosses a symbolic link.
var ErrUnsafePath = errors.New("unsafe path")

// checkName rejects names the archive never produces itself.
func checkName(name string) error {
	if name == "" || path.IsAbs(name) || strings.Contains(name, "\\") || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") {
		return fmt.Errorf("%w: %q", ErrUnsafePath, name)
	}
	return nil
}

// mkdirs creates the folders of name, refusing any that is a symbolic link.
func (w *Writer) mkdirs(dir string) error {
	if dir == "." || dir == "" {
		return nil
	}
	w.mu.Lock()
	_, ok := w.dirs.get(dir)
	w.mu.Unlock()
	if ok {
		return nil
	}
	if err := w.mkdirs(path.Dir(dir)); err != nil {
		return err
	}
	fi, err := w.fs.Lstat(dir)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%w: %s is a symbolic link", ErrUnsafePath, dir)
	case err == nil && !fi.IsDir():
		return fmt.Errorf("%s: exists and is not a folder", dir)
	case err != nil:
		if err := w.fs.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	w.mu.Lock()
	w.dirs.add(dir, false)
	w.mu.Unlock()
	return nil
}

// WriteFile writes data to name atomically.
func (w *Writer) WriteFile(name string, data []byte) error {
	c := content{data: data, sum: sha256.Sum256(data)}
	if w.unchanged(name, c.sum, int64(len(data))) {
		if err := w.record(name, fileSum{sha: c.sum, size: int64(len(data))}); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		return nil
	}
	_, err := w.write(name, c)
	return err
}

// WriteFrom streams r to name atomically, failing if it is larger than max
// bytes (max < 0: no limit), and returns its checksum.
func (w *Writer) WriteFrom(name string, r io.Reader, max int64) (Sum, error) {
	s, err := w.write(name, content{r: r, max: max})
	if err != nil {
		return Sum{}, err
	}
	return s.Sum(), nil
}

// content is what a write puts in a file: bytes in memory, whose digest is
// known already, or a stream, hashed on its way.
type content struct {
	data []byte
	sum  [sha256.Size]byte // of data
	r    io.Reader         // if not nil, the stream, instead of data
	max  int64             // the stream's size cap; < 0: none
}

// copyTo writes c to f and returns what it wrote.
func (c content) copyTo(f io.Writer) (fileSum, error) {
	if c.r == nil {
		n, err := f.Write(c.data)
		return fileSum{sha: c.sum, size: int64(n)}, err
	}
	h := sha256.New()
	n, err := copyLimited(io.MultiWriter(f, h), c.r, c.max)
	s := fileSum{size: n}
	h.Sum(s.sha[:0])
	return s, err
}

func (w *Writer) unchanged(name string, sum [sha256.Size]byte, size int64) bool {
	if old, ok := w.old.sum(name); !ok || old.size == noSum || old.sha != sum {
		return false
	}
	fi, err := w.fs.Lstat(name)
	return err == nil && fi.Mode().IsRegular() && fi.Size() == size
}

// ErrTooLarge is returned when a streamed file exceeds its size cap.
var ErrTooLarge = errors.New("file exceeds the size limit")

func (w *Writer) write(name string, c content) (fileSum, error) {
	if err := checkName(name); err != nil {
		return fileSum{}, err
	}
	if rfs, ok := w.fs.(*RootFS); ok {
		return w.writeInDir(rfs, name, c)
	}
	if err := w.mkdirs(path.Dir(name)); err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	s, err := writeAtomic(w.fs, name, c)
	if err == nil {
		err = w.record(name, s)
	}
	if err != nil {
		return fileSum{}, fmt.Errorf("write %s: %w", name, err)
	}
	return s, nil
}

// writeAtomic writes c to name in fsys under a temporary name, then renames
// it: a killed process never leaves a truncated file under a final name.
func writeAtomic(fsys FS, name string, c content) (fileSum, error) {
	if fi, err := fsys.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Rename would replace the link, not follow it, but a link where the
		// archive expects a file means someone tampered with the folder.
		return fileSum{}, fmt.Errorf("%w: the name is a symbolic link", ErrUnsafePath)
	}
	tmp := path.Join(path.Dir(name), tempName(path.Base(name)))
	f, err := fsys.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileSum{}, err
	}
	// No fsync per file: rename is atomic, and the whole archive is flushed
	// once before the tag manifest declares it finished (see Writer.Flush).
	s, err := c.copyTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = fsys.Rename(tmp, name)
	}
	if err != nil {
		_ = fsys.Remove(tmp)
		return fileSum{}, err
	}
	return s, nil
}

// tempName is the name a file is written under, beside its final name,
// until it is complete.
func tempName(base string) string {
	return ".tmp-" + randomSuffix() + "-" + truncateUTF8(base, 64)
}

// Close releases the folders the writer kept open and its temporary files.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return errors.Join(w.held.close(), w.sums.close())
}

func copyLimited(dst io.Writer, src io.Reader, max int64) (int64, error) {
	if max < 0 {
		return io.Copy(dst, src)
	}
	n, err := io.Copy(dst, io.LimitReader(src, max+1))
	if err == nil && n > max {
		return n, ErrTooLarge
	}
	return n, err
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// writeSpool writes a file outside the record of the run: a bundle waiting
// for its media.
func (w *Writer) writeSpool(name string, data []byte) error {
	_, err := w.write(name, content{data: data, sum: sha256.Sum256(data)})
	if ferr := w.forget(name); err == nil {
		err = ferr
	}
	return err
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// fileSum is Sum as the writer keeps it for every file of the run: the
// digest in binary, half the size of its hex form.
type fileSum struct {
	sha  [sha256.Size]byte
	size int64
}

// Sum returns s as the manifest writes it.
func (s fileSum) Sum() Sum { return Sum{SHA256: hex.EncodeToString(s.sha[:]), Size: s.size} }

// record records the checksum of name. The error is the checksum store's
// first failure to spill, if any: the manifest could not be complete.
func (w *Writer) record(name string, s fileSum) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sums.set(name, s)
	return w.spillIfFull()
}

// forget drops the record of name.
func (w *Writer) forget(name string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sums.delete(name)
	return w.spillIfFull()
}

// spillIfFull moves the newest checksums to disk when they fill the memory
// they may use, and returns the store's failure, if any; w.mu is held.
func (w *Writer) spillIfFull() error {
	if w.sums.full() {
		return w.sums.spill(w.TempDir)
	}
	return w.sums.err
}

// EachWritten calls fn with every file written so far and its checksum,
// sorted by path in byte order, and stops at fn's first error. Files
// written while it runs are not visited; fn may use the writer.
func (w *Writer) EachWritten(fn func(name string, s Sum) error) error {
	return w.eachSum(func(name []byte, s fileSum) error { return fn(string(name), s.Sum()) })
}

// eachSum is EachWritten without a string per name; name is valid only
// during the call.
func (w *Writer) eachSum(fn func(name []byte, s fileSum) error) error {
	it, err := w.sumIter()
	if err != nil {
		return err
	}
	defer it.close()
	for {
		e, ok, err := it.next()
		if err != nil || !ok {
			return err
		}
		if err := fn(e.name, e.sum); err != nil {
			return err
		}
	}
}

// sumIter returns an iterator over the checksums recorded so far; it reads
// without the writer's lock, which its close takes.
func (w *Writer) sumIter() (*sumIter, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	it, err := w.sums.iter()
	if err != nil {
		return nil, err
	}
	done := it.done
	it.done = func() {
		w.mu.Lock()
		done()
		w.mu.Unlock()
	}
	return it, nil
}

// SumOf returns the checksum of a file written in this run.
func (w *Writer) SumOf(name string) (Sum, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	s, ok := w.sums.get(name)
	if !ok {
		return Sum{}, false
	}
	return s.Sum(), true
}

// Has reports whether name was written in this run.
func (w *Writer) Has(name string) bool {
	_, ok := w.SumOf(name)
	return ok
}

// Flush asks the file system to write everything to disk, where it can.
func (w *Writer) Flush() error {
	if s, ok := w.fs.(interface{ Sync() error }); ok {
		return s.Sync()
	}
	return nil
}

// Rename moves a file written in this run, keeping its checksum record.
func (w *Writer) Rename(from, to string) error {
	if err := checkName(from); err != nil {
		return err
	}
	if err := checkName(to); err != nil {
		return err
	}
	if err := w.mkdirs(path.Dir(to)); err != nil {
		return err
	}
	if err := w.fs.Rename(from, to); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.sums.get(from); ok {
		w.sums.delete(from)
		w.sums.set(to, s)
	}
	return w.spillIfFull()
}

// Adopt records a file already in place (kept from an earlier run) as part
// of this run, hashing it.
func (w *Writer) Adopt(name string) (Sum, error) {
	if s, ok := w.SumOf(name); ok {
		return s, nil
	}
	data, err := w.fs.ReadFile(name)
	if err != nil {
		return Sum{}, err
	}
	s := fileSum{sha: sha256.Sum256(data), size: int64(len(data))}
	if err := w.record(name, s); err != nil {
		return Sum{}, err
	}
	return s.Sum(), nil
}

// Keep records a file of the previous run, unchanged, as part of this run,
// trusting its checksum in the previous manifest (verify re-checks it): a
// large capture file is not read again.
func (w *Writer) Keep(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	sum, ok := w.old.sum(name)
	if !ok || sum.size == noSum {
		_, err := w.Adopt(name)
		return err
	}
	fi, err := w.fs.Lstat(name)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: %s is not a regular file", ErrUnsafePath, name)
	}
	sum.size = fi.Size()
	return w.record(name, sum)
}

// ReadFile reads a file of the output folder.
func (w *Writer) ReadFile(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	return w.fs.ReadFile(name)
}

// Remove deletes a file of an earlier run that this run no longer produces.
func (w *Writer) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := w.fs.Remove(name)
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if ferr := w.forget(name); err == nil {
		err = ferr
	}
	return err
}

// AtomicFile is a file being written under a temporary name; Close puts it
// in place, Abort throws it away.
type AtomicFile struct {
	w    *Writer
	name string
	pw   *io.PipeWriter
	done chan error
}

// Create starts writing name as a stream (a WARC capture, say), atomically:
// nothing appears under name until Close succeeds.
func (w *Writer) Create(name string) (*AtomicFile, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	f := &AtomicFile{w: w, name: name, pw: pw, done: make(chan error, 1)}
	go func() {
		_, err := w.write(name, content{r: pr, max: -1})
		pr.CloseWithError(err)
		f.done <- err
	}()
	return f, nil
}

// Write implements io.Writer.
func (f *AtomicFile) Write(p []byte) (int, error) { return f.pw.Write(p) }

// Close finishes the file and renames it into place.
func (f *AtomicFile) Close() error {
	f.pw.Close()
	return <-f.done
}

// Abort discards the file.
func (f *AtomicFile) Abort(err error) {
	if err == nil {
		err = errors.New("aborted")
	}
	f.pw.CloseWithError(err)
	<-f.done
}
