package archive

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// itemSpool keeps the items.jsonl line of every archived item, with what
// the redirect files need, in a temporary file rather than in memory: the
// run's memory must not grow with the number of items. At the end the
// lines are read back in id order.
type itemSpool struct {
	f    *os.File
	w    *bufio.Writer
	off  int64
	refs []spoolRef
}

// spoolRef locates one record; it is all that stays in memory per item.
type spoolRef struct {
	id  int64
	off int64
	n   int32
}

// spoolRecord is one item as spooled.
type spoolRecord struct {
	Line json.RawMessage `json:"l"`
	Link string          `json:"k,omitempty"`
	GUID string          `json:"g,omitempty"`
	URL  string          `json:"u"` // where the item is served from now
}

func newItemSpool(dir string) (*itemSpool, error) {
	f, err := os.CreateTemp(dir, "wparchive-items-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	// Unlinked at once where the system allows it: nothing is left behind,
	// even after a kill.
	_ = os.Remove(f.Name())
	return &itemSpool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (s *itemSpool) add(line *Line, link, guid, url string) error {
	lj, err := json.Marshal(line)
	if err != nil {
		return err
	}
	rec, err := json.Marshal(spoolRecord{Line: lj, Link: link, GUID: guid, URL: url})
	if err != nil {
		return err
	}
	if _, err := s.w.Write(rec); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	s.refs = append(s.refs, spoolRef{id: line.ID, off: s.off, n: int32(len(rec))})
	s.off += int64(len(rec))
	return nil
}

// each calls fn for every record in the order of items.jsonl.
func (s *itemSpool) each(fn func(id int64, rec *spoolRecord) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	slices.SortFunc(s.refs, func(a, b spoolRef) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.off, b.off)) })
	var buf []byte
	for i := 0; i < len(s.refs); {
		j := i + 1
		for j < len(s.refs) && s.refs[j].id == s.refs[i].id {
			j++
		}
		if j-i == 1 {
			rec, err := s.read(s.refs[i], &buf)
			if err != nil {
				return err
			}
			if err := fn(s.refs[i].id, rec); err != nil {
				return err
			}
			i = j
			continue
		}
		// Items with the same id (a duplicated id) go in the order of
		// their paths, read back to compare.
		type dup struct {
			md  string
			rec *spoolRecord
		}
		var dups []dup
		for _, r := range s.refs[i:j] {
			var b []byte
			rec, err := s.read(r, &b)
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
			if err := fn(s.refs[i].id, d.rec); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// read reads one record back, into *buf when it is large enough.
func (s *itemSpool) read(r spoolRef, buf *[]byte) (*spoolRecord, error) {
	if cap(*buf) < int(r.n) {
		*buf = make([]byte, r.n)
	}
	b := (*buf)[:r.n]
	if _, err := s.f.ReadAt(b, r.off); err != nil && err != io.EOF {
		return nil, fmt.Errorf("spool: %w", err)
	}
	var rec spoolRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return &rec, nil
}

func (s *itemSpool) close() {
	s.f.Close()
	_ = os.Remove(s.f.Name())
}
