package page

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Comment is one comment of the thread.
type Comment struct {
	ID          int64  `json:"id"`
	Parent      int64  `json:"parent"` // 0 for a top-level comment
	Author      string `json:"author"`
	AuthorURL   string `json:"author_url,omitempty"`
	Date        string `json:"date,omitempty"` // RFC 3339 when parseable
	ContentHTML string `json:"content_html"`
}

// commentID reads the number from the ids WordPress gives a comment's
// elements: "comment-12", "li-comment-12", "div-comment-12".
func commentID(n *html.Node) int64 {
	id := attr(n, "id")
	for _, p := range []string{"li-comment-", "div-comment-", "comment-"} {
		if rest, ok := strings.CutPrefix(id, p); ok {
			if v, err := strconv.ParseInt(rest, 10, 64); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}

func isCommentNode(n *html.Node) bool { return commentID(n) != 0 }

// readComments collects the thread. The outermost element carrying a
// comment's id is the comment; the nearest enclosing comment is its parent.
// Reply nesting (ul.children inside the parent li) is what WordPress emits in
// every theme that threads comments.
func readComments(root *html.Node, base *url.URL, ps *phraseSet) []Comment {
	var out []Comment
	seen := map[int64]bool{}
	var walk func(n *html.Node, parent int64)
	walk = func(n *html.Node, parent int64) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			id := commentID(c)
			if id != 0 && id != parent && !seen[id] && !isTemplate(c) {
				seen[id] = true
				out = append(out, readComment(c, id, parent, base, ps))
				walk(c, id)
				continue
			}
			walk(c, parent)
		}
	}
	walk(root, 0)
	return out
}

func isTemplate(n *html.Node) bool {
	return strings.Contains(attr(n, "class"), "{{")
}

// ownFind is find restricted to the comment itself, not its replies.
func ownFind(c *html.Node, ok func(*html.Node) bool) *html.Node {
	var res *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode {
				continue
			}
			if isCommentNode(k) && commentID(k) != commentID(c) || hasClass(k, "children") {
				continue
			}
			if ok(k) {
				res = k
				return true
			}
			if walk(k) {
				return true
			}
		}
		return false
	}
	walk(c)
	return res
}

func readComment(c *html.Node, id, parent int64, base *url.URL, ps *phraseSet) Comment {
	cm := Comment{ID: id, Parent: parent}
	byClass := func(names ...string) func(*html.Node) bool {
		return func(n *html.Node) bool {
			for _, name := range names {
				if hasClass(n, name) {
					return true
				}
			}
			return false
		}
	}
	if fn := ownFind(c, byClass("fn")); fn != nil {
		cm.Author = squash(rawText(fn))
		if a := find(fn, func(n *html.Node) bool { return n.DataAtom == atom.A }); a != nil {
			cm.AuthorURL = resolve(base, attr(a, "href"))
		} else if fn.DataAtom == atom.A {
			cm.AuthorURL = resolve(base, attr(fn, "href"))
		}
	} else if au := ownFind(c, func(n *html.Node) bool {
		return hasClass(n, "comment-author") || attr(n, "itemprop") == "author"
	}); au != nil {
		cm.Author = squash(rawText(au))
	}
	cm.Author = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(cm.Author, "says:"), "sagt:"))
	if t := ownFind(c, func(n *html.Node) bool {
		return n.DataAtom == atom.Time && attr(n, "datetime") != "" && attr(n, "datetime") != "comment_date"
	}); t != nil {
		cm.Date = normaliseDate(attr(t, "datetime"))
	} else if m := ownFind(c, byClass("comment-meta", "comment-metadata", "commentmetadata", "comment-date")); m != nil {
		cm.Date = squash(rawText(m))
	}
	body := ownFind(c, func(n *html.Node) bool {
		return hasClass(n, "comment-content") || hasClass(n, "comment-text") ||
			hasClass(n, "comment-entry") || attr(n, "itemprop") == "text" ||
			hasClass(n, "epoch-comment-content")
	})
	if body == nil {
		body = ownCopy(c)
	}
	cm.ContentHTML = renderInner(cleanComment(body, ps))
	return cm
}

// ownCopy clones a comment without its replies and its header, for themes
// that do not wrap the text in .comment-content.
func ownCopy(c *html.Node) *html.Node {
	cp := cloneTree(c)
	for _, n := range elements(cp) {
		if n == cp {
			continue
		}
		if isCommentNode(n) || hasClass(n, "children") || hasClass(n, "comment-author") ||
			hasClass(n, "comment-meta") || hasClass(n, "comment-metadata") ||
			hasClass(n, "commentmetadata") || hasClass(n, "vcard") || n.DataAtom == atom.Footer {
			detach(n)
		}
	}
	return cp
}

// cleanComment drops reply links and widgets from a copy of the comment body.
func cleanComment(body *html.Node, ps *phraseSet) *html.Node {
	cp := cloneTree(body)
	for _, n := range elements(cp) {
		if n == cp {
			continue
		}
		if hasClass(n, "reply") || hasClass(n, "comment-reply-link") || hasClass(n, "comment-like") ||
			hasClass(n, "comment-likes") || isBoilerByName(n) {
			detach(n)
		}
	}
	removeByPhrase(cp, ps)
	return cp
}

func cloneTree(n *html.Node) *html.Node {
	cp := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace,
		Attr: append([]html.Attribute(nil), n.Attr...)}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		cp.AppendChild(cloneTree(c))
	}
	return cp
}
