// Parts of this file are adapted from html-to-markdown v2.5.2
// (github.com/JohannesKaufmann/html-to-markdown), under its licence:
//
// MIT License
//
// Copyright (c) 2018 Johannes Kaufmann
//
// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all
// copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
// SOFTWARE.

package convert

import (
	"strings"

	"github.com/JohannesKaufmann/dom"
	"golang.org/x/net/html"
)

// collapseWhitespace is collapse.Collapse of html-to-markdown v2.5.2 (MIT,
// Johannes Kaufmann; a port of turndown's collapse-whitespace) with the
// collapse package's void and preformatted elements, called directly
// instead of through function values, and a whitespace replacement that
// scans each text once for whatever it would change and leaves the text
// alone when nothing: most text has no run of whitespace but single
// spaces. TestCollapseMatchesLibrary and FuzzCollapseMatchesLibrary compare
// the two.
func collapseWhitespace(element *html.Node, isBlock func(*html.Node) bool) {
	if element.FirstChild == nil || isCollapsePreformatted(element) {
		return
	}

	var prevText *html.Node
	keepLeadingWs := false

	var prev *html.Node
	node := collapseNext(prev, element)

	for node != element {
		switch node.Type {
		case html.TextNode:
			text := collapseSpaces(node.Data)
			if (prevText == nil || strings.HasSuffix(prevText.Data, " ")) &&
				!keepLeadingWs && text != "" && text[0] == ' ' {
				text = text[1:]
			}
			if text == "" {
				node = collapseRemove(node)
				continue
			}
			node.Data = text
			prevText = node
		case html.ElementNode:
			switch {
			case isBlock(node) || node.Data == "br":
				if prevText != nil {
					prevText.Data = strings.TrimSuffix(prevText.Data, " ")
				}
				prevText = nil
				keepLeadingWs = false
			case isCollapseVoid(node) || isCollapsePreformatted(node) || node.Data == "code":
				// Spaces around inline void elements and inline code stay.
				prevText = nil
				keepLeadingWs = true
			case prevText != nil:
				keepLeadingWs = false
			}
		case html.CommentNode:
		default:
			// A doctype, for one.
			node = collapseRemove(node)
			continue
		}

		next := collapseNext(prev, node)
		prev = node
		node = next
	}

	if prevText != nil {
		prevText.Data = strings.TrimSuffix(prevText.Data, " ")
		if prevText.Data == "" {
			collapseRemove(prevText)
		}
	}
}

// collapseNext is the node after current in the collapse walk: the subtree
// of a preformatted node is skipped, and prev being a child of current
// means the walk comes back up from it.
func collapseNext(prev, current *html.Node) *html.Node {
	if (prev != nil && prev.Parent == current) || isCollapsePreformatted(current) {
		if current.NextSibling != nil {
			return current.NextSibling
		}
		return current.Parent
	}
	if current.FirstChild != nil {
		return current.FirstChild
	}
	if current.NextSibling != nil {
		return current.NextSibling
	}
	return current.Parent
}

// collapseRemove removes node and returns where the walk goes on.
func collapseRemove(node *html.Node) *html.Node {
	next := node.NextSibling
	if next == nil {
		next = node.Parent
	}
	node.Parent.RemoveChild(node)
	return next
}

// isCollapseVoid is the collapse package's default: its list of void
// elements, without "source".
func isCollapseVoid(n *html.Node) bool {
	switch dom.NodeName(n) {
	case "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "track", "wbr":
		return true
	}
	return false
}

// isCollapsePreformatted is the collapse package's default.
func isCollapsePreformatted(n *html.Node) bool {
	name := dom.NodeName(n)
	return name == "pre" || name == "code"
}

// collapseSpaces replaces every run of spaces, tabs, CRs and LFs in s by one
// space, as the collapse package's replaceAnyWhitespaceWithSpace does.
func collapseSpaces(s string) string {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c <= ' ' && (c == '\n' || c == '\t' || c == '\r' || c == ' ' && i+1 < len(s) && s[i+1] == ' ') {
			break
		}
	}
	if i == len(s) {
		return s
	}
	if i > 0 && s[i-1] == ' ' {
		i-- // the run starts with the single space before
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		if isCollapseSpace(s[i]) {
			b.WriteByte(' ')
			for i++; i < len(s) && isCollapseSpace(s[i]); i++ {
			}
			continue
		}
		j := i + 1
		for j < len(s) && !isCollapseSpace(s[j]) {
			j++
		}
		b.WriteString(s[i:j])
		i = j
	}
	return b.String()
}

func isCollapseSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
