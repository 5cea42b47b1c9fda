package wxr

import (
	"bytes"
	"context"
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

// BenchmarkDecoder reads the theme unit test export replicated to about
// 20 MB, in memory, and reports MB/s.
func BenchmarkDecoder(b *testing.B) {
	input := benchExport(b)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		d := NewDecoder(bytes.NewReader(input), Options{Name: "bench.xml"})
		for {
			_, err := d.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchExport is the theme unit test export replicated to about 20 MB.
func benchExport(b *testing.B) []byte {
	b.Helper()
	fx := fixturesDir(b)
	data, err := os.ReadFile(filepath.Join(fx, "wptt__themeunittestdata.wordpress.xml"))
	if err != nil {
		b.Skipf("theme unit test data absent: %v", err)
	}
	// Replicate the items inside one channel, as a large site's export.
	start := bytes.Index(data, []byte("<item>"))
	end := bytes.LastIndex(data, []byte("</item>")) + len("</item>")
	var buf bytes.Buffer
	buf.Write(data[:end])
	for buf.Len() < 20<<20 {
		buf.WriteString("\n")
		buf.Write(data[start:end])
	}
	buf.Write(data[end:])
	return buf.Bytes()
}

// BenchmarkDecoderFile reads the export named by $WXR_BENCH_FILE (a large
// generated one, say) whole, with the item scanner and with tokens only.
func BenchmarkDecoderFile(b *testing.B) {
	data := benchFile(b)
	for _, scan := range []bool{true, false} {
		mode := "tokens"
		if scan {
			mode = "scan"
		}
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				d := NewDecoder(bytes.NewReader(data), Options{Name: "bench.xml"})
				if !scan {
					d.scan = nil
				}
				for {
					_, err := d.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkIndexFile is the first pass over the export named by
// $WXR_BENCH_FILE, as BenchmarkDecoderFile reads it whole.
func BenchmarkIndexFile(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := BuildIndex(context.Background(), bytes.NewReader(data), Options{Name: "bench"}, NewIndex()); err != nil {
			b.Fatal(err)
		}
	}
}

// benchFile reads the export named by $WXR_BENCH_FILE, or skips.
func benchFile(b *testing.B) []byte {
	b.Helper()
	name := os.Getenv("WXR_BENCH_FILE")
	if name == "" {
		b.Skip("WXR_BENCH_FILE names no export")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
