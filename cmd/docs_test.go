package cmd

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// TestDocs checks that docs/cli (Markdown) and docs/man (man pages) are what
// the command tree generates; 'go test ./cmd -run TestDocs -update'
// regenerates them.
func TestDocs(t *testing.T) {
	tmp := t.TempDir()
	for _, tt := range []struct {
		dir string
		gen func(root *cobra.Command, dir string) error
	}{
		{"cli", func(root *cobra.Command, dir string) error { return doc.GenMarkdownTree(root, dir) }},
		{"man", func(root *cobra.Command, dir string) error {
			// A fixed date keeps the pages the same from one run to the next.
			date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			return doc.GenManTree(root, &doc.GenManHeader{Title: "WPARCHIVE", Section: "1", Date: &date, Source: "wparchive", Manual: "wparchive manual"}, dir)
		}},
	} {
		t.Run(tt.dir, func(t *testing.T) {
			io, _, _ := Test()
			root := NewRootCmd(io)
			root.InitDefaultCompletionCmd() // cobra adds it only on Execute
			root.DisableAutoGenTag = true   // no generation date in the pages
			gen := filepath.Join(tmp, tt.dir)
			if err := os.MkdirAll(gen, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := tt.gen(root, gen); err != nil {
				t.Fatal(err)
			}
			checked := filepath.Join("..", "docs", tt.dir)
			if *update {
				if err := os.RemoveAll(checked); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(checked, os.DirFS(gen)); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, got := readDir(t, checked), readDir(t, gen)
			for name, data := range got {
				if w, ok := want[name]; !ok {
					t.Errorf("docs/%s/%s is missing (run 'go test ./cmd -run TestDocs -update')", tt.dir, name)
				} else if w != data {
					t.Errorf("docs/%s/%s is stale (run 'go test ./cmd -run TestDocs -update'):\n%s", tt.dir, name, diff(w, data))
				}
			}
			for name := range want {
				if _, ok := got[name]; !ok {
					t.Errorf("docs/%s/%s documents no command (run 'go test ./cmd -run TestDocs -update')", tt.dir, name)
				}
			}
		})
	}
}

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			code, stdout, stderr := run(t, "completion", shell)
			if code != ExitOK || !strings.Contains(stdout, "wparchive") {
				t.Errorf("exit %d, %d bytes of script; stderr: %s", code, len(stdout), stderr)
			}
		})
	}
	// The subcommands complete.
	code, stdout, _ := run(t, "__complete", "")
	var names []string
	for _, line := range strings.Split(stdout, "\n") {
		if name, _, _ := strings.Cut(line, "\t"); name != "" && !strings.HasPrefix(name, ":") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if code != ExitOK || !strings.Contains(strings.Join(names, " "), "render") {
		t.Errorf("completion of subcommands: exit %d, %v", code, names)
	}
}
