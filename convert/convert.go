// Package convert turns WordPress content HTML into Markdown. It is pure: no
// files, no network. A Converter is built once and shared by every worker.
package convert

import (
	"context"
	"fmt"

	htmltomarkdown "github.com/JohannesKaufmann/html-to-markdown/v2"

	"github.com/wparchive/wparchive/wxr"
)

// Options configure a Converter.
type Options struct {
	// StripBoilerplate removes pasted sharing, likes and comment-form widgets
	// from the content before converting it.
	StripBoilerplate bool
}

// Converter converts WordPress HTML to Markdown. It is safe for concurrent use.
type Converter struct {
	opts Options
}

// New builds a Converter, failing early if its rules are misconfigured.
func New(opts Options) (*Converter, error) {
	c := &Converter{opts: opts}
	if _, err := c.Convert(context.Background(), Source{HTML: "<p>ok</p>"}); err != nil {
		return nil, fmt.Errorf("convert: self-check: %w", err)
	}
	return c, nil
}

// Source is one piece of content to convert, with what is needed to resolve
// its references.
type Source struct {
	HTML   string
	ItemID int64
	// Index resolves attachments ([gallery ids], featured images); may be nil.
	Index *wxr.Index
	// Link rewrites a link to the site's own content into a relative archive
	// path; nil or false keeps the link as it is.
	Link func(href string) (string, bool)
}

// MediaRef is a media file the content refers to.
type MediaRef struct {
	URL          string `json:"url"`
	Kind         string `json:"kind"` // image, audio, video, file
	AttachmentID int64  `json:"attachment_id,omitempty"`
}

// Document is the result of converting one Source.
type Document struct {
	Markdown string
	// Summary is the Markdown before <!--more-->, when the content has one.
	Summary           string
	Media             []MediaRef
	UnknownShortcodes []string
	UnknownBlocks     []string
	Warnings          []string
	// RawFallback is set when the HTML could not be converted and was kept as raw HTML.
	RawFallback bool
}

// Convert converts src. Cancellation is checked before the work starts.
func (c *Converter) Convert(ctx context.Context, src Source) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	md, err := htmltomarkdown.ConvertString(src.HTML)
	if err != nil {
		return &Document{Markdown: src.HTML, RawFallback: true, Warnings: []string{err.Error()}}, nil
	}
	return &Document{Markdown: md}, nil
}
