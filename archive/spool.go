package archive

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"strings"

	"github.com/wparchive/wparchive/wxr/spill"
)

// itemSpool keeps the items.jsonl line of every archived item, with what
// the redirect files need, in a temporary file rather than in memory: the
// run's memory must not grow with the number of items. At the end the
// lines are read back in id order, through a table of (id, offset) pairs
// that spills to disk too.
type itemSpool struct {
	f    *os.File
	w    *bufio.Writer
	off  int64
	refs *spill.Table // id (sign bit flipped, to sort as uint64) → offset
	buf  []byte
	line []byte // the line being spooled
}

// signBit flips an int64 into a uint64 of the same order.
const signBit = 1 << 63

// spoolRecord is one item as spooled: after the length of the whole, each
// field as its length and its bytes, all lengths uvarints. The file is the
// run's own and lives no longer, so its records need not be JSON.
type spoolRecord struct {
	Line json.RawMessage // as items.jsonl has it
	Link string
	GUID string
	URL  string // where the item is served from now
}

func newItemSpool(dir string, memory int) (*itemSpool, error) {
	f, err := spill.TempFile(dir, "wparchive-items-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &itemSpool{f: f, w: bufio.NewWriterSize(f, 64<<10), refs: spill.New(dir, memory)}, nil
}

// add spools one record.
func (s *itemSpool) add(line *Line, link, guid, url string) error {
	s.line = appendLineJSON(s.line[:0], line)
	lj := s.line
	size := fieldLen(len(lj)) + fieldLen(len(link)) + fieldLen(len(guid)) + fieldLen(len(url))
	b := binary.AppendUvarint(s.buf[:0], uint64(size))
	b = appendField(b, lj)
	b = appendField(b, link)
	b = appendField(b, guid)
	b = appendField(b, url)
	s.buf = b
	if _, err := s.w.Write(b); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	s.refs.Add(uint64(line.ID)^signBit, uint64(s.off))
	s.off += int64(len(s.buf))
	return s.refs.Err()
}

// each calls fn for every record in the order of items.jsonl.
func (s *itemSpool) each(fn func(id int64, rec *spoolRecord) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	s.refs.Seal()
	var (
		err   error
		id    int64
		group []int64 // offsets of the records of id
	)
	s.refs.Each(func(p spill.Pair) bool {
		if next := int64(p.Key ^ signBit); len(group) > 0 && next != id {
			if err = s.group(id, group, fn); err != nil {
				return false
			}
			group = group[:0]
		}
		id = int64(p.Key ^ signBit)
		group = append(group, int64(p.Value))
		return true
	})
	if err == nil && len(group) > 0 {
		err = s.group(id, group, fn)
	}
	if err == nil {
		if err = s.refs.Err(); err != nil {
			err = fmt.Errorf("spool: %w", err)
		}
	}
	return err
}

// group calls fn for the records of one id, spooled at offs.
func (s *itemSpool) group(id int64, offs []int64, fn func(id int64, rec *spoolRecord) error) error {
	if len(offs) == 1 {
		rec, err := s.read(offs[0])
		if err != nil {
			return err
		}
		return fn(id, rec)
	}
	// Items with the same id (a duplicated id) go in the order of
	// their paths, read back to compare.
	type dup struct {
		md  string
		rec *spoolRecord
	}
	var dups []dup
	for _, off := range offs {
		rec, err := s.read(off)
		if err != nil {
			return err
		}
		var l struct {
			Markdown string `json:"markdown"`
		}
		if err := json.Unmarshal(rec.Line, &l); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		dups = append(dups, dup{l.Markdown, rec})
	}
	slices.SortStableFunc(dups, func(a, b dup) int { return strings.Compare(a.md, b.md) })
	for _, d := range dups {
		if err := fn(id, d.rec); err != nil {
			return err
		}
	}
	return nil
}

// read reads the record spooled at off back.
func (s *itemSpool) read(off int64) (*spoolRecord, error) {
	// Most records fit the first read; a longer one takes a second.
	b := s.buf[:cap(s.buf)]
	if len(b) < 4096 {
		b = make([]byte, 4096)
	}
	n, err := s.f.ReadAt(b, off)
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("spool: %w", err)
	}
	size, w := binary.Uvarint(b[:n])
	if w <= 0 || size > uint64(s.off-off) {
		return nil, fmt.Errorf("spool: record at %d: bad length", off)
	}
	end := w + int(size)
	if end > len(b) {
		b = append(b[:n], make([]byte, end-n)...)
		if _, err := s.f.ReadAt(b[n:end], off+int64(n)); err != nil && err != io.EOF {
			return nil, fmt.Errorf("spool: %w", err)
		}
	}
	s.buf = b[:0]
	// The record outlives the buffer, which the next read reuses.
	line, rest, ok1 := cutField(b[w:end])
	link, rest, ok2 := cutField(rest)
	guid, rest, ok3 := cutField(rest)
	url, rest, ok4 := cutField(rest)
	if !ok1 || !ok2 || !ok3 || !ok4 || len(rest) > 0 {
		return nil, fmt.Errorf("spool: record at %d: bad fields", off)
	}
	return &spoolRecord{Line: slices.Clone(line), Link: string(link), GUID: string(guid), URL: string(url)}, nil
}

// appendField appends f after its length as a uvarint.
func appendField[T string | []byte](b []byte, f T) []byte {
	b = binary.AppendUvarint(b, uint64(len(f)))
	return append(b, f...)
}

// cutField takes the field that b starts with off b.
func cutField(b []byte) (field, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

// fieldLen is the length of a field of n bytes with its length.
func fieldLen(n int) int {
	return (bits.Len64(uint64(n)|1)+6)/7 + n
}

func (s *itemSpool) close() {
	s.f.Close()
	_ = os.Remove(s.f.Name())
	_ = s.refs.Close()
}
