package main

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The scoring below duplicates tokens, tokenScores and a simplified
// visibleText from convert/page/fixtures_test.go and convert/page/text.go:
// this module may not import test files, and convert/page keeps its
// helpers unexported. Keep the two in step when the scoring changes.

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// tokenScores is bag-of-words precision, recall and F1 of got against want.
func tokenScores(got, want string) (p, r, f1 float64) {
	g, w := tokens(got), tokens(want)
	if len(g) == 0 || len(w) == 0 {
		if len(g) == len(w) {
			return 1, 1, 1
		}
		return 0, 0, 0
	}
	bag := map[string]int{}
	for _, t := range w {
		bag[t]++
	}
	common := 0
	for _, t := range g {
		if bag[t] > 0 {
			bag[t]--
			common++
		}
	}
	p = float64(common) / float64(len(g))
	r = float64(common) / float64(len(w))
	if common == 0 {
		return p, r, 0
	}
	return p, r, 2 * p * r / (p + r)
}

func squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// visibleText is the text of n, one line per block element, so that the
// boilerplate count can look at whole lines whatever the extractor returned.
func visibleText(n *html.Node) string {
	var lines []string
	var cur strings.Builder
	brk := func() {
		if l := squash(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				cur.WriteString(c.Data)
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Head, atom.Title, atom.Template, atom.Noscript:
					continue
				case atom.Br:
					brk()
					continue
				case atom.Td, atom.Th:
					cur.WriteString(" ")
					walk(c)
					cur.WriteString(" ")
					continue
				}
				block := isBlock(c.DataAtom)
				if block {
					brk()
				}
				walk(c)
				if block {
					brk()
				}
			}
		}
	}
	walk(n)
	brk()
	return strings.Join(lines, "\n")
}

func htmlText(s string) string {
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	return visibleText(n)
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details,
		atom.Dialog, atom.Dd, atom.Div, atom.Dl, atom.Dt, atom.Fieldset,
		atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2,
		atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr,
		atom.Li, atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section,
		atom.Table, atom.Tr, atom.Ul, atom.Caption, atom.Summary, atom.Center:
		return true
	}
	return false
}

// linePhrases are boilerplate only as a whole line ("Related" is also an
// ordinary word); containPhrases are boilerplate wherever they appear.
var (
	linePhrases = []string{
		"Like this:", "Like this", "Share this:", "Share this", "Related", "Loading...", "Loading…",
		"Gefällt mir:", "Gefällt mir", "Teilen mit:", "Teilen mit", "Ähnliche Beiträge", "Ähnlich",
		"Wird geladen …", "Lädt...", "Leave a Reply", "Leave a Comment", "Reply", "Antworten",
		"Kommentar verfassen", "Hinterlasse einen Kommentar", "Flattr this:", "Log Out", "Abmelden",
		"Follow", "Folgen", "Share", "Tweet", "Print", "Email", "Facebook", "Twitter", "Pinterest",
		"LinkedIn", "Reddit", "Tumblr", "WhatsApp",
	}
	containPhrases = []string{
		"Like this:", "Share this:", "Teilen mit:", "Gefällt mir:", "Flattr this:", "Like Loading",
		"bloggers like this", "blogger likes this", "Be the first to like this",
		"Fill in your details below", "You are commenting using your", "Click to share on",
		"Click to email", "Click to print", "Notify me of new comments", "Notify me of new posts",
		"Bloggern gefällt das", "Blogger gefällt das", "Trage deine Daten unten ein",
		"Du kommentierst mit", "Benachrichtige mich", "Gib deine E-Mail-Adresse ein",
		"Die Kommentarfunktion ist geschlossen", "Cancel reply",
		"Required fields are marked", "Your email address will not be published",
		"Deine E-Mail-Adresse wird nicht veröffentlicht", "Proudly powered by WordPress",
		"Blog at WordPress.com", "Bloggen auf WordPress.com", "Follow Blog via Email",
		"Enter your email address to follow", "Recent Posts", "Recent Comments",
		"Neueste Beiträge", "Neueste Kommentare", "Create a free website or blog",
		"Privacy & Cookies", "Datenschutz & Cookies", "Powered by WordPress",
		"Post was not sent - check your email", "Sorry, your blog cannot share posts by email",
		"Kommentare zu", "Loading Comments",
	}
)

// boilerplate returns the boilerplate found in text, one entry per hit:
// a line that is wholly a line phrase, or each occurrence of a contained
// phrase (an extractor that flattens a page to one line still has its
// sharing buttons counted one by one).
func boilerplate(text string) (hits [][2]string) {
	for _, l := range strings.Split(text, "\n") {
		if l = squash(l); l == "" {
			continue
		}
		if p := linePhrase(l); p != "" {
			hits = append(hits, [2]string{l, p})
			continue
		}
		low := strings.ToLower(l)
		for _, p := range containPhrases {
			for range strings.Count(low, strings.ToLower(p)) {
				hits = append(hits, [2]string{l, p})
			}
		}
	}
	return hits
}

func linePhrase(l string) string {
	bare := strings.TrimRight(l, " :.!|·-•…")
	for _, p := range linePhrases {
		if strings.EqualFold(bare, strings.TrimRight(p, " :.!…")) {
			return p
		}
	}
	return ""
}

// lineDiff lists the lines of got not found in want (leaked) and of want
// not found in got (lost), compared with whitespace squashed.
func lineDiff(got, want string) (leaked, lost []string) {
	g, w := squash(got), squash(want)
	for _, l := range strings.Split(got, "\n") {
		if l = squash(l); l != "" && !strings.Contains(w, l) {
			leaked = append(leaked, l)
		}
	}
	for _, l := range strings.Split(want, "\n") {
		if l = squash(l); l != "" && !strings.Contains(g, l) {
			lost = append(lost, l)
		}
	}
	return leaked, lost
}
