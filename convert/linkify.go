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

// newPlainCensusParser returns the census parser without linkify.
func newPlainCensusParser() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	).Parser()
}

// countMarkdown counts the Markdown md as GFM reads it. Even filtered by
// urlLinkify, linkify is called at every space, and goldmark cuts and
// merges the text there each time: a third of the parse. Most Markdown has
// no place it could find a link, so md is parsed without linkify first,
// and again with it only when md holds an "@" that may be an address's
// (mayHoldAddress) or a text outside a link's label holds "http", "ftp" or
// "www". Linkify finds a link only right after
// a place the inline parser stops at, where the same parser without
// linkify goes on with the same text; the URLs it finds start with those
// letters, which no other parser starts at, so they stay in a text; and it
// finds none inside an open label, where the text of every link was
// (TestCensusParser, FuzzCensusParser).
func (c *Converter) countMarkdown(md []byte, t *tally) Counts {
	if !mayHoldAddress(md) {
		counts, linkish := countMarkdown(c.gmPlain.Parse(text.NewReader(md)), md, t)
		if !linkish {
			return counts
		}
	}
	counts, _ := countMarkdown(c.gm.Parse(text.NewReader(md)), md, t)
	return counts
}

// mayHoldAddress reports whether md has an "@" linkify may read as an
// address's: one right after a printable ASCII byte other than a space or
// "@", and right before a letter or digit. An address's local part is made
// of such bytes and ends at its "@", and its domain starts with a letter or
// digit. Verse and ASCII art put spaces around an "@", and code ("@media",
// "@Override") a space or a line's start before it.
func mayHoldAddress(md []byte) bool {
	for i := bytes.IndexByte(md, '@'); i >= 0; {
		if i > 0 && i+1 < len(md) && md[i-1] > ' ' && md[i-1] < 0x7f && md[i-1] != '@' && isAlnum(md[i+1]) {
			return true
		}
		j := bytes.IndexByte(md[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// mayLinkify reports whether a text may hold the start of a URL linkify
// finds.
func mayLinkify(b []byte) bool {
	return bytes.Contains(b, []byte("http")) || bytes.Contains(b, []byte("ftp")) || bytes.Contains(b, []byte("www"))
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
