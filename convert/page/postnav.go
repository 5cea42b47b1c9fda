package page

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// maxNavLinkLen bounds the text of a previous/next link: a post title at
// most, never a paragraph.
const maxNavLinkLen = 200

// isNavLink tells whether an <a> is a previous/next post link. WordPress
// marks them rel="prev" and rel="next" (previous_post_link, the post
// navigation block); authors never do in a post's text.
func isNavLink(a *html.Node) bool {
	rel := false
	for _, r := range strings.Fields(strings.ToLower(attr(a, "rel"))) {
		if r == "prev" || r == "next" || r == "previous" {
			rel = true
		}
	}
	return rel && utf8.RuneCountInString(squash(rawText(a))) <= maxNavLinkLen
}
