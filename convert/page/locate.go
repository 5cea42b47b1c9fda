package page

import (
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// contentSelectors name the article body in WordPress themes, most specific
// first.
var contentSelectors = []string{
	`[itemprop="articleBody"]`, ".entry-content", ".post-content", ".entry-body",
	".post-entry", ".postcontent", ".post-body", ".article-content",
	".single-content", ".storycontent", ".entrytext", ".entry", ".post-inner",
}

// locate finds the article body: by WordPress markers, then the largest
// <article>, then by text density. It never returns nil for a parsed
// document.
func locate(doc *goquery.Document) *html.Node {
	notComment := func(_ int, s *goquery.Selection) bool {
		n := s.Get(0)
		return !inside(n, isCommentArea) && !inside(n, isCommentNode)
	}
	for _, sel := range contentSelectors {
		if n := largest(doc.Find(sel).FilterFunction(notComment)); n != nil {
			return n
		}
	}
	if n := largest(doc.Find("article").FilterFunction(notComment)); n != nil {
		return n
	}
	body := doc.Find("body").Get(0)
	if body == nil {
		body = doc.Get(0)
	}
	if n := densest(body); n != nil {
		return n
	}
	return body
}

// largest returns the selected element with the most text, if it has any.
func largest(s *goquery.Selection) *html.Node {
	var best *html.Node
	bestLen := 0
	s.Each(func(_ int, s *goquery.Selection) {
		if l := utf8.RuneCountInString(squash(rawText(s.Get(0)))); l > bestLen {
			best, bestLen = s.Get(0), l
		}
	})
	return best
}

// densest scores containers by the paragraphs they hold (readability's
// heuristic: text length and commas, discounted by link density) and returns
// the best one.
func densest(root *html.Node) *html.Node {
	score := map[*html.Node]float64{}
	for _, n := range elements(root) {
		switch n.DataAtom {
		case atom.P, atom.Pre, atom.Blockquote, atom.Td, atom.Li:
		default:
			continue
		}
		t := squash(rawText(n))
		l := utf8.RuneCountInString(t)
		if l < 25 {
			continue
		}
		s := 1 + float64(strings.Count(t, ",")+strings.Count(t, "،")+strings.Count(t, "、")) + min(float64(l)/100, 3)
		if p := n.Parent; p != nil && p.Type == html.ElementNode {
			score[p] += s
			if g := p.Parent; g != nil && g.Type == html.ElementNode {
				score[g] += s / 2
			}
		}
	}
	var best *html.Node
	bestScore := 0.0
	for n, s := range score {
		s *= 1 - linkDensity(n)
		if s > bestScore || s == bestScore && best != nil && before(n, best) {
			best, bestScore = n, s
		}
	}
	return best
}

// before orders nodes by document position so ties break deterministically.
func before(a, b *html.Node) bool {
	for _, n := range elements(rootOf(a)) {
		switch n {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

func rootOf(n *html.Node) *html.Node {
	for n.Parent != nil {
		n = n.Parent
	}
	return n
}

func linkDensity(n *html.Node) float64 {
	total := utf8.RuneCountInString(squash(rawText(n)))
	if total == 0 {
		return 0
	}
	links := 0
	for _, a := range elements(n) {
		if a.DataAtom == atom.A {
			links += utf8.RuneCountInString(squash(rawText(a)))
		}
	}
	return min(float64(links)/float64(total), 1)
}
