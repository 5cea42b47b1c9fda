package convert

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

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

// tally is the scratch space of one loss report. The Converter pools
// tallies, so a report allocates little beyond the source's distinct words.
type tally struct {
	text  []byte           // visible text of the side being counted
	src   words            // the source's words
	md    words            // the Markdown's words
	ids   map[string]int32 // source word → index in count and seen
	count []int32          // occurrences of each source word
	seen  []int32          // occurrences found in the Markdown so far
	// linkish is set by countMarkdown when a text may hold a link GFM's
	// linkify finds; inLink is the depth of links around the text counted.
	linkish bool
	inLink  int
}

// words are the case-folded words of one side, back to back.
type words struct {
	lower []byte
	ends  []int // end of each word in lower
}

// split replaces w with the words of text.
func (w *words) split(text []byte) {
	w.lower, w.ends = w.lower[:0], w.ends[:0]
	for i, ok := 0, true; ; {
		if w.lower, i, ok = appendNextWord(w.lower, text, i); !ok {
			return
		}
		w.ends = append(w.ends, len(w.lower))
	}
}

func (w *words) start(i int) int {
	if i == 0 {
		return 0
	}
	return w.ends[i-1]
}

func (w *words) word(i int) []byte { return w.lower[w.start(i):w.ends[i]] }

func newTally() *tally { return &tally{ids: map[string]int32{}} }

// separate ends the word being written, as a block boundary does.
func (t *tally) separate() { t.text = append(t.text, ' ') }

// indexSource takes the words of t.text as the source's and returns how
// many there are.
func (t *tally) indexSource() int {
	t.src.split(t.text)
	return len(t.src.ends)
}

// matchMarkdown takes the words of t.text as the Markdown's and returns
// how many there are and how many of them the source has (the multisets'
// intersection). The Markdown mostly has the source's words in the source's
// order: the words both sequences start and end with are common, and only
// the words between go through a multiset.
func (t *tally) matchMarkdown() (words, common int) {
	t.md.split(t.text)
	src, md := &t.src, &t.md
	ns, nm := len(src.ends), len(md.ends)
	head := 0
	for head < ns && head < nm && bytes.Equal(src.word(head), md.word(head)) {
		head++
	}
	tail := 0
	for tail < ns-head && tail < nm-head && bytes.Equal(src.word(ns-1-tail), md.word(nm-1-tail)) {
		tail++
	}
	common = head + tail
	if head+tail < ns && head+tail < nm {
		common += t.intersect(head, ns-tail, head, nm-tail)
	}
	return nm, common
}

// intersect counts the common words of the source's words [s0, s1) and the
// Markdown's words [m0, m1), as multisets.
func (t *tally) intersect(s0, s1, m0, m1 int) int {
	clear(t.ids)
	t.count, t.seen = t.count[:0], t.seen[:0]
	// One string for all the words: the keys are slices of it.
	base := t.src.start(s0)
	all := string(t.src.lower[base:t.src.ends[s1-1]])
	for i := s0; i < s1; i++ {
		w := all[t.src.start(i)-base : t.src.ends[i]-base]
		id, ok := t.ids[w]
		if !ok {
			id = int32(len(t.count))
			t.ids[w] = id
			t.count = append(t.count, 0)
			t.seen = append(t.seen, 0)
		}
		t.count[id]++
	}
	common := 0
	for i := m0; i < m1; i++ {
		if id, ok := t.ids[string(t.md.word(i))]; ok && t.seen[id] < t.count[id] {
			t.seen[id]++
			common++
		}
	}
	return common
}

// asciiFold maps an ASCII letter or digit to its lower case, any other
// ASCII byte to 0.
var asciiFold = func() (f [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		f[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		f[c] = c
		f[c-'a'+'A'] = c
	}
	return f
}()

// appendNextWord finds the first word (a run of letters and digits) of b
// at or after i, appends it to dst case-folded as strings.ToLower does, and
// returns the index after it; ok is false when there is no word left.
func appendNextWord(dst, b []byte, i int) (_ []byte, next int, ok bool) {
	for i < len(b) {
		if c := b[i]; c < utf8.RuneSelf {
			if asciiFold[c] != 0 {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if isWordRune(r) {
			break
		}
		i += n
	}
	if i == len(b) {
		return dst, i, false
	}
	for i < len(b) {
		if c := b[i]; c < utf8.RuneSelf {
			f := asciiFold[c]
			if f == 0 {
				break
			}
			dst = append(dst, f)
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if !isWordRune(r) {
			break
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += n
	}
	return dst, i, true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiFold[r] != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func hasWordRune(s string) bool {
	return strings.IndexFunc(s, isWordRune) >= 0
}

// countHTML counts a tree's visible structures and writes its visible text
// to t.text, words running on across inline elements ("<sup>super</sup>script")
// and ending at block boundaries.
func countHTML(root *html.Node, t *tally) Counts {
	var c Counts
	t.text = t.text[:0]
	c.walkHTML(root, false, t)
	return c
}

func (c *Counts) walkHTML(n *html.Node, inCell bool, t *tally) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			t.text = append(t.text, ch.Data...)
		case html.ElementNode:
			cell := inCell
			inline := inlineElements[ch.Data]
			if !inline {
				t.separate()
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
			c.walkHTML(ch, cell, t)
			if !inline {
				t.separate()
			}
		}
	}
}

// hasWords reports whether n's text, script and style included, has a letter
// or digit.
func hasWords(n *html.Node) bool {
	if n.Type == html.TextNode {
		return hasWordRune(n.Data)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			if hasWordRune(c.Data) {
				return true
			}
		} else if hasWords(c) {
			return true
		}
	}
	return false
}

func hasDirectWords(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && hasWordRune(c.Data) {
			return true
		}
	}
	return false
}

// compare builds the loss report from the counts of both sides; t holds
// the Markdown's text and the source's words.
func compare(src Counts, srcWords int, md Counts, t *tally) Loss {
	md.Words, src.Words = 0, srcWords
	var common int
	md.Words, common = t.matchMarkdown()
	l := Loss{Source: src, Markdown: md, WordRecall: 1, WordPrecision: 1}
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
