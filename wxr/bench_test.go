package wxr_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// BenchmarkDecoder (decoder_test.go) measures the full read; this file
// measures the index pass on a generated export.

// export10k generates a 10,000-post export from the built-in template.
func export10k(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := wxrgen.Generate(&buf, wxrgen.Options{Posts: 10_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkIndex10k is the archive's first pass, which skips content.
func BenchmarkIndex10k(b *testing.B) {
	data := export10k(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := wxr.BuildIndex(context.Background(), bytes.NewReader(data), wxr.Options{Name: "bench"}, wxr.NewIndex()); err != nil {
			b.Fatal(err)
		}
	}
}
