package convert

import (
	"regexp"
	"strconv"
	"strings"
)

// This file ports WordPress's wpautop() (wp-includes/formatting.php) step by
// step, so that classic-editor content gets the paragraphs and line breaks
// WordPress itself would show. Two PCRE constructs RE2 lacks (a
// back-reference and a look-behind) are written out by hand.

var (
	autopDoubleBR        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	autopOptionOpen      = regexp.MustCompile(`\s*<option`)
	autopOptionClose     = regexp.MustCompile(`</option>\s*`)
	autopObjectOpen      = regexp.MustCompile(`(<object[^>]*>)\s*`)
	autopObjectClose     = regexp.MustCompile(`\s*</object>`)
	autopParamEmbed      = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	autopMediaOpen       = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	autopMediaClose      = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	autopSourceTrack     = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	autopFigcaptionOpen  = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	autopFigcaptionClose = regexp.MustCompile(`</figcaption>\s*`)
	autopPBlockquote     = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	autopPreserve        = regexp.MustCompile(`(?s)<(script|style|svg|math).*?</(script|style|svg|math)>`)
)

// wpautop turns double line breaks into paragraphs and single ones into
// <br />, as WordPress does for classic-editor content. Shortcodes standing
// alone in a paragraph are unwrapped afterwards, like shortcode_unautop.
func wpautop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"

	// Keep <pre> blocks (and code shortcodes, which code-highlighting
	// plugins protect the same way) away from the paragraph logic.
	var protected []string
	text = protectPre(text, &protected)
	text = protectCodeShortcodes(text, &protected)

	if strings.Contains(text, "<br") {
		text = autopDoubleBR.ReplaceAllString(text, "\n\n")
	}
	text = spaceBlocks(text)
	if strings.Contains(text, "\r") {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	text = replaceNewlinesInTags(text)
	text = tidyRareTags(text)

	text = squeezeNewlines(text)
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for rest := text; rest != ""; {
		p, after := cutParagraph(rest)
		rest = after
		if p == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(p, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = dropEmptyP(text)
	text = closeUnclosedP(text)
	text = unwrapBlockTags(text, true)
	text = unwrapListItems(text)
	if hasPBlockquote(text) {
		text = autopPBlockquote.ReplaceAllString(text, "<blockquote$1><p>")
	}
	if strings.Contains(text, "</blockquote></p>") {
		text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	}
	text = unwrapBlockTags(text, false)
	text = dropAfterBlockTag(text, "</p>")

	// Line breaks inside script, style, svg and math stay newlines.
	if containsTag(text, "/script>", "/style>", "/svg>", "/math>") {
		text = autopPreserve.ReplaceAllStringFunc(text, func(m string) string {
			open := autopPreserve.FindStringSubmatch(m)
			if open[1] != open[2] {
				return m
			}
			return strings.ReplaceAll(m, "\n", "<WPPreserveNewline />")
		})
	}
	if strings.Contains(text, "<br") {
		text = strings.ReplaceAll(text, "<br>", "<br />")
		text = strings.ReplaceAll(text, "<br/>", "<br />")
	}
	text = newlinesToBR(text)
	if strings.Contains(text, "<WPPreserveNewline />") {
		text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")
	}

	text = dropAfterBlockTag(text, "<br />")
	text = dropBRBeforeBlock(text)
	if strings.HasSuffix(text, "\n</p>") {
		text = text[:len(text)-len("\n</p>")] + "</p>"
	}

	for i := len(protected) - 1; i >= 0; i-- {
		text = strings.Replace(text, placeholderTag(i), protected[i], 1)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.ReplaceAll(text, " <!-- wpnl --> ", "\n")
		text = strings.ReplaceAll(text, "<!-- wpnl -->", "\n")
	}
	return shortcodeUnautop(text)
}

// tidyRareTags drops the spaces wpautop drops around <option>, <object>,
// <param>, <embed>, media, <source>, <track> and <figcaption>. One scan
// rules out all four steps on most posts; when it cannot, each keeps its
// own test.
func tidyRareTags(text string) string {
	if !containsTag(text, "option", "/object>", "source", "track", "figcaption") {
		return text
	}
	if strings.Contains(text, "<option") {
		text = autopOptionOpen.ReplaceAllString(text, "<option")
		text = autopOptionClose.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = autopObjectOpen.ReplaceAllString(text, "$1")
		text = autopObjectClose.ReplaceAllString(text, "</object>")
		text = autopParamEmbed.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = autopMediaOpen.ReplaceAllString(text, "$1")
		text = autopMediaClose.ReplaceAllString(text, "$1")
		text = autopSourceTrack.ReplaceAllString(text, "$1")
	}
	if strings.Contains(text, "<figcaption") {
		text = autopFigcaptionOpen.ReplaceAllString(text, "$1")
		text = autopFigcaptionClose.ReplaceAllString(text, "</figcaption>")
	}
	return text
}

// containsTag reports whether text holds "<" followed by one of names: the
// strings.Contains of each "<"+name in one pass over the tags.
func containsTag(text string, names ...string) bool {
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if i == len(text) {
			return false
		}
		for _, n := range names {
			if text[i] == n[0] && strings.HasPrefix(text[i:], n) {
				return true
			}
		}
	}
}

func placeholderTag(i int) string {
	return "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>"
}

// protectPre replaces every <pre>…</pre> with a placeholder, as wpautop does
// by splitting on "</pre>".
func protectPre(text string, protected *[]string) string {
	if !strings.Contains(text, "<pre") {
		return text
	}
	parts := strings.Split(text, "</pre>")
	last := parts[len(parts)-1]
	var b strings.Builder
	b.Grow(len(text))
	for _, part := range parts[:len(parts)-1] {
		start := strings.Index(part, "<pre")
		if start < 0 {
			b.WriteString(part)
			continue
		}
		b.WriteString(part[:start])
		b.WriteString(placeholderTag(len(*protected)))
		*protected = append(*protected, part[start:]+"</pre>")
	}
	b.WriteString(last)
	return b.String()
}

// protectCodeShortcodes keeps the bodies of [code] and [sourcecode] as
// written, as the SyntaxHighlighter plugins do before wpautop runs.
func protectCodeShortcodes(text string, protected *[]string) string {
	if !strings.Contains(text, "[") {
		return text
	}
	var b strings.Builder
	rest := text
	for {
		m, ok := nextShortcode(rest, isCodeShortcode)
		if !ok {
			break
		}
		b.WriteString(rest[:m.start])
		b.WriteString(placeholderTag(len(*protected)))
		*protected = append(*protected, rest[m.start:m.end])
		rest = rest[m.end:]
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(rest)
	return b.String()
}

// replaceNewlinesInTags marks newlines inside tags and comments so that the
// paragraph logic does not split a tag (wp_replace_in_html_tags). Few tags
// span lines: the text is copied only from the first one that does.
func replaceNewlinesInTags(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '<')
		if j < 0 {
			break
		}
		i += j
		end := len(text)
		if strings.HasPrefix(text[i:], "<!--") {
			if j := strings.Index(text[i+4:], "-->"); j >= 0 {
				end = i + 4 + j + 3
			}
		} else if j := strings.IndexByte(text[i+1:], '>'); j >= 0 {
			end = i + 1 + j + 1
		}
		if strings.IndexByte(text[i:end], '\n') >= 0 {
			growOnce(&b, text)
			b.WriteString(text[last:i])
			b.WriteString(strings.ReplaceAll(text[i:end], "\n", " <!-- wpnl --> "))
			last = end
		}
		i = end
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// newlinesToBR is preg_replace('|(?<!<br />)\s*\n|', "<br />\n"): every run
// of whitespace ending in a newline becomes <br />\n unless a <br /> already
// precedes it.
func newlinesToBR(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 64)
	i := 0
	for i < len(text) {
		nl := strings.IndexByte(text[i:], '\n')
		if nl < 0 {
			b.WriteString(text[i:])
			break
		}
		nl += i
		// PCRE tries the leftmost start first: the whitespace run before
		// the newline, unless the look-behind fails there, in which case a
		// later start inside the run is tried.
		start := nl
		for start > i && isPCRESpace(text[start-1]) {
			start--
		}
		for start <= nl && strings.HasSuffix(text[:start], "<br />") {
			start++
		}
		if start > nl {
			b.WriteString(text[i : nl+1])
			i = nl + 1
			continue
		}
		// \s* is greedy: the match runs to the last newline of the
		// whitespace run.
		end := nl + 1
		for j := end; j < len(text) && isPCRESpace(text[j]); j++ {
			if text[j] == '\n' {
				end = j + 1
			}
		}
		b.WriteString(text[i:start])
		b.WriteString("<br />\n")
		i = end
	}
	return b.String()
}

func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isAutopBlock reports whether name is one of the block elements wpautop
// keeps out of paragraphs (WordPress's $allblocks): table, thead, tfoot,
// caption, col, colgroup, tbody, tr, td, th, div, dl, dd, dt, ul, ol, li,
// pre, form, map, area, blockquote, address, style, p, h1-h6, hr, fieldset,
// legend, section, article, aside, hgroup, header, footer, nav, figure,
// figcaption, details, menu, summary. A switch, not a scan of the list: it
// runs for every tag.
func isAutopBlock(name string) bool {
	switch name {
	case "table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
		"div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "blockquote",
		"address", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset", "legend",
		"section", "article", "aside", "hgroup", "header", "footer", "nav", "figure",
		"figcaption", "details", "menu", "summary":
		return true
	}
	return false
}

// startsWithAutopBlock is the regexp `BLOCK` followed by `[^>]*`: any text
// that begins with a block name, "pre" and "param" alike. Only the names no
// other name is a prefix of need testing ("p" covers "pre", "th" "thead").
func startsWithAutopBlock(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case 'p':
		return true
	case 'a':
		return startsWithAny(s, "area", "address", "article", "aside")
	case 'b':
		return strings.HasPrefix(s, "blockquote")
	case 'c':
		return startsWithAny(s, "caption", "col")
	case 'd':
		return startsWithAny(s, "div", "dl", "dd", "dt", "details")
	case 'f':
		return startsWithAny(s, "form", "fieldset", "footer", "figure", "figcaption")
	case 'h':
		return len(s) > 1 && '1' <= s[1] && s[1] <= '6' || startsWithAny(s, "hr", "hgroup", "header")
	case 'l':
		return startsWithAny(s, "li", "legend")
	case 'm':
		return startsWithAny(s, "map", "menu")
	case 'n':
		return strings.HasPrefix(s, "nav")
	case 'o':
		return strings.HasPrefix(s, "ol")
	case 's':
		return startsWithAny(s, "style", "section", "summary")
	case 't':
		return startsWithAny(s, "table", "tfoot", "tbody", "tr", "td", "th")
	case 'u':
		return strings.HasPrefix(s, "ul")
	}
	return false
}

// isRE2Space is the regexp class \s: [\t\n\f\r ].
func isRE2Space(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func skipRE2Space(s string, i int) int {
	for i < len(s) && isRE2Space(s[i]) {
		i++
	}
	return i
}

// tagName reads the run of [a-z0-9] at s[i:].
func tagName(s string, i int) string {
	j := i
	for j < len(s) && (s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
		j++
	}
	return s[i:j]
}

// spaceBlocks puts blank lines before every block opening tag and after
// every block closing tag and <hr>; it is wpautop's
//
//	preg_replace('!(<' . $allblocks . '[\s/>])!', "\n\n$1", $text)
//	preg_replace('!(</' . $allblocks . '>)!', "$1\n\n", $text)
//	preg_replace('!(<hr\s*?/?>)!', "$1\n\n", $text)
//
// in one pass: none of the three can create or break a match of another.
func spaceBlocks(text string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(text) && text[i+1] == '/' {
			name := tagName(text, i+2)
			end := i + 2 + len(name)
			if end < len(text) && text[end] == '>' && isAutopBlock(name) {
				growOnce(&b, text)
				b.WriteString(text[last : end+1])
				b.WriteString("\n\n")
				last = end + 1
				i = end + 1
				continue
			}
			i++
			continue
		}
		name := tagName(text, i+1)
		end := i + 1 + len(name)
		if end < len(text) && (isRE2Space(text[end]) || text[end] == '/' || text[end] == '>') && isAutopBlock(name) {
			growOnce(&b, text)
			b.WriteString(text[last:i])
			b.WriteString("\n\n")
			last = i
		}
		if name == "hr" {
			k := skipRE2Space(text, end)
			if k < len(text) && text[k] == '/' {
				k++
			}
			if k < len(text) && text[k] == '>' {
				growOnce(&b, text)
				b.WriteString(text[last : k+1])
				b.WriteString("\n\n")
				last = k + 1
				i = k + 1
				continue
			}
		}
		i++
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func growOnce(b *strings.Builder, text string) {
	if b.Cap() == 0 {
		b.Grow(len(text) + len(text)/4)
	}
}

// closeUnclosedP is preg_replace('!<p>([^<]+)</(div|address|form)>!',
// "<p>$1</p></$2>"): a paragraph running into the end of its container.
func closeUnclosedP(text string) string {
	if !containsTag(text, "/div>", "/address>", "/form>") {
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
		k := strings.IndexByte(text[p+3:], '<')
		if k < 0 {
			break
		}
		lt := p + 3 + k
		i = lt
		if k == 0 {
			continue
		}
		for _, closing := range [...]string{"</div>", "</address>", "</form>"} {
			if strings.HasPrefix(text[lt:], closing) {
				growOnce(&b, text)
				b.WriteString(text[last:lt])
				b.WriteString("</p>")
				b.WriteString(closing)
				last = lt + len(closing)
				i = last
				break
			}
		}
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// isBlockTagStart is the regexp `/?BLOCK[^>]*` on a tag's text between "<"
// and ">".
func isBlockTagStart(s string) bool {
	return startsWithAutopBlock(strings.TrimPrefix(s, "/"))
}

// unwrapBlockTags drops the "<p>" (and with closeToo the "</p>") wrapped
// around a block tag:
//
//	preg_replace('!<p>\s*(</?' . $allblocks . '[^>]*>)\s*</p>!', "$1", $text)
//	preg_replace('!<p>\s*(</?' . $allblocks . '[^>]*>)!', "$1", $text)
func unwrapBlockTags(text string, closeToo bool) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		p := strings.Index(text[i:], "<p>")
		if p < 0 {
			break
		}
		p += i
		i = p + 3
		lt := skipRE2Space(text, p+3)
		if lt >= len(text) || text[lt] != '<' {
			continue
		}
		gt := strings.IndexByte(text[lt:], '>')
		if gt < 0 {
			break // no later "<p>" can be followed by a whole tag
		}
		gt += lt
		if !isBlockTagStart(text[lt+1 : gt]) {
			continue
		}
		end := gt + 1
		if closeToo {
			k := skipRE2Space(text, end)
			if !strings.HasPrefix(text[k:], "</p>") {
				continue
			}
			end = k + len("</p>")
		}
		growOnce(&b, text)
		b.WriteString(text[last:p])
		b.WriteString(text[lt : gt+1])
		last = end
		i = end
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// dropAfterBlockTag drops lit and the spaces before it after a block tag:
// preg_replace('!(</?' . $allblocks . '[^>]*>)\s*LIT!', "$1", $text) for
// LIT "</p>" and "<br />".
func dropAfterBlockTag(text, lit string) string {
	if !strings.Contains(text, lit) {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; ; {
		lt := strings.IndexByte(text[i:], '<')
		if lt < 0 {
			break
		}
		lt += i
		gt := strings.IndexByte(text[lt:], '>')
		if gt < 0 {
			break
		}
		gt += lt
		// Every "<" before gt ends its tag at gt: test the tail once, then
		// take the leftmost "<" that opens a block tag.
		i = gt + 1
		k := skipRE2Space(text, gt+1)
		if !strings.HasPrefix(text[k:], lit) {
			continue
		}
		start := -1
		for s := lt; s < gt; s++ {
			if text[s] == '<' && isBlockTagStart(text[s+1:gt]) {
				start = s
				break
			}
		}
		if start < 0 {
			continue
		}
		growOnce(&b, text)
		b.WriteString(text[last : gt+1])
		last = k + len(lit)
		i = last
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// squeezeNewlines is preg_replace("/\n\n+/", "\n\n", $text).
func squeezeNewlines(text string) string {
	if !strings.Contains(text, "\n\n\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for {
		i := strings.Index(text, "\n\n")
		if i < 0 {
			break
		}
		j := i + 2
		for j < len(text) && text[j] == '\n' {
			j++
		}
		b.WriteString(text[:i+2])
		text = text[j:]
	}
	b.WriteString(text)
	return b.String()
}

// cutParagraph splits text at its first match of /\n\s*\n/ (wpautop's
// preg_split): a newline, then spaces up to the last newline among them.
func cutParagraph(text string) (before, after string) {
	for i := 0; ; {
		nl := strings.IndexByte(text[i:], '\n')
		if nl < 0 {
			return text, ""
		}
		nl += i
		last := -1
		j := nl + 1
		for ; j < len(text) && isRE2Space(text[j]); j++ {
			if text[j] == '\n' {
				last = j
			}
		}
		if last >= 0 {
			return text[:nl], text[last+1:]
		}
		i = j
	}
}

// dropEmptyP is preg_replace('|<p>\s*</p>|', ”, $text).
func dropEmptyP(text string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		p := strings.Index(text[i:], "<p>")
		if p < 0 {
			break
		}
		p += i
		k := skipRE2Space(text, p+3)
		i = k
		if !strings.HasPrefix(text[k:], "</p>") {
			continue
		}
		growOnce(&b, text)
		b.WriteString(text[last:p])
		last = k + len("</p>")
		i = last
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// unwrapListItems is preg_replace('|<p>(<li.+?)</p>|', "$1", $text): "."
// does not cross a newline.
func unwrapListItems(text string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; {
		p := strings.Index(text[i:], "<p><li")
		if p < 0 {
			break
		}
		p += i
		i = p + 1
		from := p + len("<p><li") + 1 // .+? takes at least one character
		if from > len(text) || text[from-1] == '\n' {
			continue
		}
		line := text[from:]
		if nl := strings.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl]
		}
		end := strings.Index(line, "</p>")
		if end < 0 {
			continue
		}
		end += from
		growOnce(&b, text)
		b.WriteString(text[last:p])
		b.WriteString(text[p+len("<p>") : end])
		last = end + len("</p>")
		i = last
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// hasPBlockquote reports whether text may match (?i)<p><blockquote.
func hasPBlockquote(text string) bool {
	for _, open := range [...]string{"<p><", "<P><"} {
		for rest := text; ; {
			i := strings.Index(rest, open)
			if i < 0 {
				break
			}
			rest = rest[i+len(open):]
			if rest != "" && (rest[0] == 'b' || rest[0] == 'B') {
				return true
			}
		}
	}
	return false
}

// dropBRBeforeBlock is
// preg_replace('!<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)!', "$1", $text).
func dropBRBeforeBlock(text string) string {
	if !strings.Contains(text, "<br />") {
		return text
	}
	var b strings.Builder
	last := 0
	for i := 0; ; {
		br := strings.Index(text[i:], "<br />")
		if br < 0 {
			break
		}
		br += i
		i = br + 1
		k := skipRE2Space(text, br+len("<br />"))
		if k >= len(text) || text[k] != '<' {
			continue
		}
		name := strings.TrimPrefix(text[k+1:], "/")
		if !startsWithAny(name, "p", "li", "div", "dl", "dd", "dt", "th", "td", "ul", "ol") {
			continue
		}
		gt := strings.IndexByte(text[k:], '>')
		if gt < 0 {
			continue
		}
		growOnce(&b, text)
		b.WriteString(text[last:br])
		b.WriteString(text[br+len("<br />") : k+gt+1])
		last = k + gt + 1
		i = last
	}
	if b.Len() == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

func startsWithAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
