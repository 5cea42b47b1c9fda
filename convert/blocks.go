package convert

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"
)

// block is one block of the block editor's serialization: a comment
// delimiter <!-- wp:ns/name {"json":"attrs"} --> with inner HTML and inner
// blocks up to <!-- /wp:ns/name -->, or a void <!-- wp:name /-->.
// Freeform HTML between blocks has an empty name.
type block struct {
	name   string // "core/paragraph"; core/ is implied when absent
	attrs  map[string]any
	inner  []blockPart
	broken bool // attributes that are not valid JSON
}

// blockPart is a piece of a block's content: HTML or an inner block.
type blockPart struct {
	html  string
	block *block
}

// hasBlocks reports whether content was written with the block editor.
func hasBlocks(content string) bool { return strings.Contains(content, "<!-- wp:") }

// blockDelimiter is one parsed comment delimiter.
type blockDelimiter struct {
	start, end int
	closer     bool
	void       bool
	name       string
	rawAttrs   string
}

// nextBlockDelimiter finds the next block comment delimiter at or after i,
// following the grammar of WordPress's block-serialization-default-parser:
// "<!--", whitespace, optional "/", "wp:", [ns/]name, whitespace, an
// optional JSON object followed by whitespace, optional "/", "-->".
func nextBlockDelimiter(s string, i int) (blockDelimiter, bool) {
	for {
		j := strings.Index(s[i:], "<!--")
		if j < 0 {
			return blockDelimiter{}, false
		}
		if d, ok := parseBlockDelimiter(s, i+j); ok {
			return d, true
		}
		i += j + 4
	}
}

func parseBlockDelimiter(s string, start int) (blockDelimiter, bool) {
	d := blockDelimiter{start: start}
	p := start + 4
	q := skipSpace(s, p)
	if q == p {
		return d, false
	}
	p = q
	if p < len(s) && s[p] == '/' {
		d.closer = true
		p++
	}
	if !strings.HasPrefix(s[p:], "wp:") {
		return d, false
	}
	p += 3
	name, n := blockName(s[p:])
	if n == 0 {
		return d, false
	}
	d.name = name
	p += n
	q = skipSpace(s, p)
	if q == p {
		return d, false
	}
	p = q
	if p < len(s) && s[p] == '{' {
		// The attributes end at the first "}" followed by whitespace, an
		// optional "/" and "-->".
		k := p
		for {
			c := strings.IndexByte(s[k+1:], '}')
			if c < 0 {
				return d, false
			}
			k += 1 + c
			e := skipSpace(s, k+1)
			if e > k+1 && (strings.HasPrefix(s[e:], "-->") || strings.HasPrefix(s[e:], "/-->")) {
				d.rawAttrs = s[p : k+1]
				p = e
				break
			}
		}
	}
	if p < len(s) && s[p] == '/' {
		d.void = true
		p++
	}
	if !strings.HasPrefix(s[p:], "-->") {
		return d, false
	}
	d.end = p + 3
	return d, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && isPCRESpace(s[i]) {
		i++
	}
	return i
}

// blockName reads [a-z][a-z0-9_-]* with an optional namespace prefix of the
// same shape, and returns the full name with "core/" when none is given.
func blockName(s string) (string, int) {
	word := func(s string) int {
		if s == "" || s[0] < 'a' || s[0] > 'z' {
			return 0
		}
		n := 1
		for n < len(s) && (('a' <= s[n] && s[n] <= 'z') || ('0' <= s[n] && s[n] <= '9') || s[n] == '_' || s[n] == '-') {
			n++
		}
		return n
	}
	n := word(s)
	if n == 0 {
		return "", 0
	}
	if n < len(s) && s[n] == '/' {
		if m := word(s[n+1:]); m > 0 {
			return s[:n+1+m], n + 1 + m
		}
	}
	if full, ok := coreNames[s[:n]]; ok {
		return full, n
	}
	return "core/" + s[:n], n
}

// coreNames maps the known core blocks' short names to their full names:
// the names of almost every block, found without building them again.
var coreNames = func() map[string]string {
	m := map[string]string{}
	for full := range knownBlocks {
		if short, ok := strings.CutPrefix(full, "core/"); ok {
			m[short] = full
		}
	}
	return m
}()

// parseBlocks parses block-editor content into a list of top-level blocks
// and freeform HTML. Like WordPress's parser it never fails: an unmatched
// closer is dropped, an unclosed opener closes at the end.
func parseBlocks(s string) []blockPart {
	root := &block{}
	stack := make([]*block, 1, 8)
	stack[0] = root
	pos := 0
	for {
		d, ok := nextBlockDelimiter(s, pos)
		top := stack[len(stack)-1]
		if !ok {
			top.appendHTML(s[pos:])
			break
		}
		top.appendHTML(s[pos:d.start])
		pos = d.end
		switch {
		case d.closer:
			// Close the innermost open block of that name; ignore strays.
			for k := len(stack) - 1; k > 0; k-- {
				if stack[k].name == d.name {
					stack = stack[:k]
					break
				}
			}
		default:
			b := &block{name: d.name}
			if d.rawAttrs != "" {
				b.attrs, b.broken = parseBlockAttrs(d.rawAttrs)
			}
			top.inner = append(top.inner, blockPart{block: b})
			if !d.void {
				stack = append(stack, b)
			}
		}
	}
	return root.inner
}

// parseBlockAttrs decodes a delimiter's JSON attributes and reports
// whether they are broken. Most are flat and are read without
// encoding/json, which allocates far more.
func parseBlockAttrs(raw string) (attrs map[string]any, broken bool) {
	if m, ok := parseFlatAttrs(raw); ok {
		return m, false
	}
	if err := json.Unmarshal([]byte(raw), &attrs); err != nil {
		return attrs, true
	}
	return attrs, false
}

func (b *block) appendHTML(s string) {
	if s == "" {
		return
	}
	if n := len(b.inner); n > 0 && b.inner[n-1].block == nil {
		b.inner[n-1].html += s
		return
	}
	b.inner = append(b.inner, blockPart{html: s})
}

func (b *block) attr(key string) string {
	switch v := b.attrs[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// knownBlocks are the blocks whose saved HTML is their content. Anything
// else is converted from its inner HTML and reported.
var knownBlocks = map[string]bool{
	"core/paragraph": true, "core/heading": true, "core/list": true, "core/list-item": true,
	"core/quote": true, "core/pullquote": true, "core/image": true, "core/gallery": true,
	"core/embed": true, "core/code": true, "core/preformatted": true, "core/table": true,
	"core/separator": true, "core/buttons": true, "core/button": true, "core/columns": true,
	"core/column": true, "core/group": true, "core/cover": true, "core/footnotes": true,
	"core/more": true, "core/nextpage": true, "core/html": true, "core/shortcode": true,
	"core/freeform": true, "core/spacer": true, "core/verse": true, "core/audio": true,
	"core/video": true, "core/file": true, "core/media-text": true, "core/details": true,
}

// renderBlocks writes the blocks back as HTML the way WordPress renders
// them for static blocks, with the special cases a Markdown archive needs.
func renderBlocks(x *expansion, parts []blockPart, unknown *[]string) string {
	var b strings.Builder
	b.Grow(partsLen(parts) + 64)
	var walk func(parts []blockPart)
	walk = func(parts []blockPart) {
		for _, p := range parts {
			if p.block == nil {
				b.WriteString(p.html)
				continue
			}
			renderBlock(x, &b, p.block, walk, unknown)
		}
	}
	walk(parts)
	return b.String()
}

// partsLen is the length of the HTML in parts and their inner blocks: what
// renderBlocks writes, give or take the few blocks it rewrites, so that its
// builder is sized once.
func partsLen(parts []blockPart) int {
	n := 0
	for _, p := range parts {
		if p.block == nil {
			n += len(p.html)
		} else {
			n += partsLen(p.block.inner)
		}
	}
	return n
}

func renderBlock(x *expansion, b *strings.Builder, bl *block, walk func([]blockPart), unknown *[]string) {
	name := bl.name
	if bl.broken {
		x.warnf("block %s: attributes are not valid JSON", name)
	}
	switch {
	case name == "core/embed" || strings.HasPrefix(name, "core-embed/"):
		u := bl.attr("url")
		if u == "" {
			walk(bl.inner)
			return
		}
		b.WriteString("<figure>")
		b.WriteString("<p>" + linkHTML(u, u, "") + "</p>")
		if c := figcaptionOf(bl); c != "" {
			b.WriteString(c)
		}
		b.WriteString("</figure>")
		return
	case name == "core/code" || name == "core/preformatted":
		if lang := firstNonEmpty(bl.attr("language"), bl.attr("lang")); lang != "" {
			var inner strings.Builder
			sub := renderBlocks(x, bl.inner, unknown)
			inner.WriteString(strings.Replace(sub, "<pre", `<pre data-wpa-lang="`+html.EscapeString(lang)+`"`, 1))
			b.WriteString(inner.String())
			return
		}
	case name == "core/shortcode":
		b.WriteString(wpautop(renderBlocks(x, bl.inner, unknown)))
		return
	case name == "core/footnotes":
		x.warnf("footnotes block: the notes are stored in post meta, not in the content")
	case name == "core/cover":
		// Older covers keep their background only in the attributes.
		if u := bl.attr("url"); u != "" {
			sub := renderBlocks(x, bl.inner, unknown)
			if !strings.Contains(sub, u) {
				b.WriteString(`<p><img src="` + html.EscapeString(u) + `" alt=""`)
				if id := bl.attr("id"); id != "" {
					b.WriteString(` class="wp-image-` + html.EscapeString(id) + `"`)
				}
				b.WriteString("></p>")
			}
			b.WriteString(sub)
			return
		}
	case !knownBlocks[name]:
		addName(unknown, name)
	}
	walk(bl.inner)
}

// figcaptionOf returns the <figcaption>…</figcaption> of a block's own HTML.
func figcaptionOf(bl *block) string {
	for _, p := range bl.inner {
		if p.block != nil {
			continue
		}
		i := strings.Index(p.html, "<figcaption")
		j := strings.Index(p.html, "</figcaption>")
		if i >= 0 && j > i {
			return p.html[i : j+len("</figcaption>")]
		}
	}
	return ""
}

func addName(list *[]string, name string) {
	for _, n := range *list {
		if n == name {
			return
		}
	}
	*list = append(*list, name)
}
