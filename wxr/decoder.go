package wxr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxDepth bounds element nesting: real exports nest six deep, and
// encoding/xml's stack would otherwise grow with a hostile input.
const maxDepth = 1000

// Options for a Decoder.
type Options struct {
	Name string        // file name used in positions and errors
	Warn func(Warning) // called for each repair/oddity; may be nil
	// Verbatim says the input needs no cleaning, as BuildIndexStats found
	// of the same bytes: they are read as they are, which gives what
	// cleaning them would, for less.
	Verbatim bool
}

// Decoder reads a WXR export one item at a time. Only the current item is
// held in memory; the channel's metadata accumulates in Site.
//
// The XML is read with encoding/xml in non-strict mode with HTML entities
// known, so &nbsp; or a stray & in text do not stop the read; element nesting
// is still checked (non-strict mode would silently close mismatched elements).
// DTD entities are never expanded and external entities never read. Items
// in plain XML are read by a scanner that gives what encoding/xml would
// (scan.go).
type Decoder struct {
	opts  Options
	clean *cleaner
	x     *xml.Decoder
	site  Site
	err   error // sticky: once failed or finished, Next keeps returning it
	light bool  // skip content and comments (index pass)

	state   decoderState
	roots   int
	depth   int
	text    []byte
	itemPos Position // start of the item being read; Line 0 when outside
	// The previous token, to tell a mismatched end tag (non-strict mode turns
	// it into an end tag followed by a zero-length one) from <x/>.
	prevEnd  bool
	prevName string
	prevPos  Position
	prevSpan [2]int64 // offsets of the previous token, to quote it

	// at maps the XML decoder's positions and offsets to the file's: after
	// the item scanner hands the stream back, the XML decoder reads a
	// synthetic <rss><channel> header followed by the rest of the file.
	at origin
	// The item scanner (nil to read every item as tokens), the namespace
	// declarations of the current <rss> and <channel>, and whether they are
	// the usual ones the scanner resolves by prefix.
	scan   *scanner
	rootNS []xml.Attr
	scanOK bool

	nsCache     map[string]nsKind
	warnedSpace map[string]bool
	authorSeen  map[string]bool
	termSeen    map[string]bool
	generatorEl bool // the generator came from the <generator> element
}

type decoderState uint8

const (
	stateProlog  decoderState = iota // before the first <rss>
	stateRSS                         // inside <rss>, outside <channel>
	stateChannel                     // inside <channel>
	stateAfter                       // after </rss>
	stateDone
)

// NewDecoder returns a Decoder reading the export r.
func NewDecoder(r io.Reader, opts Options) *Decoder {
	d := &Decoder{
		opts:        opts,
		nsCache:     map[string]nsKind{},
		warnedSpace: map[string]bool{},
		authorSeen:  map[string]bool{},
		termSeen:    map[string]bool{},
	}
	d.clean = newCleaner(r, opts.Name, d.warn)
	d.clean.passthrough = opts.Verbatim
	d.x = newXMLDecoder(d.clean)
	d.scan = &scanner{}
	d.at = origin{line: 1, col: 1}
	d.site.Authors = []Author{}
	d.site.Terms = []Term{}
	return d
}

func newXMLDecoder(c *cleaner) *xml.Decoder {
	x := xml.NewDecoder(c)
	x.Strict = false
	x.Entity = xml.HTMLEntity
	// The cleaner has already transcoded a declared encoding.
	x.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	return x
}

// origin says where the XML decoder's input starts in the cleaned stream:
// its first hdr bytes are a synthetic header, then comes the stream from
// offset off, line and column line:col.
type origin struct {
	line, col int
	hdr, off  int64
}

// inputPos is the XML decoder's position in the file.
func (d *Decoder) inputPos() (int, int) {
	line, col := d.x.InputPos()
	if col <= 0 {
		// encoding/xml has put back a newline and lost the column: say so
		// the same way whether or not it started mid-file.
		col = 0
		if line == 1 {
			return d.at.line, col
		}
		return d.at.line + line - 1, col
	}
	if line == 1 {
		return d.at.line, d.at.col + col - 1 - int(d.at.hdr)
	}
	return d.at.line + line - 1, col
}

// inputOffset is the XML decoder's offset in the cleaned stream.
func (d *Decoder) inputOffset() int64 {
	return d.x.InputOffset() - d.at.hdr + d.at.off
}

// Site returns the channel metadata read so far. It is complete once Next has
// returned io.EOF: terms and authors may come after the items. The Decoder
// keeps updating the returned value.
func (d *Decoder) Site() *Site { return &d.site }

// Next returns the next item, or io.EOF once the whole document has been read
// and checked. On bad input it returns a *SyntaxError after every complete
// item before the damage.
func (d *Decoder) Next() (*Item, error) {
	if d.err != nil {
		return nil, d.err
	}
	it, err := d.next()
	if err != nil {
		d.clean.take(1 << 62)
		d.err = err
		d.state = stateDone
		return nil, err
	}
	return it, nil
}

func (d *Decoder) warn(w Warning) {
	if d.scan != nil && d.scan.holding {
		// The cleaner's note while an item is scanned.
		d.scan.warns = append(d.scan.warns, heldWarning{Warning: w, note: true})
		return
	}
	if d.opts.Warn != nil {
		d.opts.Warn(w)
	}
}

func (d *Decoder) warnAt(pos Position, format string, args ...any) {
	d.warn(Warning{Pos: pos, Message: fmt.Sprintf(format, args...)})
}

func (d *Decoder) pos(line, col int) Position {
	return Position{File: d.opts.Name, Line: line, Col: col}
}

// here is the position after the last token read.
func (d *Decoder) here() Position {
	return d.pos(d.inputPos())
}

// token returns the next token, turning encoding/xml's errors into
// SyntaxErrors with a position and checking what non-strict mode lets pass.
// It returns io.EOF only at a clean end of input.
func (d *Decoder) token() (xml.Token, Position, error) {
	line, col := d.inputPos()
	off := d.inputOffset()
	start := d.pos(line, col)
	t, err := d.x.Token()
	if err != nil {
		return nil, start, d.syntaxError(err)
	}
	switch t := t.(type) {
	case xml.StartElement:
		d.depth++
		if d.depth > maxDepth {
			return nil, start, &SyntaxError{Pos: start, Msg: fmt.Sprintf("elements nested more than %d deep", maxDepth)}
		}
		d.checkBindings(t, start)
		d.prevEnd = false
	case xml.EndElement:
		end := d.inputOffset()
		if end == off && d.prevEnd {
			// The synthetic token consumed nothing, so the real end tag
			// is still in the cleaner's buffer.
			closer := "a mismatched end tag"
			if tag := d.clean.recent(d.prevSpan[0], d.prevSpan[1]); len(tag) > 0 && len(tag) < 200 {
				closer = string(bytes.TrimSpace(tag))
			}
			return nil, start, &SyntaxError{Pos: d.prevPos, Msg: fmt.Sprintf("element <%s> closed by %s", d.prevName, closer)}
		}
		d.depth--
		d.prevEnd, d.prevName, d.prevPos = true, t.Name.Local, start
		d.prevSpan = [2]int64{off, end}
	default:
		d.prevEnd = false
	}
	return t, start, nil
}

func (d *Decoder) syntaxError(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var xe *xml.SyntaxError
	if !errors.As(err, &xe) {
		// encoding/xml reports some malformed declarations (version="0", an
		// unknown charset) as plain errors; they are still the file's fault.
		if m, ok := strings.CutPrefix(err.Error(), "xml: "); ok {
			return &SyntaxError{Pos: d.here(), Msg: m}
		}
		return fmt.Errorf("read %s: %w", d.nameOrInput(), err)
	}
	msg := xe.Msg
	if strings.Contains(msg, "unexpected EOF") {
		switch {
		case d.itemPos.Line > 0:
			msg = fmt.Sprintf("unexpected EOF inside <item> started at %d:%d: the export is truncated", d.itemPos.Line, d.itemPos.Col)
		case d.state == stateChannel:
			msg = "unexpected EOF inside <channel>: the export is truncated"
		case d.state == stateRSS:
			msg = "unexpected EOF inside <rss>: the export is truncated"
		}
	}
	return &SyntaxError{Pos: d.here(), Msg: msg}
}

func (d *Decoder) nameOrInput() string {
	if d.opts.Name != "" {
		return d.opts.Name
	}
	return "input"
}

// checkBindings warns once when a prefix WordPress uses is bound to another
// namespace: its elements are then not read as WXR.
func (d *Decoder) checkBindings(t xml.StartElement, pos Position) {
	for _, a := range t.Attr {
		if a.Name.Space != "xmlns" {
			continue
		}
		want, ok := prefixKinds[a.Name.Local]
		if !ok || classifyNamespace(a.Value) == want {
			continue
		}
		key := a.Name.Local + " " + a.Value
		if !d.warnedSpace[key] {
			d.warnedSpace[key] = true
			d.warnAt(pos, "prefix %q is bound to %q, not to the WXR namespace: its elements are ignored", a.Name.Local, a.Value)
		}
	}
}

// kind classifies an element's namespace, caching the answer per URL.
func (d *Decoder) kind(name xml.Name, pos Position) nsKind {
	k, ok := d.nsCache[name.Space]
	if ok {
		return k
	}
	k = classifyNamespace(name.Space)
	if pk, known := prefixKinds[name.Space]; known && k == nsForeign {
		// encoding/xml leaves an unbound prefix as the space.
		k = pk
		d.warnAt(pos, "prefix %q is used without a namespace declaration: read as WXR", name.Space)
	}
	if len(d.nsCache) < 64 {
		d.nsCache[name.Space] = k
	}
	return k
}

func (d *Decoder) next() (*Item, error) {
	for {
		// The scanner takes the items it can; whatever it hands back is
		// read as tokens, at least one item before it is tried again
		// (more after several in a row: scanner.rest).
		if d.state == stateChannel && d.scan != nil && d.scanOK && d.scan.rest == 0 {
			if it := d.scanItems(); it != nil {
				return it, nil
			}
		}
		t, pos, err := d.token()
		if err == io.EOF {
			return nil, d.finish()
		}
		if err != nil {
			if d.state == stateAfter {
				d.warnAt(pos, "content after </rss> that is not XML ignored: %v", err)
				return nil, d.finish()
			}
			return nil, err
		}
		switch d.state {
		case stateProlog, stateAfter:
			if stop, err := d.outside(t, pos); stop || err != nil {
				if err == nil {
					err = d.finish()
				}
				return nil, err
			}
		case stateRSS:
			switch t := t.(type) {
			case xml.StartElement:
				if t.Name.Local == "channel" && d.kind(t.Name, pos) == nsNone {
					d.state = stateChannel
					d.rootNS = appendDecls(d.rootNS, t.Attr)
					if d.scan != nil {
						d.scan.ns, d.scanOK = usualBindings(d.rootNS)
					}
					continue
				}
				if err := d.skip(); err != nil {
					return nil, err
				}
			case xml.EndElement:
				d.state = stateAfter
			}
		case stateChannel:
			switch t := t.(type) {
			case xml.StartElement:
				if t.Name.Local == "item" && d.kind(t.Name, pos) == nsNone {
					if d.scan != nil && d.scan.rest > 0 {
						d.scan.rest--
					}
					return d.readItem(pos)
				}
				if err := d.channelField(t, pos); err != nil {
					return nil, err
				}
			case xml.EndElement:
				d.state = stateRSS
			case xml.Comment:
				d.generatorComment(t)
			}
		}
	}
}

// outside handles a token outside any <rss>: before the first one or after
// one ended. It reports whether reading should stop.
func (d *Decoder) outside(t xml.Token, pos Position) (bool, error) {
	switch t := t.(type) {
	case xml.StartElement:
		if t.Name.Local == "rss" {
			if d.roots > 0 {
				d.warnAt(pos, "a second export follows </rss>: reading its items too")
			}
			d.roots++
			d.state = stateRSS
			d.rootNS = appendDecls(d.rootNS[:0], t.Attr)
			return false, nil
		}
		if d.state == stateProlog {
			return false, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("root element is <%s>, not <rss>: not a WXR export", t.Name.Local)}
		}
		d.warnAt(pos, "content after </rss> ignored: <%s>", t.Name.Local)
		return true, nil
	case xml.CharData:
		if len(bytes.TrimSpace(t)) == 0 {
			return false, nil
		}
		if d.state == stateProlog {
			return false, &SyntaxError{Pos: pos, Msg: fmt.Sprintf("text before <rss>: %q", clip(string(t), 40))}
		}
		d.warnAt(pos, "content after </rss> ignored: %q", clip(strings.TrimSpace(string(t)), 40))
		return true, nil
	case xml.Comment:
		d.generatorComment(t)
	case xml.ProcInst:
		if t.Target == "xml" && d.roots > 0 {
			// A second declaration: a second export follows; <rss> will say so.
			return false, nil
		}
	case xml.Directive:
		if bytes.Contains(t, []byte("ENTITY")) {
			d.warnAt(pos, "DTD entity declarations ignored: entities are not expanded")
		}
	}
	return false, nil
}

// finish ends the document: it checks that an export was found and reports
// the last repairs.
func (d *Decoder) finish() error {
	d.clean.take(1 << 62)
	if d.roots == 0 {
		if d.state == stateDone {
			return io.EOF
		}
		return &SyntaxError{Pos: d.here(), Msg: "no <rss> element: not a WXR export"}
	}
	d.state = stateDone
	return io.EOF
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// skip consumes the element whose start was just read.
func (d *Decoder) skip() error {
	for depth := 1; depth > 0; {
		t, _, err := d.token()
		if err != nil {
			return d.noEOF(err)
		}
		switch t.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// noEOF turns an end of input inside an element into a SyntaxError.
func (d *Decoder) noEOF(err error) error {
	if err == io.EOF {
		return &SyntaxError{Pos: d.here(), Msg: "unexpected EOF"}
	}
	return err
}

// readText returns the character data of the element whose start was just
// read, CDATA sections joined as they are. Child elements are skipped with a
// warning.
func (d *Decoder) readText() (string, error) {
	d.text = d.text[:0]
	for {
		t, pos, err := d.token()
		if err != nil {
			return "", d.noEOF(err)
		}
		switch t := t.(type) {
		case xml.CharData:
			d.text = append(d.text, t...)
		case xml.StartElement:
			d.warnAt(pos, "element <%s> inside a text field skipped", t.Name.Local)
			if err := d.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			if len(d.text) == 0 {
				return "", nil
			}
			return string(d.text), nil
		}
	}
}

// readTrimmed is readText without surrounding white space, for identifiers,
// numbers, dates and URLs.
func (d *Decoder) readTrimmed() (string, error) {
	s, err := d.readText()
	return strings.TrimSpace(s), err
}

// readInt reads an integer field; a malformed one is reported and read as 0.
func (d *Decoder) readInt(pos Position, field string) (int64, error) {
	s, err := d.readTrimmed()
	if err != nil || s == "" {
		return 0, err
	}
	n, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		d.warnAt(pos, "<%s> is not an integer: %q", field, clip(s, 40))
		return 0, nil
	}
	return n, nil
}

// children calls fn for each child element of the element whose start was
// just read; fn must consume the child.
func (d *Decoder) children(fn func(k nsKind, t xml.StartElement, pos Position) error) error {
	for {
		t, pos, err := d.token()
		if err != nil {
			return d.noEOF(err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if err := fn(d.kind(t.Name, pos), t, pos); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// generatorComment reads <!-- generator="WordPress/6.5" created="…" -->.
func (d *Decoder) generatorComment(c xml.Comment) {
	if d.generatorEl || d.site.Generator != "" {
		return
	}
	_, rest, ok := bytes.Cut(c, []byte(`generator="`))
	if !ok {
		return
	}
	if v, _, ok := bytes.Cut(rest, []byte(`"`)); ok {
		d.site.Generator = string(v)
	}
}
