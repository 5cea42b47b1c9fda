package archive

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Manifest is the manifest-sha256.txt of an earlier run: the checksum of
// every file it wrote, by path. A re-run consults it for every file it
// writes, to leave unchanged files alone, and goes through it at the end,
// to keep or remove what it did not write. At 50,000 posts it lists
// 125,000 files: held in a map through the run, it cost more memory than
// the rest of the run, so it is a checksum store that spills to sorted
// runs in temporary files, as the writer's own checksums do.
//
// A nil *Manifest is an empty one: there was no earlier run. Sum may be
// called from several goroutines, during Each too; the manifest does not
// change once read.
type Manifest struct {
	mu    sync.Mutex // guards store.get's buffer and the iterators' count
	store *sumStore
	n     int // names, each counted once
}

// noSum is the size a record is given when its checksum is not 64 hex
// digits: the name was in the manifest, its bytes are vouched for by
// nothing.
const noSum = -1

// ErrSpill wraps a failure of the temporary files a large manifest is
// spilled to. Unlike a missing or malformed manifest, which a run may take
// as no earlier run, it is no reason to start afresh.
var ErrSpill = errors.New("temporary files")

// ReadManifest reads manifest-sha256.txt of an earlier run, if there is
// one, spilling to temporary files in tempDir ("" for the system's). Close
// the manifest when done. Without one, the error wraps fs.ErrNotExist; a
// line that is not "checksum  path" is an error naming it.
func ReadManifest(fsys FS, tempDir string) (*Manifest, error) {
	return readManifestFS(fsys, tempDir, 0)
}

// readManifestFS is ReadManifest keeping at most limit names in memory
// (0: the store's default).
func readManifestFS(fsys FS, tempDir string, limit int) (*Manifest, error) {
	f, err := fsys.Open(ManifestFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readManifest(f, tempDir, limit)
}

// readManifest parses "checksum  path" lines from r; the last line of a
// path wins. On an error nothing is kept.
func readManifest(r io.Reader, tempDir string, limit int) (*Manifest, error) {
	s := newSumStore()
	if limit > 0 {
		s.limit = limit
	}
	m := &Manifest{store: s}
	if err := m.load(r, tempDir); err != nil {
		_ = s.close()
		return nil, err
	}
	return m, nil
}

func (m *Manifest) load(r io.Reader, tempDir string) error {
	s := m.store
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		sum, name, ok := bytes.Cut(line, []byte(" "))
		if !ok {
			return fmt.Errorf("%s:%d: not \"checksum path\"", ManifestFile, n)
		}
		var v fileSum
		if len(sum) != 2*len(v.sha) {
			v.size = noSum
		} else if _, err := hex.Decode(v.sha[:], sum); err != nil {
			v = fileSum{size: noSum}
		}
		s.set(bagUnescape(strings.TrimLeft(string(name), " *")), v)
		if s.full() {
			if err := s.spill(tempDir); err != nil {
				return m.spillErr(err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", ManifestFile, err)
	}
	if len(s.runs) == 0 {
		m.n = s.recent.len() // no deletes: no tombstones
		return nil
	}
	// One run: a lookup reads one block, not one in each run. Nothing was
	// deleted, so the merge holds each name once, and counts them.
	if s.recent.len() > 0 {
		if err := s.spill(tempDir); err != nil {
			return m.spillErr(err)
		}
	}
	if len(s.runs) > 1 {
		run, err := mergeRuns(tempDir, s.runs, false)
		if err != nil {
			return m.spillErr(s.fail(err))
		}
		for _, r := range s.runs {
			r.close()
		}
		s.runs = []*sumRun{run}
	}
	m.n = s.runs[0].count
	return nil
}

func (m *Manifest) spillErr(err error) error {
	return fmt.Errorf("%s: %w: %w", ManifestFile, ErrSpill, err)
}

// Len is the number of paths listed.
func (m *Manifest) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// Sum returns the sha256 of name, in hex, and whether name is listed. A
// listed name whose checksum was not 64 hex digits has "".
func (m *Manifest) Sum(name string) (string, bool) {
	v, ok := m.sum(name)
	if !ok || v.size == noSum {
		return "", ok
	}
	return hex.EncodeToString(v.sha[:]), true
}

// sum is Sum in binary; a record with size noSum has no checksum. A
// failure to read the temporary files is remembered, for Each and Err to
// return, and name taken as absent: the file is then written or hashed
// again, which is slower, never wrong.
func (m *Manifest) sum(name string) (fileSum, bool) {
	if m == nil {
		return fileSum{}, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.store.get(name)
}

// Each calls fn with every listed path and its checksum (as Sum gives it),
// sorted by path in byte order, and stops at fn's first error. fn may call
// Sum.
func (m *Manifest) Each(fn func(name, sha256 string) error) error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	it, err := m.store.iter()
	m.mu.Unlock()
	if err != nil {
		return m.spillErr(err)
	}
	defer func() {
		m.mu.Lock()
		it.close()
		m.mu.Unlock()
	}()
	for {
		e, ok, err := it.next()
		if err != nil {
			return m.spillErr(err)
		}
		if !ok {
			return nil
		}
		sum := ""
		if e.sum.size != noSum {
			sum = hex.EncodeToString(e.sum.sha[:])
		}
		if err := fn(string(e.name), sum); err != nil {
			return err
		}
	}
}

// Err returns the first failure to read the temporary files, if any.
func (m *Manifest) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.store.err != nil {
		return m.spillErr(m.store.err)
	}
	return nil
}

// Close removes the temporary files; the manifest is empty after.
func (m *Manifest) Close() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	err := m.store.close()
	m.store = newSumStore()
	m.n = 0
	return err
}
