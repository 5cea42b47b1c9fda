package wxr

import (
	"bytes"
	"encoding/xml"
)

// Items make up nearly all of an export, and encoding/xml reads them a byte
// and a token at a time, so the Decoder scans the cleaned bytes of each
// <item> directly instead: CDATA sections are found with bytes.Index and
// taken whole, text is decoded only where it holds '&' or '\r', and only the
// fields readItem keeps become strings (the index pass skips content and
// comments as readItem does then).
//
// The scanner accepts only the plain XML real exports are made of, and checks
// it exactly as encoding/xml in non-strict mode would. On anything else — an
// unusual name, a namespace declaration inside an item, an element inside a
// text field, a mismatched or missing end tag, a processing instruction, an
// entity that decodes to an illegal character, nesting deeper than maxDepth,
// the end of the input — it hands the stream back to the XML decoder from
// the start of the item, so that the item, and any error, are read exactly
// as the token decoder reads them. Between items, anything but white space
// is handed back too.
//
// Handing back: the XML decoder cannot be told where it is, so a new one
// reads a synthetic <rss><channel> header declaring the same namespaces,
// followed by the unread bytes; Decoder.at maps its positions and offsets to
// the file's.

// scanner holds the cleaned bytes of the item being scanned.
type scanner struct {
	clean  *cleaner
	active bool // the scanner owns the stream; the XML decoder is stale
	buf    []byte
	off    int64 // cleaned-stream offset of buf[0]
	p      int   // next byte to scan
	eof    bool  // the cleaner has nothing more (or failed)
	lines  lineState
	text   []byte   // the text of the field being read
	stack  [][2]int // name spans of the open elements being skipped
	attrs  []attr   // the attributes of the last start tag lexed
	ns     []prefixBinding
	// The item's warnings are held until it is known to be read here; so
	// are the cleaner's notes made meanwhile, to keep their order.
	warns   []heldWarning
	holding bool
	scanned int // items read here, for the tests
	// After an item is handed back, the next ones are left to the XML
	// decoder, more of them each time in a row, so that an export whose
	// every item is unusual is not read twice over.
	rest, backoff int
	// Strings given out before, to give again (intern.go).
	prev     string
	interned map[string]string
}

// maxBackoff is the most items left to the XML decoder before the scanner
// tries again.
const maxBackoff = 63

// heldWarning is a warning held while an item is scanned; a note of the
// cleaner is given even if the item is handed back, as the bytes it is
// about will not be cleaned again.
type heldWarning struct {
	Warning
	note bool
}

// lineState is the line count at buf[ln].
type lineState struct {
	ln        int
	line      int
	lineStart int64 // cleaned-stream offset where that line starts
}

type prefixBinding struct {
	prefix string
	kind   nsKind
}

// appendDecls appends the namespace declarations among attrs.
func appendDecls(decls, attrs []xml.Attr) []xml.Attr {
	for _, a := range attrs {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			decls = append(decls, a)
		}
	}
	return decls
}

// usualBindings reports whether the declarations of <rss> and <channel> let
// elements be classified by prefix: no default namespace, each WordPress
// prefix bound to its namespace and no other prefix bound to a WordPress one.
func usualBindings(decls []xml.Attr) ([]prefixBinding, bool) {
	var ns []prefixBinding
	for _, a := range decls {
		if a.Name.Space != "xmlns" || a.Value == "" || a.Name.Local == "xml" || a.Name.Local == "xmlns" {
			return nil, false
		}
		k := classifyNamespace(a.Value)
		if want, known := prefixKinds[a.Name.Local]; known && k != want || !known && k != nsForeign {
			return nil, false
		}
		ns = append(ns, prefixBinding{a.Name.Local, k})
	}
	return ns, true
}

// prefixKind classifies an element by its prefix; false when the answer
// depends on more than the declarations of <rss> and <channel>.
func (s *scanner) prefixKind(prefix []byte) (nsKind, bool) {
	if len(prefix) == 0 {
		return nsNone, true
	}
	if string(prefix) == "xml" {
		return nsForeign, true
	}
	for i := len(s.ns) - 1; i >= 0; i-- {
		if s.ns[i].prefix == string(prefix) {
			return s.ns[i].kind, true
		}
	}
	if _, known := prefixKinds[string(prefix)]; known {
		return 0, false // an undeclared WordPress prefix: the decoder warns
	}
	return nsForeign, true
}

// scanItems returns the next item if the scanner can read it, else nil with
// the stream handed back to the XML decoder.
func (d *Decoder) scanItems() *Item {
	s := d.scan
	if !s.active && !d.takeOver() {
		return nil
	}
	s.discard()
	for {
		if s.p == len(s.buf) && !s.more() {
			d.handBack()
			return nil
		}
		if !isSpace(s.buf[s.p]) {
			break
		}
		s.p++
	}
	if !s.ensure(s.p+6) || !isItemTag(s.buf[s.p:]) {
		d.handBack()
		return nil
	}
	it, ok := d.scanItem()
	if !ok {
		s.backoff = min(2*s.backoff+1, maxBackoff)
		s.rest = s.backoff
		d.handBack()
		return nil
	}
	s.backoff = 0
	return it
}

// endTagCloses reports whether b ends with an end tag named local.
func endTagCloses(b []byte, local string) bool {
	i := len(b) - 2
	for i >= 0 && isSpace(b[i]) {
		i--
	}
	end := i + 1
	for i >= 0 && isNameByte(b[i]) {
		i--
	}
	if i < 1 || b[i] != '/' || b[i-1] != '<' {
		return false
	}
	// encoding/xml's local name: a prefix is split off only when neither
	// side of the colon is empty.
	name := b[i+1 : end]
	if k := bytes.IndexByte(name, ':'); k > 0 && k < len(name)-1 {
		name = name[k+1:]
	}
	return string(name) == local
}

func isItemTag(b []byte) bool {
	return len(b) >= 6 && string(b[:5]) == "<item" && (isSpace(b[5]) || b[5] == '>' || b[5] == '/')
}

// takeOver starts scanning if the XML decoder has just finished a token with
// nothing pending and an <item> follows.
func (d *Decoder) takeOver() bool {
	c := d.clean
	if c.r < 2 || c.out[c.r-1] != '>' || c.out[c.r-2] == '/' || d.inputOffset() != c.consumed() {
		return false
	}
	if d.prevEnd && !endTagCloses(c.out[:c.r], d.prevName) {
		// A mismatched end tag: encoding/xml has the real one pending.
		return false
	}
	rest := c.out[c.r:c.w]
	i := 0
	for i < len(rest) && isSpace(rest[i]) {
		i++
	}
	if !isItemTag(rest[i:]) {
		return false
	}
	s := d.scan
	s.clean = c
	s.active, s.eof = true, false
	s.buf = s.buf[:0]
	s.off, s.p = c.consumed(), 0
	line, col := d.inputPos()
	s.lines = lineState{ln: 0, line: line, lineStart: s.off - int64(col-1)}
	return true
}

// handBack gives the stream from s.p on back to a new XML decoder.
func (d *Decoder) handBack() {
	s := d.scan
	line, col := s.posAt(s.p)
	off := s.off + int64(s.p)
	var hdr bytes.Buffer
	hdr.WriteString("<rss")
	for _, a := range d.rootNS {
		hdr.WriteString(" xmlns:")
		hdr.WriteString(a.Name.Local)
		hdr.WriteString(`="`)
		_ = xml.EscapeText(&hdr, []byte(a.Value))
		hdr.WriteString(`"`)
	}
	hdr.WriteString("><channel>")
	d.clean.pushBack(hdr.Bytes(), s.buf[s.p:], off)
	d.x = newXMLDecoder(d.clean)
	for range 2 {
		// The header is well-formed: these are <rss> and <channel>.
		_, _ = d.x.Token()
	}
	d.at = origin{line: line, col: col, hdr: int64(hdr.Len()), off: off}
	s.active = false
	s.buf = s.buf[:0]
	s.p = 0
}

// discard drops the bytes before s.p once they are a good part of buf.
func (s *scanner) discard() {
	if s.p == 0 || s.p < len(s.buf)/2 && s.p < 1<<20 {
		return
	}
	s.posAt(s.p)
	n := copy(s.buf, s.buf[s.p:])
	s.buf = s.buf[:n]
	s.off += int64(s.p)
	s.lines.ln -= s.p
	s.p = 0
}

// more appends the next cleaned bytes to buf; false at the end of input.
func (s *scanner) more() bool {
	if s.eof {
		return false
	}
	b, err := s.clean.takeChunk()
	if err != nil {
		s.eof = true
		return false
	}
	s.buf = append(s.buf, b...)
	return true
}

// ensure makes buf at least n bytes long if the input has them.
func (s *scanner) ensure(n int) bool {
	for len(s.buf) < n {
		if !s.more() {
			return false
		}
	}
	return true
}

func (s *scanner) byteAt(i int) (byte, bool) {
	if i >= len(s.buf) && !s.ensure(i+1) {
		return 0, false
	}
	return s.buf[i], true
}

// index finds sep in buf from i on, reading more as needed; -1 if absent.
func (s *scanner) index(i int, sep []byte) int {
	for {
		if k := bytes.Index(s.buf[i:], sep); k >= 0 {
			return i + k
		}
		i = max(i, len(s.buf)-len(sep)+1)
		if !s.more() {
			return -1
		}
	}
}

// posAt returns the line and column of buf[i]; i never goes back past the
// last position asked for, except through a saved lineState.
func (s *scanner) posAt(i int) (int, int) {
	l := &s.lines
	if i > l.ln {
		seg := s.buf[l.ln:i]
		if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
			l.line += n
			l.lineStart = s.off + int64(l.ln+bytes.LastIndexByte(seg, '\n')+1)
		}
		l.ln = i
	}
	return l.line, int(s.off+int64(i)-l.lineStart) + 1
}
