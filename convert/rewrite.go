package convert

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// rewriter prepares the parsed tree for the Markdown renderer in one walk:
// it reads what the base plugin would throw away (<!--more-->, iframes,
// audio and video players), resolves links, records media and marks code
// languages.
type rewriter struct {
	src   *Source
	doc   *Document
	media map[string]int // URL → index in doc.Media
}

func (r *rewriter) walk(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.CommentNode:
			r.comment(c)
		case html.ElementNode:
			if !r.element(c) {
				r.walk(c)
			}
		}
		c = next
	}
}

func (r *rewriter) comment(c *html.Node) {
	data := strings.TrimSpace(c.Data)
	switch {
	case data == "more" || strings.HasPrefix(data, "more "):
		if !r.doc.More {
			r.doc.More = true
			c.Parent.InsertBefore(&html.Node{Type: html.ElementNode, Data: moreTag}, c)
		}
	case data == "nextpage":
		c.Parent.InsertBefore(&html.Node{Type: html.ElementNode, Data: "hr", DataAtom: atom.Hr}, c)
	}
	c.Parent.RemoveChild(c)
}

// element rewrites one element; it reports whether its subtree is done.
func (r *rewriter) element(n *html.Node) bool {
	switch n.Data {
	case "a":
		href := getAttr(n, "href")
		if href == "" {
			return false
		}
		href = cleanURL(href)
		if r.src.Link != nil {
			if rel, ok := r.src.Link(href); ok {
				href = cleanURL(rel)
			}
		}
		setAttr(n, "href", href)
		kind := getAttr(n, "data-wpa-kind")
		if kind == "" {
			kind = uploadKind(href)
		}
		if kind != "" {
			r.addMedia(href, kind, attachmentID(n))
		}
	case "img":
		src := getAttr(n, "src")
		if src == "" {
			src = getAttr(n, "data-src") // lazy-loading plugins
		}
		if src != "" {
			src = cleanURL(src)
			setAttr(n, "src", src)
			r.addMedia(src, "image", attachmentID(n))
		}
	case "iframe", "embed":
		src := cleanURL(getAttr(n, "src"))
		if src == "" {
			return true
		}
		replaceWithLink(n, src, src)
		return true
	case "audio", "video":
		r.player(n)
		return true
	case "pre":
		if lang := codeLanguage(n); lang != "" {
			setAttr(n, "class", "language-"+lang)
		} else {
			setAttr(n, "class", "")
		}
		if code := firstElementChild(n, "code"); code != nil {
			setAttr(code, "class", "")
		}
		return true
	case "span":
		// A span holding only spaces separates words; the whitespace
		// collapse would otherwise drop it with the empty element.
		if n.FirstChild != nil && n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode &&
			strings.TrimSpace(n.FirstChild.Data) == "" && n.FirstChild.Data != "" {
			n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, n)
			n.Parent.RemoveChild(n)
			return true
		}
	}
	return false
}

// player replaces <audio>/<video> with links to each of their sources.
func (r *rewriter) player(n *html.Node) {
	var srcs []string
	if s := getAttr(n, "src"); s != "" {
		srcs = append(srcs, cleanURL(s))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == "source" {
			if s := getAttr(c, "src"); s != "" {
				srcs = append(srcs, cleanURL(s))
			}
		}
	}
	if p := getAttr(n, "poster"); p != "" {
		r.addMedia(cleanURL(p), "image", 0)
	}
	for _, s := range srcs {
		r.addMedia(s, n.Data, 0)
		a := newLink(s, baseName(s))
		n.Parent.InsertBefore(a, n)
		n.Parent.InsertBefore(&html.Node{Type: html.TextNode, Data: " "}, n)
	}
	n.Parent.RemoveChild(n)
}

func (r *rewriter) addMedia(u, kind string, id int64) {
	if i, ok := r.media[u]; ok {
		if r.doc.Media[i].AttachmentID == 0 {
			r.doc.Media[i].AttachmentID = id
		}
		return
	}
	if r.media == nil {
		r.media = map[string]int{}
	}
	r.media[u] = len(r.doc.Media)
	r.doc.Media = append(r.doc.Media, MediaRef{URL: u, Kind: kind, AttachmentID: id})
}

// attachmentID reads the attachment an element stands for: WordPress's
// wp-image-N class, or the data attributes galleries and blocks write.
func attachmentID(n *html.Node) int64 {
	for _, a := range n.Attr {
		switch a.Key {
		case "data-wpa-id", "data-id", "data-attachment-id":
			if id, err := strconv.ParseInt(a.Val, 10, 64); err == nil {
				return id
			}
		case "class":
			for _, f := range strings.Fields(a.Val) {
				if v, ok := strings.CutPrefix(f, "wp-image-"); ok {
					if id, err := strconv.ParseInt(v, 10, 64); err == nil {
						return id
					}
				}
			}
		}
	}
	return 0
}

func replaceWithLink(n *html.Node, href, text string) {
	n.Parent.InsertBefore(newLink(href, text), n)
	n.Parent.RemoveChild(n)
}

func newLink(href, text string) *html.Node {
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A,
		Attr: []html.Attribute{{Key: "href", Val: href}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	return a
}

// cleanURL trims a URL and percent-encodes the bytes that would end or
// break a Markdown link destination, so that every destination the
// converter writes is one unbroken token Relink can find and replace.
func cleanURL(u string) string {
	u = strings.TrimSpace(u)
	if !strings.ContainsAny(u, " ()<>\t\n\r\\") {
		return u
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		switch c := u[i]; c {
		case ' ', '(', ')', '<', '>', '\t', '\n', '\r', '\\':
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func getAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}
