package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/render"
)

// RenderOptions are the inputs of 'wparchive render'.
type RenderOptions struct {
	IO    *IOStreams
	Tool  string
	Dir   string
	Quiet bool
}

func newRenderCmd(io *IOStreams, runF func(context.Context, *RenderOptions) error) *cobra.Command {
	opts := &RenderOptions{IO: io}
	c := &cobra.Command{
		Use:   "render DIR",
		Short: "Write a browsable offline copy of an archive into DIR/data/html",
		Long: `Render reads the archive in DIR and writes a static site into its
data/html folder: an index of the posts by date, category and tag, the
pages, and one page per post and page with its comments, made from the
archived Markdown and records. Open DIR/data/html/index.html in any browser.

The pages run no script and load nothing from the network: images that are
not in the archive are shown as links to their original address. Rendering
again replaces the folder's pages and removes those of items no longer in
the archive.`,
		Example: "  wparchive render site\n  open site/data/html/index.html",
		Args:    argsCheck(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = args[0]
			opts.Tool = "wparchive " + version()
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runRender(c.Context(), opts)
		},
	}
	c.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing but errors")
	return c
}

func runRender(ctx context.Context, opts *RenderOptions) error {
	payloadDir := filepath.Join(opts.Dir, archive.PayloadDir)
	if _, err := os.Stat(filepath.Join(payloadDir, archive.ItemsFile)); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s: not a wparchive archive (no %s/%s); give the folder written by 'wparchive convert -o'", opts.Dir, archive.PayloadDir, archive.ItemsFile)
		}
		return err
	}
	unlock, err := archive.Lock(opts.Dir)
	if err != nil {
		return err
	}
	defer unlock()
	// Read through os.Root rather than os.DirFS: a symbolic link planted in
	// the archive must not pull a file from outside it into the pages.
	in, err := os.OpenRoot(payloadDir)
	if err != nil {
		return err
	}
	defer in.Close()
	fsys, err := archive.OpenRootFS(opts.Dir)
	if err != nil {
		return fmt.Errorf("archive folder: %w", err)
	}
	defer fsys.Close()
	w := archive.NewWriter(fsys, nil)
	defer w.Close()
	payload := in.FS()
	res, err := render.Render(ctx, payload, render.PrefixWriter{W: w, Prefix: archive.PayloadDir + "/"}, render.Options{Tool: opts.Tool})
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Dir, err)
	}
	removed, err := removeStale(payload, w, res.Files)
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Dir, err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	// The pages are payload: the bag's checksums must cover them.
	if err := archive.Rebag(ctx, fsys); err != nil {
		return fmt.Errorf("%s: %w", opts.Dir, err)
	}
	if !opts.Quiet {
		out := opts.IO.ErrOut
		for _, warn := range res.Warnings {
			fmt.Fprintf(out, "warning: %s\n", shownPath(warn))
		}
		for _, m := range res.MissingImages {
			fmt.Fprintf(out, "missing image: %s\n", shownPath(m))
		}
		fmt.Fprintf(out, "Rendered %s and %s into %s (%d stale files removed).\n",
			plural(res.Items, "item page"), plural(res.Comments, "comment"),
			shownPath(filepath.Join(payloadDir, render.Dir)), removed)
		if res.RemoteImages > 0 {
			fmt.Fprintf(out, "%s not in the archive are shown as links to the web.\n", plural(res.RemoteImages, "image"))
		}
		fmt.Fprintf(out, "Open %s in a browser.\n", shownPath(filepath.Join(payloadDir, render.Dir, "index.html")))
	}
	return nil
}

// removeStale removes the files of html/ that this rendering did not write:
// pages of items no longer in the archive.
func removeStale(payload fs.FS, w *archive.Writer, written []string) (int, error) {
	keep := make(map[string]bool, len(written))
	for _, n := range written {
		keep[n] = true
	}
	var stale []string
	err := fs.WalkDir(payload, render.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !keep[p] {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, p := range stale {
		if err := w.Remove(archive.PayloadDir + "/" + p); err != nil {
			return 0, err
		}
	}
	return len(stale), nil
}
