package render

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

// newMarkdown returns the Markdown renderer: CommonMark with the GitHub
// extensions. Raw HTML is passed through (WithUnsafe) because everything it
// produces goes through sanitize; dropping it would blank the items the
// converter could only keep as HTML.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.Linkify,
			// align="…" rather than style="…": the sanitizer allows no styles.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
			extension.TaskList,
		),
		goldmark.WithRendererOptions(ghtml.WithUnsafe()),
	)
}

// stripFrontMatter returns the Markdown after a leading YAML front matter
// block ("---" lines). Without a closed block the whole text is Markdown.
func stripFrontMatter(src []byte) []byte {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	rest, ok := cutLine(src, "---")
	if !ok {
		return src
	}
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, " \t\r")) == "---" {
			return next
		}
		rest = next
	}
	return src
}

// cutLine returns what follows src's first line when that line is want.
func cutLine(src []byte, want string) ([]byte, bool) {
	line, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || string(bytes.TrimRight(line, " \t\r")) != want {
		return nil, false
	}
	return rest, true
}
