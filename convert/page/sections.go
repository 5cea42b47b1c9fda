package page

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// removeEmptySections drops the headings that label a section which, in a
// saved page, holds nothing: "Comments" over a thread that a plugin's script
// would have loaded, or whose comments were taken out as the thread.
func removeEmptySections(root *html.Node, ps *phraseSet) {
	for _, n := range elements(root) {
		if n == root || !isHeading(n) || !attached(n, root) {
			continue
		}
		if !ps.emptyHeading(fold(rawText(n))) {
			continue
		}
		if sectionEmpty(n) {
			detach(n)
		}
	}
}

// sectionEmpty tells whether nothing visible follows a heading before the
// next heading.
func sectionEmpty(head *html.Node) bool {
	for sib := head.NextSibling; sib != nil; sib = sib.NextSibling {
		switch sib.Type {
		case html.TextNode:
			if squash(sib.Data) != "" {
				return false
			}
		case html.ElementNode:
			if isHeading(sib) {
				return true
			}
			if squash(rawText(sib)) != "" || hasMedia(sib) {
				return false
			}
		}
	}
	return true
}

func hasMedia(n *html.Node) bool {
	return find(n, func(m *html.Node) bool {
		switch m.DataAtom {
		case atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Iframe, atom.Table, atom.Hr:
			return true
		}
		return strings.EqualFold(m.Data, "math")
	}) != nil
}
