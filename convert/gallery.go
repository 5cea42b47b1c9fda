package convert

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// expandGallery renders [gallery] as the images it shows: those listed in
// ids= (or include=), else the images attached to the post, by ID as
// WordPress orders them without a menu order.
func expandGallery(x *expansion, sc shortcode) string {
	a := sc.attrs()
	ids := a["ids"]
	if ids == "" {
		ids = a["include"]
	}
	var entries []wxr.Entry
	idx := x.src.Index
	if ids != "" {
		for _, f := range strings.Split(ids, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				x.warnf("gallery: bad attachment id %q", f)
				continue
			}
			e := attachment(idx, id)
			if e == nil {
				x.warnf("gallery: attachment %d not in the export", id)
				continue
			}
			entries = append(entries, *e)
		}
	} else if idx != nil {
		parent := x.src.ItemID
		if p, err := strconv.ParseInt(a["id"], 10, 64); err == nil {
			parent = p
		}
		idx.Attachments(parent, func(e wxr.Entry) bool { // in ascending id order
			if isImageEntry(&e) {
				entries = append(entries, e)
			}
			return true
		})
		if len(entries) == 0 {
			x.warnf("gallery: no images attached to item %d", parent)
		}
	} else {
		x.warnf("gallery: no index to resolve the post's attached images")
	}
	var b strings.Builder
	b.WriteString(`<div class="gallery">`)
	for _, e := range entries {
		b.WriteString(`<figure class="gallery-item">`)
		b.WriteString(imageHTML(&e))
		if e.Caption != "" {
			b.WriteString("<figcaption>")
			b.WriteString(html.EscapeString(e.Caption))
			b.WriteString("</figcaption>")
		}
		b.WriteString("</figure>")
	}
	b.WriteString("</div>")
	return b.String()
}

// attachment returns the indexed attachment with id, or nil.
func attachment(idx *wxr.Index, id int64) *wxr.Entry {
	if idx == nil {
		return nil
	}
	e, ok := idx.Get(id)
	if !ok || e.AttachmentURL == "" {
		return nil
	}
	return &e
}

func isImageEntry(e *wxr.Entry) bool {
	if e.MimeType != "" {
		return strings.HasPrefix(e.MimeType, "image/")
	}
	return mediaKind(e.AttachmentURL) == "image"
}

// imageHTML is an <img> for an attachment, carrying its ID the way
// WordPress does (class wp-image-N) so the media list records it.
func imageHTML(e *wxr.Entry) string {
	alt := e.Alt
	if alt == "" {
		alt = e.Title
	}
	return `<img src="` + html.EscapeString(e.AttachmentURL) + `" alt="` + html.EscapeString(alt) +
		`" class="wp-image-` + strconv.FormatInt(e.ID, 10) + `">`
}

func (x *expansion) warnf(format string, args ...any) {
	x.warnings = append(x.warnings, fmt.Sprintf(format, args...))
}
