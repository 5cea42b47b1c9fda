// Package media finds the media files a WordPress item refers to, traces
// thumbnails back to their original uploads, downloads them (or copies them
// from a local copy of the uploads folder) and stores each distinct file once
// under the uploads layout.
package media

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// Kinds of media.
const (
	KindImage = "image"
	KindAudio = "audio"
	KindVideo = "video"
	KindFile  = "file"
)

// Ref is one media file an item refers to.
type Ref struct {
	// URL is the absolute URL as referenced (a thumbnail, say).
	URL  string `json:"url"`
	Kind string `json:"kind"` // image, audio, video, file
	// AttachmentID is the attachment the URL belongs to, when known.
	AttachmentID int64 `json:"attachment_id,omitempty"`
	// Candidates are the URLs to try, best first: originals, then URL.
	Candidates []string `json:"candidates,omitempty"`
}

// Finder finds the media of items. Build it once per export with the index
// of the first pass; it is safe for concurrent use.
type Finder struct {
	idx  *wxr.Index
	orig *originals
}

// NewFinder reads every attachment's metadata in idx (which may be nil).
func NewFinder(idx *wxr.Index) *Finder {
	return &Finder{idx: idx, orig: newOriginals(idx)}
}

// MetadataErrors is the number of attachments whose _wp_attachment_metadata
// could not be read; their thumbnails are traced by file name only.
func (f *Finder) MetadataErrors() int { return f.orig.metaErrs }

// Find lists, in order of first appearance and without duplicates, the media
// item refers to: its own file when it is an attachment, its featured image,
// its galleries, the media in its content and excerpt, and what the
// converter reported in doc (which may be nil). Relative URLs are resolved
// against the item's link and dropped when it has none.
func (f *Finder) Find(item *wxr.Item, doc *convert.Document) []Ref {
	var base *url.URL
	if u, err := url.Parse(item.Link); err == nil && u.IsAbs() {
		base = u
	}
	var refs []Ref
	at := map[string]int{}
	add := func(fd found) {
		u, ok := absolute(base, fd.url)
		if !ok {
			return
		}
		if fd.kind == "" {
			// A link or <source> counts only when it points to an upload.
			up, isUpload := uploadsURL(u)
			if _, isAtt := f.orig.attachment(u); !isUpload && !isAtt {
				return
			}
			fd.kind = kindOf(up)
		}
		if i, ok := at[u]; ok {
			if refs[i].AttachmentID == 0 {
				refs[i].AttachmentID = fd.attachmentID
			}
			return
		}
		at[u] = len(refs)
		refs = append(refs, Ref{URL: u, Kind: fd.kind, AttachmentID: fd.attachmentID})
	}
	addAttachment := func(id int64) {
		if f.idx == nil {
			return
		}
		if e, ok := f.idx.Get(id); ok && e.Type == wxr.TypeAttachment && e.AttachmentURL != "" {
			add(found{url: e.AttachmentURL, kind: kindOfMime(e.MimeType, e.AttachmentURL), attachmentID: id})
		}
	}

	if item.Type == wxr.TypeAttachment && item.AttachmentURL != "" {
		add(found{url: item.AttachmentURL, kind: kindOf(item.AttachmentURL), attachmentID: item.ID})
	}
	if v, ok := item.MetaValue("_thumbnail_id"); ok {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			addAttachment(id)
		}
	}
	for _, id := range f.galleryIDs(item) {
		addAttachment(id)
	}
	for _, content := range []string{item.Content, item.Excerpt} {
		for _, fd := range scanHTML(content) {
			add(fd)
		}
		for _, fd := range shortcodeMedia(content) {
			add(fd)
		}
	}
	if doc != nil {
		for _, m := range doc.Media {
			add(found{url: m.URL, kind: m.Kind, attachmentID: m.AttachmentID})
		}
	}
	for i := range refs {
		if refs[i].Kind == "" {
			refs[i].Kind = kindOf(refs[i].URL)
		}
		refs[i].Candidates = f.orig.candidates(refs[i].URL, refs[i].AttachmentID)
	}
	return refs
}

// galleryIDs lists the attachments of the item's [gallery] shortcodes: the
// ids= (or include=) list, or, for a gallery without one, every attachment
// whose parent is the item, as WordPress shows it.
func (f *Finder) galleryIDs(item *wxr.Item) []int64 {
	var ids []int64
	children := false
	for rest := item.Content; ; {
		i := strings.Index(rest, "[gallery")
		if i < 0 {
			break
		}
		rest = rest[i+len("[gallery"):]
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		list := ""
		for _, kv := range shortcodeAttrs(rest[:end]) {
			if kv[0] == "ids" || kv[0] == "include" {
				list = kv[1]
			}
		}
		if list == "" {
			children = true
		}
		for _, s := range strings.Split(list, ",") {
			if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && id > 0 {
				ids = append(ids, id)
			}
		}
		rest = rest[end:]
	}
	if children && f.idx != nil {
		f.idx.Attachments(item.ID, func(e wxr.Entry) bool { // in ascending id order
			ids = append(ids, e.ID)
			return true
		})
	}
	return ids
}

// absolute resolves ref against base and keeps only http and https URLs.
func absolute(base *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return "", false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	if !u.IsAbs() {
		if base == nil {
			return "", false
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment = ""
	return u.String(), true
}

// uploadsURL reports whether raw is an upload, returning it unchanged.
func uploadsURL(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return raw, false
	}
	_, ok := uploadsPath(u)
	return raw, ok
}

// kindOf guesses the kind of a URL from its extension.
func kindOf(raw string) string {
	ext := strings.ToLower(path.Ext(urlPath(raw)))
	switch ext {
	case ".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".avif", ".heic", ".bmp", ".tif", ".tiff", ".svg", ".ico":
		return KindImage
	case ".mp3", ".m4a", ".ogg", ".oga", ".wav", ".wma", ".flac", ".aac":
		return KindAudio
	case ".mp4", ".m4v", ".webm", ".ogv", ".mov", ".wmv", ".flv", ".avi", ".mkv":
		return KindVideo
	}
	return KindFile
}

// kindOfMime is the kind of an attachment's MIME type, or of its URL when the
// type says nothing.
func kindOfMime(mime, raw string) string {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return KindImage
	case strings.HasPrefix(mime, "audio/"):
		return KindAudio
	case strings.HasPrefix(mime, "video/"):
		return KindVideo
	}
	return kindOf(raw)
}

// Normalize returns ref as Find records it: absolute against the item's
// link, without fragment; false for what Find would not fetch. The archive
// uses it to match the URLs written in Markdown with the fetched results.
func Normalize(itemLink, ref string) (string, bool) {
	var base *url.URL
	if u, err := url.Parse(itemLink); err == nil && u.IsAbs() {
		base = u
	}
	return absolute(base, ref)
}
