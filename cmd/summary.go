package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// writeSummary prints the end-of-run table for people.
func writeSummary(w io.Writer, rep *archive.Report, out string, elapsed time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	c := rep.Items
	fmt.Fprintf(tw, "items read\t%d\t\n", c.Read)
	fmt.Fprintf(tw, "  written\t%d\t%s\n", c.Written, plural(c.Drafts, "draft"))
	fmt.Fprintf(tw, "  skipped\t%d\t%s\n", c.Skipped, reasons(rep.Skipped))
	fmt.Fprintf(tw, "  withheld\t%d\t%s\n", c.Withheld, reasons(rep.Withheld))
	fmt.Fprintf(tw, "  failed\t%d\t\n", c.Failed)
	fmt.Fprintf(tw, "comments\t%d\tof %d; left out: %s\n", rep.Comments.Written, rep.Comments.Read, orNone(reasons(rep.Comments.LeftOut)))
	if rep.Media.Skipped {
		fmt.Fprintf(tw, "media\t%d\treferenced, not downloaded (--no-media)\n", rep.Media.Referenced)
	} else {
		fmt.Fprintf(tw, "media\t%d\tdownloaded, %d reused, %d failed, %d referenced\n", rep.Media.Downloaded, rep.Media.Reused, rep.Media.Failed, rep.Media.Referenced)
	}
	if n := len(rep.UnknownShortcodes) + len(rep.UnknownBlocks); n > 0 {
		fmt.Fprintf(tw, "kept as is\t%d\tunknown shortcodes and blocks: %s\n", n, reasons(merge(rep.UnknownShortcodes, rep.UnknownBlocks)))
	}
	if len(rep.Lossy) > 0 {
		fmt.Fprintf(tw, "lossy\t%d\titems whose Markdown misses part of the source (see report.json)\n", len(rep.Lossy))
	}
	fmt.Fprintf(tw, "warnings\t%d\t\n", rep.WarningCount)
	secs := elapsed.Seconds()
	rate := ""
	if secs > 0 {
		rate = fmt.Sprintf("%.0f items/s", float64(c.Read)/secs)
	}
	fmt.Fprintf(tw, "time\t%s\t%s\n", elapsed.Round(time.Millisecond), rate)
	_ = tw.Flush()
	if rep.Complete {
		fmt.Fprintf(w, "archive written to %s\n", out)
	} else {
		fmt.Fprintf(w, "archive in %s is incomplete: %s\n", out, rep.Error)
	}
}

// writeSummaryEvent ends a --json run with the summary as one event.
func writeSummaryEvent(w io.Writer, rep *archive.Report, elapsed time.Duration) {
	_ = json.NewEncoder(w).Encode(struct {
		Event    string                `json:"event"`
		Complete bool                  `json:"complete"`
		Error    string                `json:"error,omitempty"`
		Items    archive.ItemCounts    `json:"items"`
		Comments archive.CommentCounts `json:"comments"`
		Media    archive.MediaCounts   `json:"media"`
		Warnings int                   `json:"warnings"`
		Seconds  float64               `json:"seconds"`
	}{"summary", rep.Complete, rep.Error, rep.Items, rep.Comments, rep.Media, rep.WarningCount, elapsed.Seconds()})
}

func reasons(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func merge(a, b map[string]int) map[string]int {
	m := map[string]int{}
	for k, v := range a {
		m["["+k+"]"] += v
	}
	for k, v := range b {
		m["wp:"+k] += v
	}
	return m
}

func plural(n int, word string) string {
	if n == 0 {
		return ""
	}
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
