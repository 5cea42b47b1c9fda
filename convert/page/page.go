// Package page extracts a WordPress article, its metadata and its comment
// thread from a saved or fetched HTML page, with the widgets around it
// (sharing, likes, related posts, the comment form, follow boxes, post
// navigation, newsletter sign-ups, social-plugin placeholders, the action
// bar, sidebars, cookie banners) removed. It does no I/O: callers fetch.
package page

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options configure an Extractor.
type Options struct {
	// Languages restricts the boilerplate phrases to these languages
	// (ISO 639-1 codes such as "de", "fr"); English and language-neutral
	// phrases always apply. Empty means every language in the table.
	Languages []string
}

// Extractor extracts articles. Build it once with New; it is safe for
// concurrent use.
type Extractor struct {
	phrases *phraseSet
}

// New builds an Extractor. It fails when a language has no phrase table.
func New(opts Options) (*Extractor, error) {
	if len(opts.Languages) == 0 {
		return &Extractor{phrases: defaultPhrases}, nil
	}
	ps, err := compilePhrases(opts.Languages)
	if err != nil {
		return nil, fmt.Errorf("page: %w", err)
	}
	return &Extractor{phrases: ps}, nil
}

// Article is what Extract finds in a page.
type Article struct {
	Title         string   `json:"title"`
	Author        string   `json:"author,omitempty"`
	Published     string   `json:"published,omitempty"` // RFC 3339 when parseable
	Modified      string   `json:"modified,omitempty"`  // RFC 3339 when parseable
	Canonical     string   `json:"canonical,omitempty"`
	Lang          string   `json:"lang,omitempty"`
	FeaturedImage string   `json:"featured_image,omitempty"`
	SiteName      string   `json:"site_name,omitempty"`
	Categories    []string `json:"categories,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	// ContentHTML is the article body as HTML with the boilerplate removed.
	ContentHTML string `json:"content_html"`
	// Text is the visible text of the body, paragraphs separated by a blank
	// line and lines within a paragraph (<br>) by a newline.
	Text        string    `json:"text"`
	Comments    []Comment `json:"comments,omitempty"`
	IsWordPress bool      `json:"is_wordpress"`
}

// Extract parses one page. pageURL, when not empty, resolves relative links
// and stands in for a missing canonical URL.
func (e *Extractor) Extract(ctx context.Context, raw []byte, pageURL string) (*Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var base *url.URL
	if pageURL != "" {
		u, err := url.Parse(pageURL)
		if err != nil {
			return nil, fmt.Errorf("page %q: bad page URL: %w", pageURL, err)
		}
		base = u
	}
	root, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("page %q: parse HTML: %w", pageURL, err)
	}
	doc := goquery.NewDocumentFromNode(root)

	a := &Article{IsWordPress: isWordPress(doc, raw)}
	ld := readLinkedData(doc)
	stripInert(root)
	readMetadata(a, doc, ld, base)
	a.Comments = readComments(root, base, e.phrases)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	body := doc.Find("body").Get(0)
	if body == nil {
		body = root
	}
	removePlugins(body)
	removeByName(body)
	removeByPhrase(body, e.phrases)
	removeRelatedEntries(body, e.phrases)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	content := locate(doc)
	tidy(content, a.Title)
	// The body-wide pass stops at content markers; a second pass inside the
	// article catches widgets whose container is the article's own child.
	removeByPhrase(content, e.phrases)
	removeEmptySections(content, e.phrases)
	sanitise(content, base)

	a.ContentHTML = strings.TrimSpace(renderInner(content))
	a.Text = visibleText(content)
	return a, nil
}

// Clean removes boilerplate widgets from an HTML fragment, such as the
// content of an exported post that carries pasted sharing or comment-form
// text. Unparseable input is returned unchanged.
func Clean(fragment string) string {
	ctxNode := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), ctxNode)
	if err != nil {
		return fragment
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	// Unlike a page, exported content keeps its HTML comments (<!--more-->,
	// block markers) and embeds: only widget scripts and forms go.
	stripWidgetCode(root)
	removePlugins(root)
	removeByName(root)
	removeByPhrase(root, defaultPhrases)
	removeRelatedEntries(root, defaultPhrases)
	removeEmptySections(root, defaultPhrases)
	return strings.TrimSpace(renderInner(root))
}

// isWordPress looks for the markers WordPress leaves in every page.
func isWordPress(doc *goquery.Document, raw []byte) bool {
	if strings.Contains(strings.ToLower(meta(doc, "generator")), "wordpress") {
		return true
	}
	if doc.Find(`meta[name="generator"][content*="WordPress"], link[rel="https://api.w.org/"]`).Length() > 0 {
		return true
	}
	for _, m := range []string{"/wp-content/", "/wp-includes/", "s0.wp.com", "wp-json", ".files.wordpress.com"} {
		if bytes.Contains(raw, []byte(m)) {
			return true
		}
	}
	return false
}

// tidy removes from the article what belongs to the page around it: the
// comment area, the post title and its meta line when the body is the whole
// <article>.
func tidy(content *html.Node, title string) {
	firstHeading := true
	for _, n := range elements(content) {
		if n == content || n.Parent == nil || !attached(n, content) {
			continue
		}
		if isCommentArea(n) || isCommentNode(n) {
			detach(n)
			continue
		}
		switch n.DataAtom {
		case atom.H1, atom.H2:
			// The post title repeated as the body's first heading.
			if firstHeading && title != "" && squash(rawText(n)) == title {
				detach(n)
			}
			firstHeading = false
		case atom.Header, atom.Footer:
			// Inside an article these hold the byline and the terms, which
			// are metadata; a quotation's footer is its attribution.
			if !inside(n.Parent, func(p *html.Node) bool {
				return p.DataAtom == atom.Blockquote || p.DataAtom == atom.Figure
			}) {
				detach(n)
			}
		}
	}
}

// sanitise drops event handlers, inline styles and javascript: links, and
// makes links and images absolute.
func sanitise(content *html.Node, base *url.URL) {
	for _, n := range elements(content) {
		kept := n.Attr[:0]
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(k, "on"), k == "style":
				continue
			case k == "href" || k == "src":
				if strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					continue
				}
				if base != nil {
					a.Val = resolve(base, a.Val)
				}
			}
			kept = append(kept, a)
		}
		n.Attr = kept
	}
}

func renderInner(n *html.Node) string {
	var b bytes.Buffer
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			// Render fails only on trees the parser cannot produce; keep what
			// was rendered rather than nothing.
			break
		}
	}
	return b.String()
}
