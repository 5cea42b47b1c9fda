package archive

import (
	"hash/maphash"
	"sort"
)

// sumTable holds the checksum of every file a run writes, for the manifest.
// A large run writes a few files per item, and a map from path strings to
// digests cost about 230 bytes per file, all of it scanned by the garbage
// collector at every cycle. Here a file costs its name's bytes, packed, one
// record and a map slot, none of them holding a pointer.
type sumTable struct {
	chunks [][]byte // names, packed; a chunk is never reallocated
	recs   []sumRec
	heads  map[uint64]uint32 // hash of a name → its first record, plus one
	live   int
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
	dead  bool   // deleted; kept in its chain and revived if set again
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

func (t *sumTable) set(name string, s fileSum) {
	if r := t.find(name); r != nil {
		if r.dead {
			r.dead = false
			t.live++
		}
		r.sum = s
		return
	}
	last := len(t.chunks) - 1
	if last < 0 || len(t.chunks[last])+len(name) > cap(t.chunks[last]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(nameChunk, len(name))))
		last++
	}
	c := t.chunks[last]
	h := t.hash(name)
	t.recs = append(t.recs, sumRec{sum: s, chunk: uint32(last), off: uint32(len(c)), n: uint32(len(name)), next: t.heads[h]})
	t.chunks[last] = append(c, name...)
	t.heads[h] = uint32(len(t.recs))
	t.live++
}

func (t *sumTable) get(name string) (fileSum, bool) {
	if r := t.find(name); r != nil && !r.dead {
		return r.sum, true
	}
	return fileSum{}, false
}

func (t *sumTable) delete(name string) {
	if r := t.find(name); r != nil && !r.dead {
		r.dead = true
		t.live--
	}
}

// names returns the names held, sorted.
func (t *sumTable) names() []string {
	names := make([]string, 0, t.live)
	for i := range t.recs {
		if r := &t.recs[i]; !r.dead {
			names = append(names, string(t.name(r)))
		}
	}
	sort.Strings(names)
	return names
}
