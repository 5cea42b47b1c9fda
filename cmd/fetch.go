package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/live"
	"github.com/wparchive/wparchive/archive/web"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/convert/page"
)

// FetchOptions are the inputs of 'wparchive fetch'.
type FetchOptions struct {
	IO   *IOStreams
	Tool string
	// Args are page URLs and saved .html files.
	Args     []string
	Sitemaps []string
	APIs     []string
	RunFlags

	Workers int
	Refresh bool
}

func newFetchCmd(io *IOStreams, runF func(context.Context, *FetchOptions) error) *cobra.Command {
	opts := &FetchOptions{IO: io}
	c := &cobra.Command{
		Use:   "fetch [URL|FILE]... [--sitemap URL] [--api URL] -o DIR",
		Short: "Archive live WordPress pages, a site's sitemap or its REST API into DIR",
		Long: `Fetch captures WordPress posts and pages from the web, or from .html files
saved earlier, and archives them like 'wparchive convert' does: Markdown and a
JSON record per post, threaded comments, site.json, items.jsonl, report.json
and a BagIt manifest. Every HTTP response is also kept, raw, in
data/warc/capture-NNNNN.warc.gz.

Pages come from the URLs given, from the site's sitemaps (--sitemap: the
site's address or a sitemap's), or from its REST API (--api: posts, pages,
comments, categories, tags, authors' names, media). robots.txt is obeyed.
Only public addresses are fetched unless --allow-private-network.

Running again into the same folder resumes: pages captured earlier are not
fetched again (--refresh asks the server whether they changed).`,
		Example: `  wparchive fetch https://example.wordpress.com/2012/09/08/some-post/ -o site
  wparchive fetch --sitemap https://example.org/ -o site
  wparchive fetch --api https://example.org/ -o site
  wparchive fetch saved/*.html -o site`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Args = args
			opts.Tool = "wparchive " + version()
			if len(args)+len(opts.Sitemaps)+len(opts.APIs) == 0 {
				return usageErrorf("nothing to fetch: give page URLs, saved .html files, --sitemap URL or --api URL")
			}
			if err := checkFailOn(opts.FailOn); err != nil {
				return err
			}
			if opts.Out == "" {
				return usageErrorf("the output folder is required: add -o DIR")
			}
			if opts.Media.PerHost < 0 || opts.Media.Delay < 0 || opts.Workers < 0 {
				return usageErrorf("--per-host, --workers and --delay cannot be negative")
			}
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runFetch(c.Context(), opts)
		},
	}
	f := c.Flags()
	opts.RunFlags.bind(f, "fetch and convert")
	f.StringSliceVar(&opts.Sitemaps, "sitemap", nil, "crawl the posts and pages listed in this site's sitemaps (site or sitemap URL)")
	f.StringSliceVar(&opts.APIs, "api", nil, "read this site through its REST API (/wp-json/wp/v2/)")
	f.IntVar(&opts.Workers, "workers", 4, "pages fetched at once (the per-host limit still applies)")
	f.BoolVar(&opts.Refresh, "refresh", false, "revalidate pages captured by an earlier run (conditional requests)")
	return c
}

func runFetch(ctx context.Context, opts *FetchOptions) error {
	var urls, files []string
	for _, a := range opts.Args {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			urls = append(urls, a)
			continue
		}
		fi, err := os.Stat(a)
		switch {
		case errors.Is(err, os.ErrNotExist):
			return usageErrorf("%s: neither an http(s) URL nor an existing file", a)
		case err != nil:
			return err
		case fi.IsDir():
			return usageErrorf("%s: is a folder; give the saved .html files", a)
		}
		files = append(files, a)
	}
	if err := checkOutput(opts.Out); err != nil {
		return err
	}
	opts.NoMedia = opts.NoMedia || opts.DryRun
	out, err := openOutput(opts.Out, opts.DryRun)
	if err != nil {
		return err
	}
	defer out.Close()
	fsys := out.FS

	m := opts.Media
	ua := m.UserAgent
	if ua == "" {
		ua = web.UserAgent(version())
	}
	client := web.New(web.Options{
		UserAgent: ua, Timeout: m.Timeout, PerHost: m.PerHost, Delay: m.Delay,
		Retries: m.Retries, AllowPrivate: m.AllowPrivate,
	})
	var mediaOpts *archive.MediaOptions
	if !opts.NoMedia {
		if mediaOpts, err = m.options(opts.Tool); err != nil {
			return err
		}
	}
	ex, err := page.New(page.Options{})
	if err != nil {
		return err
	}
	conv, err := convert.New(convert.Options{})
	if err != nil {
		return err
	}
	// A missing or unreadable manifest makes this a first run; temporary
	// files that fail do not.
	prev, err := archive.ReadManifest(fsys, "")
	if errors.Is(err, archive.ErrSpill) {
		return fmt.Errorf("previous run: %w", err)
	}
	defer prev.Close()
	w := out.Writer(prev)
	defer w.Close()
	in := live.New(live.Options{
		URLs: urls, Sitemaps: opts.Sitemaps, APIs: opts.APIs, Files: files,
		Client: client, Extractor: ex, FS: fsys, Writer: w,
		Workers: opts.Workers, Refresh: opts.Refresh, Tool: opts.Tool, UserAgent: ua,
	})

	start := opts.IO.Now()
	rep, runErr := archive.Convert(ctx, archive.Options{
		Input: in, FS: fsys, Writer: w, Converter: conv, Tool: opts.Tool,
		Reporter:       newReporter(opts.IO, opts.Quiet, opts.JSON),
		IncludePrivate: opts.IncludePrivate, KeepPersonalData: opts.KeepPersonalData,
		NoMedia: opts.NoMedia, Media: mediaOpts, Jobs: opts.Jobs,
	})
	elapsed := opts.IO.Now().Sub(start)
	if rep != nil {
		switch {
		case opts.JSON:
			out.Event(opts.IO.Out)
			writeSummaryEvent(opts.IO.Out, rep, elapsed)
		case !opts.Quiet:
			out.Summary(opts.IO.ErrOut, rep, elapsed)
			if n := len(in.Skipped()); n > 0 {
				fmt.Fprintf(opts.IO.ErrOut, "Not fetched: %s (robots.txt)\n", plural(n, "page"))
			}
		}
	}
	if runErr == nil && rep != nil {
		runErr = failOn(rep, opts.FailOn)
	}
	return runErr
}
