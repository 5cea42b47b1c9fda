package archive

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadAhead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 3*readAheadChunk/16+5)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		src     io.Reader
		want    []byte
		wantErr error
	}{
		{"empty", bytes.NewReader(nil), nil, nil},
		{"short", bytes.NewReader(data[:10]), data[:10], nil},
		{"chunks", bytes.NewReader(data), data, nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data[:1000])), data[:1000], nil},
		{"data with EOF", iotest.DataErrReader(bytes.NewReader(data)), data, nil},
		{"error", io.MultiReader(bytes.NewReader(data[:100]), iotest.ErrReader(boom)), data[:100], boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, stop := readAhead(tc.src)
			defer stop()
			got, err := io.ReadAll(r)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("read %d bytes, want %d", len(got), len(tc.want))
			}
			stop()
			stop()
		})
	}
}

// TestReadAheadStop: a reader that stops early does not leave the
// goroutine blocked.
func TestReadAheadStop(t *testing.T) {
	src := &countingReader{r: bytes.NewReader(make([]byte, 10*readAheadChunk))}
	r, stop := readAhead(src)
	if _, err := io.ReadFull(r, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	stop()
	if src.n > 2*readAheadChunk {
		t.Errorf("read %d bytes ahead, want at most two chunks", src.n)
	}
	if _, err := r.Read(make([]byte, 1)); err == nil {
		t.Errorf("read after stop: %v", err)
	}
}
