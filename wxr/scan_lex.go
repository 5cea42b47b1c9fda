package wxr

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strconv"
	"unicode/utf8"
)

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

// attr is an attribute of the last start tag lexed: the spans of its name,
// whose prefix ends at colon (-1 for none), and of its raw value.
type attr struct {
	name  [2]int
	colon int
	value [2]int
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
// the XML decoder. open is the span of the name of the element being read,
// whose end tag is expected (empty for none).
func (s *scanner) lex(i int, open [2]int) (tok, bool) {
	b, ok := s.byteAt(i)
	if !ok {
		return tok{}, false
	}
	if b != '<' {
		// Text between tags is mostly a line end: look a few bytes ahead
		// before searching.
		j := i + 1
		for j < len(s.buf) && j < i+8 && s.buf[j] != '<' {
			j++
		}
		if j == len(s.buf) || s.buf[j] != '<' {
			j = s.index(j, []byte{'<'})
		}
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
		if t, ok := s.expectedEnd(i, open); ok {
			return t, true
		}
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
	s.attrs = s.attrs[:0]
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
		name := [2]int{j, k}
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
		s.attrs = append(s.attrs, attr{name: name, colon: acolon, value: [2]int{j + 1, k}})
		j = k + 1
	}
}

// expectedEnd reads the end tag at buf[i] if it closes the element whose
// name is at open, comparing bytes instead of reading a name; false for
// anything else, which lex then reads as usual. The open name was read by
// name, so the same bytes followed by a byte that ends a name are a name
// it reads the same.
func (s *scanner) expectedEnd(i int, open [2]int) (tok, bool) {
	n := open[1] - open[0]
	a := i + 2
	if n == 0 || !s.ensure(a+n+1) {
		return tok{}, false
	}
	if nameClasses[s.buf[a+n]] != nameEnd || string(s.buf[a:a+n]) != string(s.buf[open[0]:open[1]]) {
		return tok{}, false
	}
	k := a + n
	if s.buf[k] != '>' {
		k = s.space(k)
		if c, ok := s.byteAt(k); !ok || c != '>' {
			return tok{}, false
		}
	}
	colon := -1
	if c := bytes.IndexByte(s.buf[a:a+n], ':'); c >= 0 {
		colon = a + c
	}
	return tok{kind: tokEnd, start: i, end: k + 1, a: a, b: a + n, colon: colon}, true
}

// name reads an ASCII XML name with at most one colon inside it at buf[i],
// returning its end and the colon's index (-1 for none).
func (s *scanner) name(i int) (end, colon int, ok bool) {
	colon = -1
	j := i
	for {
		// The bytes in buf first, then more input only at its end: names
		// are short, and a call per byte would cost more than the byte.
		buf := s.buf
		for j < len(buf) {
			switch nameClasses[buf[j]] {
			case nameByte:
				j++
				continue
			case nameColon:
				if colon >= 0 {
					return 0, 0, false
				}
				colon = j
				j++
				continue
			case nameNonASCII:
				return 0, 0, false
			}
			if j == i || !isNameStart(buf[i]) || colon == j-1 {
				return 0, 0, false
			}
			return j, colon, true
		}
		if !s.more() {
			return 0, 0, false
		}
	}
}

// nameClass is what name makes of a byte.
type nameClass uint8

const (
	nameEnd      nameClass = iota // ends the name
	nameByte                      // continues it
	nameColon                     // continues it, separating the prefix
	nameNonASCII                  // a name the scanner leaves to the XML decoder
)

// nameClasses classifies every byte for name.
var nameClasses = func() (t [256]nameClass) {
	for c := range 256 {
		switch {
		case c >= utf8.RuneSelf:
			t[c] = nameNonASCII
		case c == ':':
			t[c] = nameColon
		case nameBytes[c]:
			t[c] = nameByte
		}
	}
	return t
}()

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

// checkText reports whether encoding/xml accepts the text t.
func (s *scanner) checkText(t tok) bool {
	v := s.buf[t.a:t.b]
	if len(v) == 1 && v[0] != '&' && v[0] != ']' || bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, ']') < 0 {
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
