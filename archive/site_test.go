package archive

import (
	"bytes"
	"testing"

	"github.com/wparchive/wparchive/wxr"
)

// TestWriteSite checks that streaming site.json gives the bytes of
// marshalJSON over the whole record.
func TestWriteSite(t *testing.T) {
	site := &wxr.Site{Title: "A <b>blog</b>", Link: "https://example.org", Authors: []wxr.Author{{Login: "ann", DisplayName: "Ann"}}}
	attachments := []wxr.Entry{
		{ID: 7, Type: wxr.TypeAttachment, Title: "Café & \"quotes\"", AttachmentURL: "https://example.org/wp-content/uploads/a.jpg", MimeType: "image/jpeg", Parent: 3},
		{ID: 5, Type: wxr.TypeAttachment, Title: "line\nbreak", AttachmentURL: "https://example.org/wp-content/uploads/b.pdf", Alt: "alt", Caption: "<i>c</i>"},
	}
	tests := []struct {
		name    string
		entries []wxr.Entry
		local   func(*SiteMedia)
	}{
		{"no media", []wxr.Entry{{ID: 1, Type: wxr.TypePost, Status: wxr.StatusPublish}}, nil},
		{"one", attachments[:1], nil},
		{"two", append([]wxr.Entry{{ID: 1, Type: wxr.TypePage}}, attachments...), nil},
		{"downloaded", attachments, func(m *SiteMedia) { m.Path, m.SHA256 = "media/x", "abc" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx := wxr.NewIndex()
			for _, e := range tt.entries {
				idx.Add(e)
			}
			sr := buildSiteRecord(site, idx, []SourceFile{{Name: "a.xml", Size: 1}})
			whole := *sr
			if err := siteMedia(idx, func(m *SiteMedia) error {
				if tt.local != nil {
					tt.local(m)
				}
				whole.Media = append(whole.Media, *m)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			want, err := marshalJSON(&whole)
			if err != nil {
				t.Fatal(err)
			}
			fsys, err := OpenRootFS(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			w := NewWriter(fsys, nil)
			if err := writeSite(w, SiteFile, sr, idx, tt.local); err != nil {
				t.Fatal(err)
			}
			got, err := w.ReadFile(SiteFile)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("site.json =\n%s\nwant\n%s", got, want)
			}
		})
	}
}
