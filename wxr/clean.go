package wxr

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// cleanChunk is how much raw input the cleaner reads at a time; the first
// chunk is also the window in which junk, a BOM and the declared encoding are
// looked for.
const cleanChunk = 64 << 10

// repairKind is a kind of repair the cleaner makes.
type repairKind uint8

const (
	repairControl repairKind = iota // XML-illegal control character dropped
	repairNonchar                   // U+FFFE or U+FFFF dropped
	repairUTF8                      // invalid UTF-8 byte replaced by U+FFFD
	repairCDATA                     // "]]>" inside CDATA read as content
	numRepairKinds
)

// repair is a run of repairs of one kind, located by the first one.
type repair struct {
	kind    repairKind
	off     int64 // cleaned-stream offset of the first repair
	end     int64 // cleaned-stream offset just after the last repair
	line    int
	col     int
	count   int
	example rune // the first offending character or byte
}

// decodeMode says how non-ASCII bytes are read.
type decodeMode uint8

const (
	modeUndecided decodeMode = iota // only ASCII seen so far
	modeUTF8
	modeCP1252 // undeclared single-byte export, detected from its first non-ASCII bytes
)

// cleaner turns an export's bytes into text encoding/xml accepts: it skips junk
// before the XML, transcodes a declared non-UTF-8 encoding, drops XML-illegal
// characters and replaces invalid UTF-8, recording every repair with its
// place. encoding/xml stops the whole parse at one illegal character, so
// without this a single stray U+0001 in a comment loses the whole export.
//
// Positions refer to the cleaned stream, which is the stream encoding/xml
// reports offsets in: line numbers always match the file (newlines are never
// dropped, skipped junk is replaced by its own newlines); columns are in bytes
// and only differ from the file's on lines where something was repaired.
type cleaner struct {
	src    io.Reader
	name   string
	warn   func(Warning)
	srcErr error // sticky error of src, io.EOF included

	raw    []byte
	rr, rw int // raw[rr:rw] is read but not yet cleaned

	out  []byte
	r, w int   // out[r:w] is cleaned but not yet consumed
	base int64 // cleaned-stream offset of out[0]

	counted   int   // out[:counted] has been counted for newlines
	line      int   // line number at out[counted]
	lineStart int64 // cleaned-stream offset where that line starts

	started bool
	// passthrough: src was cleaned already (cleanAhead), or needs no
	// cleaning (Options.Verbatim); its bytes are copied as they are.
	passthrough bool
	// changed: the cleaned stream differs from src so far, or a note was
	// made about it.
	changed bool
	mode    decodeMode
	lex     lexState
	quote   byte // the quote of an attribute value or directive string
	depth   int  // nesting of < > inside a directive
	pending []repair
}

func newCleaner(src io.Reader, name string, warn func(Warning)) *cleaner {
	return &cleaner{
		src:  src,
		name: name,
		warn: warn,
		raw:  make([]byte, cleanChunk),
		// Every raw byte becomes at most 3 bytes (U+FFFD or a windows-1252
		// character), plus newlines standing for skipped junk.
		out:  make([]byte, 3*cleanChunk+8),
		line: 1,
	}
}

// ReadByte implements io.ByteReader; encoding/xml reads one byte at a time
// and uses it directly instead of adding its own buffer.
func (c *cleaner) ReadByte() (byte, error) {
	if c.r == c.w {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	b := c.out[c.r]
	c.r++
	return b, nil
}

// Read implements io.Reader.
func (c *cleaner) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if c.r == c.w {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.out[c.r:c.w])
	c.r += n
	return n, nil
}

// fill cleans the next piece of input into out; it is called once out is
// fully consumed.
func (c *cleaner) fill() error {
	c.sync()
	c.base += int64(c.w)
	c.r, c.w, c.counted = 0, 0, 0
	c.compact()
	for c.w == 0 {
		if !c.started {
			c.readRaw()
			if c.rw == 0 && c.srcErr != nil {
				return c.srcErr
			}
			c.started = true
			if !c.passthrough {
				c.start()
			}
			continue
		}
		if c.rr < c.rw {
			before := c.rr
			c.process(false)
			if c.rr > before {
				continue
			}
		}
		// What is left cannot be cleaned without more input.
		switch {
		case c.rr < c.rw && (c.srcErr != nil || c.rr == 0 && c.rw == len(c.raw)):
			c.process(true)
		case c.srcErr != nil:
			return c.srcErr
		default:
			c.readRaw()
		}
	}
	return nil
}

// readRaw moves the unprocessed tail to the front of raw and reads more; the
// first time, it reads a whole chunk so that start can look at it.
func (c *cleaner) readRaw() {
	n := copy(c.raw, c.raw[c.rr:c.rw])
	c.rr, c.rw = 0, n
	for c.rw < len(c.raw) && c.srcErr == nil {
		m, err := c.src.Read(c.raw[c.rw:])
		c.rw += m
		if err != nil {
			c.srcErr = err
		}
		if c.started && m > 0 {
			break
		}
	}
}

// start looks at the first chunk: byte order mark, junk before the XML, the
// declared encoding.
func (c *cleaner) start() {
	data := c.raw[c.rr:c.rw]
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		c.rr += 3
		c.changed = true
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		c.note(Position{Line: 1, Col: 1}, "UTF-16 byte order mark: transcoded to UTF-8")
		c.transcode(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM))
		return
	}
	data = c.raw[c.rr:c.rw]
	skip := junkLength(data)
	if skip > 0 {
		junk := data[:skip]
		show := strings.ToValidUTF8(string(junk[:min(len(junk), 60)]), "\uFFFD")
		c.note(Position{Line: 1, Col: 1}, fmt.Sprintf("skipped %d bytes before the XML: %q", skip, show))
		// Keep the junk's newlines so that line numbers stay those of the file.
		nl := bytes.Count(junk, []byte{'\n'})
		for range nl {
			c.out[c.w] = '\n'
			c.w++
		}
		c.rr += skip
	}
	label := declaredEncoding(c.raw[c.rr:c.rw])
	switch strings.ToLower(label) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		c.note(Position{Line: 1, Col: 1}, fmt.Sprintf("unknown encoding %q declared: read as UTF-8", label))
		return
	}
	if enc == encoding.Nop || enc == unicode.UTF8 {
		return
	}
	if strings.HasPrefix(strings.ToLower(label), "utf-16") {
		// An ASCII-readable declaration means the bytes are not UTF-16.
		c.note(Position{Line: 1, Col: 1}, fmt.Sprintf("encoding %q declared but the file reads as 8-bit text: read as UTF-8", label))
		return
	}
	c.transcode(enc)
}

// transcode reads the rest of the input through enc's decoder. Only done at
// the start, before any byte was cleaned, so offsets stay consistent.
func (c *cleaner) transcode(enc encoding.Encoding) {
	c.changed = true
	rest := bytes.Clone(c.raw[c.rr:c.rw])
	var src io.Reader = bytes.NewReader(rest)
	if c.srcErr == nil {
		src = io.MultiReader(src, c.src)
	} else if c.srcErr != io.EOF {
		src = io.MultiReader(src, errReader{c.srcErr})
	}
	c.src = transform.NewReader(src, enc.NewDecoder())
	c.srcErr = nil
	c.rr, c.rw = 0, 0
	c.mode = modeUTF8
	c.readRaw()
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// junkLength returns how many bytes come before the XML proper: text before
// "<?xml" (a PHP warning printed by a plugin, say), or before "<rss" when
// there is no declaration.
func junkLength(data []byte) int {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<?xml")) {
		return 0
	}
	if i := bytes.Index(data, []byte("<?xml")); i > 0 {
		return i
	}
	if bytes.HasPrefix(trimmed, []byte("<")) {
		return 0
	}
	if i := bytes.Index(data, []byte("<rss")); i > 0 {
		return i
	}
	return 0
}

// declaredEncoding returns the encoding named in the XML declaration at the
// start of data, if any.
func declaredEncoding(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := data[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// lexState is where the cleaner is in the XML's lexical structure: enough to
// know which bytes are markup and which are CDATA.
type lexState uint8

const (
	lexText      lexState = iota // character data
	lexTag                       // inside <…>, outside quotes
	lexTagQuote                  // inside a quoted attribute value
	lexCDATA                     // inside <![CDATA[…]]>
	lexComment                   // inside <!--…-->
	lexPI                        // inside <?…?>
	lexDirective                 // inside <!DOCTYPE…> and the like
	numLexStates
)

// specials[state][b] is 1 if byte b needs a look in that state: bytes that
// are not text-safe everywhere, plus the state's markup bytes. Bytes rather
// than bools so that plainLen can test eight at once. Built once, never
// changed.
var specials = func() (t [numLexStates][256]uint8) {
	markup := [numLexStates]string{
		lexText:      "<]",
		lexTag:       "\"'>",
		lexTagQuote:  "\"'<",
		lexCDATA:     "]",
		lexComment:   "-",
		lexPI:        "?",
		lexDirective: "<>\"'",
	}
	for s := range t {
		for b := 0; b < 256; b++ {
			if b >= 0x80 || b < 0x20 && b != '\t' && b != '\n' && b != '\r' {
				t[s][b] = 1
			}
		}
		for i := 0; i < len(markup[s]); i++ {
			t[s][markup[s][i]] = 1
		}
	}
	return t
}()

// process cleans raw[rr:rw] into out. It stops before a sequence it cannot
// judge without the following bytes (a UTF-8 sequence, "]]>", "<![CDATA[" cut
// by the end of the buffer) unless the input is exhausted or force is set, in
// which case the first such sequence is judged on what there is.
//
// Besides dropping illegal characters it smooths over three things real
// exports contain and encoding/xml rejects: "]]>" inside a CDATA section that
// does not end it (old exporters did not split it; the importer takes the
// element's text up to its end tag), "]]>" in text, and "<" in an attribute
// value.
func (c *cleaner) process(force bool) {
	src := c.raw[c.rr:c.rw]
	if c.passthrough {
		n := copy(c.out[c.w:], src)
		c.w += n
		c.rr += n
		return
	}
	eof := c.srcErr != nil
	i, span := 0, 0
	flush := func() {
		c.w += copy(c.out[c.w:], src[span:i])
		span = i
	}
	emit := func(s string, skip int) {
		flush()
		c.changed = true
		c.w += copy(c.out[c.w:], s)
		i += skip
		span = i
	}
	tbl := &specials[c.lex]
	setLex := func(s lexState, skip int) {
		c.lex = s
		tbl = &specials[s]
		i += skip
	}
loop:
	for i < len(src) {
		// Most bytes need no look: skip them in bulk.
		i += plainLen(src[i:], tbl)
		if i == len(src) {
			break
		}
		b := src[i]
		if len(c.out)-c.w-(i-span) < maxExpansion {
			break // out is full; the rest waits for the next fill
		}
		final := eof || force && i == 0
		rest := src[i:]
		if b < 0x20 {
			flush()
			c.record(repairControl, rune(b))
			i++
			span = i
			continue
		}
		if b >= 0x80 {
			if c.mode == modeCP1252 {
				flush()
				c.w += utf8.EncodeRune(c.out[c.w:], charmap.Windows1252.DecodeByte(b))
				i++
				span = i
				continue
			}
			r, size := utf8.DecodeRune(rest)
			if r == utf8.RuneError && size <= 1 {
				if !final && !utf8.FullRune(rest) {
					break loop // the rest of the sequence is in the next read
				}
				if c.mode == modeUndecided && looksSingleByte(rest) {
					c.mode = modeCP1252
					c.note(c.here(), "bytes are not UTF-8 and no encoding is declared: read as windows-1252")
					continue
				}
				c.mode = modeUTF8
				flush()
				c.record(repairUTF8, rune(b))
				c.w += utf8.EncodeRune(c.out[c.w:], utf8.RuneError)
				c.pending[len(c.pending)-1].end = c.base + int64(c.w)
				i++
				span = i
				continue
			}
			c.mode = modeUTF8
			if r == 0xFFFE || r == 0xFFFF {
				flush()
				c.record(repairNonchar, r)
				i += size
				span = i
				continue
			}
			i += size
			continue
		}
		switch c.lex {
		case lexText:
			if b == ']' {
				switch {
				case bytes.HasPrefix(rest, cdataEnd):
					emit("]]&gt;", 3)
				case !final && bytes.HasPrefix(cdataEnd, rest):
					break loop
				default:
					i++
				}
				continue
			}
			// b == '<'
			switch {
			case len(rest) > 1 && rest[1] != '!' && rest[1] != '?':
				// A tag, by far the most common: none of the cases below.
				// Most hold nothing that needs a look before their '>':
				// pass over them whole, staying in text.
				if j := 1 + plainLen(rest[1:], &specials[lexTag]); j < len(rest) && rest[j] == '>' {
					i += j + 1
				} else {
					setLex(lexTag, 1)
				}
			case bytes.HasPrefix(rest, cdataStart):
				// Likewise a CDATA section that ends, followed by a tag,
				// with nothing in it that needs a look; else the CDATA
				// state takes over at the first byte that does.
				j := len(cdataStart) + plainLen(rest[len(cdataStart):], &specials[lexCDATA])
				if bytes.HasPrefix(rest[j:], cdataEnd) {
					k := j + len(cdataEnd)
					for k < len(rest) && isSpace(rest[k]) {
						k++
					}
					if k < len(rest) && rest[k] == '<' {
						i += j + len(cdataEnd)
						continue
					}
				}
				setLex(lexCDATA, j)
			case bytes.HasPrefix(rest, commentStart):
				setLex(lexComment, len(commentStart))
			case !final && (len(rest) < 2 || bytes.HasPrefix(cdataStart, rest) || bytes.HasPrefix(commentStart, rest)):
				break loop
			case len(rest) > 1 && rest[1] == '?':
				setLex(lexPI, 2)
			case len(rest) > 1 && rest[1] == '!':
				c.quote, c.depth = 0, 0
				setLex(lexDirective, 2)
			default:
				setLex(lexTag, 1)
			}
		case lexTag:
			if b == '>' {
				setLex(lexText, 1)
			} else {
				c.quote = b
				setLex(lexTagQuote, 1)
			}
		case lexTagQuote:
			switch b {
			case c.quote:
				setLex(lexTag, 1)
			case '<':
				emit("&lt;", 1)
			default:
				i++
			}
		case lexCDATA:
			switch {
			case bytes.HasPrefix(rest, cdataEnd):
				j := 3
				for j < len(rest) && isSpace(rest[j]) {
					j++
				}
				switch {
				case j == len(rest) && !final:
					break loop
				case j == len(rest) || rest[j] == '<':
					setLex(lexText, 3)
				default:
					// Text follows: this "]]>" is content.
					flush()
					c.record(repairCDATA, 0)
					emit("]]]]><![CDATA[>", 3)
				}
			case !final && bytes.HasPrefix(cdataEnd, rest):
				break loop
			default:
				i++
			}
		case lexComment:
			switch {
			case bytes.HasPrefix(rest, commentEnd):
				setLex(lexText, len(commentEnd))
			case !final && bytes.HasPrefix(commentEnd, rest):
				break loop
			default:
				i++
			}
		case lexPI:
			switch {
			case bytes.HasPrefix(rest, piEnd):
				setLex(lexText, len(piEnd))
			case !final && len(rest) < 2:
				break loop
			default:
				i++
			}
		case lexDirective:
			switch {
			case c.quote != 0:
				if b == c.quote {
					c.quote = 0
				}
				i++
			case b == '"' || b == '\'':
				c.quote = b
				i++
			case b == '<':
				c.depth++
				i++
			case c.depth > 0:
				c.depth--
				i++
			default:
				setLex(lexText, 1)
			}
		}
	}
	flush()
	c.rr += i
}

// plainLen returns how many bytes at the start of b need no look in the
// state whose table is t. Runs are short in markup (a tag every 25 bytes or
// so), so the eight bytes' verdicts are gathered into a mask and the run's
// end found without a branch per byte.
func plainLen(b []byte, t *[256]uint8) int {
	i := 0
	for ; len(b)-i >= 8; i += 8 {
		w := b[i : i+8 : i+8]
		m := uint(t[w[0]]) | uint(t[w[1]])<<1 | uint(t[w[2]])<<2 | uint(t[w[3]])<<3 |
			uint(t[w[4]])<<4 | uint(t[w[5]])<<5 | uint(t[w[6]])<<6 | uint(t[w[7]])<<7
		if m != 0 {
			return i + bits.TrailingZeros(m)
		}
	}
	for i < len(b) && t[b[i]] == 0 {
		i++
	}
	return i
}

// maxExpansion is the most bytes one special byte turns into: "]]>" inside
// CDATA becomes "]]]]><![CDATA[>".
const maxExpansion = 16

var (
	cdataStart   = []byte("<![CDATA[")
	cdataEnd     = []byte("]]>")
	commentStart = []byte("<!--")
	commentEnd   = []byte("-->")
	piEnd        = []byte("?>")
)

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// looksSingleByte reports whether data, starting at an invalid UTF-8 byte,
// holds no valid multi-byte UTF-8 sequence: then the export is in a
// single-byte encoding rather than UTF-8 with a stray byte.
func looksSingleByte(data []byte) bool {
	invalid := 0
	for len(data) > 0 {
		if data[0] < 0x80 {
			data = data[1:]
			continue
		}
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(data) {
				break
			}
			invalid++
			data = data[1:]
			continue
		}
		return false
	}
	return invalid > 0
}

// recent returns the cleaned bytes between offsets from and to if they are
// still in the buffer, else nil.
func (c *cleaner) recent(from, to int64) []byte {
	if from < c.base || to > c.base+int64(c.w) || from > to {
		return nil
	}
	return c.out[from-c.base : to-c.base]
}

// sync counts the newlines of out[counted:w].
func (c *cleaner) sync() {
	seg := c.out[c.counted:c.w]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		c.line += n
		c.lineStart = c.base + int64(c.counted+bytes.LastIndexByte(seg, '\n')+1)
	}
	c.counted = c.w
}

// here is the position of out[w] in the cleaned stream.
func (c *cleaner) here() Position {
	c.sync()
	return Position{File: c.name, Line: c.line, Col: int(c.base+int64(c.w)-c.lineStart) + 1}
}

// record notes one repair at out[w]; adjacent repairs of one kind merge.
func (c *cleaner) record(kind repairKind, example rune) {
	c.changed = true
	off := c.base + int64(c.w)
	if n := len(c.pending); n > 0 {
		last := &c.pending[n-1]
		if last.kind == kind && last.end == off {
			last.count++
			return
		}
	}
	p := c.here()
	c.pending = append(c.pending, repair{kind: kind, off: off, end: off, line: p.Line, col: p.Col, count: 1, example: example})
}

// compact merges pending repairs by kind. It runs when everything cleaned so
// far has been consumed: the decoder has already taken the repairs of the
// items that ended, so what is left belongs to one region.
func (c *cleaner) compact() {
	if len(c.pending) < 2 {
		return
	}
	var merged []repair
	for _, p := range c.pending {
		found := false
		for i := range merged {
			if merged[i].kind == p.kind {
				merged[i].count += p.count
				merged[i].end = p.end
				found = true
				break
			}
		}
		if !found {
			merged = append(merged, p)
		}
	}
	c.pending = append(c.pending[:0], merged...)
}

// take reports, one warning per kind, the repairs before offset end.
func (c *cleaner) take(end int64) {
	if len(c.pending) == 0 {
		return
	}
	var sum [numRepairKinds]repair
	kept := c.pending[:0]
	for _, p := range c.pending {
		if p.off >= end {
			kept = append(kept, p)
			continue
		}
		s := &sum[p.kind]
		if s.count == 0 {
			*s = p
		} else {
			s.count += p.count
		}
	}
	c.pending = kept
	for _, s := range sum {
		if s.count == 0 {
			continue
		}
		c.note(Position{File: c.name, Line: s.line, Col: s.col}, s.message())
	}
}

func (r repair) message() string {
	switch r.kind {
	case repairControl:
		return fmt.Sprintf("dropped %d XML-illegal control character(s), the first %U here", r.count, r.example)
	case repairNonchar:
		return fmt.Sprintf("dropped %d non-character(s) U+FFFE/U+FFFF, the first %U here", r.count, r.example)
	case repairCDATA:
		return fmt.Sprintf("read %d \"]]>\" inside CDATA as content (text followed it, not an end tag)", r.count)
	default:
		return fmt.Sprintf("replaced %d invalid UTF-8 byte(s) with U+FFFD, the first 0x%02X here", r.count, r.example)
	}
}

func (c *cleaner) note(pos Position, msg string) {
	c.changed = true
	if c.warn == nil {
		return
	}
	pos.File = c.name
	c.warn(Warning{Pos: pos, Message: msg})
}

// consumed is the cleaned-stream offset of the next byte ReadByte returns.
func (c *cleaner) consumed() int64 { return c.base + int64(c.r) }

// takeChunk consumes and returns all the cleaned bytes there are, cleaning
// more first when there are none. The slice is valid until the next call.
func (c *cleaner) takeChunk() ([]byte, error) {
	if c.r == c.w {
		if err := c.fill(); err != nil {
			return nil, err
		}
	}
	b := c.out[c.r:c.w]
	c.r = c.w
	return b, nil
}

// pushBack puts hdr and rest in front of the bytes not yet consumed: rest is
// what was taken from offset off on and not used, hdr a synthetic prefix
// given the offsets just before off. Used when the index scanner hands the
// stream back to the XML decoder.
func (c *cleaner) pushBack(hdr, rest []byte, off int64) {
	c.sync()
	n := len(hdr) + len(rest)
	left := c.w - c.r
	if n+left > len(c.out) {
		out := make([]byte, n+left+cleanChunk)
		copy(out[n:], c.out[c.r:c.w])
		c.out = out
	} else {
		copy(c.out[n:], c.out[c.r:c.w])
	}
	copy(c.out, hdr)
	copy(c.out[len(hdr):], rest)
	c.base = off - int64(len(hdr))
	c.r, c.w = 0, n+left
	c.counted = c.w
}
