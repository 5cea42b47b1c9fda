package archive

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
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
	md  string // ties between duplicated ids are broken by path
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
	s.refs = append(s.refs, spoolRef{id: line.ID, md: line.Markdown, off: s.off, n: int32(len(rec))})
	s.off += int64(len(rec))
	return nil
}

// each calls fn for every record in the order of items.jsonl.
func (s *itemSpool) each(fn func(*spoolRecord) error) error {
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	sort.Slice(s.refs, func(i, j int) bool {
		if s.refs[i].id != s.refs[j].id {
			return s.refs[i].id < s.refs[j].id
		}
		return s.refs[i].md < s.refs[j].md
	})
	var buf []byte
	for _, r := range s.refs {
		if cap(buf) < int(r.n) {
			buf = make([]byte, r.n)
		}
		b := buf[:r.n]
		if _, err := s.f.ReadAt(b, r.off); err != nil && err != io.EOF {
			return fmt.Errorf("spool: %w", err)
		}
		var rec spoolRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			return fmt.Errorf("spool: %w", err)
		}
		if err := fn(&rec); err != nil {
			return err
		}
	}
	return nil
}

func (s *itemSpool) close() {
	s.f.Close()
	_ = os.Remove(s.f.Name())
}
