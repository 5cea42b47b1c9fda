package archive

import (
	"bytes"
	"encoding/json"
	"math"
	"math/bits"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// marshalJSON renders v as indented JSON without HTML escaping, so content
// stays readable and byte-for-byte comparable. A *Record, written once per
// item, goes through a hand-written encoder that writes the indented form
// in one pass; everything else through encoding/json and appendIndentJSON.
// Both give the same bytes (TestRecordJSON, FuzzRecordJSON).
func marshalJSON(v any) ([]byte, error) {
	if r, ok := v.(*Record); ok && r != nil {
		return appendRecordJSON(nil, r)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	compact := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	out := appendIndentJSON(make([]byte, 0, len(compact)+len(compact)/2), compact)
	return append(out, '\n'), nil
}

// jsonLevel is an object or array being written, as encoding/json with
// SetEscapeHTML(false) followed by json.Indent(dst, src, "", "  ") writes
// it. Its methods take the buffer and return it, rather than keep it in a
// struct behind a pointer, so that appending stays free of write barriers.
type jsonLevel struct {
	mark  int // the length right after the bracket: nothing written yet
	depth int // of the members
}

// inner is the object or array nested in l whose bracket ends b.
func (l jsonLevel) inner(b []byte) jsonLevel {
	return jsonLevel{len(b), l.depth + 1}
}

// close ends l; an empty one stays {} or [].
func (l jsonLevel) close(b []byte, c byte) []byte {
	if len(b) > l.mark {
		b = appendNewlineIndent(b, l.depth-1)
	}
	return append(b, c)
}

// elem starts an array element.
func (l jsonLevel) elem(b []byte) []byte {
	if len(b) > l.mark {
		b = append(b, ',')
	}
	return appendNewlineIndent(b, l.depth)
}

// key starts an object member; name needs no escaping.
func (l jsonLevel) key(b []byte, name string) []byte {
	b = l.elem(b)
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':', ' ')
}

func (l jsonLevel) str(b []byte, name, v string) []byte {
	return appendJSONString(l.key(b, name), v)
}

func (l jsonLevel) strOmit(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	return l.str(b, name, v)
}

func (l jsonLevel) int(b []byte, name string, v int64) []byte {
	return strconv.AppendInt(l.key(b, name), v, 10)
}

func (l jsonLevel) intOmit(b []byte, name string, v int64) []byte {
	if v == 0 {
		return b
	}
	return l.int(b, name, v)
}

func (l jsonLevel) bool(b []byte, name string, v bool) []byte {
	return strconv.AppendBool(l.key(b, name), v)
}

// null writes a member that is a nil slice.
func (l jsonLevel) null(b []byte, name string) []byte {
	return append(l.key(b, name), "null"...)
}

// stringsOmit writes a []string member, omitted when empty.
func (l jsonLevel) stringsOmit(b []byte, name string, v []string) []byte {
	if len(v) == 0 {
		return b
	}
	b = append(l.key(b, name), '[')
	a := l.inner(b)
	for _, s := range v {
		b = appendJSONString(a.elem(b), s)
	}
	return a.close(b, ']')
}

// float writes a float64 member as encoding/json does: like %g, but with
// the exponent only under 1e-6 or from 1e21 on, and not padded.
func (l jsonLevel) float(b []byte, name string, v float64) ([]byte, error) {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return b, &json.UnsupportedValueError{Value: reflect.ValueOf(v), Str: strconv.FormatFloat(v, 'g', -1, 64)}
	}
	b = l.key(b, name)
	format := byte('f')
	if abs := math.Abs(v); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1] // e-09 to e-9
		b = b[:n-1]
	}
	return b, nil
}

// newlineIndent is a newline and the indent of depth 16.
const newlineIndent = "\n                                "

// appendNewlineIndent starts a line at depth.
func appendNewlineIndent(b []byte, depth int) []byte {
	n := 1 + 2*depth
	if n <= len(newlineIndent) {
		return append(b, newlineIndent[:n]...)
	}
	return appendNewline(b, depth) // a deep thread of replies
}

// appendRecordJSON appends r as marshalJSON writes it, ending in a newline.
// A field added to Record, or to a type it holds, must be added here too:
// TestRecordJSON sets every field and fails until it is.
func appendRecordJSON(b []byte, r *Record) ([]byte, error) {
	if b == nil {
		// The strings, escaped, plus the indented frame around them.
		b = make([]byte, 0, 2048+len(r.Content)+len(r.Content)/8+len(r.Conversion.Summary)+len(r.Excerpt))
	}
	b = append(b, '{')
	m := jsonLevel{len(b), 1}
	b = m.str(b, "format", r.Format)
	b = m.int(b, "id", r.ID)
	b = m.str(b, "type", r.Type)
	b = m.str(b, "status", r.Status)
	b = m.bool(b, "draft", r.Draft)
	b = m.str(b, "title", r.Title)
	b = m.str(b, "slug", r.Slug)
	b = m.str(b, "post_name", r.PostName)
	b = m.str(b, "link", r.Link)
	b = m.str(b, "guid", r.GUID)
	b = m.strOmit(b, "pub_date", r.PubDate)
	b = append(m.key(b, "author"), '{')
	a := m.inner(b)
	b = a.str(b, "login", r.Author.Login)
	b = a.str(b, "display_name", r.Author.DisplayName)
	b = a.close(b, '}')
	b = m.strOmit(b, "date", r.Date)
	b = m.str(b, "post_date", r.PostDate)
	b = m.str(b, "post_date_gmt", r.PostDateGMT)
	b = m.strOmit(b, "post_modified", r.Modified)
	b = m.strOmit(b, "post_modified_gmt", r.ModifiedGMT)
	b = m.str(b, "comment_status", r.CommentStatus)
	b = m.str(b, "ping_status", r.PingStatus)
	b = m.int(b, "post_parent", r.Parent)
	b = m.int(b, "menu_order", int64(r.MenuOrder))
	b = m.bool(b, "sticky", r.Sticky)
	b = m.bool(b, "password_protected", r.PasswordProtected)
	b = m.strOmit(b, "description", r.Description)
	b = m.str(b, "excerpt", r.Excerpt)
	b = m.str(b, "content", r.Content)

	if r.Terms == nil {
		b = m.null(b, "terms")
	} else {
		b = append(m.key(b, "terms"), '[')
		l := m.inner(b)
		for _, t := range r.Terms {
			b = append(l.elem(b), '{')
			o := l.inner(b)
			b = o.str(b, "domain", t.Domain)
			b = o.str(b, "slug", t.Nicename)
			b = o.str(b, "name", t.Name)
			b = o.close(b, '}')
		}
		b = l.close(b, ']')
	}
	b = appendMetaJSON(m.key(b, "postmeta"), m.depth, r.Meta)
	b = appendCommentsJSON(m.key(b, "comments"), m.depth, r.Comments)
	if len(r.CommentsLeftOut) > 0 {
		keys := make([]string, 0, len(r.CommentsLeftOut))
		for k := range r.CommentsLeftOut {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(m.key(b, "comments_left_out"), '{')
		o := m.inner(b)
		for _, k := range keys {
			b = appendJSONString(o.elem(b), k)
			b = append(b, ':', ' ')
			b = strconv.AppendInt(b, int64(r.CommentsLeftOut[k]), 10)
		}
		b = o.close(b, '}')
	}

	b = append(m.key(b, "files"), '{')
	f := m.inner(b)
	b = f.str(b, "markdown", r.Files.Markdown)
	b = f.strOmit(b, "comments", r.Files.Comments)
	b = f.close(b, '}')

	if r.Media == nil {
		b = m.null(b, "media")
	} else {
		b = append(m.key(b, "media"), '[')
		l := m.inner(b)
		for i := range r.Media {
			md := &r.Media[i]
			b = append(l.elem(b), '{')
			o := l.inner(b)
			b = o.str(b, "url", md.URL)
			b = o.str(b, "kind", md.Kind)
			b = o.intOmit(b, "attachment_id", md.AttachmentID)
			b = o.strOmit(b, "path", md.Path)
			b = o.intOmit(b, "size", md.Size)
			b = o.strOmit(b, "content_type", md.ContentType)
			b = o.strOmit(b, "sha256", md.SHA256)
			b = o.strOmit(b, "error", md.Error)
			b = o.close(b, '}')
		}
		b = l.close(b, ']')
	}

	c := &r.Conversion
	b = append(m.key(b, "conversion"), '{')
	o := m.inner(b)
	b = o.strOmit(b, "summary", c.Summary)
	b = o.stringsOmit(b, "warnings", c.Warnings)
	b = o.stringsOmit(b, "unknown_shortcodes", c.UnknownShortcodes)
	b = o.stringsOmit(b, "unknown_blocks", c.UnknownBlocks)
	if c.RawFallback {
		b = o.bool(b, "raw_fallback", true)
	}
	if c.Loss != nil {
		b = append(o.key(b, "loss"), '{')
		l := o.inner(b)
		b = appendCountsJSON(l.key(b, "source"), l.depth, &c.Loss.Source)
		b = appendCountsJSON(l.key(b, "markdown"), l.depth, &c.Loss.Markdown)
		var err error
		if b, err = l.float(b, "word_recall", c.Loss.WordRecall); err != nil {
			return nil, err
		}
		if b, err = l.float(b, "word_precision", c.Loss.WordPrecision); err != nil {
			return nil, err
		}
		b = l.close(b, '}')
	}
	b = o.close(b, '}')

	b = append(m.key(b, "source"), '{')
	s := m.inner(b)
	b = s.strOmit(b, "file", r.Source.File)
	b = s.intOmit(b, "line", int64(r.Source.Line))
	b = s.intOmit(b, "col", int64(r.Source.Col))
	b = s.close(b, '}')

	b = m.close(b, '}')
	return append(b, '\n'), nil
}

// appendCountsJSON appends the structures counted on one side of a
// conversion, as a member of an object at depth.
func appendCountsJSON(b []byte, depth int, c *convert.Counts) []byte {
	b = append(b, '{')
	o := jsonLevel{len(b), depth + 1}
	b = o.int(b, "words", int64(c.Words))
	b = o.int(b, "paragraphs", int64(c.Paragraphs))
	b = o.int(b, "headings", int64(c.Headings))
	b = o.int(b, "list_items", int64(c.ListItems))
	b = o.int(b, "links", int64(c.Links))
	b = o.int(b, "images", int64(c.Images))
	b = o.int(b, "tables", int64(c.Tables))
	b = o.int(b, "code_blocks", int64(c.CodeBlocks))
	return o.close(b, '}')
}

// appendMetaJSON appends postmeta or a comment's meta, as a member of an
// object at depth; nil is null.
func appendMetaJSON(b []byte, depth int, ms []wxr.Meta) []byte {
	if ms == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	l := jsonLevel{len(b), depth + 1}
	for _, mt := range ms {
		b = append(l.elem(b), '{')
		o := l.inner(b)
		b = o.str(b, "key", mt.Key)
		b = o.str(b, "value", mt.Value)
		b = o.close(b, '}')
	}
	return l.close(b, ']')
}

// appendCommentsJSON appends a thread of comments, replies nested, as a
// member of an object at depth; nil is null.
func appendCommentsJSON(b []byte, depth int, cs []*Comment) []byte {
	if cs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	l := jsonLevel{len(b), depth + 1}
	for _, c := range cs {
		b = l.elem(b)
		if c == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '{')
		o := l.inner(b)
		b = o.int(b, "id", c.ID)
		b = o.int(b, "parent", c.Parent)
		b = o.str(b, "type", c.Type)
		b = o.str(b, "author", c.Author)
		b = o.strOmit(b, "author_url", c.AuthorURL)
		b = o.strOmit(b, "author_email", c.AuthorEmail)
		b = o.strOmit(b, "author_ip", c.AuthorIP)
		b = o.strOmit(b, "agent", c.Agent)
		b = o.intOmit(b, "user_id", c.UserID)
		b = o.str(b, "date", c.Date)
		b = o.strOmit(b, "date_gmt", c.DateGMT)
		b = o.str(b, "approved", c.Approved)
		b = o.str(b, "content", c.Content)
		if len(c.Meta) > 0 {
			b = appendMetaJSON(o.key(b, "meta"), o.depth, c.Meta)
		}
		if len(c.Replies) > 0 {
			b = appendCommentsJSON(o.key(b, "replies"), o.depth, c.Replies)
		}
		b = o.close(b, '}')
	}
	return l.close(b, ']')
}

// appendLineJSON appends l as json.Marshal writes it: compact, and with
// HTML escaped, as items.jsonl has always had it.
func appendLineJSON(b []byte, l *Line) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, l.ID, 10)
	b = appendJSONStringHTML(append(b, `,"type":`...), l.Type)
	b = appendJSONStringHTML(append(b, `,"status":`...), l.Status)
	b = strconv.AppendBool(append(b, `,"draft":`...), l.Draft)
	b = appendJSONStringHTML(append(b, `,"title":`...), l.Title)
	b = appendJSONStringHTML(append(b, `,"slug":`...), l.Slug)
	b = appendJSONStringHTML(append(b, `,"date":`...), l.Date)
	b = appendJSONStringHTML(append(b, `,"url":`...), l.URL)
	b = appendJSONStringHTML(append(b, `,"markdown":`...), l.Markdown)
	b = appendJSONStringHTML(append(b, `,"json":`...), l.JSON)
	if l.Comments != "" {
		b = appendJSONStringHTML(append(b, `,"comments":`...), l.Comments)
	}
	b = appendJSONStringHTML(append(b, `,"source_sha256":`...), l.SourceSHA256)
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted as encoding/json does without HTML
// escaping: `"` and `\` backslashed, control bytes as \b \f \n \r \t or
// \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 as \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	return appendQuoted(dst, s, false)
}

// appendJSONStringHTML appends s quoted as json.Marshal does: as
// appendJSONString, with <, > and & as \u003c, \u003e and \u0026 too.
func appendJSONStringHTML(dst []byte, s string) []byte {
	return appendQuoted(dst, s, true)
}

// appendQuoted is appendJSONString, escaping HTML too if html.
func appendQuoted(dst []byte, s string, html bool) []byte {
	dst = appendEscaped(append(dst, '"'), s, html)
	return append(dst, '"')
}

// appendEscaped appends s escaped as the inside of a JSON string. Runs of
// bytes that need no escape, most of a post's HTML, are found eight bytes
// at a time and copied in one piece.
func appendEscaped(dst []byte, s string, html bool) []byte {
	start, i := 0, 0
	for i < len(s) {
		// Skip eight plain ASCII bytes at a time. A byte is special when
		// it is under 0x20, a quote, a backslash, not ASCII, or HTML when
		// that is escaped; the lowest special byte sets the top bit of its
		// own lane, and no lane below it borrows, so the trailing zeros
		// point at it.
		for i+8 <= len(s) {
			x := load64(s, i)
			t := (x - 0x2020202020202020) | ((x ^ 0x2222222222222222) - 0x0101010101010101) |
				((x ^ 0x5c5c5c5c5c5c5c5c) - 0x0101010101010101) | x
			if html {
				t |= ((x ^ 0x3c3c3c3c3c3c3c3c) - 0x0101010101010101) | ((x ^ 0x3e3e3e3e3e3e3e3e) - 0x0101010101010101) |
					((x ^ 0x2626262626262626) - 0x0101010101010101)
			}
			if t &= 0x8080808080808080; t != 0 {
				i += bits.TrailingZeros64(t) >> 3
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && (!html || b != '<' && b != '>' && b != '&') {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // other control bytes, < > &
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			start = i + size
		}
		i += size
	}
	return append(dst, s[start:]...)
}

// load64 reads s[i:i+8] as a little-endian word.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}
