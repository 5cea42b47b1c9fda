package archive

import (
	"errors"
	"io/fs"
	"testing"
)

func TestDiscardFS(t *testing.T) {
	w := NewWriter(DiscardFS{}, nil)
	defer w.Close()
	files := []struct {
		name string
		data string
	}{
		{"data/posts/2012/09/a/index.md", "# a\n"},
		{"data/items.jsonl", "{}\n"},
		{"bagit.txt", "BagIt-Version: 1.0\n"},
	}
	for _, f := range files {
		if err := w.WriteFile(f.name, []byte(f.data)); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		s, ok := w.SumOf(f.name)
		if !ok || s.Size != int64(len(f.data)) {
			t.Errorf("%s: recorded %+v %v, want %d bytes", f.name, s, ok, len(f.data))
		}
		if _, err := w.ReadFile(f.name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: read back: %v, want fs.ErrNotExist", f.name, err)
		}
	}
	if got := len(writtenNames(t, w)); got != len(files) {
		t.Errorf("%d files recorded, want %d", got, len(files))
	}
	if m, err := ReadManifest(DiscardFS{}, t.TempDir()); !errors.Is(err, fs.ErrNotExist) || m.Len() > 0 {
		t.Errorf("a DiscardFS has a manifest: %d names, %v", m.Len(), err)
	}
}
