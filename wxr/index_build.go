package wxr

import (
	"context"
	"io"
	"path"
	"strconv"
	"strings"
)

// BuildIndex reads an export once, cheaply (content and comments are skipped),
// and adds an Entry per item to idx, so that references to items later in the
// file can be resolved during the full read. Call it once per file. An ID
// already indexed (from an earlier file, or twice in one) keeps its first
// entry, with a warning. On a SyntaxError the items before it stay indexed.
func BuildIndex(ctx context.Context, r io.Reader, opts Options, idx *Index) error {
	defer idx.merge() // sorted once per file, so that the second pass finds entries fast
	d := NewDecoder(r, opts)
	d.light = true
	for {
		if err := ctx.Err(); err != nil {
			return context.Cause(ctx)
		}
		it, err := d.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !idx.Add(entryOf(it)) {
			d.warnAt(it.Pos, "item ID %d already indexed: this one is ignored by the index", it.ID)
		}
		if err := idx.Err(); err != nil {
			return err
		}
	}
}

func entryOf(it *Item) Entry {
	e := Entry{
		ID:            it.ID,
		Type:          it.Type,
		Status:        it.Status,
		Name:          it.Name,
		Title:         it.Title,
		Link:          it.Link,
		GUID:          it.GUID,
		Parent:        it.Parent,
		PostDate:      it.PostDate,
		AttachmentURL: it.AttachmentURL,
		HasPassword:   it.Password != "",
		MenuOrder:     it.MenuOrder,
	}
	if it.Type == TypeAttachment {
		e.Caption = it.Excerpt
	}
	for _, m := range it.Meta {
		switch m.Key {
		case "_wp_attached_file":
			e.AttachedFile = m.Value
		case "_wp_attachment_image_alt":
			e.Alt = m.Value
		case "_wp_attachment_metadata":
			e.Metadata = m.Value
		case "_thumbnail_id":
			if n, err := strconv.ParseInt(strings.TrimSpace(m.Value), 10, 64); err == nil {
				e.Thumbnail = n
			}
		}
	}
	if it.Type == TypeAttachment {
		name := e.AttachedFile
		if name == "" {
			name = it.AttachmentURL
		}
		e.MimeType = mimeByExtension(name)
	}
	return e
}

// mimeTypes maps the extensions WordPress accepts for uploads to their media
// types. A fixed table, rather than mime.TypeByExtension, so that the result
// does not depend on the machine's mime.types.
var mimeTypes = map[string]string{
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".jpe": "image/jpeg",
	".png": "image/png", ".gif": "image/gif", ".webp": "image/webp",
	".avif": "image/avif", ".heic": "image/heic", ".bmp": "image/bmp",
	".tif": "image/tiff", ".tiff": "image/tiff", ".ico": "image/x-icon",
	".svg": "image/svg+xml",
	".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg",
	".oga": "audio/ogg", ".wav": "audio/wav", ".flac": "audio/flac",
	".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime",
	".webm": "video/webm", ".ogv": "video/ogg", ".avi": "video/x-msvideo",
	".wmv": "video/x-ms-wmv", ".3gp": "video/3gpp",
	".pdf": "application/pdf", ".zip": "application/zip",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel",
	".ppt":  "application/vnd.ms-powerpoint",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".txt":  "text/plain", ".csv": "text/csv", ".rtf": "application/rtf",
	".key": "application/vnd.apple.keynote",
}

// mimeByExtension returns the media type of a file name or URL, or "".
func mimeByExtension(name string) string {
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	return mimeTypes[strings.ToLower(path.Ext(name))]
}
