package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/wparchive/wparchive/archive"
)

// maxShownWarnings is how many warnings are printed as they come; the rest
// are counted, and all of them are in report.json.
const maxShownWarnings = 20

// newReporter picks the progress display: JSON events for machines, a bar on
// a terminal, plain periodic lines otherwise, nothing with --quiet.
func newReporter(io *IOStreams, quiet, jsonEvents bool) archive.Reporter {
	switch {
	case jsonEvents:
		return &jsonReporter{enc: json.NewEncoder(io.Out)}
	case quiet:
		return archive.Discard{}
	case io.StderrTTY:
		return &barReporter{w: io.ErrOut}
	default:
		return &lineReporter{w: io.ErrOut, now: io.Now, every: 5 * time.Second}
	}
}

// jsonReporter writes one JSON object per event, for CI.
type jsonReporter struct{ enc *json.Encoder }

func (r *jsonReporter) Event(e archive.Event) { _ = r.enc.Encode(e) }

// lineReporter prints a progress line every few seconds and the first warnings.
type lineReporter struct {
	w        io.Writer
	now      func() time.Time
	every    time.Duration
	last     time.Time
	phase    string
	done     int
	warnings int
}

func (r *lineReporter) Event(e archive.Event) {
	switch e.Kind {
	case archive.EventPhase:
		r.phase = e.Phase
	case archive.EventWarning:
		r.warnings++
		if r.warnings <= maxShownWarnings {
			fmt.Fprintf(r.w, "warning: %s\n", describe(e))
		} else if r.warnings == maxShownWarnings+1 {
			fmt.Fprintln(r.w, "warning: more warnings follow; all are listed in report.json")
		}
	case archive.EventItem:
		r.done++
		if e.Outcome == archive.Failed {
			fmt.Fprintf(r.w, "failed: %s\n", e.Reason)
		}
		if t := r.now(); t.Sub(r.last) >= r.every {
			if !r.last.IsZero() {
				fmt.Fprintf(r.w, "%s: %d items done\n", r.phase, r.done)
			}
			r.last = t
		}
	case archive.EventMedia:
		if e.Reason != "" {
			fmt.Fprintf(r.w, "media: %s: %s\n", e.URL, e.Reason)
		}
	}
}

// barReporter draws a progress bar on the terminal's stderr.
type barReporter struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	warnings int
}

func (r *barReporter) Event(e archive.Event) {
	switch e.Kind {
	case archive.EventPhase:
		if r.bar != nil {
			_ = r.bar.Finish()
			fmt.Fprintln(r.w)
		}
		r.bar = progressbar.NewOptions(max(e.Total, -1),
			progressbar.OptionSetWriter(r.w),
			progressbar.OptionSetDescription(e.Phase),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	case archive.EventItem, archive.EventMedia:
		if r.bar != nil {
			_ = r.bar.Add(1)
		}
		if e.Outcome == archive.Failed {
			r.print("failed: " + e.Reason)
		}
	case archive.EventWarning:
		r.warnings++
		if r.warnings <= maxShownWarnings {
			r.print("warning: " + describe(e))
		}
	}
}

func (r *barReporter) print(s string) {
	if r.bar != nil {
		_ = r.bar.Clear()
	}
	fmt.Fprintln(r.w, s)
}

// describe renders a warning with its place.
func describe(e archive.Event) string {
	s := e.Message
	if e.ID != 0 {
		s = fmt.Sprintf("item %d: %s", e.ID, s)
	}
	if e.Pos.File != "" {
		if e.Pos.Line > 0 {
			s = fmt.Sprintf("%s:%d:%d: %s", e.Pos.File, e.Pos.Line, e.Pos.Col, s)
		} else {
			s = e.Pos.File + ": " + s
		}
	}
	return s
}
