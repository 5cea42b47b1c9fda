package archive

import (
	"strings"
)

// BodyFilter is a Target that adapts the Markdown body to its reader (MDX,
// say) after media links are final.
type BodyFilter interface {
	Body(md string) string
}

// mdxSafe makes CommonMark safe to read as MDX, where "{" starts an
// expression, "<" a JSX element and HTML comments are errors: outside code,
// braces are escaped, "<" becomes &lt;, <!--more--> becomes an MDX comment
// and <https://…> autolinks (which MDX dropped) become links. Link
// destinations are left alone, so links and images keep working.
func mdxSafe(md string) string {
	var b strings.Builder
	b.Grow(len(md) + len(md)/32)
	fence := ""
	lines := strings.SplitAfter(md, "\n")
	for _, line := range lines {
		trim := strings.TrimSpace(line)
		if fence != "" {
			b.WriteString(line)
			if strings.HasPrefix(trim, fence) && strings.Trim(trim, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOf(trim); f != "" {
			fence = f
			b.WriteString(line)
			continue
		}
		if trim == "<!--more-->" {
			b.WriteString(strings.Replace(line, "<!--more-->", "{/* more */}", 1))
			continue
		}
		mdxLine(&b, line)
	}
	return b.String()
}

// fenceOf returns the fence that opens a code block on this line, if any.
func fenceOf(trim string) string {
	for _, c := range []string{"```", "~~~"} {
		if strings.HasPrefix(trim, c) {
			n := len(trim) - len(strings.TrimLeft(trim, c[:1]))
			return strings.Repeat(c[:1], n)
		}
	}
	return ""
}

// mdxLine escapes one line outside code spans and link destinations.
func mdxLine(b *strings.Builder, line string) {
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '`':
			// A code span runs to the next run of as many backticks.
			n := 1
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			ticks := line[i : i+n]
			if end := strings.Index(line[i+n:], ticks); end >= 0 {
				b.WriteString(line[i : i+n+end+n])
				i += n + end + n - 1
				continue
			}
			b.WriteString(ticks)
			i += n - 1
		case c == ']' && i+1 < len(line) && line[i+1] == '(':
			// A link destination, kept as written up to its closing parenthesis.
			end := strings.IndexByte(line[i:], ')')
			if end < 0 {
				b.WriteString(line[i:])
				return
			}
			b.WriteString(line[i : i+end+1])
			i += end
		case c == '<':
			if end := strings.IndexByte(line[i:], '>'); end > 0 {
				if u := line[i+1 : i+end]; strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
					b.WriteString("[" + u + "](" + u + ")")
					i += end
					continue
				}
			}
			b.WriteString("&lt;")
		case c == '{' || c == '}':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
}
