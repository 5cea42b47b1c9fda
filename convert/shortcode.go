package convert

import (
	"html"
	"strconv"
	"strings"
)

// shortcode is one match of WordPress's shortcode grammar
// (get_shortcode_regex): [name attrs], [name attrs /], or
// [name attrs]content[/name]; [[name]] is an escaped, literal shortcode.
type shortcode struct {
	start, end  int // byte offsets of the whole match in the text
	name        string
	rawAttrs    string
	content     string
	enclosing   bool
	selfClosing bool
	escaped     bool // [[name]]: printed literally, without the outer brackets
	openEnd     int  // offset just after the opening tag
}

// attrs parses the shortcode's attributes as shortcode_parse_atts does:
// name="v", name='v', name=v, and positional values under "0", "1"….
func (s shortcode) attrs() map[string]string {
	return parseShortcodeAttrs(s.rawAttrs)
}

// nextShortcode finds the first shortcode in text whose name is accepted by
// known. It follows WordPress's regex: the tag ends at the first "]"; it
// encloses content when a matching [/name] follows anywhere later.
func nextShortcode(text string, known func(string) bool) (shortcode, bool) {
	for i := 0; i < len(text); i++ {
		j := strings.IndexByte(text[i:], '[')
		if j < 0 {
			return shortcode{}, false
		}
		i += j
		if m, ok := matchShortcodeAt(text, i, known); ok {
			return m, true
		}
	}
	return shortcode{}, false
}

func matchShortcodeAt(text string, i int, known func(string) bool) (shortcode, bool) {
	m := shortcode{start: i}
	p := i + 1
	if p < len(text) && text[p] == '[' {
		m.escaped = true
		p++
	}
	nameStart := p
	for p < len(text) && isShortcodeNameByte(text[p]) {
		p++
	}
	if p == nameStart {
		return m, false
	}
	m.name = text[nameStart:p]
	if !known(m.name) {
		// An escaped match may still start one byte later: [[x] is "[" + [x].
		return m, false
	}
	close := strings.IndexByte(text[p:], ']')
	if close < 0 {
		return m, false
	}
	close += p
	m.rawAttrs = text[p:close]
	if strings.HasSuffix(m.rawAttrs, "/") {
		m.selfClosing = true
		m.rawAttrs = m.rawAttrs[:len(m.rawAttrs)-1]
	}
	m.end = close + 1
	m.openEnd = m.end
	if !m.selfClosing {
		closing := "[/" + m.name + "]"
		if k := strings.Index(text[m.end:], closing); k >= 0 {
			m.enclosing = true
			m.content = text[m.end : m.end+k]
			m.end += k + len(closing)
		}
	}
	if m.escaped {
		if m.end < len(text) && text[m.end] == ']' {
			m.end++
		} else {
			// "[[name]" without the second closing bracket: WordPress
			// prints the first "[" and handles the rest as a shortcode.
			m.escaped = false
			m.start++
		}
	}
	return m, true
}

func isShortcodeNameByte(c byte) bool {
	return c == '_' || c == '-' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// parseShortcodeAttrs is shortcode_parse_atts written as a small lexer.
func parseShortcodeAttrs(s string) map[string]string {
	out := map[string]string{}
	// The two spaces do not overlap and a " " cannot make either, so two
	// ReplaceAll calls act as one Replacer without building it per call;
	// they return s itself when it has neither.
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\u200b", " ")
	pos := 0
	i := 0
	for {
		for i < len(s) && isPCRESpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return out
		}
		// name = value forms
		n := i
		for n < len(s) && (isShortcodeNameByte(s[n])) {
			n++
		}
		if n > i {
			e := n
			for e < len(s) && isPCRESpace(s[e]) {
				e++
			}
			if e < len(s) && s[e] == '=' {
				e++
				for e < len(s) && isPCRESpace(s[e]) {
					e++
				}
				key := strings.ToLower(s[i:n])
				if e < len(s) && (s[e] == '"' || s[e] == '\'') {
					q := s[e]
					if k := strings.IndexByte(s[e+1:], q); k >= 0 {
						end := e + 1 + k + 1
						if end == len(s) || isPCRESpace(s[end]) {
							out[key] = s[e+1 : e+1+k]
							i = end
							continue
						}
					}
				} else {
					end := e
					for end < len(s) && !isPCRESpace(s[end]) && s[end] != '"' && s[end] != '\'' {
						end++
					}
					if end > e && (end == len(s) || isPCRESpace(s[end])) {
						out[key] = s[e:end]
						i = end
						continue
					}
				}
			}
		}
		// positional: "v", 'v' or a bare word
		end := i
		val := ""
		if s[i] == '"' || s[i] == '\'' {
			if k := strings.IndexByte(s[i+1:], s[i]); k >= 0 && (i+1+k+1 == len(s) || isPCRESpace(s[i+1+k+1])) {
				val = s[i+1 : i+1+k]
				end = i + 1 + k + 1
			}
		}
		if end == i {
			for end < len(s) && !isPCRESpace(s[end]) {
				end++
			}
			val = s[i:end]
		}
		out[strconv.Itoa(pos)] = val
		pos++
		i = end
	}
}

// shortcodeHandler renders a known shortcode as HTML.
type shortcodeHandler func(x *expansion, sc shortcode) string

// handlerFor returns the renderer of a shortcode the converter understands.
// A switch rather than a map: the handlers expand nested shortcodes, and a
// map of them would be an initialization cycle.
func handlerFor(name string) shortcodeHandler {
	switch name {
	case "caption", "wp_caption":
		return expandCaption
	case "gallery":
		return expandGallery
	case "embed", "youtube", "vimeo":
		return expandEmbed
	case "audio", "video":
		return expandMedia
	case "playlist":
		return expandPlaylist
	case "code", "sourcecode":
		return expandCode
	}
	return nil
}

func isKnownShortcode(name string) bool { return handlerFor(name) != nil }

func isCodeShortcode(name string) bool { return name == "code" || name == "sourcecode" }

// isShortcodeLike accepts names an unknown shortcode may have: a lower-case
// letter first, so that "[1]" or "[Note]" stay ordinary text.
func isShortcodeLike(name string) bool {
	return name != "" && 'a' <= name[0] && name[0] <= 'z'
}

// expansion carries what expanding the shortcodes of one Source needs and
// gathers what it learns.
type expansion struct {
	src      *Source
	unknown  []string
	warnings []string
	depth    int
}

func (x *expansion) addUnknown(name string) {
	for _, u := range x.unknown {
		if u == name {
			return
		}
	}
	x.unknown = append(x.unknown, name)
}

// maxShortcodeDepth bounds nested expansion ([caption] inside [caption]…).
const maxShortcodeDepth = 32

// expand replaces every shortcode in text with its HTML. Unknown ones are
// kept verbatim inside a raw element that the Markdown renderer prints
// without escaping.
func (x *expansion) expand(text string) string {
	if !strings.Contains(text, "[") {
		return text
	}
	x.depth++
	defer func() { x.depth-- }()
	// Sized once: the handlers' HTML is a little longer than the tags.
	var b strings.Builder
	b.Grow(len(text) + len(text)/4)
	rest := text
	for {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		if m, ok := matchShortcodeAt(rest, 0, isKnownShortcode); ok {
			b.WriteString(rest[:m.start]) // a lone "[" before an unpaired escape
			if m.escaped {
				writeRaw(&b, rest[m.start+1:m.end-1])
			} else if x.depth > maxShortcodeDepth {
				writeRaw(&b, rest[m.start:m.end])
			} else {
				b.WriteString(handlerFor(m.name)(x, m))
			}
			rest = rest[m.end:]
			continue
		}
		if n := unknownShortcodeLen(rest); n > 0 {
			tag := rest[:n]
			name := strings.TrimPrefix(strings.TrimPrefix(tag[1:], "["), "/")
			name = name[:shortcodeNameLen(name)]
			if strings.HasPrefix(tag, "[[") {
				writeRaw(&b, tag[1:n-1])
			} else {
				x.addUnknown(name)
				writeRaw(&b, tag)
			}
			rest = rest[n:]
			continue
		}
		b.WriteByte('[')
		rest = rest[1:]
	}
	b.WriteString(rest)
	return b.String()
}

func shortcodeNameLen(s string) int {
	n := 0
	for n < len(s) && isShortcodeNameByte(s[n]) {
		n++
	}
	return n
}

// unknownShortcodeLen reports the length of an unknown shortcode tag at the
// start of s ([name …], [/name] or the escaped [[name …]]), or 0. A tag
// directly followed by "(" or "[" is left alone: it reads as Markdown link
// syntax and must stay escaped text.
func unknownShortcodeLen(s string) int {
	p := 1
	escaped := strings.HasPrefix(s, "[[")
	if escaped {
		p++
	}
	if p < len(s) && s[p] == '/' && !escaped {
		p++
	}
	n := shortcodeNameLen(s[p:])
	if n == 0 || !isShortcodeLike(s[p:p+n]) {
		return 0
	}
	p += n
	if p < len(s) && s[p] != ']' && s[p] != ' ' && s[p] != '/' && s[p] != '\t' && s[p] != '=' {
		return 0
	}
	close := strings.IndexByte(s[p:], ']')
	if close < 0 {
		return 0
	}
	p += close + 1
	if strings.ContainsAny(s[:p], "<>\n") || (len(s[:p]) > 1 && strings.Contains(s[1:p-1], "[") && !escaped) {
		return 0
	}
	if escaped {
		if p >= len(s) || s[p] != ']' {
			return 0
		}
		p++
	}
	if p < len(s) && (s[p] == '(' || s[p] == '[') {
		return 0
	}
	return p
}

// rawTag is an element the WordPress plugin prints verbatim: shortcodes
// kept as written must not come out backslash-escaped.
const rawTag = "wpa-raw"

func writeRaw(b *strings.Builder, s string) {
	b.WriteString("<" + rawTag + ">")
	b.WriteString(html.EscapeString(html.UnescapeString(s)))
	b.WriteString("</" + rawTag + ">")
}

// shortcodeUnautop removes the paragraph wpautop put around a known
// shortcode standing alone, as shortcode_unautop does. Most paragraphs hold
// no such shortcode: the text is copied only from the first one that does.
func shortcodeUnautop(text string) string {
	if !strings.Contains(text, "<p>") || !strings.Contains(text, "[") {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; ; {
		p := strings.Index(text[i:], "<p>")
		if p < 0 {
			break
		}
		p += i
		i = p + 3
		after := text[i:]
		q := skipUnautopSpaces(after, 0)
		if q >= len(after) || after[q] != '[' {
			continue
		}
		m, ok := matchShortcodeAt(after, q, isKnownShortcode)
		if !ok || m.escaped || m.start != q {
			continue
		}
		r := skipUnautopSpaces(after, m.end)
		if !strings.HasPrefix(after[r:], "</p>") {
			continue
		}
		growOnce(&b, text)
		b.WriteString(text[last:p])
		b.WriteString(after[m.start:m.end])
		last = i + r + len("</p>")
		i = last
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// skipUnautopSpaces skips wp_spaces_regexp(): whitespace, U+00A0 and &nbsp;.
func skipUnautopSpaces(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r':
			i++
		case strings.HasPrefix(s[i:], "\u00a0"):
			i += 2
		case strings.HasPrefix(s[i:], "&nbsp;"):
			i += 6
		default:
			return i
		}
	}
	return i
}
