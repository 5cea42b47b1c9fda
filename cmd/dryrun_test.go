package cmd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDryRun checks that a dry run creates nothing and reports what a real
// run writes: the same counts, and the number and size of its files.
func TestDryRun(t *testing.T) {
	small := repoFile("testdata", "wxr", "small.xml")
	tests := []struct {
		name string
		args []string
	}{
		{"plain", nil},
		{"toml front matter", []string{"--front-matter", "toml"}},
		{"private", []string{"--include-private", "--keep-personal-data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dry := filepath.Join(dir, "dry")
			// No --no-media: the dry run must not download on its own.
			code, stdout, stderr := run(t, append([]string{"convert", small, "-o", dry, "--dry-run", "-j", "2"}, tt.args...)...)
			if code != ExitOK {
				t.Fatalf("dry run: exit %d: %s", code, stderr)
			}
			if _, err := os.Lstat(dry); !os.IsNotExist(err) {
				t.Fatalf("the dry run created %s (%v)", dry, err)
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
			real := filepath.Join(dir, "real")
			code, _, realErr := run(t, append([]string{"convert", small, "-o", real, "--no-media", "-j", "1"}, tt.args...)...)
			if code != ExitOK {
				t.Fatalf("real run: exit %d: %s", code, realErr)
			}
			if got, want := counts(stderr), counts(strings.Replace(realErr, "(--no-media)", "(dry run)", 1)); got != want {
				t.Errorf("dry run's counts:\n%s\nreal run's:\n%s", got, want)
			}
			files, size := treeSize(t, real)
			want := "would write " + itoa(files) + " files (" + byteSize(size) + ") to " + dry
			if !strings.Contains(stderr, "dry run: nothing written; media not downloaded\n"+want+"\n") {
				t.Errorf("dry run's summary:\n%s\nwant it to end with %q", stderr, want)
			}
		})
	}
}

// TestDryRunJSON checks the dry run's event before the summary.
func TestDryRunJSON(t *testing.T) {
	dry := filepath.Join(t.TempDir(), "dry")
	code, stdout, stderr := run(t, "convert", repoFile("testdata", "wxr", "small.xml"), "-o", dry, "--dry-run", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) < 2 {
		t.Fatalf("stdout: %q", stdout)
	}
	var ev struct {
		Event string
		Files int
		Bytes int64
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-2]), &ev); err != nil || ev.Event != "dry_run" || ev.Files == 0 || ev.Bytes == 0 {
		t.Errorf("the event before the summary: %s (%v)", lines[len(lines)-2], err)
	}
	if !strings.Contains(lines[len(lines)-1], `"event":"summary"`) {
		t.Errorf("the last event: %s", lines[len(lines)-1])
	}
	if _, err := os.Lstat(dry); !os.IsNotExist(err) {
		t.Errorf("the dry run created %s", dry)
	}
}

// counts keeps the lines of a summary that do not depend on timing or on
// where the archive went.
func counts(summary string) string {
	var keep []string
	for _, line := range strings.Split(summary, "\n") {
		if strings.HasPrefix(line, "time ") || strings.HasPrefix(line, "archive ") || strings.HasPrefix(line, "dry run") || strings.HasPrefix(line, "would write") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// treeSize counts the files below dir and their bytes.
func treeSize(t *testing.T, dir string) (files int, size int64) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += fi.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, size
}

// TestFetchDryRun checks that fetch --dry-run fetches the pages and writes nothing.
func TestFetchDryRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/2024/05/hello/" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(fetchPage))
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "archive")
	code, _, stderr := run(t, "fetch", srv.URL+"/2024/05/hello/", "-o", out, "--allow-private-network", "--dry-run")
	if code != ExitOK || !strings.Contains(stderr, "dry run: nothing written") || !strings.Contains(stderr, "  written   1") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("the dry run created %s", out)
	}
}
