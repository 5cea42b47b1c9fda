package cmd

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wparchive/wparchive/archive"
)

// errThreshold is returned when a --fail-on condition is met; it exits 3,
// like failed items, because the archive was written but is not what CI wants.
var errThreshold = errors.New("--fail-on condition met")

// failOnKinds are the conditions --fail-on accepts.
var failOnKinds = []string{"warnings", "loss", "unknown", "media", "fallback"}

// checkFailOn validates the --fail-on values.
func checkFailOn(kinds []string) error {
	for _, k := range kinds {
		ok := false
		for _, v := range failOnKinds {
			ok = ok || k == v
		}
		if !ok {
			return usageErrorf("--fail-on %q: want one of %s", k, strings.Join(failOnKinds, ", "))
		}
	}
	return nil
}

// failOn returns an error naming every --fail-on condition the report meets.
func failOn(rep *archive.Report, kinds []string) error {
	var hit []string
	for _, k := range kinds {
		switch k {
		case "warnings":
			if rep.WarningCount > 0 {
				hit = append(hit, fmt.Sprintf("%d warnings", rep.WarningCount))
			}
		case "loss":
			if n := len(rep.Lossy); n > 0 {
				hit = append(hit, fmt.Sprintf("%d items lost content in conversion", n))
			}
		case "unknown":
			if n := len(rep.UnknownShortcodes) + len(rep.UnknownBlocks); n > 0 {
				hit = append(hit, fmt.Sprintf("%d unknown shortcodes or blocks", n))
			}
		case "media":
			if rep.Media.Failed > 0 {
				hit = append(hit, fmt.Sprintf("%d media files missing", rep.Media.Failed))
			}
		case "fallback":
			if rep.RawFallbacks > 0 {
				hit = append(hit, fmt.Sprintf("%d items kept as raw HTML", rep.RawFallbacks))
			}
		}
	}
	if len(hit) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s (details in report.json)", errThreshold, strings.Join(hit, ", "))
}
