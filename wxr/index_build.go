package wxr

import (
	"context"
	"fmt"
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
//
// The file is read on a goroutine of its own while this one adds the entries
// (which may write the index's runs to disk): nothing else runs before the
// index is whole. The reader's warnings travel with the entries, so that
// every warning comes in the order a single goroutine would give it. Without
// opts.Warn, the file is also cleaned on a goroutine of its own (cleanAhead).
func BuildIndex(ctx context.Context, r io.Reader, opts Options, idx *Index) error {
	_, err := BuildIndexStats(ctx, r, opts, idx)
	return err
}

// IndexStats is what BuildIndexStats found out about a file besides its
// items.
type IndexStats struct {
	// Verbatim: the whole file was read, to its end without error, and
	// needed no repair, no transcoding and no note: a Decoder may read the
	// same bytes again with Options.Verbatim.
	Verbatim bool
}

// BuildIndexStats is BuildIndex, also saying what it found out about the
// file.
func BuildIndexStats(ctx context.Context, r io.Reader, opts Options, idx *Index) (IndexStats, error) {
	defer idx.settle() // once per file, so that the second pass finds entries fast
	preCleaned := opts.Warn == nil && !opts.Verbatim
	var verbatim func() bool
	stop := func() {}
	if preCleaned {
		r, stop, verbatim = cleanAhead(r, opts.Name)
		defer stop()
	}
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan []indexStep, 4)
	done := make(chan readResult, 1)
	go func() {
		defer close(batches)
		done <- readIndexSteps(ctx, r, opts, preCleaned, batches)
	}()
	err := addIndexSteps(batches, opts.Warn, idx)
	cancel()
	for range batches {
		// Drained, so the reader is not left blocked on a send.
	}
	read := <-done
	if err == nil {
		err = read.err
	}
	var st IndexStats
	if err == nil {
		switch {
		case opts.Verbatim:
			st.Verbatim = true
		case preCleaned:
			stop()
			st.Verbatim = verbatim()
		default:
			st.Verbatim = read.verbatim
		}
	}
	return st, err
}

// readResult is how readIndexSteps ended; verbatim as IndexStats, for a
// decoder that cleaned the file itself.
type readResult struct {
	err      error
	verbatim bool
}

// indexStep is an item's entry, or a warning the reader gave before it.
type indexStep struct {
	entry Entry
	pos   Position
	warn  *Warning
}

// indexBatch is the number of steps sent at a time.
const indexBatch = 64

// readIndexSteps reads the export and sends its entries and warnings in
// batches. It stops at the end, at an error, or when ctx is done.
// preCleaned says r comes from cleanAhead.
func readIndexSteps(ctx context.Context, r io.Reader, opts Options, preCleaned bool, batches chan<- []indexStep) readResult {
	batch := make([]indexStep, 0, indexBatch)
	send := func() bool {
		if len(batch) == 0 {
			return true
		}
		select {
		case batches <- batch:
			batch = make([]indexStep, 0, indexBatch)
			return true
		case <-ctx.Done():
			return false
		}
	}
	opts.Warn = func(w Warning) { batch = append(batch, indexStep{warn: &w}) }
	d := NewDecoder(r, opts)
	d.light = true
	if preCleaned {
		d.clean.passthrough = true
	}
	for {
		if err := ctx.Err(); err != nil {
			return readResult{err: context.Cause(ctx)}
		}
		it, err := d.Next()
		if err != nil {
			// The items and warnings before the error go first.
			if !send() {
				return readResult{err: context.Cause(ctx)}
			}
			if err == io.EOF {
				return readResult{verbatim: !d.clean.changed}
			}
			return readResult{err: err}
		}
		batch = append(batch, indexStep{entry: entryOf(it), pos: it.Pos})
		if len(batch) >= indexBatch && !send() {
			return readResult{err: context.Cause(ctx)}
		}
	}
}

// addIndexSteps adds the entries to idx and passes the warnings on, in
// order, until batches closes or the index fails.
func addIndexSteps(batches <-chan []indexStep, warn func(Warning), idx *Index) error {
	for batch := range batches {
		for i := range batch {
			st := &batch[i]
			if st.warn != nil {
				if warn != nil {
					warn(*st.warn)
				}
				continue
			}
			if !idx.Add(st.entry) && warn != nil {
				warn(Warning{Pos: st.pos, Message: fmt.Sprintf("item ID %d already indexed: this one is ignored by the index", st.entry.ID)})
			}
			if err := idx.Err(); err != nil {
				return err
			}
		}
	}
	return nil
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
