package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
)

// InspectOptions are the inputs of 'wparchive inspect'.
type InspectOptions struct {
	IO     *IOStreams
	Inputs []string
	JSON   bool
}

func newInspectCmd(io *IOStreams, runF func(context.Context, *InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{IO: io}
	c := &cobra.Command{
		Use:   "inspect EXPORT.xml...",
		Short: "Count what a WordPress export holds, without writing anything",
		Long: `Inspect reads the exports in one streaming pass and prints what they hold:
items by type and status, comments by status and type, authors, the date
range, attachments, the shortcodes and block types used, and the WXR version.`,
		Example: "  wparchive inspect export.xml\n  wparchive inspect export.xml --json | jq .by_type",
		Args:    argsCheck(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runInspect(c.Context(), opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print the inventory as JSON")
	return c
}

func runInspect(ctx context.Context, opts *InspectOptions) error {
	for _, in := range opts.Inputs {
		if err := checkInput(in); err != nil {
			return err
		}
	}
	inv, err := archive.Inspect(ctx, opts.Inputs, nil)
	if inv != nil {
		if opts.JSON {
			enc := json.NewEncoder(opts.IO.Out)
			enc.SetIndent("", "  ")
			if e := enc.Encode(inv); e != nil {
				return e
			}
		} else {
			printInventory(opts.IO.Out, inv)
		}
	}
	return err
}

func printInventory(w io.Writer, inv *archive.Inventory) {
	fmt.Fprintf(w, "%s (%s), WXR %s, %d items\n", orNone(inv.Site.Title), inv.Site.Link, orNone(inv.WXRVersion), inv.Items)
	if inv.FirstDate != "" {
		fmt.Fprintf(w, "dates %s to %s\n", inv.FirstDate, inv.LastDate)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	statuses := map[string]bool{}
	for _, m := range inv.ByType {
		for s := range m {
			statuses[s] = true
		}
	}
	cols := sortedKeys(statuses)
	fmt.Fprintf(tw, "type\t%s\t\n", strings.Join(cols, "\t"))
	types := make([]string, 0, len(inv.ByType))
	for t := range inv.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		row := []string{t}
		for _, s := range cols {
			row = append(row, fmt.Sprint(inv.ByType[t][s]))
		}
		fmt.Fprintf(tw, "%s\t\n", strings.Join(row, "\t"))
	}
	_ = tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "comments: %s\n", orNone(reasons(inv.Comments)))
	fmt.Fprintf(w, "comment types: %s\n", orNone(reasons(inv.CommentType)))
	fmt.Fprintf(w, "attachments: %d\n", inv.Attachments)
	fmt.Fprintf(w, "terms: %s\n", orNone(reasons(inv.Terms)))
	var authors []string
	for _, a := range inv.Authors {
		authors = append(authors, fmt.Sprintf("%s (%s) %d", a.Login, a.DisplayName, a.Items))
	}
	fmt.Fprintf(w, "authors: %s\n", orNone(strings.Join(authors, ", ")))
	fmt.Fprintf(w, "shortcodes: %s\n", orNone(reasons(inv.Shortcodes)))
	fmt.Fprintf(w, "blocks: %s\n", orNone(reasons(inv.Blocks)))
	if inv.Warnings > 0 {
		fmt.Fprintf(w, "warnings: %d (repaired characters or oddities; 'convert' lists them in report.json)\n", inv.Warnings)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
