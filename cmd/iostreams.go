package cmd

import (
	"bytes"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// IOStreams are the command's standard streams and what it knows of them.
type IOStreams struct {
	In        io.Reader
	Out       io.Writer
	ErrOut    io.Writer
	StdoutTTY bool
	StderrTTY bool
	// Now is the clock, for durations and progress pacing.
	Now func() time.Time
	// Getenv reads the environment (NO_COLOR, CI…).
	Getenv func(string) string
	// Getwd returns the working directory, where wparchive.yaml is looked
	// for; "" means none is looked for.
	Getwd func() (string, error)
}

// System returns the process's real streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Now:       time.Now,
		Getenv:    os.Getenv,
		Getwd:     os.Getwd,
	}
}

// Test returns streams backed by buffers, with a fixed clock.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return &IOStreams{
		In: &bytes.Buffer{}, Out: out, ErrOut: errOut,
		Now:    func() time.Time { return t0 },
		Getenv: func(string) string { return "" },
		// No working directory: a wparchive.yaml next to the tests is not read.
		Getwd: func() (string, error) { return "", nil },
	}, out, errOut
}
