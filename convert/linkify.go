package convert

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// GFM's linkify parser is tried at every space of the Markdown, and looks
// for an e-mail address from there: that search is most of its cost.
// Without an "@" in the Markdown there is no address to find, so the loss
// census parses such Markdown with the GFM extensions whose linkify parser
// only looks further where a URL may start ("http:", "https:", "ftp:",
// "www."); it finds the same links, as linkify itself returns nothing for
// any other start without an "@".

// newCensusParsers returns the GFM parser and the one for Markdown without
// an "@".
func newCensusParsers() (gfm, noAt parser.Parser) {
	gfm = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()
	noAt = goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		// The priority linkify has in GFM.
		goldmark.WithParserOptions(parser.WithInlineParsers(
			util.Prioritized(urlLinkify{extension.NewLinkifyParser()}, 999))),
	).Parser()
	return gfm, noAt
}

// urlLinkify is GFM's linkify parser, tried only where a URL may start.
type urlLinkify struct{ parser.InlineParser }

func (p urlLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	// linkify steps over the trigger character.
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(':
			line = line[1:]
		}
	}
	if len(line) == 0 {
		return nil
	}
	switch line[0] {
	case 'h', 'f', 'w':
		return p.InlineParser.Parse(parent, block, pc)
	}
	return nil
}
