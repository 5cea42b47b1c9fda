package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestConfigFile(t *testing.T) {
	small := repoFile("testdata", "wxr", "small.xml")
	tests := []struct {
		name   string
		config string // wparchive.yaml in the working directory; "" for none
		other  string // a file given with --config
		args   []string
		code   int
		flags  map[string]string // flag values of the command that ran
		stderr string
	}{
		{
			name: "top level", config: "no-media: true\njobs: 1\n",
			args: []string{"convert", small, "-q"}, code: ExitOK,
			flags: map[string]string{"no-media": "true", "jobs": "1"},
		},
		{
			name: "flag wins", config: "no-media: true\njobs: 1\n",
			args: []string{"convert", small, "-q", "-j", "2"}, code: ExitOK,
			flags: map[string]string{"no-media": "true", "jobs": "2"},
		},
		{
			name: "section wins over top level", config: "no-media: true\njobs: 1\nconvert:\n  jobs: 3\n  fail-on: [loss, unknown]\nfetch:\n  workers: 1\n",
			args: []string{"convert", small, "-q"}, code: ExitItemsFailed, // small.xml has unknown shortcodes
			flags: map[string]string{"jobs": "3", "fail-on": "[loss,unknown]"},
		},
		{
			name: "explicit file", other: "no-media: true\nquiet: true\n",
			args: []string{"convert", small}, code: ExitOK,
			flags: map[string]string{"no-media": "true", "quiet": "true"},
		},
		{
			name: "flag of another command", config: "no-media: true\n",
			args: []string{"inspect", small}, code: ExitOK,
		},
		{
			name: "unknown key", config: "no-media: true\nno-medai: true\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: `wparchive.yaml:2: unknown key "no-medai"`,
		},
		{
			name: "unknown key in a section", config: "convert:\n  no-media: true\n  workers: 2\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: `wparchive.yaml:3: unknown key "workers": 'wparchive convert' has no --workers flag`,
		},
		{
			name: "malformed", config: "no-media: true\njobs: 1\nfail-on: x: y\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: "wparchive.yaml:3:",
		},
		{
			name: "bad value", config: "no-media: true\njobs: many\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: `wparchive.yaml:2: jobs: invalid argument "many"`,
		},
		{
			name: "list for a single value", config: "no-media: true\nuser-agent: [a, b]\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: "wparchive.yaml:2: user-agent takes one value, not a list",
		},
		{
			name: "config names config", config: "config: other.yaml\n",
			args: []string{"convert", small}, code: ExitUsage, stderr: `"config" cannot be set`,
		},
		{
			name: "missing --config file", args: []string{"convert", small, "--config", "nope.yaml"},
			code: ExitUsage, stderr: "--config nope.yaml: no such file",
		},
	}
	for _, tt := range tests {
		// Every run that gets as far as converting has no-media: the tests
		// never touch the network.
		t.Run(tt.name, func(t *testing.T) {
			wd := t.TempDir()
			if tt.config != "" {
				if err := os.WriteFile(filepath.Join(wd, ConfigFile), []byte(tt.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := tt.args
			if tt.other != "" {
				other := filepath.Join(t.TempDir(), "ci.yaml")
				if err := os.WriteFile(other, []byte(tt.other), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", other)
			}
			if args[0] == "convert" {
				args = append(args, "-o", filepath.Join(wd, "out"))
			}
			io, _, errOut := Test()
			io.Getwd = func() (string, error) { return wd, nil }
			root := NewRootCmd(io)
			code := runRoot(io, root, args)
			stderr := errOut.String()
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
			c, _, err := root.Find(args)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.flags {
				if got := c.Flags().Lookup(name).Value.String(); got != want {
					t.Errorf("--%s = %s, want %s", name, got, want)
				}
			}
		})
	}
}

// runRoot does what Main does, over a command tree the test keeps to look
// at its flags afterwards.
func runRoot(io *IOStreams, root *cobra.Command, args []string) int {
	ctx := context.Background()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(io.ErrOut, "wparchive: %s\n", err)
	return exitCode(ctx, err)
}
