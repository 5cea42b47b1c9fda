package convert

import "strings"

// Relink replaces media URLs in the Markdown's link and image destinations
// with the paths in urls (keyed by MediaRef.URL). Only a destination that
// is exactly a key changes: link text, code spans and fenced code blocks
// stay as they are.
func Relink(markdown string, urls map[string]string) string {
	if len(urls) == 0 || !strings.Contains(markdown, "](") {
		return markdown
	}
	var b strings.Builder
	b.Grow(len(markdown))
	fence := ""
	for line := range strings.Lines(markdown) {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
				fence = ""
			}
			b.WriteString(line)
			continue
		}
		if f := fenceOpener(trimmed); f != "" {
			fence = f
			b.WriteString(line)
			continue
		}
		relinkLine(&b, line, urls)
	}
	return b.String()
}

// fenceOpener returns the fence a line opens (``` or ~~~, or longer), or "".
func fenceOpener(s string) string {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(s) && s[n] == c {
			n++
		}
		if n >= 3 {
			return s[:n]
		}
	}
	return ""
}

func relinkLine(b *strings.Builder, line string, urls map[string]string) {
	for i := 0; i < len(line); {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			b.WriteString(line[i : i+2])
			i += 2
		case line[i] == '`':
			// Skip a code span: the same number of backticks closes it.
			n := 1
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			if end := strings.Index(line[i+n:], line[i:i+n]); end >= 0 {
				b.WriteString(line[i : i+n+end+n])
				i += n + end + n
			} else {
				b.WriteString(line[i : i+n])
				i += n
			}
		case strings.HasPrefix(line[i:], "]("):
			b.WriteString("](")
			i += 2
			end := i
			for end < len(line) && line[end] != ' ' && line[end] != ')' && line[end] != '\n' {
				end++
			}
			if to, ok := urls[line[i:end]]; ok {
				b.WriteString(cleanURL(to))
			} else {
				b.WriteString(line[i:end])
			}
			i = end
		default:
			b.WriteByte(line[i])
			i++
		}
	}
}
