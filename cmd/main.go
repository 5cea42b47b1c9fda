// Package cmd is wparchive's command line: the cobra commands, the mapping
// of errors to exit codes, and the progress display.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/wparchive/wparchive/archive"
)

// Exit codes, documented in the README.
const (
	ExitOK          = 0
	ExitError       = 1
	ExitUsage       = 2
	ExitItemsFailed = 3
	ExitLocked      = 4
	ExitInterrupted = 130
)

// UsageError is a mistake in the command line.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// Main runs the command line args and returns the exit code. It is the one
// place where errors become exit codes.
func Main(ctx context.Context, io *IOStreams, args []string) int {
	root := NewRootCmd(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := exitCode(ctx, err)
	if !errors.Is(err, errSilent) {
		fmt.Fprintf(io.ErrOut, "wparchive: %s\n", err)
	}
	if code == ExitUsage {
		fmt.Fprintln(io.ErrOut, "Run 'wparchive --help' for usage.")
	}
	return code
}

// errSilent marks an error already explained to the user.
var errSilent = errors.New("")

func exitCode(ctx context.Context, err error) int {
	var ue *UsageError
	switch {
	case errors.As(err, &ue):
		return ExitUsage
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return ExitInterrupted
	case errors.Is(err, archive.ErrLocked):
		return ExitLocked
	case errors.Is(err, archive.ErrItemsFailed), errors.Is(err, archive.ErrMediaFailed), errors.Is(err, errThreshold):
		return ExitItemsFailed
	}
	return ExitError
}

// version returns the module version and the commit the binary was built from.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}

// NewRootCmd builds the command tree.
func NewRootCmd(io *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "wparchive",
		Short: "Turn a WordPress site into a portable, verifiable archive",
		Long: `wparchive turns a WordPress site — its export (WXR), or its live pages,
sitemaps and REST API — into an archive: Markdown and a lossless JSON record
for every post and page, threaded comments, the media, site metadata, a run
report and a BagIt manifest with a checksum for every file.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &UsageError{Err: err} })
	root.AddCommand(newConvertCmd(io, nil), newInspectCmd(io, nil), newVerifyCmd(io, nil), newMergeCmd(io, nil), newRenderCmd(io, nil), newFetchCmd(io, nil))
	bindConfig(root, io)
	return root
}

// exactArgs wraps cobra's argument checks so they count as usage errors.
func argsCheck(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if err := check(c, args); err != nil {
			return &UsageError{Err: err}
		}
		return nil
	}
}
