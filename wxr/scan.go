package wxr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The index pass reads every item's few indexed fields but none of its
// content, so instead of tokenizing the whole export with encoding/xml it
// scans the cleaned bytes of each <item> directly: CDATA sections are jumped
// over with bytes.Index, only the wanted fields' text is decoded.
//
// The scanner accepts only the plain XML real exports are made of, and checks
// it exactly as encoding/xml in non-strict mode would. On anything else — an
// unusual name, a namespace declaration inside an item, an element inside a
// text field, a mismatched or missing end tag, a processing instruction, an
// entity that decodes to an illegal character, the end of the input — it
// hands the stream back to the XML decoder from the start of the item, so
// that the item, and any error, are read exactly as the token decoder reads
// them. Between items, anything but white space is handed back too.
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
	text   []byte    // the text of the field being read
	stack  [][2]int  // name spans of the open elements being skipped
	warns  []Warning // held until the item is known to be read here
	ns     []prefixBinding
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
		d.handBack()
		return nil
	}
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
	name := b[i+1 : end]
	if k := bytes.LastIndexByte(name, ':'); k >= 0 {
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

// tokKind is a kind of token the scanner reads.
type tokKind uint8

const (
	tokText tokKind = iota
	tokCDATA
	tokComment
	tokStart
	tokEnd
)

// tok is a token in buf: [start, end) is all of it; [a, b) its text, or its
// name, whose prefix ends at colon (-1 for none).
type tok struct {
	kind       tokKind
	start, end int
	a, b       int
	colon      int
	empty      bool // <x/>
}

func (s *scanner) local(t tok) []byte {
	if t.colon < 0 {
		return s.buf[t.a:t.b]
	}
	return s.buf[t.colon+1 : t.b]
}

func (s *scanner) prefix(t tok) []byte {
	if t.colon < 0 {
		return nil
	}
	return s.buf[t.a:t.colon]
}

// lex reads the token at buf[i]; false for anything the scanner leaves to
// the XML decoder.
func (s *scanner) lex(i int) (tok, bool) {
	b, ok := s.byteAt(i)
	if !ok {
		return tok{}, false
	}
	if b != '<' {
		j := s.index(i, []byte{'<'})
		if j < 0 {
			return tok{}, false
		}
		return tok{kind: tokText, start: i, end: j, a: i, b: j}, true
	}
	if !s.ensure(i + 2) {
		return tok{}, false
	}
	switch s.buf[i+1] {
	case '/':
		j, colon, ok := s.name(i + 2)
		if !ok {
			return tok{}, false
		}
		k := s.space(j)
		if c, ok := s.byteAt(k); !ok || c != '>' {
			return tok{}, false
		}
		return tok{kind: tokEnd, start: i, end: k + 1, a: i + 2, b: j, colon: colon}, true
	case '!':
		if !s.ensure(i + 4) {
			return tok{}, false
		}
		if string(s.buf[i:i+4]) == "<!--" {
			j := s.index(i+4, []byte("--"))
			if c, ok := s.byteAt(j + 2); j < 0 || !ok || c != '>' {
				return tok{}, false
			}
			return tok{kind: tokComment, start: i, end: j + 3}, true
		}
		if !s.ensure(i+len(cdataStart)) || !bytes.HasPrefix(s.buf[i:], cdataStart) {
			return tok{}, false
		}
		a := i + len(cdataStart)
		j := s.index(a, cdataEnd)
		if j < 0 {
			return tok{}, false
		}
		return tok{kind: tokCDATA, start: i, end: j + 3, a: a, b: j}, true
	case '?':
		return tok{}, false
	}
	j, colon, ok := s.name(i + 1)
	if !ok {
		return tok{}, false
	}
	t := tok{kind: tokStart, start: i, a: i + 1, b: j, colon: colon}
	for {
		j = s.space(j)
		c, ok := s.byteAt(j)
		if !ok {
			return tok{}, false
		}
		if c == '/' {
			if c, ok := s.byteAt(j + 1); !ok || c != '>' {
				return tok{}, false
			}
			t.end, t.empty = j+2, true
			return t, true
		}
		if c == '>' {
			t.end = j + 1
			return t, true
		}
		k, acolon, ok := s.name(j)
		if !ok {
			return tok{}, false
		}
		// A namespace declaration inside an item changes what prefixes mean.
		if acolon < 0 && string(s.buf[j:k]) == "xmlns" || acolon >= 0 && string(s.buf[j:acolon]) == "xmlns" {
			return tok{}, false
		}
		j = s.space(k)
		if c, ok := s.byteAt(j); !ok || c != '=' {
			return tok{}, false
		}
		j = s.space(j + 1)
		q, ok := s.byteAt(j)
		if !ok || q != '"' && q != '\'' {
			return tok{}, false
		}
		k = s.index(j+1, []byte{q})
		if k < 0 {
			return tok{}, false
		}
		v := s.buf[j+1 : k]
		if bytes.IndexByte(v, '<') >= 0 {
			return tok{}, false
		}
		if bytes.IndexByte(v, '&') >= 0 {
			if _, ok := appendText(s.text[:0], v, true); !ok {
				return tok{}, false
			}
		}
		j = k + 1
	}
}

// name reads an ASCII XML name with at most one colon inside it at buf[i],
// returning its end and the colon's index (-1 for none).
func (s *scanner) name(i int) (end, colon int, ok bool) {
	colon = -1
	j := i
	for {
		if j >= len(s.buf) && !s.more() {
			return 0, 0, false
		}
		b := s.buf[j]
		if b >= utf8.RuneSelf {
			return 0, 0, false
		}
		if !isNameByte(b) {
			break
		}
		if b == ':' {
			if colon >= 0 {
				return 0, 0, false
			}
			colon = j
		}
		j++
	}
	if j == i || !isNameStart(s.buf[i]) || colon == j-1 {
		return 0, 0, false
	}
	return j, colon, true
}

func isNameByte(c byte) bool { return nameBytes[c] }

// nameBytes are the ASCII bytes encoding/xml reads as part of a name.
var nameBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '_' || c == ':' || c == '.' || c == '-'
	}
	return t
}()

func isNameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
}

// space skips white space from buf[i]; it stops at the end of input.
func (s *scanner) space(i int) int {
	for {
		if i >= len(s.buf) && !s.more() {
			return i
		}
		if !isSpace(s.buf[i]) {
			return i
		}
		i++
	}
}

// itemField says what the index pass does with a child of <item>.
type itemField uint8

const (
	fieldSkip itemField = iota // skipped with whatever it holds
	fieldText                  // read as text, unused
	fieldMeta
	fieldTitle
	fieldLink
	fieldGUID
	fieldExcerpt
	fieldID
	fieldPostDate
	fieldName
	fieldStatus
	fieldParent
	fieldMenuOrder
	fieldType
	fieldPassword
	fieldAttachmentURL
)

// itemFieldOf mirrors itemField and itemWPField in light mode: the fields
// they read as text must hold text only (an element inside is warned about).
func itemFieldOf(k nsKind, local []byte) itemField {
	switch k {
	case nsNone:
		switch string(local) {
		case "title":
			return fieldTitle
		case "link":
			return fieldLink
		case "guid":
			return fieldGUID
		case "pubDate", "description", "category":
			return fieldText
		}
	case nsDC:
		if string(local) == "creator" {
			return fieldText
		}
	case nsExcerpt:
		if string(local) == "encoded" {
			return fieldExcerpt
		}
	case nsWP:
		switch string(local) {
		case "post_id":
			return fieldID
		case "post_date":
			return fieldPostDate
		case "post_date_gmt", "post_modified", "post_modified_gmt", "comment_status", "ping_status", "is_sticky":
			return fieldText
		case "post_name":
			return fieldName
		case "status":
			return fieldStatus
		case "post_parent":
			return fieldParent
		case "menu_order":
			return fieldMenuOrder
		case "post_type":
			return fieldType
		case "post_password":
			return fieldPassword
		case "attachment_url":
			return fieldAttachmentURL
		case "postmeta":
			return fieldMeta
		}
	}
	return fieldSkip
}

// scanItem reads the <item> at buf[p] as readItem does in light mode; false
// (with p unchanged) when it must be left to the XML decoder.
func (d *Decoder) scanItem() (*Item, bool) {
	s := d.scan
	start, saved := s.p, s.lines
	s.warns = s.warns[:0]
	it, end, ok := d.scanItemAt(start)
	if !ok {
		s.lines = saved
		return nil, false
	}
	s.p = end
	for _, w := range s.warns {
		d.warn(w)
	}
	d.clean.take(s.off + int64(end))
	return it, true
}

func (d *Decoder) scanItemAt(start int) (*Item, int, bool) {
	s := d.scan
	t, ok := s.lex(start)
	if !ok || t.kind != tokStart || t.colon >= 0 || string(s.local(t)) != "item" {
		return nil, 0, false
	}
	line, col := s.posAt(start)
	it := &Item{Pos: d.pos(line, col), Terms: []ItemTerm{}, Meta: []Meta{}, Comments: []Comment{}}
	if t.empty {
		return it, t.end, true
	}
	for i := t.end; ; {
		c, ok := s.lex(i)
		if !ok {
			return nil, 0, false
		}
		switch c.kind {
		case tokText:
			if !s.checkText(c) {
				return nil, 0, false
			}
		case tokEnd:
			if c.colon >= 0 || string(s.local(c)) != "item" {
				return nil, 0, false
			}
			return it, c.end, true
		case tokStart:
			k, ok := s.prefixKind(s.prefix(c))
			if !ok {
				return nil, 0, false
			}
			end, ok := d.scanField(it, itemFieldOf(k, s.local(c)), c)
			if !ok {
				return nil, 0, false
			}
			c.end = end
		}
		i = c.end
	}
}

// scanField reads the child t of an item; it returns the end of the child.
func (d *Decoder) scanField(it *Item, f itemField, t tok) (int, bool) {
	s := d.scan
	switch f {
	case fieldSkip:
		return s.skip(t)
	case fieldMeta:
		return d.scanMeta(it, t)
	}
	end, ok := s.readText(t)
	if !ok {
		return 0, false
	}
	v := s.text
	switch f {
	case fieldTitle:
		it.Title = string(v)
	case fieldLink:
		it.Link = string(bytes.TrimSpace(v))
	case fieldGUID:
		it.GUID = string(bytes.TrimSpace(v))
	case fieldExcerpt:
		it.Excerpt = string(v)
	case fieldID:
		it.ID = d.scanInt(t, "wp:post_id")
	case fieldPostDate:
		it.PostDate = string(bytes.TrimSpace(v))
	case fieldName:
		it.Name = string(bytes.TrimSpace(v))
	case fieldStatus:
		it.Status = Status(bytes.TrimSpace(v))
	case fieldParent:
		it.Parent = d.scanInt(t, "wp:post_parent")
	case fieldMenuOrder:
		it.MenuOrder = int(d.scanInt(t, "wp:menu_order"))
	case fieldType:
		it.Type = PostType(bytes.TrimSpace(v))
	case fieldPassword:
		it.Password = string(v)
	case fieldAttachmentURL:
		it.AttachmentURL = string(bytes.TrimSpace(v))
	}
	return end, true
}

// scanInt is readInt on the text just read, its warning held.
func (d *Decoder) scanInt(t tok, field string) int64 {
	s := d.scan
	v := string(bytes.TrimSpace(s.text))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		line, col := s.posAt(t.start)
		s.warns = append(s.warns, Warning{Pos: d.pos(line, col), Message: fmt.Sprintf("<%s> is not an integer: %q", field, clip(v, 40))})
		return 0
	}
	return n
}

// scanMeta reads a <wp:postmeta> as readMeta does.
func (d *Decoder) scanMeta(it *Item, t tok) (int, bool) {
	s := d.scan
	var m Meta
	if !t.empty {
		for i := t.end; ; {
			c, ok := s.lex(i)
			if !ok {
				return 0, false
			}
			switch c.kind {
			case tokText:
				if !s.checkText(c) {
					return 0, false
				}
			case tokEnd:
				if !s.sameName(c, t) {
					return 0, false
				}
				it.Meta = append(it.Meta, m)
				return c.end, true
			case tokStart:
				k, ok := s.prefixKind(s.prefix(c))
				if !ok {
					return 0, false
				}
				var end int
				switch local := string(s.local(c)); {
				case k == nsWP && local == "meta_key":
					end, ok = s.readText(c)
					m.Key = string(s.text)
				case k == nsWP && local == "meta_value":
					end, ok = s.readText(c)
					m.Value = string(s.text)
				default:
					end, ok = s.skip(c)
				}
				if !ok {
					return 0, false
				}
				c.end = end
			}
			i = c.end
		}
	}
	it.Meta = append(it.Meta, m)
	return t.end, true
}

func (s *scanner) sameName(end, start tok) bool {
	return bytes.Equal(s.buf[end.a:end.b], s.buf[start.a:start.b])
}

// readText reads the text of the element t into s.text as readText does;
// an element inside it is left to the XML decoder, which warns about it.
func (s *scanner) readText(t tok) (int, bool) {
	s.text = s.text[:0]
	if t.empty {
		return t.end, true
	}
	for i := t.end; ; {
		c, ok := s.lex(i)
		if !ok {
			return 0, false
		}
		switch c.kind {
		case tokText:
			if s.text, ok = appendText(s.text, s.buf[c.a:c.b], false); !ok {
				return 0, false
			}
		case tokCDATA:
			s.text = appendCDATA(s.text, s.buf[c.a:c.b])
		case tokStart:
			return 0, false
		case tokEnd:
			if !s.sameName(c, t) {
				return 0, false
			}
			return c.end, true
		}
		i = c.end
	}
}

// skip passes over the element t and all it holds.
func (s *scanner) skip(t tok) (int, bool) {
	if t.empty {
		return t.end, true
	}
	s.stack = append(s.stack[:0], [2]int{t.a, t.b})
	for i := t.end; ; {
		c, ok := s.lex(i)
		if !ok {
			return 0, false
		}
		switch c.kind {
		case tokText:
			if !s.checkText(c) {
				return 0, false
			}
		case tokStart:
			if !c.empty {
				// <rss>, <channel> and <item> are open around it.
				if len(s.stack)+3 >= maxDepth {
					return 0, false
				}
				s.stack = append(s.stack, [2]int{c.a, c.b})
			}
		case tokEnd:
			top := s.stack[len(s.stack)-1]
			if !bytes.Equal(s.buf[c.a:c.b], s.buf[top[0]:top[1]]) {
				return 0, false
			}
			s.stack = s.stack[:len(s.stack)-1]
			if len(s.stack) == 0 {
				return c.end, true
			}
		}
		i = c.end
	}
}

// checkText reports whether encoding/xml accepts the text t.
func (s *scanner) checkText(t tok) bool {
	v := s.buf[t.a:t.b]
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, ']') < 0 {
		return true
	}
	var ok bool
	s.text, ok = appendText(s.text[:0], v, false)
	return ok
}

// appendCDATA appends a CDATA section's text, line ends normalized as
// encoding/xml does.
func appendCDATA(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '\r') < 0 {
		return append(dst, raw...)
	}
	var prev byte
	for _, b := range raw {
		switch {
		case b == '\r':
			dst = append(dst, '\n')
		case prev == '\r' && b == '\n':
		default:
			dst = append(dst, b)
		}
		prev = b
	}
	return dst
}

// appendText appends the character data encoding/xml (non-strict, HTML
// entities known) makes of raw, the text before a '<' or an attribute value
// (attr) without its quotes; false where encoding/xml fails. It follows
// encoding/xml's Decoder.text step by step.
func appendText(dst, raw []byte, attr bool) ([]byte, bool) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 && (attr || !bytes.Contains(raw, cdataEnd)) {
		return append(dst, raw...), true
	}
	// The byte after raw is '<' or the closing quote: neither continues
	// an entity.
	at := func(i int) byte {
		if i < len(raw) {
			return raw[i]
		}
		return '<'
	}
	var b0, b1 byte
	for i := 0; i < len(raw); {
		b := raw[i]
		i++
		if !attr && b0 == ']' && b1 == ']' && b == '>' {
			return dst, false
		}
		if b == '&' {
			before := len(dst)
			dst = append(dst, '&')
			var text string
			have := false
			if c := at(i); c == '#' {
				dst = append(dst, '#')
				i++
				base := 10
				if at(i) == 'x' {
					base = 16
					dst = append(dst, 'x')
					i++
				}
				digits := len(dst)
				for c := at(i); '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F'); c = at(i) {
					dst = append(dst, c)
					i++
				}
				if at(i) == ';' && i < len(raw) {
					n, err := strconv.ParseUint(string(dst[digits:]), base, 64)
					dst = append(dst, ';')
					i++
					if err == nil && n <= utf8.MaxRune {
						text, have = string(rune(n)), true
					}
				}
			} else {
				j := i
				for j < len(raw) && (raw[j] >= utf8.RuneSelf || isNameByte(raw[j])) {
					j++
				}
				name := raw[i:j]
				dst = append(dst, name...)
				i = j
				if at(i) == ';' && i < len(raw) {
					dst = append(dst, ';')
					i++
					if isASCIIName(name) {
						text, have = entityText(string(name))
					}
				}
			}
			if have {
				r, _ := utf8.DecodeRuneInString(text)
				if !isXMLChar(r) {
					return dst, false
				}
				dst = append(dst[:before], text...)
			}
			b0, b1 = 0, 0
			continue
		}
		switch {
		case b == '\r':
			dst = append(dst, '\n')
		case b1 == '\r' && b == '\n':
		default:
			dst = append(dst, b)
		}
		b0, b1 = b1, b
	}
	return dst, true
}

// entityText resolves a named entity as encoding/xml does with HTMLEntity.
func entityText(name string) (string, bool) {
	switch name {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "apos":
		return "'", true
	case "quot":
		return `"`, true
	}
	s, ok := xml.HTMLEntity[name]
	return s, ok
}

// isASCIIName is encoding/xml's name check for an ASCII name; a name with
// other bytes is never an entity's.
func isASCIIName(b []byte) bool {
	if len(b) == 0 || !(isNameStart(b[0]) || b[0] == ':') {
		return false
	}
	return !slices.ContainsFunc(b, func(c byte) bool { return c >= utf8.RuneSelf || !isNameByte(c) })
}

// isXMLChar reports whether r is allowed in XML text.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
