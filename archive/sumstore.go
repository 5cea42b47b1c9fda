package archive

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sort"

	"github.com/wparchive/wparchive/wxr/spill"
)

// sumStore holds the checksum of every file a run writes, for the manifest,
// in memory that does not grow with the run: a run of 50,000 posts writes
// 125,000 files, and their names and digests were its largest cost. The
// newest names are in a bounded table; when it is full it is written, sorted
// by name, as a run to a temporary file, of which memory keeps only a
// sparse index. Runs are merged so that there are few of them, and a name
// is looked up in the table, then in the runs from the newest: the newest
// record of a name wins, and a tombstone says the name is gone.
//
// A small run never touches the disk. The store is not safe for concurrent
// use; the Writer's lock guards it. Iterators read the runs without it.
type sumStore struct {
	recent *sumTable
	limit  int       // records in recent before it is full; tests lower it
	runs   []*sumRun // oldest first
	// readers counts the open iterators: runs are neither merged nor
	// closed under them.
	readers int
	err     error  // the first failure: the store may be incomplete
	buf     []byte // the block get reads
}

const (
	// recentSums and recentSumBytes bound the table of the newest names.
	recentSums     = 1024
	recentSumBytes = 256 << 10
	// fenceEvery is the number of records in a block of a run: memory
	// keeps the first name of each, and get reads one.
	fenceEvery = 64
	// iterSpan is how much of a run an iterator reads at a time, at least
	// a block.
	iterSpan = 64 << 10
)

// sumRun is a sorted run in an unlinked temporary file, which holds
// nothing else; it never changes once written.
type sumRun struct {
	f     *os.File
	size  int64
	count int        // records, tombstones included
	fence []sumFence // the first record of every block
}

// sumFence locates a block of a run.
type sumFence struct {
	name string
	off  int64
}

func newSumStore() *sumStore {
	return &sumStore{recent: newSumTable(), limit: recentSums}
}

// fail records the first failure and returns it.
func (s *sumStore) fail(err error) error {
	if s.err == nil {
		s.err = fmt.Errorf("checksums: spill: %w", err)
	}
	return s.err
}

func (s *sumStore) set(name string, v fileSum) { s.recent.set(name, v) }

func (s *sumStore) delete(name string) {
	if len(s.runs) == 0 {
		s.recent.delete(name) // nothing older to hide
		return
	}
	s.recent.tomb(name)
}

// full reports whether the recent table should be spilled.
func (s *sumStore) full() bool {
	return s.recent.len() >= s.limit || s.recent.bytes >= recentSumBytes
}

// get returns the checksum of name. A failure to read a run is remembered
// in s.err, and name taken as absent.
func (s *sumStore) get(name string) (fileSum, bool) {
	if v, found, dead := s.recent.lookup(name); found {
		if dead {
			return fileSum{}, false
		}
		return v, true
	}
	for i := len(s.runs) - 1; i >= 0; i-- {
		e, found, err := s.runs[i].find(name, &s.buf)
		if err != nil {
			_ = s.fail(err)
			return fileSum{}, false
		}
		if found {
			return e.sum, !e.dead // a tombstone's sum is zero
		}
	}
	return fileSum{}, false
}

// spill writes the recent table as a run in dir ("" for the system's
// temporary folder), empties it and merges runs as needed. After a
// failure it does nothing and returns it: the table keeps what it holds.
func (s *sumStore) spill(dir string) error {
	if s.err != nil {
		return s.err
	}
	es := s.recent.sorted()
	oldest := len(s.runs) == 0 // no older run for a tombstone to hide
	rw, err := newRunWriter(dir)
	if err != nil {
		return s.fail(err)
	}
	for i := range es {
		if es[i].dead && oldest {
			continue
		}
		if err := rw.add(&es[i]); err != nil {
			rw.abort()
			return s.fail(err)
		}
	}
	run, err := rw.finish()
	if err != nil {
		return s.fail(err)
	}
	s.recent.reset()
	s.push(run)
	return s.compact(dir)
}

// push appends a run, unless it is empty.
func (s *sumStore) push(run *sumRun) {
	if run.count == 0 {
		run.close()
		return
	}
	s.runs = append(s.runs, run)
}

// compact merges the two newest runs while the older is at most twice the
// newer, as a binary counter carries: the runs stay logarithmic in number,
// and a record is rewritten a logarithmic number of times.
func (s *sumStore) compact(dir string) error {
	for s.readers == 0 && len(s.runs) >= 2 {
		n := len(s.runs)
		if s.runs[n-2].count > 2*s.runs[n-1].count {
			return nil
		}
		in := s.runs[n-2:]
		// Tombstones hide names of older runs; past the oldest they hide nothing.
		run, err := mergeRuns(dir, in, n > 2)
		if err != nil {
			return s.fail(err)
		}
		for _, r := range in {
			r.close()
		}
		s.runs = s.runs[:n-2]
		s.push(run)
	}
	return nil
}

// mergeRuns writes one run holding the newest record of every name in
// runs (oldest first), tombstones only if keepDead.
func mergeRuns(dir string, runs []*sumRun, keepDead bool) (*sumRun, error) {
	cs := make([]*sumCursor, len(runs))
	for i, r := range runs {
		cs[i] = &sumCursor{run: r}
	}
	it := &sumIter{cs: cs, keepDead: keepDead}
	rw, err := newRunWriter(dir)
	if err != nil {
		return nil, err
	}
	for {
		e, ok, err := it.step()
		if err == nil && ok {
			err = rw.add(&e)
		}
		if err != nil {
			rw.abort()
			return nil, err
		}
		if !ok {
			return rw.finish()
		}
	}
}

// iter returns an iterator over the live names, sorted, as they are now:
// later changes are not seen. Close it.
func (s *sumStore) iter() (*sumIter, error) {
	if s.err != nil {
		return nil, s.err
	}
	cs := make([]*sumCursor, 0, len(s.runs)+1)
	for _, r := range s.runs {
		cs = append(cs, &sumCursor{run: r})
	}
	cs = append(cs, &sumCursor{mem: s.recent.sorted()})
	s.readers++
	return &sumIter{cs: cs, done: func() { s.readers-- }}, nil
}

// close releases the runs' files. A store that had some is unusable
// after, and says so; one that had none still holds all it was given.
func (s *sumStore) close() error {
	var errs []error
	for _, r := range s.runs {
		errs = append(errs, r.close())
	}
	if len(s.runs) > 0 && s.err == nil {
		s.err = errors.New("checksums: the writer is closed")
	}
	s.runs = nil
	return errors.Join(errs...)
}

// close closes r's file and removes it, where the system did not let it
// go when it was made.
func (r *sumRun) close() error {
	err := r.f.Close()
	_ = os.Remove(r.f.Name())
	return err
}

// blockEnd is the offset where block i of r ends.
func (r *sumRun) blockEnd(i int) int64 {
	if i+1 < len(r.fence) {
		return r.fence[i+1].off
	}
	return r.size
}

// read reads r's bytes from off to end into *buf.
func (r *sumRun) read(off, end int64, buf *[]byte) ([]byte, error) {
	n := int(end - off)
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	b := (*buf)[:n]
	if _, err := r.f.ReadAt(b, off); err != nil {
		return nil, err
	}
	return b, nil
}

// find returns the record of name in r, reading the one block it can be in.
func (r *sumRun) find(name string, buf *[]byte) (sumEntry, bool, error) {
	i := sort.Search(len(r.fence), func(i int) bool { return r.fence[i].name > name }) - 1
	if i < 0 {
		return sumEntry{}, false, nil
	}
	b, err := r.read(r.fence[i].off, r.blockEnd(i), buf)
	if err != nil {
		return sumEntry{}, false, err
	}
	for p := 0; p < len(b); {
		var e sumEntry
		n, err := decodeSumRec(b[p:], &e)
		if err != nil {
			return sumEntry{}, false, fmt.Errorf("record at %d: %w", r.fence[i].off+int64(p), err)
		}
		p += n
		switch {
		case string(e.name) == name:
			return e, true, nil
		case string(e.name) > name:
			return sumEntry{}, false, nil
		}
	}
	return sumEntry{}, false, nil
}

// A record is the name's length (uvarint) and bytes, then 1 for a
// tombstone, or 0, the digest and the size (varint).
const (
	recSum  = 0
	recDead = 1
)

var errCorruptRecord = errors.New("corrupt record")

func appendSumRec(b []byte, e *sumEntry) []byte {
	b = binary.AppendUvarint(b, uint64(len(e.name)))
	b = append(b, e.name...)
	if e.dead {
		return append(b, recDead)
	}
	b = append(b, recSum)
	b = append(b, e.sum.sha[:]...)
	return binary.AppendVarint(b, e.sum.size)
}

// decodeSumRec decodes the record b starts with into e, whose name is then
// a view of b, and returns its length.
func decodeSumRec(b []byte, e *sumEntry) (int, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n >= uint64(len(b)-k) {
		return 0, errCorruptRecord
	}
	p := k + int(n)
	e.name = b[k:p]
	switch b[p] {
	case recDead:
		e.sum, e.dead = fileSum{}, true
		return p + 1, nil
	case recSum:
		p++
		if len(b)-p < len(e.sum.sha) {
			return 0, errCorruptRecord
		}
		copy(e.sum.sha[:], b[p:])
		p += len(e.sum.sha)
		size, k := binary.Varint(b[p:])
		if k <= 0 {
			return 0, errCorruptRecord
		}
		e.sum.size, e.dead = size, false
		return p + k, nil
	}
	return 0, errCorruptRecord
}

// runWriter writes a run, records in name order.
type runWriter struct {
	run *sumRun
	w   *bufio.Writer
	rec []byte
}

func newRunWriter(dir string) (*runWriter, error) {
	f, err := spill.TempFile(dir, "wparchive-sums-*")
	if err != nil {
		return nil, err
	}
	return &runWriter{run: &sumRun{f: f}, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (rw *runWriter) add(e *sumEntry) error {
	r := rw.run
	if r.count%fenceEvery == 0 {
		r.fence = append(r.fence, sumFence{name: string(e.name), off: r.size})
	}
	rw.rec = appendSumRec(rw.rec[:0], e)
	if _, err := rw.w.Write(rw.rec); err != nil {
		return err
	}
	r.size += int64(len(rw.rec))
	r.count++
	return nil
}

func (rw *runWriter) finish() (*sumRun, error) {
	if err := rw.w.Flush(); err != nil {
		rw.abort()
		return nil, err
	}
	return rw.run, nil
}

func (rw *runWriter) abort() { rw.run.close() }

// sumCursor reads one source of an iterator in name order: the recent
// table's records, or a run, a span of blocks at a time.
type sumCursor struct {
	mem []sumEntry

	run   *sumRun
	block int    // the next block to read
	buf   []byte // the span read; cur.name is a view of it
	pos   int

	cur sumEntry
	ok  bool // cur holds a record
}

func (c *sumCursor) next() error {
	if c.run == nil {
		c.ok = len(c.mem) > 0
		if c.ok {
			c.cur, c.mem = c.mem[0], c.mem[1:]
		}
		return nil
	}
	if c.pos == len(c.buf) {
		r := c.run
		if c.block == len(r.fence) {
			c.ok = false
			return nil
		}
		start, j := r.fence[c.block].off, c.block+1
		for j < len(r.fence) && r.blockEnd(j)-start <= iterSpan {
			j++
		}
		b, err := r.read(start, r.blockEnd(j-1), &c.buf)
		if err != nil {
			return err
		}
		c.buf, c.pos, c.block = b, 0, j
	}
	n, err := decodeSumRec(c.buf[c.pos:], &c.cur)
	if err != nil {
		return err
	}
	c.pos += n
	c.ok = true
	return nil
}

// sumIter merges its cursors into one sequence in name order, the newest
// record of each name.
type sumIter struct {
	cs       []*sumCursor // oldest first
	keepDead bool         // return tombstones too
	started  bool
	name     []byte // the current record's name
	done     func()
}

// next returns the next record, whose name is valid until the next call.
func (it *sumIter) next() (sumEntry, bool, error) {
	e, ok, err := it.step()
	if err != nil {
		return sumEntry{}, false, fmt.Errorf("checksums: spill: %w", err)
	}
	return e, ok, nil
}

// step is next, its errors not wrapped, for the store's own merges.
func (it *sumIter) step() (sumEntry, bool, error) {
	if !it.started {
		it.started = true
		for _, c := range it.cs {
			if err := c.next(); err != nil {
				return sumEntry{}, false, err
			}
		}
	}
	for {
		best := -1
		for i, c := range it.cs {
			// On a tie the later, newer, source wins.
			if c.ok && (best < 0 || bytes.Compare(c.cur.name, it.cs[best].cur.name) <= 0) {
				best = i
			}
		}
		if best < 0 {
			return sumEntry{}, false, nil
		}
		e := it.cs[best].cur
		it.name = append(it.name[:0], e.name...)
		e.name = it.name
		for _, c := range it.cs {
			if c.ok && bytes.Equal(c.cur.name, it.name) {
				if err := c.next(); err != nil {
					return sumEntry{}, false, err
				}
			}
		}
		if !e.dead || it.keepDead {
			return e, true, nil
		}
	}
}

// close ends the iteration.
func (it *sumIter) close() {
	if it.done != nil {
		it.done()
		it.done = nil
	}
}
