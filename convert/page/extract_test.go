package page

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// TestExtract runs every testdata/TestExtract/<case>.in.html through Extract
// and compares the text with <case>.out.txt and the whole article with
// <case>.out.json.
func TestExtract(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join("testdata", "TestExtract", "*.in.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) == 0 {
		t.Fatal("no golden cases")
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.html")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			a, err := e.Extract(context.Background(), raw, "https://example.org/post/")
			if err != nil {
				t.Fatal(err)
			}
			if left := leftoverPhrases(a.Text); len(left) > 0 {
				t.Errorf("boilerplate left: %q", left)
			}
			js, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(in, ".in.html")+".out.txt", []byte(a.Text+"\n"))
			golden(t, strings.TrimSuffix(in, ".in.html")+".out.json", append(js, '\n'))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
