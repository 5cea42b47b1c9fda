package cmd

import (
	"context"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
)

// MergeOptions are the inputs of 'wparchive merge'.
type MergeOptions struct {
	IO     *IOStreams
	Out    string
	Shards []string
	Tool   string
	Quiet  bool
}

func newMergeCmd(io *IOStreams, runF func(context.Context, *MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{IO: io}
	c := &cobra.Command{
		Use:   "merge OUT SHARD...",
		Short: "Combine the archives of a run split with --shard into one",
		Long: `Merge combines shard archives — the outputs of 'wparchive convert --shard K/N'
for K = 1…N, made from the same exports with the same options — into OUT, an
archive byte for byte identical to the one a single run would have written,
with its manifest. Two shards that hold different bytes under one name are
an error.`,
		Example: `  wparchive convert export.xml --shard 1/2 -o part1
  wparchive convert export.xml --shard 2/2 -o part2
  wparchive merge site part1 part2`,
		Args: argsCheck(cobra.MinimumNArgs(2)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Out, opts.Shards = args[0], args[1:]
			opts.Tool = "wparchive " + version()
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runMerge(c.Context(), opts)
		},
	}
	c.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	return c
}

func runMerge(ctx context.Context, opts *MergeOptions) error {
	if entries, err := os.ReadDir(opts.Out); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s: the folder is not empty; merge into a new folder", opts.Out)
	}
	var shards []fs.FS
	for _, s := range opts.Shards {
		r, err := os.OpenRoot(s)
		if err != nil {
			return fmt.Errorf("shard %s: %w", s, err)
		}
		defer r.Close()
		shards = append(shards, r.FS())
	}
	fsys, err := archive.OpenRootFS(opts.Out)
	if err != nil {
		return err
	}
	defer fsys.Close()
	unlock, err := archive.Lock(opts.Out)
	if err != nil {
		return err
	}
	defer unlock()
	rep, err := archive.Merge(ctx, fsys, opts.Tool, shards...)
	if err != nil {
		return err
	}
	if !opts.Quiet {
		fmt.Fprintf(opts.IO.ErrOut, "merged %d shards into %s: %d items read, %d written\n", len(shards), opts.Out, rep.Items.Read, rep.Items.Written)
	}
	return nil
}
