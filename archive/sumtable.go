package archive

import (
	"bytes"
	"hash/maphash"
	"slices"
)

// sumTable holds the checksums of the files written most recently, for
// the manifest; sumStore spills it to disk when it is full. A map from
// path strings to digests cost about 230 bytes per file, all of it scanned
// by the garbage collector at every cycle. Here a file costs its name's
// bytes, packed, one record and a map slot, none of them holding a pointer.
type sumTable struct {
	chunks [][]byte // names, packed; a chunk is never reallocated or reused
	recs   []sumRec
	heads  map[uint64]uint32 // hash of a name → its first record, plus one
	bytes  int               // of the names held
	seed   maphash.Seed
	hash   func(string) uint64 // tests force collisions with it
}

// sumRec is one name's record; next chains the records whose names have
// the same hash.
type sumRec struct {
	sum   fileSum
	chunk uint32
	off   uint32
	n     uint32
	next  uint32 // the next record with the same hash, plus one; 0: none
	dead  bool   // deleted: a tombstone, hiding the name in older runs
}

// sumEntry is one name's record as the store's runs and iterators see it.
type sumEntry struct {
	name []byte
	sum  fileSum
	dead bool
}

// nameChunk is the size of a chunk of names.
const nameChunk = 64 << 10

func newSumTable() *sumTable {
	t := &sumTable{heads: map[uint64]uint32{}, seed: maphash.MakeSeed()}
	t.hash = func(s string) uint64 { return maphash.String(t.seed, s) }
	return t
}

func (t *sumTable) name(r *sumRec) []byte {
	return t.chunks[r.chunk][r.off : r.off+r.n]
}

// len is the number of records held, tombstones included.
func (t *sumTable) len() int { return len(t.recs) }

// find returns the record of name, dead or alive, or nil.
func (t *sumTable) find(name string) *sumRec {
	for i := t.heads[t.hash(name)]; i != 0; {
		r := &t.recs[i-1]
		if string(t.name(r)) == name {
			return r
		}
		i = r.next
	}
	return nil
}

// add appends a record for name, which has none.
func (t *sumTable) add(name string, s fileSum, dead bool) {
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last])+len(name) > cap(t.chunks[last]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(nameChunk, len(name))))
		last++
	}
	c := t.chunks[last]
	h := t.hash(name)
	t.recs = append(t.recs, sumRec{sum: s, chunk: uint32(last), off: uint32(len(c)), n: uint32(len(name)), next: t.heads[h], dead: dead})
	t.chunks[last] = append(c, name...)
	t.heads[h] = uint32(len(t.recs))
	t.bytes += len(name)
}

func (t *sumTable) set(name string, s fileSum) {
	if r := t.find(name); r != nil {
		r.dead = false
		r.sum = s
		return
	}
	t.add(name, s, false)
}

// lookup returns name's record: found is false when the table knows
// nothing of name, dead when it holds its tombstone.
func (t *sumTable) lookup(name string) (s fileSum, found, dead bool) {
	if r := t.find(name); r != nil {
		return r.sum, true, r.dead
	}
	return fileSum{}, false, false
}

func (t *sumTable) get(name string) (fileSum, bool) {
	s, found, dead := t.lookup(name)
	if !found || dead {
		return fileSum{}, false
	}
	return s, true
}

// delete forgets name; a record it has is kept, dead, as a tombstone.
func (t *sumTable) delete(name string) {
	if r := t.find(name); r != nil {
		r.dead = true
	}
}

// tomb records that name is deleted, whether the table holds it or not:
// the name may be in an older run, which the tombstone hides.
func (t *sumTable) tomb(name string) {
	if r := t.find(name); r != nil {
		r.dead = true
		r.sum = fileSum{}
		return
	}
	t.add(name, fileSum{}, true)
}

// sorted returns every record, tombstones included, sorted by name. The
// names are views of the chunks, which are never written over: they stay
// valid after the table changes or is reset.
func (t *sumTable) sorted() []sumEntry {
	es := make([]sumEntry, len(t.recs))
	for i := range t.recs {
		r := &t.recs[i]
		es[i] = sumEntry{name: t.name(r), sum: r.sum, dead: r.dead}
	}
	slices.SortFunc(es, func(a, b sumEntry) int { return bytes.Compare(a.name, b.name) })
	return es
}

// reset empties the table; names handed out by sorted stay valid.
func (t *sumTable) reset() {
	t.chunks = nil
	t.recs = t.recs[:0]
	t.bytes = 0
	clear(t.heads)
}
