package media

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
)

// Statuses of a Result.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Where a Result's bytes came from.
const (
	FromNetwork   = "network"
	FromLocal     = "local"     // the --media-from folder
	FromUnchanged = "unchanged" // a previous run's file, confirmed by a conditional request
)

// Result is what became of one referenced URL.
type Result struct {
	// URL is the reference as found.
	URL          string `json:"url"`
	Kind         string `json:"kind"`
	AttachmentID int64  `json:"attachment_id,omitempty"`
	// Fetched is the URL whose bytes are stored: the original upload, or
	// URL itself when no original could be had (then Variant is set).
	Fetched string `json:"fetched,omitempty"`
	Variant bool   `json:"variant,omitempty"`
	From    string `json:"from,omitempty"`
	// Path is relative to the payload root, slash-separated.
	Path string `json:"path,omitempty"`
	Size int64  `json:"size,omitempty"`
	// ContentType is sniffed from the bytes, never taken from the server.
	ContentType string `json:"content_type,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	Status      string `json:"status"`
	Reason      string `json:"reason,omitempty"`
	// Attempts counts HTTP attempts over every candidate URL tried.
	Attempts     int    `json:"attempts"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// OK reports whether the file was stored.
func (r Result) OK() bool { return r.Status == StatusOK }

// Progress hears about media downloads. Calls are serialised.
type Progress interface {
	// MediaStarted gives the number of distinct URLs about to be fetched.
	MediaStarted(total int)
	// MediaDone reports one URL's result. Path may later be replaced by
	// that of an identical file; the results Fetch returns are final.
	MediaDone(r Result)
}

// NopProgress ignores progress.
type NopProgress struct{}

// MediaStarted implements Progress.
func (NopProgress) MediaStarted(int) {}

// MediaDone implements Progress.
func (NopProgress) MediaDone(Result) {}

// stateVersion is the version of the state file's format.
const stateVersion = 1

type state struct {
	Version int      `json:"version"`
	Media   []Result `json:"media"`
}

// WriteState writes results as the state file (media.json) a later run
// reads to make conditional requests. Results are sorted by URL so the file
// is the same whatever the order of the downloads.
func WriteState(w io.Writer, results []Result) error {
	rs := append([]Result(nil), results...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].URL < rs[j].URL })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(state{Version: stateVersion, Media: rs}); err != nil {
		return fmt.Errorf("media state: %w", err)
	}
	return nil
}

// ReadState reads a state file written by WriteState.
func ReadState(r io.Reader) ([]Result, error) {
	var s state
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("media state: %w", err)
	}
	if s.Version != stateVersion {
		return nil, fmt.Errorf("media state: version %d, want %d", s.Version, stateVersion)
	}
	return s.Media, nil
}
