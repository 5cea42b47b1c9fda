package convert

import (
	"html"
	"net/url"
	"path"
	"strings"
)

// expandEmbed renders [embed], [youtube] and [vimeo] as a link to what they
// embed: a player needs JavaScript, a link survives everywhere.
func expandEmbed(x *expansion, sc shortcode) string {
	a := sc.attrs()
	u := strings.TrimSpace(sc.content)
	if u == "" {
		u = firstNonEmpty(a["url"], a["src"], a["id"], a["0"])
	}
	// Jetpack writes [youtube=https://…]: the name ends at "=".
	if u == "" || strings.HasPrefix(sc.rawAttrs, "=") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.rawAttrs), "="); ok {
			if f := strings.Fields(v); len(f) > 0 {
				u = f[0]
			}
		}
	}
	u = html.UnescapeString(u)
	switch {
	case u == "":
		x.warnf("%s: nothing to embed", sc.name)
		return ""
	case sc.name == "youtube" && !strings.Contains(u, "/"):
		u = "https://www.youtube.com/watch?v=" + url.QueryEscape(u)
	case sc.name == "vimeo" && !strings.Contains(u, "/"):
		u = "https://vimeo.com/" + url.PathEscape(u)
	}
	return "<p>" + linkHTML(u, u, "") + "</p>"
}

// linkHTML is an <a> element; kind, when set, marks the link as media.
func linkHTML(href, text, kind string) string {
	var b strings.Builder
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(href))
	b.WriteString(`"`)
	if kind != "" {
		b.WriteString(` data-wpa-kind="` + kind + `"`)
	}
	b.WriteString(">")
	b.WriteString(html.EscapeString(text))
	b.WriteString("</a>")
	return b.String()
}

// autoEmbed turns a URL standing alone on its line into a link, as
// WordPress's autoembed turns it into a player. It runs on classic content
// before wpautop, where a line is still a line.
func autoEmbed(text string) string {
	if !strings.Contains(text, "http") {
		return text
	}
	var b strings.Builder
	changed := false
	for line := range strings.Lines(text) {
		body := strings.TrimRight(line, "\r\n")
		u := strings.TrimSpace(body)
		if (strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) &&
			!strings.ContainsAny(u, " \t<>\"") && len(body) > 0 {
			b.WriteString(linkHTML(html.UnescapeString(u), html.UnescapeString(u), ""))
			b.WriteString(line[len(body):])
			changed = true
			continue
		}
		b.WriteString(line)
	}
	if !changed {
		return text
	}
	return b.String()
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// baseName is the last path segment of a URL, for link text.
func baseName(u string) string {
	if p, err := url.Parse(u); err == nil && p.Path != "" {
		if b := path.Base(p.Path); b != "/" && b != "." {
			if un, err := url.PathUnescape(b); err == nil {
				return un
			}
			return b
		}
	}
	return u
}
