package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
)

// VerifyOptions are the inputs of 'wparchive verify'.
type VerifyOptions struct {
	IO   *IOStreams
	Dir  string
	JSON bool
}

func newVerifyCmd(io *IOStreams, runF func(context.Context, *VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{IO: io}
	c := &cobra.Command{
		Use:   "verify DIR",
		Short: "Check an archive against its checksums",
		Long: `Verify re-reads every file of the archive in DIR and checks it against the
BagIt manifests: files missing, changed since they were written, or added
without being listed. It also checks bagit.txt, the Payload-Oxum of
bag-info.txt, that items.jsonl parses and every file it names exists, and
that the item counts of report.json balance.

An archive without a bag (manifest-sha256.txt and the files beside it) is
checked against that manifest. The exit code is 0 when everything checks
out, 1 otherwise.`,
		Example: "  wparchive verify site\n  wparchive verify site --json | jq .problems",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runVerify(c.Context(), opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return c
}

func runVerify(ctx context.Context, opts *VerifyOptions) error {
	fi, err := os.Stat(opts.Dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: no such folder; give the folder written by 'wparchive convert -o'", opts.Dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s: is not a folder; give the archive's folder", opts.Dir)
	}
	// os.Root keeps every read inside the folder, whatever links it holds.
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return err
	}
	defer root.Close()
	res, err := archive.Verify(ctx, root.FS())
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Dir, err)
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printVerify(opts.IO.Out, opts.Dir, res)
	}
	if !res.OK() {
		return fmt.Errorf("%s: %s: %w", opts.Dir, plural(len(res.Problems), "problem"), archive.ErrVerifyFailed)
	}
	return nil
}

func printVerify(w io.Writer, dir string, res *archive.VerifyResult) {
	for _, p := range res.Problems {
		line := fmt.Sprintf("%-10s %s", p.Kind, shownPath(p.Path))
		if p.Detail != "" {
			line += ": " + shownPath(p.Detail)
		}
		fmt.Fprintln(w, line)
	}
	kind := "bag"
	if !res.Bag {
		kind = "archive (no bag)"
	}
	verdict := "OK"
	if !res.OK() {
		verdict = plural(len(res.Problems), "problem")
	}
	fmt.Fprintf(w, "%s: %s: %s; %d payload files (%d bytes), %d items\n",
		shownPath(dir), kind, verdict, res.Files, res.Bytes, res.Items)
	if res.Incomplete {
		fmt.Fprintln(w, "note: report.json says the run that wrote this archive stopped early")
	}
}

// shownPath quotes a name holding control or bidi characters, so a hostile
// archive cannot rewrite the terminal or disguise a name.
func shownPath(s string) string {
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == unicode.ReplacementChar {
			return strconv.QuoteToGraphic(s)
		}
	}
	return s
}
