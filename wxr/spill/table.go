// Package spill keeps large sorted sets of integer pairs in temporary files,
// so that a run's memory does not grow with the size of the export: the
// pairs that resolve links, the attachments of each parent, the order in
// which spooled records are read back.
package spill

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"
)

// Pair is one key and its value. A Table may hold several pairs with the
// same key; they come back in ascending order of value.
type Pair struct{ Key, Value uint64 }

func cmpPair(a, b Pair) int {
	switch {
	case a.Key != b.Key:
		if a.Key < b.Key {
			return -1
		}
		return 1
	case a.Value < b.Value:
		return -1
	case a.Value > b.Value:
		return 1
	}
	return 0
}

// Table is a sorted multiset of pairs. At most Memory pairs are kept in
// memory; beyond that they are sorted and written to runs in temporary
// files, merged when there are more than a few. Add and Seal must not be
// called concurrently with anything; once sealed, Lookup and Each are safe
// for concurrent use.
type Table struct {
	dir    string
	memory int
	mem    []Pair
	sorted bool
	runs   []*run

	mu  sync.Mutex
	err error
}

const (
	defaultMemory = 4 << 10 // pairs: 64 KiB
	maxRuns       = 8
	blockPairs    = 256 // 4 KiB
	pairSize      = 16
)

// run is a sorted run of pairs in its own file, read a block at a time.
type run struct {
	f     *os.File
	name  string
	n     int
	first []uint64 // key of the first pair of every block
}

// New returns an empty Table that keeps its pairs in memory up to memory
// pairs (a default of 4Ki when 0 or less), then in temporary files in dir
// ("" for the system's temporary folder). Close it to release them.
func New(dir string, memory int) *Table {
	if memory <= 0 {
		memory = defaultMemory
	}
	return &Table{dir: dir, memory: memory, sorted: true}
}

// Len is the number of pairs.
func (t *Table) Len() int {
	n := len(t.mem)
	for _, r := range t.runs {
		n += r.n
	}
	return n
}

// Add adds a pair.
func (t *Table) Add(key, value uint64) {
	t.mem = append(t.mem, Pair{key, value})
	t.sorted = false
	if len(t.mem) >= t.memory {
		t.spill()
	}
}

// Seal makes the pairs added so far ready for Lookup and Each.
func (t *Table) Seal() {
	if !t.sorted {
		slices.SortFunc(t.mem, cmpPair)
		t.sorted = true
	}
}

// Compact seals the table and merges its runs into one, so that a lookup
// reads one block instead of one per run. It writes every spilled pair
// again: call it once, when the table is complete.
func (t *Table) Compact() {
	t.Seal()
	if len(t.runs) > 1 {
		t.mergeRuns()
	}
}

// Err returns the first error met with the temporary files. A table with
// an error may have lost pairs.
func (t *Table) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

func (t *Table) fail(err error) {
	t.mu.Lock()
	if t.err == nil {
		t.err = fmt.Errorf("spill: %w", err)
	}
	t.mu.Unlock()
}

// Close releases the temporary files.
func (t *Table) Close() error {
	var errs []error
	for _, r := range t.runs {
		errs = append(errs, r.close())
	}
	t.runs, t.mem = nil, nil
	return errors.Join(errs...)
}

func (r *run) close() error {
	err := r.f.Close()
	_ = os.Remove(r.name) // already gone where the system let it go at once
	return err
}

// spill writes the pairs in memory to a new run.
func (t *Table) spill() {
	t.Seal()
	i := 0
	r, err := t.write(func() (Pair, bool) {
		if i == len(t.mem) {
			return Pair{}, false
		}
		i++
		return t.mem[i-1], true
	})
	if err != nil {
		t.fail(err)
		return
	}
	t.runs = append(t.runs, r)
	t.mem = t.mem[:0]
	if len(t.runs) > maxRuns {
		t.mergeRuns()
	}
}

// mergeRuns merges all runs into one.
func (t *Table) mergeRuns() {
	cs := t.cursors(false)
	r, err := t.write(func() (Pair, bool) { return pick(cs) })
	if err != nil {
		t.fail(err)
		return
	}
	for _, old := range t.runs {
		_ = old.close()
	}
	t.runs = []*run{r}
}

// write makes a run of the pairs next returns, in order.
func (t *Table) write(next func() (Pair, bool)) (*run, error) {
	f, err := TempFile(t.dir, "wparchive-pairs-*")
	if err != nil {
		return nil, err
	}
	r := &run{f: f, name: f.Name()}
	w := bufio.NewWriterSize(f, 64<<10)
	var b [pairSize]byte
	for p, ok := next(); ok; p, ok = next() {
		if r.n%blockPairs == 0 {
			r.first = append(r.first, p.Key)
		}
		binary.LittleEndian.PutUint64(b[:], p.Key)
		binary.LittleEndian.PutUint64(b[8:], p.Value)
		if _, err := w.Write(b[:]); err != nil {
			_ = r.close()
			return nil, fmt.Errorf("%s: write: %w", r.name, err)
		}
		r.n++
	}
	if err := w.Flush(); err != nil {
		_ = r.close()
		return nil, fmt.Errorf("%s: write: %w", r.name, err)
	}
	return r, nil
}

// block reads block b of r into raw, which holds a block, and returns
// the bytes read: pairSize bytes a pair, key then value, little-endian.
func (r *run) block(b int, raw *[blockPairs * pairSize]byte) ([]byte, error) {
	n := min(blockPairs, r.n-b*blockPairs) * pairSize
	if got, err := r.f.ReadAt(raw[:n], int64(b)*blockPairs*pairSize); got < n {
		if err == nil || errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("%s: read: %w", r.name, err)
	}
	return raw[:n], nil
}

func pairAt(blk []byte, i int) Pair {
	return Pair{binary.LittleEndian.Uint64(blk[i*pairSize:]), binary.LittleEndian.Uint64(blk[i*pairSize+8:])}
}

// Lookup calls fn with the values of key, in ascending order, until fn
// returns false. It is faster on a sealed table.
func (t *Table) Lookup(key uint64, fn func(value uint64) bool) {
	var vals []uint64
	if t.sorted {
		i, _ := slices.BinarySearchFunc(t.mem, key, func(p Pair, k uint64) int { return cmpPair(p, Pair{Key: k}) })
		for ; i < len(t.mem) && t.mem[i].Key == key; i++ {
			vals = append(vals, t.mem[i].Value)
		}
	} else {
		// Not sealed: read, never sort, as other goroutines may be reading.
		for _, p := range t.mem {
			if p.Key == key {
				vals = append(vals, p.Value)
			}
		}
	}
	var raw [blockPairs * pairSize]byte
	for _, r := range t.runs {
		// The last block that starts before key may end with it.
		b := max(0, sort.Search(len(r.first), func(i int) bool { return r.first[i] >= key })-1)
	blocks:
		for ; b < len(r.first) && r.first[b] <= key; b++ {
			blk, err := r.block(b, &raw)
			if err != nil {
				t.fail(err)
				return
			}
			n := len(blk) / pairSize
			i := sort.Search(n, func(i int) bool { return pairAt(blk, i).Key >= key })
			for ; i < n; i++ {
				p := pairAt(blk, i)
				if p.Key > key {
					break blocks
				}
				vals = append(vals, p.Value)
			}
		}
	}
	if len(t.runs) > 0 || !t.sorted {
		slices.Sort(vals)
	}
	for _, v := range vals {
		if !fn(v) {
			return
		}
	}
}

// cursor walks a run, or the pairs in memory, in order.
type cursor struct {
	t   *Table
	r   *run // nil: memory
	b   int
	raw *[blockPairs * pairSize]byte
	blk []byte // the block read from r
	buf []Pair // the pairs in memory
	at  int
	p   Pair
	ok  bool
}

func (c *cursor) next() {
	c.ok = false
	if c.r == nil {
		if c.at < len(c.buf) {
			c.p, c.ok = c.buf[c.at], true
			c.at++
		}
		return
	}
	for c.at >= len(c.blk)/pairSize {
		if c.b*blockPairs >= c.r.n {
			return
		}
		if c.raw == nil {
			c.raw = new([blockPairs * pairSize]byte)
		}
		var err error
		if c.blk, err = c.r.block(c.b, c.raw); err != nil {
			c.t.fail(err)
			return
		}
		c.b++
		c.at = 0
	}
	c.p, c.ok = pairAt(c.blk, c.at), true
	c.at++
}

func (t *Table) cursors(withMemory bool) []*cursor {
	var cs []*cursor
	for _, r := range t.runs {
		cs = append(cs, &cursor{t: t, r: r})
	}
	if withMemory {
		cs = append(cs, &cursor{t: t, buf: t.mem})
	}
	for _, c := range cs {
		c.next()
	}
	return cs
}

// pick returns the least pair under the cursors and moves past it.
func pick(cs []*cursor) (Pair, bool) {
	var best *cursor
	for _, c := range cs {
		if c.ok && (best == nil || cmpPair(c.p, best.p) < 0) {
			best = c
		}
	}
	if best == nil {
		return Pair{}, false
	}
	p := best.p
	best.next()
	return p, true
}

// Each calls fn with every pair in ascending order until fn returns false.
// The table must be sealed.
func (t *Table) Each(fn func(Pair) bool) {
	cs := t.cursors(true)
	for p, ok := pick(cs); ok; p, ok = pick(cs) {
		if !fn(p) {
			return
		}
	}
}
