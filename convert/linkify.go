package convert

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// newCensusParser returns the parser the loss census reads the Markdown
// with: GFM, with its linkify parser tried only where it may find a link.
// GFM's linkify parser is tried at every space, "*", "_", "~" and "(" and
// looks for an e-mail address from there: that search was most of its
// cost. It finds a URL only where the text after that character starts
// with "http:", "https:", "ftp:" or "www.", and an address only with an
// "@" after at most 64 characters of its local part, which does not
// start with punctuation; anywhere else it returns nothing, which
// urlLinkify returns without asking it (TestCensusParser).
func newCensusParser() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		// The priority linkify has in GFM.
		goldmark.WithParserOptions(parser.WithInlineParsers(
			util.Prioritized(urlLinkify{extension.NewLinkifyParser()}, 999))),
	).Parser()
}

// urlLinkify is GFM's linkify parser, tried only where it may find a link.
type urlLinkify struct{ parser.InlineParser }

// maxLocalPart is the longest local part of an address linkify finds.
const maxLocalPart = 64

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
	// linkify looks for no address after punctuation.
	if !util.IsPunct(line[0]) && bytes.IndexByte(line[:min(len(line), maxLocalPart+1)], '@') >= 0 {
		return p.InlineParser.Parse(parent, block, pc)
	}
	return nil
}
