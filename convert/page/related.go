package page

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Related posts are a list of entries under a heading ("Related"), each a
// title link with an excerpt, a date and a category line (In "News"). Their
// excerpts are prose, so the debris test that removes button rows does not
// take them; two structural rules do.

// maxRelatedText bounds the text of one block swept as related posts: a
// handful of entries with excerpts, not the rest of an article.
const maxRelatedText = 3000

// sweepRelated removes the entries that follow a related-posts heading, up to
// the next section heading, the article body or a block that cannot be an
// entry (text without a link).
func (s *phraseScan) sweepRelated(head *html.Node) {
	for sib := head.NextSibling; sib != nil; {
		next := sib.NextSibling
		switch sib.Type {
		case html.TextNode:
			if squash(sib.Data) != "" {
				return
			}
		case html.ElementNode:
			if !s.relatedEntry(sib) {
				return
			}
			detach(sib)
		}
		sib = next
	}
}

// relatedEntry tells whether a block after a related-posts heading is part of
// the list: empty, or linked text of bounded size (a title, or entries that
// start with one), or an entry's date or category line.
func (s *phraseScan) relatedEntry(n *html.Node) bool {
	if isContentMarker(n) {
		return false
	}
	text := squash(rawText(n))
	l := utf8.RuneCountInString(text)
	switch {
	case l == 0:
		return true
	case l > maxRelatedText:
		return false
	case isHeading(n) && !s.label[n] && !allLink(n):
		return false // a new section
	case s.ps.categoryLine(fold(text)), l <= 40 && find(n, isBlockElement) == nil:
		return true
	}
	return find(n, func(m *html.Node) bool { return m.DataAtom == atom.A && attr(m, "href") != "" }) != nil
}

func isBlockElement(n *html.Node) bool { return isBlock(n.DataAtom) }

// allLink tells whether all of an element's text is link text (an entry
// title).
func allLink(n *html.Node) bool {
	total := utf8.RuneCountInString(squash(rawText(n)))
	links := 0
	for _, a := range elements(n) {
		if a.DataAtom == atom.A {
			links += utf8.RuneCountInString(squash(rawText(a)))
		}
	}
	return total > 0 && links >= total
}

// removeRelatedEntries removes groups of related-post entries found by their
// category lines, whatever their heading: an element whose children with
// text are at least two entries, each holding a link and ending with a
// category line.
func removeRelatedEntries(root *html.Node, ps *phraseSet) {
	size := textSizes(root)
	for _, n := range elements(root) {
		if size[n] == 0 || n.Parent == nil && n != root || !attached(n, root) {
			continue
		}
		var entries []*html.Node
		ok := true
		for c := n.FirstChild; c != nil && ok; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				ok = squash(c.Data) == ""
			case html.ElementNode:
				switch {
				case size[c] == 0:
				case size[c] <= maxRelatedText/2 && isEntry(c, ps):
					entries = append(entries, c)
				default:
					ok = false
				}
			}
		}
		if !ok || len(entries) < 2 {
			continue
		}
		if n == root || isContentMarker(n) {
			for _, e := range entries {
				detach(e)
			}
			continue
		}
		detach(n)
	}
}

// textSizes counts the non-space runes of visible text under every element,
// in one pass.
func textSizes(root *html.Node) map[*html.Node]int {
	size := map[*html.Node]int{}
	var walk func(*html.Node) int
	walk = func(n *html.Node) int {
		total := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				for _, r := range c.Data {
					if !unicode.IsSpace(r) {
						total++
					}
				}
			case html.ElementNode:
				if c.DataAtom != atom.Script && c.DataAtom != atom.Style {
					total += walk(c)
				}
			}
		}
		size[n] = total
		return total
	}
	walk(root)
	return size
}

// isEntry tells whether an element of bounded text is one related post: its
// last line a category line, and a link in it.
func isEntry(n *html.Node, ps *phraseSet) bool {
	last := lastText(n)
	if last == nil {
		return false
	}
	line := last.Parent
	for line != n && !isBlock(line.DataAtom) {
		line = line.Parent
	}
	if !ps.categoryLine(fold(rawText(line))) {
		return false
	}
	return find(n, func(m *html.Node) bool { return m.DataAtom == atom.A }) != nil
}

// lastText returns the last text node under n that is not blank.
func lastText(n *html.Node) *html.Node {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		switch c.Type {
		case html.TextNode:
			if strings.TrimSpace(c.Data) != "" {
				return c
			}
		case html.ElementNode:
			if c.DataAtom == atom.Script || c.DataAtom == atom.Style {
				continue
			}
			if t := lastText(c); t != nil {
				return t
			}
		}
	}
	return nil
}
