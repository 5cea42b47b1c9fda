package archive

import (
	"testing"

	"github.com/wparchive/wparchive/wxr"
)

func TestLinkIndex(t *testing.T) {
	idx := wxr.NewIndex()
	for _, e := range []wxr.Entry{
		{ID: 9, Type: wxr.TypePost, Link: "https://www.example.org/2012/09/hello/"},
		{ID: 4, Type: wxr.TypePost, Link: "https://example.org/2012/09/hello", GUID: "https://example.org/?p=4"},
		{ID: 5, Type: wxr.TypePage, Link: "https://example.org/about/", GUID: "http://old.example.net/about-us/"},
		{ID: 6, Type: wxr.TypeAttachment, Link: "https://example.org/?attachment_id=6", GUID: "https://example.org/wp-content/uploads/a.jpg"},
	} {
		idx.Add(e)
	}
	li := newLinkIndex(idx, t.TempDir(), 2)
	defer li.close()
	planLayout(t, idx, t.TempDir(), 0)
	tests := []struct {
		href string
		id   int64
		ok   bool
	}{
		{"https://example.org/2012/09/hello/", 4, true}, // the lower id of two
		{"http://EXAMPLE.org/2012/09/hello#top", 4, true},
		{"https://example.org/about", 5, true},
		{"http://old.example.net/about-us", 5, true}, // by its GUID
		{"https://example.org/wp-content/uploads/a.jpg", 6, true},
		{"https://example.org/?p=77", 77, true},
		{"https://example.org/nothing/", 0, false},
		{"https://elsewhere.org/about/", 0, false},
	}
	for _, tt := range tests {
		id, ok := li.lookup(tt.href)
		if id != tt.id || ok != tt.ok {
			t.Errorf("lookup(%q) = %d, %v; want %d, %v", tt.href, id, ok, tt.id, tt.ok)
		}
	}
}
