package page

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Boilerplate removal works in two independent ways so that either one alone
// suffices: by the class and id names themes and Jetpack give their widgets,
// and by the phrases those widgets print (phrases.go), climbing from the
// phrase to the smallest container that holds nothing but widget debris.

// Class tokens that mark a widget wherever they appear.
var boilerClasses = map[string]bool{
	"sharedaddy": true, "sd-block": true, "sd-sharing": true, "sd-like": true,
	"sd-social": true, "jp-relatedposts": true, "jetpack-likes-widget-wrapper": true,
	"likes-widget-placeholder": true, "jetpack_subscription_widget": true,
	"widget_blog_subscription": true, "wpl-likebox": true,
	"wp-block-jetpack-subscriptions": true, "wp-block-jetpack-sharing-buttons": true,
	"wp-block-jetpack-like": true, "wp-block-jetpack-related-posts": true,
	"sharing": true, "share": true, "shares": true, "social-share": true,
	"share-buttons": true, "sharing-buttons": true, "social-sharing": true,
	"addtoany_share_save_container": true, "a2a_kit": true, "addthis_toolbox": true,
	"shareaholic-canvas": true, "heateor_sss_sharing_container": true,
	"comment-respond": true, "comments-area": true, "comment-list": true,
	"commentlist": true, "comments": true, "comments-link": true,
	"post-navigation": true, "posts-navigation": true, "navigation": true,
	"nav-links": true, "nav-single": true, "nav-previous": true, "nav-next": true,
	"pagination": true, "widget": true, "widget-area": true, "sidebar": true,
	"site-footer": true, "site-header": true, "cookie-banner": true,
	"cookie-notice": true, "eu-cookie-law-widget": true, "gdpr": true,
	"screen-reader-text": true, "skip-link": true, "post-tags": true,
	"tags-links": true, "cat-links": true, "entry-footer": true,
	"entry-utility": true, "entry-meta": true, "post-meta": true,
	"postmetadata": true, "related-posts": true, "yarpp-related": true,
	"crp_related": true, "wpcnt": true, "wordads-ad-wrapper": true,
	"printfriendly": true, "pf-button": true, "follow-button": true,
	"subscribe": true, "author-info": true, "author-bio": true,
	"wp-block-comments": true, "wp-block-post-navigation-link": true,
}

var boilerClassPrefixes = []string{
	"share-", "sd-", "jp-relatedposts", "actnbr-", "wpl-", "eu-cookie",
	"cookie-law", "widget_", "addtoany", "a2a_", "heateor", "yarpp",
	"crp_", "wpcnt", "wordads", "jetpack-likes", "jetpack_subscription",
	"comment-form", "comments-", "post-nav", "sharedaddy",
}

var boilerIDs = map[string]bool{
	"comments": true, "respond": true, "secondary": true, "sidebar": true,
	"colophon": true, "footer": true, "actionbar": true, "jp-post-flair": true,
	"likes-other-gravatars": true, "nav-above": true, "nav-below": true,
	"nav-single": true, "masthead": true, "branding": true,
	"site-navigation": true, "access": true, "wpadminbar": true,
	"cookie-law-info-bar": true, "eu-cookie-law": true, "subscribe-blog": true,
	"jp-relatedposts": true,
}

var boilerIDPrefixes = []string{
	"comment-form", "like-post-wrapper", "jp-", "actionbar", "sharing",
	"cookie", "eu-cookie", "wpadminbar", "sidebar", "subscribe",
}

// isBoilerByName tells whether the element's class or id names a widget.
func isBoilerByName(n *html.Node) bool {
	for _, c := range classes(n) {
		c = strings.ToLower(c)
		if boilerClasses[c] {
			return true
		}
		for _, p := range boilerClassPrefixes {
			if strings.HasPrefix(c, p) {
				return true
			}
		}
	}
	id := strings.ToLower(attr(n, "id"))
	if id == "" {
		return false
	}
	if boilerIDs[id] {
		return true
	}
	for _, p := range boilerIDPrefixes {
		if strings.HasPrefix(id, p) {
			return true
		}
	}
	return false
}

// isContentMarker tells whether the element is (or wraps) an article body by
// the names WordPress themes use. Such elements are never removed whole.
func isContentMarker(n *html.Node) bool {
	if attr(n, "itemprop") == "articleBody" || attr(n, "role") == "main" {
		return true
	}
	switch n.DataAtom {
	case atom.Body, atom.Html, atom.Main, atom.Article:
		return true
	}
	for _, c := range classes(n) {
		switch c {
		case "entry-content", "post-content", "hentry", "type-post", "post-body",
			"article-body", "entry", "post", "entry-body", "post-entry",
			"postcontent", "article-content", "single-content", "storycontent":
			return true
		}
	}
	switch attr(n, "id") {
	case "content", "main", "primary", "page", "wrapper", "main-content":
		return true
	}
	return false
}

// stripWidgetCode removes the scripts, styles and forms that pasted widgets
// bring into exported content.
func stripWidgetCode(root *html.Node) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.ElementNode {
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Form:
					n.RemoveChild(c)
				default:
					walk(c)
				}
			}
			c = next
		}
	}
	walk(root)
}

// stripInert removes what is never visible content: scripts and their
// strings, styles, forms and their controls, HTML comments.
func stripInert(root *html.Node) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch c.Type {
			case html.CommentNode:
				n.RemoveChild(c)
			case html.ElementNode:
				switch c.DataAtom {
				case atom.Script, atom.Style, atom.Noscript, atom.Template,
					atom.Link, atom.Form, atom.Input, atom.Button, atom.Select,
					atom.Textarea, atom.Svg, atom.Canvas, atom.Object, atom.Embed,
					atom.Dialog:
					n.RemoveChild(c)
				case atom.Head, atom.Meta, atom.Title:
					// Kept for metadata; never rendered as content.
				default:
					if attr(c, "hidden") != "" || hasAttr(c, "hidden") ||
						strings.Contains(strings.ReplaceAll(attr(c, "style"), " ", ""), "display:none") {
						n.RemoveChild(c)
					} else {
						walk(c)
					}
				}
			}
			c = next
		}
	}
	walk(root)
}

// removeByName drops every element named as a widget, unless it holds the
// article (some themes put "sidebar" on the wrapper of everything).
func removeByName(root *html.Node) {
	precious := map[*html.Node]bool{}
	for _, n := range elements(root) {
		if isContentMarker(n) && n.DataAtom != atom.Body && n.DataAtom != atom.Html {
			for p := n; p != nil; p = p.Parent {
				precious[p] = true
			}
		}
	}
	for _, n := range elements(root) {
		if n == root || precious[n] || n.Parent == nil {
			continue
		}
		if isBoilerByName(n) {
			detach(n)
		}
	}
}

// maxMatchLen bounds the folded text a block may have to be tested against
// the phrases; longer blocks are prose.
const maxMatchLen = 600

// phraseScan holds per-element text statistics for one removal pass.
type phraseScan struct {
	ps      *phraseSet
	total   map[*html.Node]int // non-space runes under the element
	covered map[*html.Node]int // of which inside phrase-labelled elements
	links   map[*html.Node]int // uncovered runes inside links
	label   map[*html.Node]bool
	strongs map[*html.Node]bool
	strong  []*html.Node
}

func (s *phraseScan) isStrong(n *html.Node) bool { return s.strongs[n] }

// removeByPhrase removes every widget found by its phrases under root; root
// itself is kept.
func removeByPhrase(root *html.Node, ps *phraseSet) {
	s := &phraseScan{
		ps:      ps,
		total:   map[*html.Node]int{},
		covered: map[*html.Node]int{},
		links:   map[*html.Node]int{},
		label:   map[*html.Node]bool{},
		strongs: map[*html.Node]bool{},
	}
	s.visit(root)
	for _, m := range s.strong {
		if m == root || !attached(m, root) {
			continue
		}
		e := m
		for p := e.Parent; p != nil && p != root && p.Type == html.ElementNode && !isContentMarker(p); p = p.Parent {
			if !s.debris(p) {
				break
			}
			e = p
		}
		if e == m || isHeading(e) {
			s.sweep(e, root)
		}
		if s.ps.relatedHeading(fold(rawText(m))) {
			s.sweepRelated(e)
		}
		detach(e)
	}
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func attached(n, root *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == root {
			return true
		}
	}
	return false
}

// visit computes the statistics bottom-up and labels phrase blocks. It
// returns the element's own folded text: its text without the text of
// labelled descendants, so that "Leave a Reply <small>Cancel reply</small>"
// is seen as "Leave a Reply".
//
// The full text is classified too: "<span>%d</span> bloggers like this:" only
// matches with its weak "%d" included.
func (s *phraseScan) visit(n *html.Node) (own, full string, long bool) {
	var b, fb strings.Builder
	total, covered, links := 0, 0, 0
	// Only a block whose element children are all weak labels (or empty) may
	// match on its full text; otherwise every ancestor of a phrase would.
	fullOK := true
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			f := fold(c.Data)
			total += utf8.RuneCountInString(f)
			if !long {
				b.WriteString(f)
				fb.WriteString(f)
				long = fb.Len() > maxMatchLen
			}
		case html.ElementNode:
			co, cf, cl := s.visit(c)
			total += s.total[c]
			covered += s.covered[c]
			links += s.links[c]
			if s.total[c] > 0 && (!s.label[c] || s.isStrong(c)) {
				fullOK = false
			}
			if !long {
				if !s.label[c] {
					b.WriteString(co)
				}
				fb.WriteString(cf)
				long = cl || fb.Len() > maxMatchLen
			}
		}
	}
	if n.DataAtom == atom.A {
		links = total - covered
	}
	s.total[n] = total
	s.covered[n] = covered
	s.links[n] = links
	if long {
		return "", "", true
	}
	own, full = b.String(), fb.String()
	strong, weak := s.ps.classify(own)
	if !strong && fullOK && full != own {
		if fs, _ := s.ps.classify(full); fs {
			strong, weak = true, false
		}
	}
	if !strong && total-covered == 0 {
		strong = s.attrPhrase(n)
	}
	if !strong && n.DataAtom == atom.A {
		// Previous/next post links and newsletter sign-ups are widgets by
		// their target, whatever their text says.
		strong = isNavLink(n) || isSignupLink(n)
	}
	if strong || weak {
		s.label[n] = true
		s.covered[n] = total
		s.links[n] = 0
	}
	if strong {
		s.strong = append(s.strong, n)
		s.strongs[n] = true
	}
	return own, full, false
}

// attrPhrase catches share buttons whose only phrase is in a tooltip
// ("Click to share on Twitter") while their visible text is an icon or a name.
func (s *phraseScan) attrPhrase(n *html.Node) bool {
	for _, k := range []string{"title", "aria-label"} {
		if v := attr(n, k); v != "" {
			if strong, _ := s.ps.classify(fold(v)); strong {
				return true
			}
		}
	}
	return false
}

// debris tells whether an element holds, besides labelled boilerplate, only
// a little text or mostly link text (button rows, related-post lists).
func (s *phraseScan) debris(n *html.Node) bool {
	r := s.total[n] - s.covered[n]
	l := s.links[n]
	switch {
	case r <= 100:
		return true
	case r <= 400 && l*10 >= r*4:
		return true
	case r <= 2000 && l*10 >= r*6:
		return true
	}
	return false
}

// sweep removes the widget body that follows a widget heading when both sit
// directly in the article ("<h3>Share this:</h3><ul>…buttons…</ul>").
func (s *phraseScan) sweep(head, root *html.Node) {
	switch head.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.P, atom.Div, atom.Span, atom.Strong, atom.B:
	default:
		return
	}
	for sib := head.NextSibling; sib != nil; {
		next := sib.NextSibling
		switch sib.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(sib.Data, "\u00a0", " ")) != "" {
				return
			}
		case html.ElementNode:
			r := s.total[sib] - s.covered[sib]
			if isContentMarker(sib) || r > 0 && (sib.DataAtom == atom.P || sib.DataAtom == atom.Blockquote) {
				return // prose
			}
			switch sib.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				if !s.label[sib] {
					return
				}
			}
			if !s.debris(sib) {
				return
			}
			detach(sib)
		}
		sib = next
	}
}
