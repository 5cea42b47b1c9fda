package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/render"
	"github.com/wparchive/wparchive/archive/web"
	"github.com/wparchive/wparchive/convert"
)

// ConvertOptions are the inputs of 'wparchive convert'.
type ConvertOptions struct {
	IO     *IOStreams
	Tool   string
	Inputs []string
	RunFlags

	StripBoilerplate bool
	HTML             bool
	Shard            string
	Profile          ProfileFlags
	Target           string
	FrontMatter      string
}

// RunFlags are the flags of a run that writes an archive, shared by
// convert and fetch.
type RunFlags struct {
	Out              string
	IncludePrivate   bool
	KeepPersonalData bool
	NoMedia          bool
	Jobs             int
	Quiet            bool
	JSON             bool
	FailOn           []string
	DryRun           bool
	// Media holds the network flags, which fetch's page requests share.
	Media MediaFlags
}

// bind adds the run flags; what reads means for the dry run's help.
func (r *RunFlags) bind(f *pflag.FlagSet, reads string) {
	f.StringVarP(&r.Out, "output", "o", "", "archive folder to write (created if missing)")
	f.BoolVar(&r.IncludePrivate, "include-private", false, "also write private and password-protected items (never their passwords)")
	f.BoolVar(&r.KeepPersonalData, "keep-personal-data", false, "keep commenters' e-mail and IP addresses and user agents")
	f.BoolVar(&r.NoMedia, "no-media", false, "do not download media; keep remote URLs")
	f.IntVarP(&r.Jobs, "jobs", "j", 0, "conversion workers (default: number of CPUs)")
	f.BoolVarP(&r.Quiet, "quiet", "q", false, "print nothing but errors")
	f.BoolVar(&r.JSON, "json", false, "print one JSON event per line on stdout, for CI")
	f.StringSliceVar(&r.FailOn, "fail-on", nil, "exit 3 when the run has any of: warnings, loss, unknown, media, fallback")
	f.BoolVar(&r.DryRun, "dry-run", false, reads+" everything, write nothing (no output folder, no media downloads) and report what would be written")
	r.Media.bind(f)
}

// MediaFlags are the options of media downloads, shared by convert and fetch.
type MediaFlags struct {
	From         string
	Jobs         int
	PerHost      int
	Delay        time.Duration
	MaxSize      int64
	Timeout      time.Duration
	Retries      int
	AllowPrivate bool
	UserAgent    string
}

// bind adds the media flags to a command.
func (m *MediaFlags) bind(f *pflag.FlagSet) {
	f.StringVar(&m.From, "media-from", "", "a copy of wp-content/uploads to take media from before the network")
	f.IntVar(&m.Jobs, "media-jobs", 4, "concurrent media downloads")
	f.IntVar(&m.PerHost, "per-host", 2, "concurrent requests to one host")
	f.DurationVar(&m.Delay, "delay", 0, "pause between requests to one host")
	f.Int64Var(&m.MaxSize, "max-media-size", 512<<20, "largest media file to download, in bytes")
	f.DurationVar(&m.Timeout, "timeout", time.Minute, "time limit of one request, body included")
	f.IntVar(&m.Retries, "retries", 3, "retries on timeouts, 5xx and 429")
	f.BoolVar(&m.AllowPrivate, "allow-private-network", false, "allow requests to loopback and private addresses")
	f.StringVar(&m.UserAgent, "user-agent", "", "User-Agent of requests (default: wparchive/VERSION and the project URL)")
}

// options builds the archive's media options; the client is made here, in
// the command layer, so tests can point it at local servers.
func (m *MediaFlags) options(tool string) (*archive.MediaOptions, error) {
	ua := m.UserAgent
	if ua == "" {
		ua = web.UserAgent(version())
	}
	mo := &archive.MediaOptions{
		Client: web.New(web.Options{
			UserAgent: ua, Timeout: m.Timeout, PerHost: m.PerHost, Delay: m.Delay,
			Retries: m.Retries, AllowPrivate: m.AllowPrivate,
		}),
		Jobs: m.Jobs, MaxBytes: m.MaxSize,
	}
	if m.From != "" {
		r, err := os.OpenRoot(m.From)
		if err != nil {
			return nil, fmt.Errorf("--media-from: %w", err)
		}
		mo.From = r.FS()
	}
	return mo, nil
}

func newConvertCmd(io *IOStreams, runF func(context.Context, *ConvertOptions) error) *cobra.Command {
	opts := &ConvertOptions{IO: io}
	c := &cobra.Command{
		Use:   "convert EXPORT.xml... -o DIR",
		Short: "Archive a WordPress export (WXR) into DIR",
		Long: `Convert reads one or more WordPress export files (Tools → Export; a site
exported in several files is given as several files) and writes the archive
to DIR: a BagIt bag whose data/ folder holds a Markdown file and a JSON
record per post and page, threaded comments, site.json, items.jsonl and
report.json.

Published items are written; drafts, pending and scheduled ones are written
with draft: true; trash and site machinery are skipped; private and
password-protected items are withheld unless --include-private. Commenters'
e-mail and IP addresses are never written unless --keep-personal-data.`,
		Example: `  wparchive convert export.xml -o site
  wparchive convert part1.xml part2.xml -o site --json > events.jsonl`,
		Args: argsCheck(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Inputs = args
			opts.Tool = "wparchive " + version()
			if strict, _ := c.Flags().GetBool("strict"); strict {
				opts.FailOn = append(opts.FailOn, "loss")
			}
			if err := checkFailOn(opts.FailOn); err != nil {
				return err
			}
			if _, err := archive.TargetNamed(opts.Target, opts.FrontMatter); err != nil {
				return &UsageError{Err: err}
			}
			if opts.Out == "" {
				return usageErrorf("the output folder is required: add -o DIR")
			}
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return runConvert(c.Context(), opts)
		},
	}
	f := c.Flags()
	opts.RunFlags.bind(f, "read and convert")
	f.BoolVar(&opts.StripBoilerplate, "strip-boilerplate", false, "remove sharing, likes and comment-form widgets pasted into content")
	opts.Profile.bind(f)
	f.StringVar(&opts.Shard, "shard", "", "archive only shard K of N (K/N, stable by id); combine the shards with 'wparchive merge'")
	f.BoolVar(&opts.HTML, "html", false, "also write a browsable offline copy in data/html (no script, no network)")
	f.StringVar(&opts.Target, "target", "plain", "layout: "+strings.Join(archive.TargetNames(), ", "))
	f.StringVar(&opts.FrontMatter, "front-matter", "yaml", "front matter format: yaml, toml or json")
	f.Bool("strict", false, "same as --fail-on loss: any content lost in conversion fails the run")
	return c
}

func runConvert(ctx context.Context, opts *ConvertOptions) error {
	for _, in := range opts.Inputs {
		if err := checkInput(in); err != nil {
			return err
		}
	}
	if err := checkOutput(opts.Out); err != nil {
		return err
	}
	if opts.DryRun { // reads everything, downloads and writes nothing
		opts.NoMedia, opts.HTML = true, false
	}
	out, err := openOutput(opts.Out, opts.DryRun)
	if err != nil {
		return err
	}
	defer out.Close()
	fsys := out.Root

	var mediaOpts *archive.MediaOptions
	if !opts.NoMedia {
		if mediaOpts, err = opts.Media.options(opts.Tool); err != nil {
			return err
		}
	}
	conv, err := convert.New(convert.Options{StripBoilerplate: opts.StripBoilerplate})
	if err != nil {
		return err
	}
	target, err := archive.TargetNamed(opts.Target, opts.FrontMatter)
	if err != nil {
		return &UsageError{Err: err}
	}
	var shard archive.Shard
	if opts.Shard != "" {
		if shard, err = archive.ParseShard(opts.Shard); err != nil {
			return &UsageError{Err: err}
		}
		if !target.Bag() || opts.HTML {
			return usageErrorf("--shard goes with --target plain and without --html: merge the shards, then render")
		}
	}
	var finish func(context.Context, *archive.Writer) error
	if opts.HTML {
		if !target.Bag() {
			return usageErrorf("--html goes with --target plain: a generator renders its own pages")
		}
		finish = func(ctx context.Context, w *archive.Writer) error {
			payload, err := fsys.Root.OpenRoot(archive.PayloadDir)
			if err != nil {
				return err
			}
			defer payload.Close()
			_, err = render.Render(ctx, payload.FS(), render.PrefixWriter{W: w, Prefix: archive.PayloadDir + "/"}, render.Options{Tool: opts.Tool})
			return err
		}
	}
	stopProfile, err := opts.Profile.start()
	if err != nil {
		return err
	}
	defer func() { _ = stopProfile() }()
	start := opts.IO.Now()
	rep, runErr := archive.Convert(ctx, archive.Options{
		Input: archive.NewWXRInput(opts.Inputs...), FS: out.FS, Writer: out.RunWriter(), Converter: conv, Tool: opts.Tool,
		Reporter:       opts.Profile.wrap(newReporter(opts.IO, opts.Quiet, opts.JSON)),
		IncludePrivate: opts.IncludePrivate, KeepPersonalData: opts.KeepPersonalData,
		NoMedia: opts.NoMedia, Media: mediaOpts, Jobs: opts.Jobs, Target: target, Finish: finish, Shard: shard,
	})
	elapsed := opts.IO.Now().Sub(start)
	if rep != nil {
		switch {
		case opts.JSON:
			out.Event(opts.IO.Out)
			writeSummaryEvent(opts.IO.Out, rep, elapsed)
		case !opts.Quiet:
			out.Summary(opts.IO.ErrOut, rep, elapsed)
		}
	}
	if runErr == nil && rep != nil {
		runErr = failOn(rep, opts.FailOn)
	}
	return runErr
}

// checkInput gives a newcomer's usual mistakes one clear sentence each.
func checkInput(name string) error {
	fi, err := os.Stat(name)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s: no such file; give the path of a WordPress export (Tools → Export in the WordPress admin)", name)
	case err != nil:
		return err
	case fi.IsDir():
		return fmt.Errorf("%s: is a folder; give the export's .xml file", name)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := f.Read(head)
	return sniffExport(name, head[:n])
}

// checkOutput refuses to write into a folder that holds something else.
func checkOutput(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	for _, mark := range []string{archive.BagitFile, archive.ManifestFile, archive.RunningMarker} {
		if _, err := os.Stat(filepath.Join(dir, mark)); err == nil {
			return nil
		}
	}
	if _, err := os.Stat(filepath.Join(dir, archive.PayloadDir, archive.ItemsFile)); err == nil {
		return nil
	}
	return fmt.Errorf("%s: the folder is not empty and is not a wparchive archive; choose a new or empty folder", dir)
}
