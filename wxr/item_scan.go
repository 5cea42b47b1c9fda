package wxr

import (
	"bytes"
	"fmt"
	"strconv"
)

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
