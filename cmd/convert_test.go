package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConvertGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"small", []string{"--media-from", repoFile("testdata", "uploads")}, ExitOK},
		{"small-private-personal", []string{"--include-private", "--keep-personal-data", "--no-media"}, ExitOK},
		{"small-json", []string{"--json", "-j", "1", "--no-media"}, ExitOK},
		{"small-quiet", []string{"-q", "-j", "1", "--no-media"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "archive")
			args := append([]string{"convert", repoFile("testdata", "wxr", "small.xml"), "-o", out}, tt.args...)
			code, stdout, stderr := run(t, args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			golden(t, "TestConvertGolden/"+tt.name+".stdout", stdout)
			golden(t, "TestConvertGolden/"+tt.name+".stderr", strings.ReplaceAll(stderr, out, "OUT"))
			golden(t, "TestConvertGolden/"+tt.name+".tree", dumpTree(t, out))
		})
	}
}

// TestConvertPrivacy checks the default policy on the small export: nothing
// private, protected or personal reaches the archive.
func TestConvertPrivacy(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := run(t, "convert", repoFile("testdata", "wxr", "small.xml"), "-o", out, "-q", "--media-from", repoFile("testdata", "uploads")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	tree := dumpTree(t, out)
	for _, secret := range []string{"SECRET-PRIVATE-CONTENT", "SECRET-PROTECTED-CONTENT", "hunter2", "@mail.example", "@small.example.org", "192.0.2.", "198.51.100.7", "Buy things", "Waiting for moderation"} {
		if strings.Contains(tree, secret) {
			t.Errorf("the archive contains %q", secret)
		}
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "page.html")
	os.WriteFile(html, []byte("<!DOCTYPE html><html><body>hi</body></html>"), 0o644)
	badConfig := filepath.Join(dir, "ci.yaml")
	os.WriteFile(badConfig, []byte("nomedia: true\n"), 0o644)
	busy := filepath.Join(dir, "busy")
	os.MkdirAll(busy, 0o755)
	os.WriteFile(filepath.Join(busy, "notes.txt"), []byte("mine"), 0o644)
	empty := filepath.Join(dir, "empty.xml")
	os.WriteFile(empty, nil, 0o644)
	jsonFile := filepath.Join(dir, "posts.json")
	os.WriteFile(jsonFile, []byte(`[{"id": 1, "title": {"rendered": "Hello"}}]`), 0o644)
	csv := filepath.Join(dir, "posts.csv")
	os.WriteFile(csv, []byte("id,title,content\n1,Hello,<p>hi</p>\n"), 0o644)
	csvText := filepath.Join(dir, "posts.txt")
	os.WriteFile(csvText, []byte("id,title\n1,Hello\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no args", []string{"convert"}, ExitUsage, "requires at least 1 arg"},
		{"no output", []string{"convert", repoFile("testdata", "wxr", "small.xml")}, ExitUsage, "add -o DIR"},
		{"bad flag", []string{"convert", "--frobnicate"}, ExitUsage, "unknown flag"},
		{"missing file", []string{"convert", filepath.Join(dir, "nope.xml"), "-o", filepath.Join(dir, "o1")}, ExitError, "no such file"},
		{"html page", []string{"convert", html, "-o", filepath.Join(dir, "o2")}, ExitError, "is an HTML page"},
		{"empty file", []string{"convert", empty, "-o", filepath.Join(dir, "o3")}, ExitError, "the file is empty"},
		{"unrelated folder", []string{"convert", repoFile("testdata", "wxr", "small.xml"), "-o", busy}, ExitError, "not a wparchive archive"},
		{"inspect html", []string{"inspect", html}, ExitError, "is an HTML page"},
		{"folder as input", []string{"convert", busy, "-o", filepath.Join(dir, "o4")}, ExitError, "is a folder; give the export's .xml file"},
		{"json file", []string{"convert", jsonFile, "-o", filepath.Join(dir, "o5")}, ExitError, "is a JSON file, not a WordPress export; export the site from Tools → Export"},
		{"csv without markup", []string{"convert", csvText, "-o", filepath.Join(dir, "o6")}, ExitError, "holds no XML, so it is not a WordPress export; export the site from Tools → Export"},
		{"csv with markup", []string{"convert", csv, "-o", filepath.Join(dir, "o7")}, ExitError, "not a WordPress export"},
		{"unknown key in wparchive.yaml", []string{"convert", repoFile("testdata", "wxr", "small.xml"), "-o", filepath.Join(dir, "o8"), "--config", badConfig}, ExitUsage, `unknown key "nomedia"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.msg)
			}
			// A mistake in the input is told before anything is written.
			for i, a := range tt.args {
				if a == "-o" && tt.args[i+1] != busy {
					if _, err := os.Lstat(tt.args[i+1]); !os.IsNotExist(err) {
						t.Errorf("the output folder was created")
					}
				}
			}
		})
	}
}

func TestInspectGolden(t *testing.T) {
	for _, json := range []bool{false, true} {
		args := []string{"inspect", repoFile("testdata", "wxr", "small.xml")}
		name := "small.txt"
		if json {
			args = append(args, "--json")
			name = "small.json"
		}
		code, stdout, stderr := run(t, args...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		golden(t, "TestInspectGolden/"+name, stdout)
	}
}
