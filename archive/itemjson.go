package archive

import (
	"crypto/sha256"
	"hash"
	"strconv"
	"unicode/utf8"

	"github.com/wparchive/wparchive/wxr"
)

// sourceChunk is the size of the buffer an item's JSON is hashed through.
// Most posts fit whole, and are hashed from the stack with no allocation;
// a longer one is hashed a chunk at a time, so that memory stays bounded
// whatever the content's size.
const sourceChunk = 16 << 10

// sourceSum returns the SHA-256 of it as json.Marshal writes it, the
// source_sha256 of items.jsonl, without the reflection json.Marshal does
// and without holding the whole encoding.
func sourceSum(it *wxr.Item) [sha256.Size]byte {
	var buf [sourceChunk]byte
	e := itemEncoder{limit: sourceChunk}
	return e.sum(buf[:0], it)
}

// appendItemJSON appends it as json.Marshal writes it: compact, HTML
// escaped, fields in the order of the type, omitempty honoured, a nil
// slice as null. A field added to wxr.Item, or to a type it holds, must be
// added here too: TestItemJSON fills every field and fails until it is.
func appendItemJSON(b []byte, it *wxr.Item) []byte {
	var e itemEncoder
	return e.item(b, it)
}

// itemEncoder writes an item's JSON into a buffer it flushes into a digest
// once the buffer would pass limit. Its methods take the buffer and return
// it, as jsonLevel's do, so that the caller's buffer may live on its stack.
type itemEncoder struct {
	limit int       // flush before the buffer passes this length; 0: never flush
	h     hash.Hash // what was flushed so far; made at the first flush
	spill []byte    // a copy of the chunk for h: the buffer itself, handed to an interface, would escape
}

// sum hashes it, encoded into b.
func (e *itemEncoder) sum(b []byte, it *wxr.Item) [sha256.Size]byte {
	b = e.item(b, it)
	if e.h == nil {
		return sha256.Sum256(b)
	}
	e.flush(b)
	var sum [sha256.Size]byte
	e.h.Sum(sum[:0])
	return sum
}

// flush hands what b holds to the digest and empties b.
func (e *itemEncoder) flush(b []byte) []byte {
	if e.h == nil {
		e.h = sha256.New()
	}
	e.spill = append(e.spill[:0], b...)
	e.h.Write(e.spill)
	return b[:0]
}

// room flushes b unless n more bytes keep it within the limit.
func (e *itemEncoder) room(b []byte, n int) []byte {
	if e.limit == 0 || len(b)+n <= e.limit || len(b) == 0 {
		return b
	}
	return e.flush(b)
}

// key appends the punctuation and name that start a member: `,"name":`.
func (e *itemEncoder) key(b []byte, key string) []byte {
	return append(e.room(b, len(key)+20), key...) // 20: the longest int64
}

// str appends a member whose value is the string s.
func (e *itemEncoder) str(b []byte, key, s string) []byte {
	b = e.key(b, key)
	// Escaping makes a byte six at most.
	if e.limit == 0 || len(b)+2+6*len(s) <= e.limit {
		return appendJSONStringHTML(b, s)
	}
	b = append(b, '"')
	for len(s) > 0 {
		n := (e.limit - len(b) - 1) / 6
		if n < 64 && len(b) > 0 {
			b = e.flush(b)
			continue
		}
		n = cutRunes(s, max(n, 64))
		b = appendEscaped(b, s[:n], true)
		s = s[n:]
	}
	return append(b, '"')
}

// cutRunes returns where to cut s so that the left part holds n bytes or up
// to three fewer: a cut before a byte that starts a rune, or, failing one,
// after three continuation bytes, splits no rune nor any bytes decoded
// together as invalid UTF-8. Escaping the parts gives the escaped whole.
func cutRunes(s string, n int) int {
	if n >= len(s) {
		return len(s)
	}
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return i
		}
	}
	return n
}

func (e *itemEncoder) int(b []byte, key string, v int64) []byte {
	return strconv.AppendInt(e.key(b, key), v, 10)
}

func (e *itemEncoder) bool(b []byte, key string, v bool) []byte {
	return strconv.AppendBool(e.key(b, key), v)
}

// item appends it, as json.Marshal writes a *wxr.Item.
func (e *itemEncoder) item(b []byte, it *wxr.Item) []byte {
	if it == nil {
		return append(b, "null"...)
	}
	b = e.int(b, `{"id":`, it.ID)
	b = e.str(b, `,"title":`, it.Title)
	b = e.str(b, `,"link":`, it.Link)
	b = e.str(b, `,"guid":`, it.GUID)
	if it.PubDate != "" {
		b = e.str(b, `,"pub_date":`, it.PubDate)
	}
	b = e.str(b, `,"creator":`, it.Creator)
	if it.Description != "" {
		b = e.str(b, `,"description":`, it.Description)
	}
	b = e.str(b, `,"content":`, it.Content)
	b = e.str(b, `,"excerpt":`, it.Excerpt)
	b = e.str(b, `,"post_date":`, it.PostDate)
	b = e.str(b, `,"post_date_gmt":`, it.PostDateGMT)
	if it.Modified != "" {
		b = e.str(b, `,"post_modified":`, it.Modified)
	}
	if it.ModifiedGMT != "" {
		b = e.str(b, `,"post_modified_gmt":`, it.ModifiedGMT)
	}
	b = e.str(b, `,"comment_status":`, it.CommentStatus)
	b = e.str(b, `,"ping_status":`, it.PingStatus)
	b = e.str(b, `,"post_name":`, it.Name)
	b = e.str(b, `,"status":`, string(it.Status))
	b = e.int(b, `,"post_parent":`, it.Parent)
	b = e.int(b, `,"menu_order":`, int64(it.MenuOrder))
	b = e.str(b, `,"post_type":`, string(it.Type))
	// Password and Pos are never serialised (json:"-").
	b = e.bool(b, `,"sticky":`, it.Sticky)
	if it.AttachmentURL != "" {
		b = e.str(b, `,"attachment_url":`, it.AttachmentURL)
	}

	if it.Terms == nil {
		b = append(e.key(b, `,"terms":`), "null"...)
	} else {
		b = append(e.key(b, `,"terms":`), '[')
		for i := range it.Terms {
			t := &it.Terms[i]
			b = e.str(comma(b, i), `{"domain":`, t.Domain)
			b = e.str(b, `,"slug":`, t.Nicename)
			b = e.str(b, `,"name":`, t.Name)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = e.meta(e.key(b, `,"postmeta":`), it.Meta)

	if it.Comments == nil {
		b = append(e.key(b, `,"comments":`), "null"...)
	} else {
		b = append(e.key(b, `,"comments":`), '[')
		for i := range it.Comments {
			c := &it.Comments[i]
			b = e.int(comma(b, i), `{"id":`, c.ID)
			b = e.str(b, `,"author":`, c.Author)
			if c.AuthorEmail != "" {
				b = e.str(b, `,"author_email":`, c.AuthorEmail)
			}
			if c.AuthorURL != "" {
				b = e.str(b, `,"author_url":`, c.AuthorURL)
			}
			if c.AuthorIP != "" {
				b = e.str(b, `,"author_ip":`, c.AuthorIP)
			}
			b = e.str(b, `,"date":`, c.Date)
			if c.DateGMT != "" {
				b = e.str(b, `,"date_gmt":`, c.DateGMT)
			}
			b = e.str(b, `,"content":`, c.Content)
			b = e.str(b, `,"approved":`, c.Approved)
			b = e.str(b, `,"type":`, c.Type)
			b = e.int(b, `,"parent":`, c.Parent)
			if c.UserID != 0 {
				b = e.int(b, `,"user_id":`, c.UserID)
			}
			if c.Agent != "" {
				b = e.str(b, `,"agent":`, c.Agent)
			}
			if len(c.Meta) > 0 {
				b = e.meta(e.key(b, `,"meta":`), c.Meta)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// meta appends postmeta or a comment's meta; nil is null.
func (e *itemEncoder) meta(b []byte, ms []wxr.Meta) []byte {
	if ms == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range ms {
		b = e.str(comma(b, i), `{"key":`, ms[i].Key)
		b = e.str(b, `,"value":`, ms[i].Value)
		b = append(b, '}')
	}
	return append(b, ']')
}

// comma separates the i-th element of an array from the one before.
func comma(b []byte, i int) []byte {
	if i == 0 {
		return b
	}
	return append(b, ',')
}
