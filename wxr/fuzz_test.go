package wxr

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// addDecodeCases seeds a fuzz target with the golden cases' inputs.
func addDecodeCases(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "TestDecode", "*.in.xml"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

func FuzzDecoder(f *testing.F) {
	addDecodeCases(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(bytes.NewReader(data), Options{Name: "fuzz.xml", Warn: func(Warning) {}})
		var err error
		for range 100000 {
			if _, err = d.Next(); err != nil {
				break
			}
		}
		if err == nil {
			t.Fatal("Next never ended")
		}
		if err != io.EOF {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not a *SyntaxError: %v", err)
			}
			if se.Pos.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
		}
		if _, again := d.Next(); again != err {
			t.Fatalf("Next after the end returned %v, then %v", err, again)
		}
		idx := NewIndex()
		_ = BuildIndex(context.Background(), bytes.NewReader(data), Options{}, idx)
	})
}

// cleanAll runs the cleaning reader over data, read through r's wrapper.
func cleanAll(t *testing.T, data []byte, wrap func(io.Reader) io.Reader) ([]byte, int) {
	t.Helper()
	warnings := 0
	c := newCleaner(wrap(bytes.NewReader(data)), "fuzz.xml", func(Warning) { warnings++ })
	out, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	c.take(1 << 62)
	return out, warnings
}

func FuzzClean(f *testing.F) {
	addDecodeCases(f)
	f.Add([]byte("<a><![CDATA[x]]>]]> y\xff\x01</a>"))
	f.Add([]byte("junk\n<?xml version='1.0' encoding='windows-1252'?><rss>\x93q\x94</rss>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole, _ := cleanAll(t, data, func(r io.Reader) io.Reader { return r })
		if !utf8.Valid(whole) {
			t.Fatalf("output is not UTF-8: %q", whole)
		}
		for _, r := range string(whole) {
			if !isXMLChar(r) {
				t.Fatalf("output holds %U", r)
			}
		}
		if bytes.Count(whole, []byte{'\n'}) < bytes.Count(data, []byte{'\n'}) && utf8.Valid(data) && !bytes.HasPrefix(data, []byte{0xFE}) && !bytes.HasPrefix(data, []byte{0xFF}) {
			t.Fatalf("newlines lost: %d in, %d out", bytes.Count(data, []byte{'\n'}), bytes.Count(whole, []byte{'\n'}))
		}
		// Input arriving a byte at a time must clean the same: every
		// look-ahead across a read boundary is exercised.
		bytewise, _ := cleanAll(t, data, iotest.OneByteReader)
		if !bytes.Equal(whole, bytewise) {
			t.Fatalf("byte-at-a-time reading differs:\n%q\n%q", whole, bytewise)
		}
	})
}
