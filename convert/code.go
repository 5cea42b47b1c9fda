package convert

import (
	"strings"

	"golang.org/x/net/html"
)

// expandCode renders [code lang=…] and [sourcecode language=…] as a <pre>
// the code-block renderer fences with its language. The body is written as
// the author typed it: tags are text, entities decode once.
func expandCode(x *expansion, sc shortcode) string {
	a := sc.attrs()
	lang := firstNonEmpty(a["lang"], a["language"], a["0"])
	body := strings.Trim(sc.content, "\r\n")
	body = strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(body)
	var b strings.Builder
	b.WriteString("<pre")
	if lang != "" {
		b.WriteString(` data-wpa-lang="` + html.EscapeString(lang) + `"`)
	}
	b.WriteString("><code>")
	b.WriteString(body)
	b.WriteString("</code></pre>")
	return b.String()
}

// codeLanguage finds the language of a <pre> as the highlighting plugins
// write it: data-wpa-lang (from [code] and code blocks), SyntaxHighlighter's
// "brush: php", Crayon's "lang:php", Prism's "language-php" or "lang-php",
// and Enlighter's data-enlighter-language.
func codeLanguage(pre *html.Node) string {
	for _, n := range []*html.Node{pre, firstElementChild(pre, "code")} {
		if n == nil {
			continue
		}
		for _, a := range n.Attr {
			switch a.Key {
			case "data-wpa-lang", "data-enlighter-language", "data-lang", "lang":
				if v := strings.TrimSpace(a.Val); v != "" {
					return cleanLanguage(v)
				}
			case "class":
				if v := classLanguage(a.Val); v != "" {
					return cleanLanguage(v)
				}
			}
		}
	}
	return ""
}

func classLanguage(class string) string {
	if i := strings.Index(class, "brush:"); i >= 0 {
		v := strings.TrimSpace(class[i+len("brush:"):])
		if f := strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' }); len(f) > 0 {
			return f[0]
		}
	}
	for _, f := range strings.Fields(class) {
		for _, p := range []string{"lang:", "language-", "lang-"} {
			if v, ok := strings.CutPrefix(f, p); ok && v != "" {
				return v
			}
		}
	}
	return ""
}

// cleanLanguage keeps a language name usable as a fence info string.
func cleanLanguage(v string) string {
	v = strings.ToLower(v)
	end := 0
	for end < len(v) && (isShortcodeNameByte(v[end]) || v[end] == '+' || v[end] == '#' || v[end] == '.') {
		end++
	}
	return v[:end]
}

func firstElementChild(n *html.Node, tag string) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag {
			return c
		}
	}
	return nil
}
