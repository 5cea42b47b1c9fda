package wxr

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dump is what a golden file records of a decoded export.
type dump struct {
	Site     *Site      `json:"site"`
	Items    []dumpItem `json:"items"`
	Warnings []string   `json:"warnings"`
	Error    string     `json:"error,omitempty"`
}

type dumpItem struct {
	Pos      string `json:"pos"`
	Password string `json:"password,omitempty"`
	*Item
}

// decodeAll reads a whole export, never more than limit items.
func decodeAll(t testing.TB, name string, data []byte) dump {
	t.Helper()
	var out dump
	out.Items = []dumpItem{}
	out.Warnings = []string{}
	d := NewDecoder(bytes.NewReader(data), Options{Name: name, Warn: func(w Warning) {
		out.Warnings = append(out.Warnings, w.String())
	}})
	for {
		it, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Error = err.Error()
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Errorf("%s: error is not a *SyntaxError: %v", name, err)
			}
			if _, err2 := d.Next(); err2 != err {
				t.Errorf("%s: Next after an error returned %v, want the same error", name, err2)
			}
			break
		}
		out.Items = append(out.Items, dumpItem{Pos: it.Pos.String(), Password: it.Password, Item: it})
	}
	out.Site = d.Site()
	return out
}

func TestDecode(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "TestDecode", "*.in.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no cases in testdata/TestDecode")
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".in.xml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := decodeAll(t, name+".xml", data)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(in, ".in.xml") + ".out.json"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, buf.String())
			}
		})
	}
}
