package archive

import (
	"sort"
	"strconv"

	"github.com/wparchive/wparchive/wxr"
)

// maxReportWarnings caps the warnings listed in report.json; the count stays exact.
const maxReportWarnings = 10000

// Report is the accounting of a run (report.json): every item read is
// written, skipped, withheld or failed, each with its reason.
type Report struct {
	Format   string         `json:"format"`
	Tool     string         `json:"tool"`
	Sources  []SourceFile   `json:"sources"`
	Complete bool           `json:"complete"` // false when the run stopped early (syntax error, interruption)
	Error    string         `json:"error,omitempty"`
	Items    ItemCounts     `json:"items"`
	Skipped  map[string]int `json:"skipped"`  // reason → count
	Withheld map[string]int `json:"withheld"` // reason → count
	Failures []Failure      `json:"failures"`
	Comments CommentCounts  `json:"comments"`
	Media    MediaCounts    `json:"media"`
	// MediaFailures lists the media files that could not be had.
	MediaFailures []MediaFailure `json:"media_failures"`
	// UnknownShortcodes and UnknownBlocks count what the converter kept as is.
	UnknownShortcodes map[string]int `json:"unknown_shortcodes"`
	UnknownBlocks     map[string]int `json:"unknown_blocks"`
	Lossy             []ItemLoss     `json:"lossy"`
	// RawFallbacks counts items whose HTML could not be converted and was kept as is.
	RawFallbacks int       `json:"raw_fallbacks"`
	WarningCount int       `json:"warning_count"`
	Warnings     []Warning `json:"warnings"`
}

// ItemCounts balance: Read = Written + Skipped + Withheld + Failed.
type ItemCounts struct {
	Read     int `json:"read"`
	Written  int `json:"written"`
	Drafts   int `json:"drafts"` // of Written
	Skipped  int `json:"skipped"`
	Withheld int `json:"withheld"`
	Failed   int `json:"failed"`
}

// CommentCounts account for the comments of written items.
type CommentCounts struct {
	Read     int            `json:"read"`
	Written  int            `json:"written"`
	LeftOut  map[string]int `json:"left_out"` // reason → count
	Redacted bool           `json:"personal_data_removed"`
}

// MediaCounts account for media files.
type MediaCounts struct {
	Referenced int  `json:"referenced"`
	Downloaded int  `json:"downloaded"`
	Reused     int  `json:"reused"`
	Failed     int  `json:"failed"`
	Skipped    bool `json:"skipped"` // --no-media
}

// Failure is an item that could not be archived.
type Failure struct {
	ID     int64        `json:"id"`
	Slug   string       `json:"slug"`
	Pos    wxr.Position `json:"pos"`
	Reason string       `json:"reason"`
}

// ItemLoss is an item whose Markdown does not carry all of its source.
type ItemLoss struct {
	ID          int64    `json:"id"`
	Path        string   `json:"path"`
	Differences []string `json:"differences"`
}

// Warning is something the user should know, with its place.
type Warning struct {
	Pos     wxr.Position `json:"pos,omitzero"`
	ID      int64        `json:"id,omitempty"`
	Message string       `json:"message"`
}

func newReport(tool string) *Report {
	return &Report{
		Format: FormatVersion, Tool: tool, Skipped: map[string]int{}, Withheld: map[string]int{},
		Failures: []Failure{}, UnknownShortcodes: map[string]int{}, UnknownBlocks: map[string]int{},
		Lossy: []ItemLoss{}, MediaFailures: []MediaFailure{}, Warnings: []Warning{}, Comments: CommentCounts{LeftOut: map[string]int{}},
	}
}

func (r *Report) warn(w Warning) {
	r.WarningCount++
	if len(r.Warnings) < maxReportWarnings {
		r.Warnings = append(r.Warnings, w)
	}
}

// Balanced reports whether every item read is accounted for.
func (r *Report) Balanced() bool {
	c := r.Items
	return c.Read == c.Written+c.Skipped+c.Withheld+c.Failed
}

// sortForOutput orders everything that arrived in completion order, so the
// report is the same for any number of workers.
func (r *Report) sortForOutput() {
	sort.SliceStable(r.Failures, func(i, j int) bool {
		return lessPos(r.Failures[i].Pos, r.Failures[i].ID, r.Failures[j].Pos, r.Failures[j].ID)
	})
	sort.SliceStable(r.MediaFailures, func(i, j int) bool { return r.MediaFailures[i].URL < r.MediaFailures[j].URL })
	sort.SliceStable(r.Lossy, func(i, j int) bool { return r.Lossy[i].Path < r.Lossy[j].Path })
	sort.SliceStable(r.Warnings, func(i, j int) bool {
		a, b := r.Warnings[i], r.Warnings[j]
		if a.Pos != b.Pos || a.ID != b.ID {
			return lessPos(a.Pos, a.ID, b.Pos, b.ID)
		}
		return a.Message < b.Message
	})
}

func lessPos(a wxr.Position, aid int64, b wxr.Position, bid int64) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Col != b.Col {
		return a.Col < b.Col
	}
	return aid < bid
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func quote(s string) string { return strconv.Quote(s) }
