package wxr

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The scanner reads an <item> as readItem does, field by field: these are
// itemField, itemWPField, readItemTerm, readMeta and readComment over the
// scanner's tokens. Whatever they would warn about other than a malformed
// integer (an element inside a text field, an undeclared WordPress prefix)
// is handed back instead, and so is any error.

// Depths of the elements the scanner reads, counted as Decoder.token counts
// them: <rss> is 1, <channel> 2, <item> 3.
const (
	depthItemField    = 4 // a child of <item>
	depthCommentField = 5 // a child of <wp:comment>
)

// itemField is what readItem does with a child of <item>.
type itemField uint8

const (
	fieldSkip itemField = iota // skipped with whatever it holds
	fieldText                  // read as text, not kept
	fieldTitle
	fieldLink
	fieldGUID
	fieldPubDate
	fieldDescription
	fieldCategory
	fieldCreator
	fieldContent
	fieldExcerpt
	fieldID
	fieldPostDate
	fieldPostDateGMT
	fieldModified
	fieldModifiedGMT
	fieldCommentStatus
	fieldPingStatus
	fieldName
	fieldStatus
	fieldParent
	fieldMenuOrder
	fieldType
	fieldPassword
	fieldSticky
	fieldAttachmentURL
	fieldMeta
	fieldComment
)

// itemFieldOf mirrors itemField and itemWPField.
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
		case "pubDate":
			return fieldPubDate
		case "description":
			return fieldDescription
		case "category":
			return fieldCategory
		}
	case nsDC:
		if string(local) == "creator" {
			return fieldCreator
		}
	case nsContent:
		if string(local) == "encoded" {
			return fieldContent
		}
	case nsExcerpt:
		if string(local) == "encoded" {
			return fieldExcerpt
		}
	case nsWP:
		return wpFieldOf(local)
	}
	return fieldSkip
}

func wpFieldOf(local []byte) itemField {
	switch string(local) {
	case "post_id":
		return fieldID
	case "post_date":
		return fieldPostDate
	case "post_date_gmt":
		return fieldPostDateGMT
	case "post_modified":
		return fieldModified
	case "post_modified_gmt":
		return fieldModifiedGMT
	case "comment_status":
		return fieldCommentStatus
	case "ping_status":
		return fieldPingStatus
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
	case "is_sticky":
		return fieldSticky
	case "attachment_url":
		return fieldAttachmentURL
	case "postmeta":
		return fieldMeta
	case "comment":
		return fieldComment
	}
	return fieldSkip
}

// indexField is what the index pass does with a field: it skips content
// and comments, as readItem does in light mode, and keeps only what
// entryOf reads; the others are read as text all the same, since readItem
// warns about an element inside them.
func indexField(f itemField) itemField {
	switch f {
	case fieldContent, fieldComment:
		return fieldSkip
	case fieldPubDate, fieldDescription, fieldCategory, fieldCreator, fieldPostDateGMT, fieldModified,
		fieldModifiedGMT, fieldCommentStatus, fieldPingStatus, fieldSticky:
		return fieldText
	}
	return f
}

// scanItem reads the <item> at buf[p] as readItem does; false (with p
// unchanged) when it must be left to the XML decoder.
func (d *Decoder) scanItem() (*Item, bool) {
	s := d.scan
	start, saved := s.p, s.lines
	s.warns = s.warns[:0]
	s.holding = true
	it, end, ok := d.scanItemAt(start)
	s.holding = false
	if !ok {
		s.lines = saved
		for _, w := range s.warns {
			if w.note {
				d.warn(w.Warning)
			}
		}
		return nil, false
	}
	s.p = end
	s.scanned++
	for _, w := range s.warns {
		d.warn(w.Warning)
	}
	d.clean.take(s.off + int64(end))
	return it, true
}

func (d *Decoder) scanItemAt(start int) (*Item, int, bool) {
	s := d.scan
	t, ok := s.lex(start, [2]int{})
	if !ok || t.kind != tokStart || t.colon >= 0 || string(s.local(t)) != "item" {
		return nil, 0, false
	}
	line, col := s.posAt(start)
	it := &Item{Pos: d.pos(line, col), Terms: []ItemTerm{}, Meta: []Meta{}, Comments: []Comment{}}
	end, ok := s.children(t, func(c tok) (int, bool) {
		k, ok := s.prefixKind(s.prefix(c))
		if !ok {
			return 0, false
		}
		f := itemFieldOf(k, s.local(c))
		if d.light {
			f = indexField(f)
		}
		return d.scanField(it, f, c)
	})
	if !ok {
		return nil, 0, false
	}
	it.Terms = dedupeTerms(it.Terms)
	return it, end, true
}

// scanField reads the child t of an item; it returns the end of the child.
func (d *Decoder) scanField(it *Item, f itemField, t tok) (int, bool) {
	s := d.scan
	switch f {
	case fieldSkip:
		return s.skip(t, depthItemField)
	case fieldMeta:
		return s.scanMeta(&it.Meta, t, depthItemField)
	case fieldComment:
		return d.scanComment(it, t)
	case fieldCategory:
		return s.scanTerm(it, t)
	}
	end, ok := s.readText(t)
	if !ok {
		return 0, false
	}
	switch f {
	case fieldTitle:
		it.Title = string(s.text)
	case fieldLink:
		it.Link = s.trimmed()
	case fieldGUID:
		it.GUID = s.trimmed()
	case fieldPubDate:
		it.PubDate = s.trimmed()
	case fieldDescription:
		it.Description = string(s.text)
	case fieldCreator:
		it.Creator = s.intern(s.text)
	case fieldContent:
		it.Content = string(s.text)
	case fieldExcerpt:
		it.Excerpt = string(s.text)
	case fieldID:
		it.ID = d.scanInt(t)
	case fieldPostDate:
		it.PostDate = s.trimmed()
	case fieldPostDateGMT:
		it.PostDateGMT = s.trimmed()
	case fieldModified:
		it.Modified = s.trimmed()
	case fieldModifiedGMT:
		it.ModifiedGMT = s.trimmed()
	case fieldCommentStatus:
		it.CommentStatus = s.trimmed()
	case fieldPingStatus:
		it.PingStatus = s.trimmed()
	case fieldName:
		it.Name = s.trimmed()
	case fieldStatus:
		it.Status = Status(s.trimmed())
	case fieldParent:
		it.Parent = d.scanInt(t)
	case fieldMenuOrder:
		it.MenuOrder = int(d.scanInt(t))
	case fieldType:
		it.Type = PostType(s.trimmed())
	case fieldPassword:
		it.Password = string(s.text)
	case fieldSticky:
		v := bytes.TrimSpace(s.text)
		it.Sticky = len(v) > 0 && string(v) != "0"
	case fieldAttachmentURL:
		it.AttachmentURL = s.trimmed()
	}
	return end, true
}

// scanInt is readInt on the text of t just read, its warning held. The
// integer fields are all WordPress's, and only "wp" is bound to its
// namespace where the scanner reads.
func (d *Decoder) scanInt(t tok) int64 {
	s := d.scan
	v := bytes.TrimSpace(s.text)
	if len(v) == 0 {
		return 0
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		line, col := s.posAt(t.start)
		msg := fmt.Sprintf("<wp:%s> is not an integer: %q", s.local(t), clip(string(v), 40))
		s.warns = append(s.warns, heldWarning{Warning: Warning{Pos: d.pos(line, col), Message: msg}})
		return 0
	}
	return n
}

// scanTerm reads a <category> as readItemTerm does.
func (s *scanner) scanTerm(it *Item, t tok) (int, bool) {
	var term ItemTerm
	for _, a := range s.attrs {
		if a.colon >= 0 {
			continue
		}
		switch string(s.buf[a.name[0]:a.name[1]]) {
		case "domain":
			term.Domain = s.attrValue(a)
		case "nicename":
			term.Nicename = s.attrValue(a)
		}
	}
	switch term.Domain {
	case "":
		term.Domain = "category"
	case "tag":
		term.Domain = "post_tag"
	}
	end, ok := s.readText(t)
	if !ok {
		return 0, false
	}
	term.Name = s.intern(s.text)
	it.Terms = append(it.Terms, term)
	return end, true
}

// attrValue is the value of a, decoded and trimmed; lex has checked that
// it decodes.
func (s *scanner) attrValue(a attr) string {
	v := s.buf[a.value[0]:a.value[1]]
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return s.intern(bytes.TrimSpace(v))
	}
	s.text, _ = appendText(s.text[:0], v, true)
	return strings.TrimSpace(string(s.text))
}

// scanMeta reads a <wp:postmeta> or <wp:commentmeta> at depth as readMeta
// does, appending it to list.
func (s *scanner) scanMeta(list *[]Meta, t tok, depth int) (int, bool) {
	var m Meta
	end, ok := s.children(t, func(c tok) (int, bool) {
		k, ok := s.prefixKind(s.prefix(c))
		if !ok {
			return 0, false
		}
		var dst *string
		if k == nsWP {
			switch string(s.local(c)) {
			case "meta_key":
				dst = &m.Key
			case "meta_value":
				dst = &m.Value
			}
		}
		if dst == nil {
			return s.skip(c, depth+1)
		}
		end, ok := s.readText(c)
		if dst == &m.Key {
			*dst = s.intern(s.text)
		} else {
			*dst = string(s.text)
		}
		return end, ok
	})
	if !ok {
		return 0, false
	}
	*list = append(*list, m)
	return end, true
}

// commentField is what readComment does with a child of <wp:comment>.
type commentField uint8

const (
	commentSkip    commentField = iota
	commentText                 // read as is
	commentTrimmed              // read without surrounding white space
	commentInt
	commentMeta
)

// commentFieldOf mirrors readComment: what to do with the child of that
// local name, and where its value goes.
func commentFieldOf(c *Comment, local []byte) (commentField, *string, *int64) {
	switch string(local) {
	case "comment_id":
		return commentInt, nil, &c.ID
	case "comment_author":
		return commentText, &c.Author, nil
	case "comment_author_email":
		return commentTrimmed, &c.AuthorEmail, nil
	case "comment_author_url":
		return commentTrimmed, &c.AuthorURL, nil
	case "comment_author_IP":
		return commentTrimmed, &c.AuthorIP, nil
	case "comment_date":
		return commentTrimmed, &c.Date, nil
	case "comment_date_gmt":
		return commentTrimmed, &c.DateGMT, nil
	case "comment_content":
		return commentText, &c.Content, nil
	case "comment_approved":
		return commentTrimmed, &c.Approved, nil
	case "comment_type":
		return commentTrimmed, &c.Type, nil
	case "comment_parent":
		return commentInt, nil, &c.Parent
	case "comment_user_id":
		return commentInt, nil, &c.UserID
	case "comment_agent":
		return commentText, &c.Agent, nil
	case "commentmeta":
		return commentMeta, nil, nil
	}
	return commentSkip, nil, nil
}

// scanComment reads a <wp:comment> as readComment does.
func (d *Decoder) scanComment(it *Item, t tok) (int, bool) {
	s := d.scan
	var c Comment
	end, ok := s.children(t, func(e tok) (int, bool) {
		k, ok := s.prefixKind(s.prefix(e))
		if !ok {
			return 0, false
		}
		f, str, num := commentSkip, (*string)(nil), (*int64)(nil)
		if k == nsWP {
			f, str, num = commentFieldOf(&c, s.local(e))
		}
		switch f {
		case commentSkip:
			return s.skip(e, depthCommentField)
		case commentMeta:
			return s.scanMeta(&c.Meta, e, depthCommentField)
		}
		end, ok := s.readText(e)
		if !ok {
			return 0, false
		}
		switch f {
		case commentText:
			*str = string(s.text)
		case commentTrimmed:
			*str = s.trimmed()
		case commentInt:
			*num = d.scanInt(e)
		}
		return end, true
	})
	if !ok {
		return 0, false
	}
	it.Comments = append(it.Comments, c)
	return end, true
}

// children passes over the content of the element t, calling fn for each
// child element; fn returns where the child ends. Text between children is
// checked as encoding/xml checks it; comments are passed over.
func (s *scanner) children(t tok, fn func(c tok) (int, bool)) (int, bool) {
	if t.empty {
		return t.end, true
	}
	for i := t.end; ; {
		c, ok := s.lex(i, [2]int{t.a, t.b})
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
			return c.end, true
		case tokStart:
			if c.end, ok = fn(c); !ok {
				return 0, false
			}
		}
		i = c.end
	}
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
		c, ok := s.lex(i, [2]int{t.a, t.b})
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

// skip passes over the element t, at depth, and all it holds.
func (s *scanner) skip(t tok, depth int) (int, bool) {
	if t.empty {
		return t.end, true
	}
	s.stack = append(s.stack[:0], [2]int{t.a, t.b})
	for i := t.end; ; {
		c, ok := s.lex(i, s.stack[len(s.stack)-1])
		if !ok {
			return 0, false
		}
		switch c.kind {
		case tokText:
			if !s.checkText(c) {
				return 0, false
			}
		case tokStart:
			// Decoder.token fails past maxDepth, <x/> included.
			if depth+len(s.stack) > maxDepth {
				return 0, false
			}
			if !c.empty {
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
