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

const autopBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	autopDoubleBR        = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	autopBlockOpen       = regexp.MustCompile(`(<` + autopBlocks + `[\s/>])`)
	autopBlockClose      = regexp.MustCompile(`(</` + autopBlocks + `>)`)
	autopHR              = regexp.MustCompile(`(<hr\s*?/?>)`)
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
	autopManyNewlines    = regexp.MustCompile(`\n\n+`)
	autopParaSplit       = regexp.MustCompile(`\n\s*\n`)
	autopEmptyP          = regexp.MustCompile(`<p>\s*</p>`)
	autopUnclosedP       = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	autopPAroundBlock    = regexp.MustCompile(`<p>\s*(</?` + autopBlocks + `[^>]*>)\s*</p>`)
	autopPAroundLI       = regexp.MustCompile(`<p>(<li.+?)</p>`)
	autopPBlockquote     = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	autopPBeforeBlock    = regexp.MustCompile(`<p>\s*(</?` + autopBlocks + `[^>]*>)`)
	autopPAfterBlock     = regexp.MustCompile(`(</?` + autopBlocks + `[^>]*>)\s*</p>`)
	autopPreserve        = regexp.MustCompile(`(?s)<(script|style|svg|math).*?</(script|style|svg|math)>`)
	autopBlockBR         = regexp.MustCompile(`(</?` + autopBlocks + `[^>]*>)\s*<br />`)
	autopBRBeforeBlock   = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
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

	text = autopDoubleBR.ReplaceAllString(text, "\n\n")
	text = autopBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = autopBlockClose.ReplaceAllString(text, "$1\n\n")
	text = autopHR.ReplaceAllString(text, "$1\n\n")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = replaceNewlinesInTags(text)

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

	text = autopManyNewlines.ReplaceAllString(text, "\n\n")
	var b strings.Builder
	for _, p := range autopParaSplit.Split(text, -1) {
		if p == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(p, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = autopEmptyP.ReplaceAllString(text, "")
	text = autopUnclosedP.ReplaceAllString(text, "<p>$1</p></$2>")
	text = autopPAroundBlock.ReplaceAllString(text, "$1")
	text = autopPAroundLI.ReplaceAllString(text, "$1")
	text = autopPBlockquote.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = autopPBeforeBlock.ReplaceAllString(text, "$1")
	text = autopPAfterBlock.ReplaceAllString(text, "$1")

	// Line breaks inside script, style, svg and math stay newlines.
	text = autopPreserve.ReplaceAllStringFunc(text, func(m string) string {
		open := autopPreserve.FindStringSubmatch(m)
		if open[1] != open[2] {
			return m
		}
		return strings.ReplaceAll(m, "\n", "<WPPreserveNewline />")
	})
	text = strings.ReplaceAll(text, "<br>", "<br />")
	text = strings.ReplaceAll(text, "<br/>", "<br />")
	text = newlinesToBR(text)
	text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")

	text = autopBlockBR.ReplaceAllString(text, "$1")
	text = autopBRBeforeBlock.ReplaceAllString(text, "$1")
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
// paragraph logic does not split a tag (wp_replace_in_html_tags).
func replaceNewlinesInTags(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		if text[i] != '<' {
			j := strings.IndexByte(text[i:], '<')
			if j < 0 {
				b.WriteString(text[i:])
				break
			}
			b.WriteString(text[i : i+j])
			i += j
			continue
		}
		end := len(text)
		if strings.HasPrefix(text[i:], "<!--") {
			if j := strings.Index(text[i+4:], "-->"); j >= 0 {
				end = i + 4 + j + 3
			}
		} else if j := strings.IndexByte(text[i+1:], '>'); j >= 0 {
			end = i + 1 + j + 1
		}
		b.WriteString(strings.ReplaceAll(text[i:end], "\n", " <!-- wpnl --> "))
		i = end
	}
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
