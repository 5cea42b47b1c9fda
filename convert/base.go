// Parts of this file are adapted from html-to-markdown v2.5.2
// (github.com/JohannesKaufmann/html-to-markdown), under its licence:
//
// MIT License
//
// Copyright (c) 2018 Johannes Kaufmann
//
// Permission is hereby granted, free of charge, to any person obtaining a copy
// of this software and associated documentation files (the "Software"), to deal
// in the Software without restriction, including without limitation the rights
// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
// copies of the Software, and to permit persons to whom the Software is
// furnished to do so, subject to the following conditions:
//
// The above copyright notice and this permission notice shall be included in all
// copies or substantial portions of the Software.
//
// THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
// IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
// FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
// LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
// OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
// SOFTWARE.

package convert

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/JohannesKaufmann/dom"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/marker"
	"golang.org/x/net/html"
)

// The library's base plugin (plugin/base, v2.5.2) removes script, style,
// comments and the like, collapses whitespace, escapes text and trims the
// result. Its rules cost much of the conversion: for every node it asks the
// converter for the tag type, which takes a lock and sorts the type's
// registrations, its removal walk defers a call for every child, and its
// trim decodes the whole Markdown rune by rune and appends byte by byte.
// basePlugin registers the same things with the same priorities, in the same
// order, and does the same work faster; TestBaseMatchesLibrary and
// FuzzBaseMatchesLibrary compare the two.

// basePlugin stands in for the library's base plugin.
type basePlugin struct {
	kinds *tagKinds
}

func newBasePlugin() basePlugin { return basePlugin{kinds: &tagKinds{}} }

// Name is "base": a converter with commonmark refuses to convert without a
// plugin of that name.
func (basePlugin) Name() string { return "base" }

// Init registers what the library's base plugin registers, in its order.
func (p basePlugin) Init(conv *converter.Converter) error {
	for _, name := range []string{
		"#comment", "head", "script", "style", "link", "meta",
		"iframe", "noscript",
		"input", "textarea",
	} {
		conv.Register.TagType(name, converter.TagTypeRemove, converter.PriorityStandard)
	}
	conv.Register.PreRenderer(p.preRenderRemove, converter.PriorityEarly)
	conv.Register.PreRenderer(p.preRenderCollapse, converter.PriorityLate)
	conv.Register.TextTransformer(p.textTransform, converter.PriorityStandard)
	conv.Register.PostRenderer(p.postRenderTrim, converter.PriorityStandard)
	conv.Register.PostRenderer(p.postRenderUnescape, converter.PriorityStandard+20)
	return nil
}

// tagKind is what the base rules need of a tag type.
type tagKind uint8

const (
	kindOther tagKind = iota
	kindBlock
	kindRemove
)

// maxTagKinds bounds the names tagKinds remembers: content may carry any
// number of made-up tags, and names past the bound are looked up each time.
const maxTagKinds = 512

// tagKinds remembers the converter's answer to GetTagType for each name it
// was asked about. The answer depends only on the name and the
// registrations, and every registration is made while the converter is
// built (newMarkdownConverter), before the first conversion asks. Reads take
// no lock: a new name publishes a new map.
type tagKinds struct {
	mu    sync.Mutex
	known atomic.Pointer[map[string]tagKind]
}

func (k *tagKinds) kind(ctx converter.Context, name string) tagKind {
	if m := k.known.Load(); m != nil {
		if kind, ok := (*m)[name]; ok {
			return kind
		}
	}
	kind := kindOther
	switch t, _ := ctx.GetTagType(name); t {
	case converter.TagTypeBlock:
		kind = kindBlock
	case converter.TagTypeRemove:
		kind = kindRemove
	}
	k.remember(name, kind)
	return kind
}

func (k *tagKinds) remember(name string, kind tagKind) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var old map[string]tagKind
	if m := k.known.Load(); m != nil {
		old = *m
	}
	if len(old) >= maxTagKinds {
		return
	}
	if _, ok := old[name]; ok {
		return
	}
	m := make(map[string]tagKind, len(old)+1)
	for n, v := range old {
		m[n] = v
	}
	// A clone: the name may share memory with a whole document.
	m[strings.Clone(name)] = kind
	k.known.Store(&m)
}

// preRenderRemove removes the nodes whose tag type is "remove", then merges
// the text nodes the removals left side by side, as the library's does. The
// two are one walk here: the library merges in a second walk over the tree
// as the first left it, which meets the same neighbours.
func (p basePlugin) preRenderRemove(ctx converter.Context, doc *html.Node) {
	if p.kinds.kind(ctx, dom.NodeName(doc)) == kindRemove {
		dom.RemoveNode(doc)
		mergeAdjacentTextNodes(doc)
		return
	}
	p.removeIn(ctx, doc)
}

func (p basePlugin) removeIn(ctx converter.Context, n *html.Node) {
	var prev *html.Node
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case p.kinds.kind(ctx, dom.NodeName(c)) == kindRemove:
			n.RemoveChild(c)
		case c.Type == html.TextNode && prev != nil && prev.Type == html.TextNode:
			prev.Data += c.Data
			n.RemoveChild(c)
		default:
			p.removeIn(ctx, c)
			prev = c
		}
		c = next
	}
}

// mergeAdjacentTextNodes is the library's domutils.MergeAdjacentTextNodes.
func mergeAdjacentTextNodes(n *html.Node) {
	var prev *html.Node
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.TextNode && prev != nil && prev.Type == html.TextNode {
			prev.Data += c.Data
			n.RemoveChild(c)
		} else {
			mergeAdjacentTextNodes(c)
			prev = c
		}
		c = next
	}
}

// preRenderCollapse collapses whitespace as the library's does. A node is a
// block when its tag type is: for a name nobody registered, the converter
// answers with the library's list of block names, which the base plugin
// falls back to as well.
func (p basePlugin) preRenderCollapse(ctx converter.Context, doc *html.Node) {
	collapseWhitespace(doc, func(n *html.Node) bool {
		return p.kinds.kind(ctx, n.Data) == kindBlock
	})
}

// entityReplacer is the base plugin's: "&" stays as it is.
var entityReplacer = strings.NewReplacer("<", "&lt;", ">", "&gt;")

// textTransform is the base plugin's: character references for "<" and
// ">", then the converter's escaping.
func (basePlugin) textTransform(ctx converter.Context, content string) string {
	content = entityReplacer.Replace(content)
	return string(ctx.EscapeContent([]byte(content)))
}

// postRenderTrim trims the Markdown as the library's does: surrounding
// whitespace, runs of more than two newlines, and hard line breaks before a
// blank line.
func (basePlugin) postRenderTrim(_ converter.Context, result []byte) []byte {
	result = bytes.TrimSpace(result)
	result = trimConsecutiveNewlines(result)
	return trimHardLineBreaks(result)
}

// trimConsecutiveNewlines does what the library's
// textutils.TrimConsecutiveNewlines does: in a run of spaces and newlines
// it keeps the first two newlines with the spaces before them, and the
// spaces after the last newline. The library decodes runes; only "\n" and
// " " count, and no byte of a multi-byte or invalid sequence is either, so
// bytes do. Runs with at most two newlines stay as they are, so the result
// is the input itself unless a run has more.
func trimConsecutiveNewlines(in []byte) []byte {
	var out []byte
	done := 0 // in[:done] is in out, when out is made
	for i := 0; i < len(in); {
		j := bytes.IndexByte(in[i:], '\n')
		if j < 0 {
			break
		}
		j += i
		newlines, keep, last := 0, 0, 0
		k := j
		for ; k < len(in) && (in[k] == '\n' || in[k] == ' '); k++ {
			if in[k] == '\n' {
				newlines++
				if newlines == 2 {
					keep = k + 1
				}
				last = k
			}
		}
		if newlines > 2 {
			if out == nil {
				out = make([]byte, 0, len(in))
			}
			out = append(out, in[done:keep]...)
			done = last + 1
		}
		i = k
	}
	if out == nil {
		return in
	}
	return append(out, in[done:]...)
}

// hardLineBreakTrims are the library's TrimUnnecessaryHardLineBreaks
// replacements, in its order.
var hardLineBreakTrims = [...][2][]byte{
	{[]byte("  \n\n"), []byte("\n\n")},
	{[]byte("  \n  \n"), []byte("\n\n")},
	{[]byte("  \n \n"), []byte("\n\n")},
}

// trimHardLineBreaks is textutils.TrimUnnecessaryHardLineBreaks, which
// copies the content three times even when nothing matches: every pattern
// starts with "  \n", so content without it is left as it is.
func trimHardLineBreaks(content []byte) []byte {
	if !bytes.Contains(content, hardLineBreakTrims[0][0][:3]) {
		return content
	}
	for _, r := range hardLineBreakTrims {
		if bytes.Contains(content, r[0]) {
			content = bytes.ReplaceAll(content, r[0], r[1])
		}
	}
	return content
}

// postRenderUnescape turns the escaping markers the rules keep into
// backslashes and drops the others, as the library's does; content without
// a marker comes out of it unchanged.
func (basePlugin) postRenderUnescape(ctx converter.Context, result []byte) []byte {
	if bytes.IndexByte(result, marker.BytesMarkerEscaping[0]) < 0 {
		return result
	}
	return ctx.UnEscapeContent(result)
}
