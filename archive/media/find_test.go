package media

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

const siteURL = "https://example.com"

func testIndex() *wxr.Index {
	idx := wxr.NewIndex()
	idx.Add(wxr.Entry{
		ID: 10, Type: wxr.TypeAttachment, Parent: 1, MimeType: "image/jpeg",
		AttachmentURL: siteURL + "/wp-content/uploads/2012/09/photo-scaled.jpg",
		Metadata: `a:5:{s:5:"width";i:2560;s:6:"height";i:1707;s:4:"file";s:24:"2012/09/photo-scaled.jpg";` +
			`s:5:"sizes";a:2:{s:9:"thumbnail";a:3:{s:4:"file";s:17:"photo-150x150.jpg";s:5:"width";i:150;s:6:"height";i:150;}` +
			`s:6:"medium";a:3:{s:4:"file";s:17:"photo-300x200.jpg";s:5:"width";i:300;s:6:"height";i:200;}}` +
			`s:14:"original_image";s:9:"photo.jpg";}`,
	})
	idx.Add(wxr.Entry{
		ID: 11, Type: wxr.TypeAttachment, Parent: 1, MimeType: "audio/mpeg",
		AttachmentURL: siteURL + "/wp-content/uploads/2012/09/talk.mp3",
	})
	idx.Add(wxr.Entry{
		ID: 12, Type: wxr.TypeAttachment, Parent: 99, MimeType: "image/png",
		AttachmentURL: "https://blog.files.wordpress.com/2013/01/chart.png",
		Metadata:      `a:1:{s:4:"file";s:48:"/home/wpcom/public_html/files/2013/01/chart.png";}`,
	})
	return idx
}

func TestFind(t *testing.T) {
	up := siteURL + "/wp-content/uploads/2012/09/"
	tests := []struct {
		name string
		item wxr.Item
		doc  *convert.Document
		want []Ref
	}{
		{
			name: "thumbnail traced to the original through the metadata",
			item: wxr.Item{ID: 1, Link: siteURL + "/p/", Content: `<img class="alignleft wp-image-10" src="` + up + `photo-300x200.jpg">`},
			want: []Ref{{URL: up + "photo-300x200.jpg", Kind: KindImage, AttachmentID: 10,
				Candidates: []string{up + "photo.jpg", up + "photo-scaled.jpg", up + "photo-300x200.jpg"}}},
		},
		{
			name: "thumbnail found by file name without a class",
			item: wxr.Item{ID: 1, Link: siteURL + "/p/", Content: `<p><img src="/wp-content/uploads/2012/09/photo-150x150.jpg"></p>`},
			want: []Ref{{URL: up + "photo-150x150.jpg", Kind: KindImage,
				Candidates: []string{up + "photo.jpg", up + "photo-scaled.jpg", up + "photo-150x150.jpg"}}},
		},
		{
			name: "srcset with a comma inside a URL",
			item: wxr.Item{ID: 2, Link: siteURL + "/p/", Content: `<img src="https://x.files.wordpress.com/2014/02/a.jpg?w=300" ` +
				`srcset="https://x.files.wordpress.com/2014/02/a.jpg?resize=300,200 300w, https://x.files.wordpress.com/2014/02/a.jpg?w=600&amp;h=400 600w,https://x.files.wordpress.com/2014/02/b.jpg 2x">`},
			want: []Ref{
				{URL: "https://x.files.wordpress.com/2014/02/a.jpg?w=300", Kind: KindImage,
					Candidates: []string{"https://x.files.wordpress.com/2014/02/a.jpg", "https://x.files.wordpress.com/2014/02/a.jpg?w=300"}},
				{URL: "https://x.files.wordpress.com/2014/02/a.jpg?resize=300,200", Kind: KindImage,
					Candidates: []string{"https://x.files.wordpress.com/2014/02/a.jpg", "https://x.files.wordpress.com/2014/02/a.jpg?resize=300,200"}},
				{URL: "https://x.files.wordpress.com/2014/02/a.jpg?w=600&h=400", Kind: KindImage,
					Candidates: []string{"https://x.files.wordpress.com/2014/02/a.jpg", "https://x.files.wordpress.com/2014/02/a.jpg?w=600&h=400"}},
				{URL: "https://x.files.wordpress.com/2014/02/b.jpg", Kind: KindImage,
					Candidates: []string{"https://x.files.wordpress.com/2014/02/b.jpg"}},
			},
		},
		{
			name: "links to uploads kept, other links dropped",
			item: wxr.Item{ID: 3, Link: siteURL + "/p/", Content: `<a href="` + up + `report.pdf">PDF</a> <a href="https://other.org/page">x</a> <a href="#top">t</a>` +
				`<a href="mailto:a@b.c">m</a> <img src="data:image/png;base64,AAAA">`},
			want: []Ref{{URL: up + "report.pdf", Kind: KindFile, Candidates: []string{up + "report.pdf"}}},
		},
		{
			name: "featured image, gallery without ids, audio and video",
			item: wxr.Item{ID: 1, Link: siteURL + "/p/", Meta: []wxr.Meta{{Key: "_thumbnail_id", Value: "12"}},
				Content: `[gallery columns="2"]<audio src="` + up + `talk.mp3"></audio><video poster="` + up + `poster.jpg"><source src="` + up + `clip.mp4" type="video/mp4"></video>` +
					`[video mp4="` + up + `other.mp4"][/video]`},
			want: []Ref{
				{URL: "https://blog.files.wordpress.com/2013/01/chart.png", Kind: KindImage, AttachmentID: 12,
					Candidates: []string{"https://blog.files.wordpress.com/2013/01/chart.png"}},
				{URL: up + "photo-scaled.jpg", Kind: KindImage, AttachmentID: 10,
					Candidates: []string{up + "photo.jpg", up + "photo-scaled.jpg"}},
				{URL: up + "talk.mp3", Kind: KindAudio, AttachmentID: 11, Candidates: []string{up + "talk.mp3"}},
				{URL: up + "poster.jpg", Kind: KindImage, Candidates: []string{up + "poster.jpg"}},
				{URL: up + "clip.mp4", Kind: KindVideo, Candidates: []string{up + "clip.mp4"}},
				{URL: up + "other.mp4", Kind: KindVideo, Candidates: []string{up + "other.mp4"}},
			},
		},
		{
			name: "gallery ids, the attachment itself, and the converter's list",
			item: wxr.Item{ID: 11, Type: wxr.TypeAttachment, AttachmentURL: up + "talk.mp3", Content: `[gallery ids="12, 10"]`},
			doc:  &convert.Document{Media: []convert.MediaRef{{URL: "https://cdn.example.net/x.gif", Kind: "image"}, {URL: up + "talk.mp3", Kind: "audio"}}},
			want: []Ref{
				{URL: up + "talk.mp3", Kind: KindAudio, AttachmentID: 11, Candidates: []string{up + "talk.mp3"}},
				{URL: "https://blog.files.wordpress.com/2013/01/chart.png", Kind: KindImage, AttachmentID: 12,
					Candidates: []string{"https://blog.files.wordpress.com/2013/01/chart.png"}},
				{URL: up + "photo-scaled.jpg", Kind: KindImage, AttachmentID: 10,
					Candidates: []string{up + "photo.jpg", up + "photo-scaled.jpg"}},
				{URL: "https://cdn.example.net/x.gif", Kind: KindImage, Candidates: []string{"https://cdn.example.net/x.gif"}},
			},
		},
		{
			name: "Photon and -scaled without metadata",
			item: wxr.Item{ID: 5, Link: siteURL + "/p/", Content: `<img src="https://i2.wp.com/other.org/wp-content/uploads/2020/01/big-scaled-1024x768.jpg?resize=1024%2C768&amp;ssl=1">`},
			want: []Ref{{URL: "https://i2.wp.com/other.org/wp-content/uploads/2020/01/big-scaled-1024x768.jpg?resize=1024%2C768&ssl=1", Kind: KindImage,
				Candidates: []string{"https://other.org/wp-content/uploads/2020/01/big.jpg",
					"https://i2.wp.com/other.org/wp-content/uploads/2020/01/big-scaled-1024x768.jpg?resize=1024%2C768&ssl=1"}}},
		},
		{
			name: "relative URLs dropped without a link",
			item: wxr.Item{ID: 6, Content: `<img src="/wp-content/uploads/2012/09/a.jpg">`},
			want: nil,
		},
	}
	f := NewFinder(testIndex())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.Find(&tt.item, tt.doc)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got:\n%s\nwant:\n%s", dumpRefs(got), dumpRefs(tt.want))
			}
		})
	}
	if n := f.MetadataErrors(); n != 0 {
		t.Errorf("%d metadata errors", n)
	}
}

func dumpRefs(refs []Ref) string {
	var b strings.Builder
	for _, r := range refs {
		b.WriteString(r.URL + " " + r.Kind + " " + strings.Join(r.Candidates, " | ") + "\n")
	}
	return b.String()
}

func TestParseSrcset(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a.jpg", []string{"a.jpg"}},
		{"a.jpg 1x, b.jpg 2x", []string{"a.jpg", "b.jpg"}},
		{"a.jpg,b.jpg", []string{"a.jpg,b.jpg"}}, // a URL runs to white space, commas included (the spec)
		{"a.jpg, b.jpg", []string{"a.jpg", "b.jpg"}},
		{" x.jpg?resize=300,200 300w ,\n y.jpg 600w", []string{"x.jpg?resize=300,200", "y.jpg"}},
	}
	for _, tt := range tests {
		if got := parseSrcset(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseSrcset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
