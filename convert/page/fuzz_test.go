package page

import (
	"context"
	"strings"
	"testing"
)

// FuzzExtract checks that no page makes Extract or Clean panic, that the
// text never holds more than one blank line in a row, and that extraction is
// deterministic.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(`<html><body><article><div class="entry-content"><p>Hi</p><h3>Share this:</h3></div></article></body></html>`))
	f.Add([]byte(`<div><span>%d</span> bloggers like this:</div>`))
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := e.Extract(context.Background(), raw, "https://example.org/p/")
		if err != nil {
			return
		}
		if strings.Contains(a.Text, "\n\n\n") {
			t.Errorf("text has a run of blank lines: %q", a.Text)
		}
		b, err := e.Extract(context.Background(), raw, "https://example.org/p/")
		if err != nil || b.Text != a.Text || b.ContentHTML != a.ContentHTML {
			t.Errorf("extraction is not deterministic")
		}
		_ = Clean(string(raw))
	})
}
