package convert

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// Counts are the visible structures of one side of a conversion.
type Counts struct {
	Words      int `json:"words"`
	Paragraphs int `json:"paragraphs"`
	Headings   int `json:"headings"`
	ListItems  int `json:"list_items"`
	Links      int `json:"links"`
	Images     int `json:"images"`
	Tables     int `json:"tables"`
	CodeBlocks int `json:"code_blocks"`
}

// Loss compares the source HTML (after wpautop and shortcode expansion)
// with the Markdown rendered back to HTML by goldmark with GFM.
type Loss struct {
	Source   Counts `json:"source"`
	Markdown Counts `json:"markdown"`
	// WordRecall is the share of the source's visible words found in the
	// rendered Markdown; WordPrecision the share of the rendered words found
	// in the source. Words are counted as a multiset, case-folded.
	WordRecall    float64 `json:"word_recall"`
	WordPrecision float64 `json:"word_precision"`
}

// Thresholds under which a conversion counts as lossy.
const (
	minWordRecall    = 0.99
	minWordPrecision = 0.95
)

// Lossy reports whether the Markdown lost words or structures of the source.
func (l Loss) Lossy() bool { return len(l.Differences()) > 0 }

// Differences lists, in words, how the Markdown falls short of the source.
func (l Loss) Differences() []string {
	var d []string
	if l.WordRecall < minWordRecall {
		d = append(d, fmt.Sprintf("word recall %.3f", l.WordRecall))
	}
	if l.WordPrecision < minWordPrecision {
		d = append(d, fmt.Sprintf("word precision %.3f", l.WordPrecision))
	}
	s, m := l.Source, l.Markdown
	for _, c := range []struct {
		name     string
		src, got int
	}{
		{"paragraphs", s.Paragraphs, m.Paragraphs},
		{"headings", s.Headings, m.Headings},
		{"list items", s.ListItems, m.ListItems},
		{"links", s.Links, m.Links},
		{"images", s.Images, m.Images},
		{"tables", s.Tables, m.Tables},
		{"code blocks", s.CodeBlocks, m.CodeBlocks},
	} {
		if c.got < c.src {
			d = append(d, fmt.Sprintf("%s %d of %d", c.name, c.got, c.src))
		}
	}
	return d
}

// census is what countHTML learns of a tree.
type census struct {
	Counts
	words map[string]int
}

// countHTML counts a tree's visible words and structures.
func countHTML(root *html.Node) census {
	c := census{words: map[string]int{}}
	var text strings.Builder
	var walk func(n *html.Node, inCell bool)
	walk = func(n *html.Node, inCell bool) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch ch.Type {
			case html.TextNode:
				text.WriteString(ch.Data)
			case html.ElementNode:
				cell := inCell
				// Words run on across inline elements ("<sup>super</sup>script")
				// and end at block boundaries.
				inline := inlineElements[ch.Data]
				if !inline {
					text.WriteByte(' ')
				}
				switch ch.Data {
				case "script", "style", "template", "noscript", "textarea", "head":
					continue
				case "p":
					if !inCell && hasWords(ch) {
						c.Paragraphs++
					}
				case "figcaption", "div", "blockquote", "section", "article", "center", "address", "dd", "dt":
					if !inCell && hasDirectWords(ch) {
						c.Paragraphs++
					}
				case "li", "td", "th":
					if ch.Data == "li" {
						c.ListItems++
					}
					cell = true
				case "h1", "h2", "h3", "h4", "h5", "h6":
					c.Headings++
				case "a":
					if getAttr(ch, "href") != "" {
						c.Links++
					}
				case "img":
					if getAttr(ch, "src") != "" {
						c.Images++
					}
				case "table":
					c.Tables++
				case "pre":
					c.CodeBlocks++
				}
				walk(ch, cell)
				if !inline {
					text.WriteByte(' ')
				}
			}
		}
	}
	walk(root, false)
	c.addWords(text.String())
	return c
}

func (c *census) addWords(s string) {
	for _, w := range strings.FieldsFunc(s, isWordSeparator) {
		c.words[strings.ToLower(w)]++
		c.Words++
	}
}

func isWordSeparator(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func hasWords(n *html.Node) bool {
	return strings.IndexFunc(textContent(n), func(r rune) bool { return !isWordSeparator(r) }) >= 0
}

func hasDirectWords(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && strings.IndexFunc(c.Data, func(r rune) bool { return !isWordSeparator(r) }) >= 0 {
			return true
		}
	}
	return false
}

// renderBack renders Markdown to HTML with goldmark (GFM) and counts it.
func (c *Converter) renderBack(md string) (census, error) {
	var buf bytes.Buffer
	if err := c.gm.Convert([]byte(md), &buf); err != nil {
		return census{}, fmt.Errorf("render Markdown back: %w", err)
	}
	nodes, err := html.ParseFragment(&buf, bodyContext)
	if err != nil {
		return census{}, fmt.Errorf("parse rendered Markdown: %w", err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "body"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return countHTML(root), nil
}

// compare builds the loss report of a source and its rendered Markdown.
func compare(src, md census) Loss {
	common := 0
	for w, n := range src.words {
		common += min(n, md.words[w])
	}
	l := Loss{Source: src.Counts, Markdown: md.Counts, WordRecall: 1, WordPrecision: 1}
	if src.Words > 0 {
		l.WordRecall = float64(common) / float64(src.Words)
	}
	if md.Words > 0 {
		l.WordPrecision = float64(common) / float64(md.Words)
	}
	return l
}

var inlineElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"data": true, "dfn": true, "em": true, "i": true, "kbd": true, "mark": true, "q": true,
	"s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true,
	"sup": true, "time": true, "u": true, "var": true, "del": true, "ins": true,
	"strike": true, "font": true, "big": true, "tt": true, "acronym": true, rawTag: true,
}
