package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/wxr"
)

// StateFile records what earlier runs captured, so a re-run resumes.
const StateFile = WARCDir + "/state.json"

const stateVersion = 1

// state is the resume record: the capture files written so far and every
// page captured, with its validators and the item extracted from it.
type state struct {
	Version  int                   `json:"version"`
	Captures []string              `json:"captures"`
	Pages    map[string]*pageState `json:"pages"`
	Site     wxr.Site              `json:"site"`

	mu sync.Mutex
}

type pageState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Item         *wxr.Item `json:"item"`
}

func newState() *state { return &state{Version: stateVersion, Pages: map[string]*pageState{}} }

// loadState reads the state of an earlier run; none is an empty state.
func loadState(fsys archive.FS) (*state, error) {
	st := newState()
	if fsys == nil {
		return st, nil
	}
	b, err := fsys.ReadFile(StateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("%s: %w", StateFile, err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		return newState(), fmt.Errorf("%s: %w", StateFile, err)
	}
	if st.Version != stateVersion {
		return newState(), fmt.Errorf("%s: version %d is not %d", StateFile, st.Version, stateVersion)
	}
	if st.Pages == nil {
		st.Pages = map[string]*pageState{}
	}
	return st, nil
}

func (s *state) page(key string) *pageState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Pages[key]
}

func (s *state) setPage(key string, p *pageState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Pages[key] = p
}

func (s *state) mergeSite(site wxr.Site) {
	s.mu.Lock()
	defer s.mu.Unlock()
	site.Authors, site.Terms = nil, nil
	s.Site.Merge(&site)
}

// nextCapture is the number of the next capture file.
func (s *state) nextCapture() int {
	n := 0
	for _, c := range s.Captures {
		var k int
		if _, err := fmt.Sscanf(c, WARCDir+"/capture-%05d.warc.gz", &k); err == nil && k >= n {
			n = k + 1
		}
	}
	return n
}

// save writes the state through the run's writer.
func (s *state) save(w *archive.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return fmt.Errorf("%s: %w", StateFile, err)
	}
	return w.WriteFile(StateFile, append(b, '\n'))
}

// keepCaptures carries the earlier runs' capture files into this run's
// manifest (the run removes files of the previous manifest it did not
// write), without reading them again: verify checks them.
func (in *Input) keepCaptures() ([]archive.SourceFile, error) {
	var kept []string
	var out []archive.SourceFile
	for _, name := range in.state.Captures {
		err := in.opts.Writer.Keep(name)
		if errors.Is(err, fs.ErrNotExist) {
			in.notes = append(in.notes, name+": capture of an earlier run is missing")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s, _ := in.opts.Writer.SumOf(name)
		kept = append(kept, name)
		out = append(out, archive.SourceFile{Name: name[len(archive.PayloadDir)+1:], Size: s.Size, SHA256: s.SHA256})
	}
	in.state.Captures = kept
	return out, nil
}
