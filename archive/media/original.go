package media

import (
	"net/url"
	"path"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// originals knows every attachment's files, so that a thumbnail, a
// "-scaled" copy or a resized URL can be traced back to the upload it was
// made from.
type originals struct {
	idx *wxr.Index
	// byPath maps an uploads-relative path (decoded, lower-case) of an
	// attachment's file or of any of its sizes to the attachment.
	byPath map[string]int64
	// metaErrs counts attachments whose metadata could not be read.
	metaErrs int
}

func newOriginals(idx *wxr.Index) *originals {
	o := &originals{idx: idx, byPath: map[string]int64{}}
	if idx == nil {
		return o
	}
	// In ascending id order, so that, when two attachments claim the same
	// file, the same one wins on every run.
	idx.Range(func(e wxr.Entry) bool {
		if e.Type != wxr.TypeAttachment || e.AttachmentURL == "" {
			return true
		}
		dir, ok := uploadsDir(e.AttachmentURL)
		if !ok {
			return true
		}
		o.add(path.Join(dir, path.Base(urlPath(e.AttachmentURL))), e.ID)
		if e.Metadata == "" {
			return true
		}
		m, err := parseAttachmentMeta(e.Metadata)
		if err != nil {
			o.metaErrs++
			return true
		}
		for _, f := range append(m.Sizes, m.OriginalImage, path.Base(m.File)) {
			if f != "" && f != "." && f != "/" {
				o.add(path.Join(dir, f), e.ID)
			}
		}
		return true
	})
	return o
}

func (o *originals) add(p string, id int64) {
	k := strings.ToLower(p)
	if _, ok := o.byPath[k]; !ok {
		o.byPath[k] = id
	}
}

// uploadsDir returns the decoded uploads-relative folder of an upload URL.
func uploadsDir(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	up, ok := uploadsPath(u)
	if !ok {
		return "", false
	}
	if dec, err := url.PathUnescape(up); err == nil {
		up = dec
	}
	return path.Dir(up), true
}

func urlPath(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	return raw
}

// attachment returns the attachment a URL is a file of, if any.
func (o *originals) attachment(raw string) (wxr.Entry, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return wxr.Entry{}, false
	}
	up, ok := uploadsPath(u)
	if !ok {
		return wxr.Entry{}, false
	}
	if dec, err := url.PathUnescape(up); err == nil {
		up = dec
	}
	id, ok := o.byPath[strings.ToLower(up)]
	if !ok {
		return wxr.Entry{}, false
	}
	return o.idx.Get(id)
}

// candidates lists the URLs to try for a reference, best first: the
// untouched original upload, the attachment's main file, URLs with the
// size marks taken off, and the URL as referenced last, so that a variant is
// kept only when no original can be had.
func (o *originals) candidates(raw string, attachmentID int64) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var e wxr.Entry
	found := false
	if attachmentID != 0 && o.idx != nil {
		if a, ok := o.idx.Get(attachmentID); ok && a.Type == wxr.TypeAttachment && a.AttachmentURL != "" {
			// An id is only trusted when the URL is a file of that
			// attachment, or when nothing else is known about the URL.
			if b, ok := o.attachment(raw); !ok || b.ID == a.ID {
				e, found = a, true
			}
		}
	}
	if !found {
		e, found = o.attachment(raw)
	}
	if found {
		if m, err := parseAttachmentMeta(e.Metadata); err == nil && m.OriginalImage != "" {
			add(siblingURL(e.AttachmentURL, m.OriginalImage))
		}
		add(e.AttachmentURL)
	}
	if stripped, ok := stripSizing(raw); ok {
		add(stripped)
	}
	add(raw)
	return out
}

// siblingURL is the URL of file name in the same folder as raw.
func siblingURL(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.Path = path.Join(path.Dir(u.Path), name)
	u.RawPath = ""
	u.RawQuery = ""
	return u.String()
}

// sizingParams are the query parameters WordPress.com, Jetpack's Photon and
// resizing plugins use to serve a smaller copy of an upload.
var sizingParams = map[string]bool{
	"w": true, "h": true, "resize": true, "fit": true, "crop": true, "zoom": true,
	"quality": true, "strip": true, "ssl": true, "lb": true, "ulb": true,
}

// stripSizing takes the size marks off an upload URL: the sizing query
// parameters, a "-300x200" or "-scaled" before the extension, and Photon's
// i0.wp.com host. It reports false when nothing was taken off or the URL is
// not an upload.
func stripSizing(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	orig := u.String()
	// Photon: https://i0.wp.com/example.com/wp-content/uploads/… serves example.com's file.
	if h := strings.ToLower(u.Hostname()); len(h) == len("i0.wp.com") && h[0] == 'i' && strings.HasSuffix(h, ".wp.com") {
		rest := strings.TrimPrefix(u.Path, "/")
		if host, p, ok := strings.Cut(rest, "/"); ok && strings.Contains(host, ".") {
			u.Host = host
			u.Path = "/" + p
			u.RawPath = ""
		}
	}
	if _, ok := uploadsPath(u); !ok {
		return "", false
	}
	q := u.Query()
	for k := range q {
		if sizingParams[k] {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		u.RawQuery = ""
	} else if u.RawQuery != "" {
		u.RawQuery = q.Encode()
	}
	dir, name := path.Split(u.Path)
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	stem = strings.TrimSuffix(stem, "-scaled")
	if i := strings.LastIndexByte(stem, '-'); i > 0 && isDimensions(stem[i+1:]) {
		stem = stem[:i]
	}
	stem = strings.TrimSuffix(stem, "-scaled")
	u.Path = dir + stem + ext
	u.RawPath = ""
	if s := u.String(); s != orig {
		return s, true
	}
	return "", false
}

// isDimensions reports "300x200".
func isDimensions(s string) bool {
	w, h, ok := strings.Cut(s, "x")
	return ok && isDigits(w) && isDigits(h)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
