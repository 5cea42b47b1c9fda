package media

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseAttachmentMeta(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    attachmentMeta
		wantErr string
	}{
		{
			name: "sizes and original image",
			in: `a:4:{s:4:"file";s:24:"2012/09/photo-scaled.jpg";s:5:"sizes";a:1:{s:9:"thumbnail";a:2:{s:4:"file";s:17:"photo-150x150.jpg";s:5:"width";i:150;}}` +
				`s:10:"image_meta";a:1:{s:8:"keywords";a:0:{}}s:14:"original_image";s:9:"photo.jpg";}`,
			want: attachmentMeta{File: "2012/09/photo-scaled.jpg", OriginalImage: "photo.jpg", Sizes: []string{"photo-150x150.jpg"}},
		},
		{
			name: "wrong string length after a charset conversion",
			in:   `a:1:{s:4:"file";s:12:"2012/09/café.jpg";}`,
			want: attachmentMeta{File: "2012/09/café.jpg"},
		},
		{
			name: "object, float, bool, null",
			in:   `O:8:"stdClass":4:{s:4:"file";s:5:"a.jpg";s:1:"d";d:0.5;s:1:"b";b:1;s:1:"n";N;}`,
			want: attachmentMeta{File: "a.jpg"},
		},
		{name: "not an array", in: `s:3:"abc";`, wantErr: "not an array"},
		{name: "truncated", in: `a:2:{s:4:"file";`, wantErr: "unexpected end"},
		{name: "huge count", in: `a:99999999999:{}`, wantErr: "bad length"},
		{name: "unknown type", in: `x:1;`, wantErr: "unknown type"},
		{name: "deep", in: strings.Repeat("a:1:{i:0;", 100), wantErr: "nested deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAttachmentMeta(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParsePHP(f *testing.F) {
	f.Add(`a:1:{s:4:"file";s:5:"a.jpg";}`)
	f.Add(`O:8:"stdClass":1:{i:0;d:1.5;}`)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parsePHP(s)
		if err != nil {
			return
		}
		if !strings.ContainsRune("sidbNa", rune(v.kind)) {
			t.Fatalf("value of kind %q", v.kind)
		}
		parseAttachmentMeta(s) // must not panic either
	})
}
