// Package convert turns WordPress content HTML into Markdown. It is pure: no
// files, no network. A Converter is built once and shared by every worker.
//
// The pipeline for one piece of content: block-editor content is rendered
// from its block grammar, classic content gets WordPress's wpautop; then
// shortcodes expand; the HTML is parsed once; one walk over the tree keeps
// what the Markdown renderer would drop (<!--more-->, iframes, players),
// resolves links and records media; html-to-markdown with CommonMark, GFM
// tables, strikethrough and a WordPress plugin writes the Markdown; the
// Markdown is parsed back (goldmark, GFM) to measure what was lost.
package convert

import (
	"context"
	"fmt"
	"github.com/wparchive/wparchive/convert/page"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/yuin/goldmark/parser"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

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
	md   *converter.Converter
	// gm parses the Markdown back (GFM) for the loss report, and gmPlain
	// likewise without linkify (Converter.countMarkdown); goldmark parsers are safe
	// for concurrent use.
	gm, gmPlain parser.Parser
	tallies     sync.Pool // *tally
}

// New builds a Converter, failing early if its rules are misconfigured.
func New(opts Options) (*Converter, error) {
	c := &Converter{
		opts: opts,
		md:   newMarkdownConverter(wordpressPlugin{}),
	}
	c.gm, c.gmPlain = newCensusParser(), newPlainCensusParser()
	c.tallies.New = func() any { return newTally() }
	// Plugin misconfiguration only shows on the first conversion.
	doc, err := c.Convert(context.Background(), Source{HTML: "<p>ok</p>"})
	if err != nil {
		return nil, fmt.Errorf("convert: self-check: %w", err)
	}
	if doc.RawFallback || doc.Markdown != "ok" {
		return nil, fmt.Errorf("convert: self-check: got %q, %v", doc.Markdown, doc.Warnings)
	}
	return c, nil
}

// newMarkdownConverter builds the html-to-markdown converter: the base
// rules (the library's, done faster: basePlugin), CommonMark, GFM tables and
// strikethrough, and the WordPress rules wp.
func newMarkdownConverter(wp converter.Plugin) *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		newBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(table.WithSpanCellBehavior(table.SpanBehaviorMirror), table.WithHeaderPromotion(true)),
		strikethrough.NewStrikethroughPlugin(),
		wp,
	))
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
	// SkipLoss leaves Document.Loss zero: for text whose loss nobody
	// reports, such as comments, the Markdown is not parsed back.
	SkipLoss bool
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
	Summary string
	// More reports that the content had a <!--more--> divider; the Markdown
	// keeps it as a line of its own (MoreDivider).
	More bool
	// Media lists every media URL exactly as written in the Markdown's
	// link and image destinations, so Relink can replace them.
	Media             []MediaRef
	UnknownShortcodes []string
	UnknownBlocks     []string
	Warnings          []string
	// RawFallback is set when the HTML could not be converted and was kept as raw HTML.
	RawFallback bool
	// Loss compares the source with the Markdown rendered back to HTML.
	Loss Loss
}

// Convert converts src. Cancellation is checked before the work starts; a
// conversion that fails keeps the raw HTML (RawFallback) rather than erring.
func (c *Converter) Convert(ctx context.Context, src Source) (doc *Document, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if src.SkipLoss && plainText(src.HTML) {
		return &Document{Markdown: src.HTML}, nil
	}
	doc = &Document{}
	defer func() {
		// A panic in a rule is a bug, but one odd post must not stop a run.
		if p := recover(); p != nil {
			doc = fallback(src, fmt.Errorf("converter panic: %v", p))
			err = nil
		}
	}()
	if err := c.convert(src, doc); err != nil {
		return fallback(src, err), nil
	}
	return doc, nil
}

func fallback(src Source, err error) *Document {
	return &Document{
		Markdown:    src.HTML,
		RawFallback: true,
		Warnings:    []string{"kept raw HTML: " + err.Error()},
		Loss:        Loss{WordRecall: 1, WordPrecision: 1},
	}
}

var bodyContext = &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}

func (c *Converter) convert(src Source, doc *Document) error {
	body, err := c.tree(&src, doc)
	if err != nil {
		return err
	}
	// The source is counted before rendering: the rules change the tree.
	var (
		t           *tally
		source      Counts
		sourceWords int
	)
	if !src.SkipLoss {
		t = c.tallies.Get().(*tally)
		defer c.tallies.Put(t)
		source = countHTML(body, t)
		sourceWords = t.indexSource()
	}
	out, err := c.md.ConvertNode(body)
	if err != nil {
		return fmt.Errorf("render Markdown: %w", err)
	}
	doc.Markdown = string(out)
	if doc.More {
		if before, _, ok := strings.Cut(doc.Markdown, MoreDivider); ok {
			doc.Summary = strings.TrimSpace(before)
		}
	}
	if src.SkipLoss {
		return nil
	}
	markdown := c.countMarkdown(out, t)
	doc.Loss = compare(source, sourceWords, markdown, t)
	return nil
}

// tree takes src's content through blocks or wpautop and shortcodes to
// the parsed HTML, rewritten for the Markdown renderer.
func (c *Converter) tree(src *Source, doc *Document) (*html.Node, error) {
	content := src.HTML
	if c.opts.StripBoilerplate {
		content = stripBoilerplate(content)
	}
	x := &expansion{src: src}
	if hasBlocks(content) {
		content = renderBlocks(x, parseBlocks(content), &doc.UnknownBlocks)
	} else {
		content = wpautop(autoEmbed(content))
	}
	content = x.expand(content)
	doc.UnknownShortcodes = x.unknown
	doc.Warnings = append(doc.Warnings, x.warnings...)

	nodes, err := html.ParseFragment(strings.NewReader(content), bodyContext)
	if err != nil {
		return nil, fmt.Errorf("parse HTML: %w", err)
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	for _, n := range nodes {
		body.AppendChild(n)
	}
	r := rewriter{src: src, doc: doc}
	r.walk(body)
	return body, nil
}

// stripBoilerplate removes sharing, likes and comment-form widgets pasted
// into exported content, with the same rules as live-page extraction.
func stripBoilerplate(content string) string { return page.Clean(content) }
