package wxr

import (
	"encoding/xml"
	"strings"
)

// readItem reads the <item> whose start tag was just read at pos.
func (d *Decoder) readItem(pos Position) (*Item, error) {
	it := &Item{Pos: pos, Terms: []ItemTerm{}, Meta: []Meta{}, Comments: []Comment{}}
	d.itemPos = pos
	err := d.children(func(k nsKind, t xml.StartElement, p Position) error {
		return d.itemField(it, k, t, p)
	})
	if err != nil {
		return nil, err
	}
	d.itemPos = Position{}
	it.Terms = dedupeTerms(it.Terms)
	// The item's repairs are reported when it ends, one warning per kind.
	d.clean.take(d.inputOffset())
	return it, nil
}

func (d *Decoder) itemField(it *Item, k nsKind, t xml.StartElement, p Position) error {
	var err error
	switch k {
	case nsNone:
		switch t.Name.Local {
		case "title":
			it.Title, err = d.readText()
		case "link":
			it.Link, err = d.readTrimmed()
		case "guid":
			it.GUID, err = d.readTrimmed()
		case "pubDate":
			it.PubDate, err = d.readTrimmed()
		case "description":
			it.Description, err = d.readText()
		case "category":
			err = d.readItemTerm(it, t)
		default:
			err = d.skip()
		}
	case nsDC:
		if t.Name.Local == "creator" {
			it.Creator, err = d.readText()
		} else {
			err = d.skip()
		}
	case nsContent:
		if t.Name.Local == "encoded" && !d.light {
			it.Content, err = d.readText()
		} else {
			err = d.skip()
		}
	case nsExcerpt:
		if t.Name.Local == "encoded" {
			it.Excerpt, err = d.readText()
		} else {
			err = d.skip()
		}
	case nsWP:
		err = d.itemWPField(it, t, p)
	default:
		err = d.skip()
	}
	return err
}

func (d *Decoder) itemWPField(it *Item, t xml.StartElement, p Position) error {
	var err error
	var n int64
	switch t.Name.Local {
	case "post_id":
		it.ID, err = d.readInt(p, "wp:post_id")
	case "post_date":
		it.PostDate, err = d.readTrimmed()
	case "post_date_gmt":
		it.PostDateGMT, err = d.readTrimmed()
	case "post_modified":
		it.Modified, err = d.readTrimmed()
	case "post_modified_gmt":
		it.ModifiedGMT, err = d.readTrimmed()
	case "comment_status":
		it.CommentStatus, err = d.readTrimmed()
	case "ping_status":
		it.PingStatus, err = d.readTrimmed()
	case "post_name":
		it.Name, err = d.readTrimmed()
	case "status":
		var s string
		s, err = d.readTrimmed()
		it.Status = Status(s)
	case "post_parent":
		it.Parent, err = d.readInt(p, "wp:post_parent")
	case "menu_order":
		n, err = d.readInt(p, "wp:menu_order")
		it.MenuOrder = int(n)
	case "post_type":
		var s string
		s, err = d.readTrimmed()
		it.Type = PostType(s)
	case "post_password":
		it.Password, err = d.readText()
	case "is_sticky":
		var s string
		s, err = d.readTrimmed()
		it.Sticky = s != "" && s != "0"
	case "attachment_url":
		it.AttachmentURL, err = d.readTrimmed()
	case "postmeta":
		var m Meta
		m, err = d.readMeta()
		if err == nil {
			it.Meta = append(it.Meta, m)
		}
	case "comment":
		if d.light {
			return d.skip()
		}
		var c Comment
		c, err = d.readComment()
		if err == nil {
			it.Comments = append(it.Comments, c)
		}
	default:
		err = d.skip()
	}
	return err
}

// readItemTerm reads <category domain="…" nicename="…">name</category>. WXR
// 1.0 writes a bare <category> for a category and domain="tag" for a tag.
func (d *Decoder) readItemTerm(it *Item, t xml.StartElement) error {
	var term ItemTerm
	for _, a := range t.Attr {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "domain":
			term.Domain = strings.TrimSpace(a.Value)
		case "nicename":
			term.Nicename = strings.TrimSpace(a.Value)
		}
	}
	switch term.Domain {
	case "":
		term.Domain = "category"
	case "tag":
		term.Domain = "post_tag"
	}
	name, err := d.readText()
	if err != nil {
		return err
	}
	term.Name = name
	it.Terms = append(it.Terms, term)
	return nil
}

// dedupeTerms drops a term without slug when the same term is also listed
// with one: WXR 1.0 writes each category twice, bare and with its nicename.
func dedupeTerms(terms []ItemTerm) []ItemTerm {
	out := terms[:0]
	for _, t := range terms {
		if t.Nicename == "" && hasSluggedTwin(terms, t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

func hasSluggedTwin(terms []ItemTerm, t ItemTerm) bool {
	for _, o := range terms {
		if o.Nicename != "" && o.Domain == t.Domain && o.Name == t.Name {
			return true
		}
	}
	return false
}

// readMeta reads a <wp:postmeta> or <wp:commentmeta>.
func (d *Decoder) readMeta() (Meta, error) {
	var m Meta
	err := d.children(func(k nsKind, t xml.StartElement, _ Position) error {
		if k != nsWP {
			return d.skip()
		}
		var err error
		switch t.Name.Local {
		case "meta_key":
			m.Key, err = d.readText()
		case "meta_value":
			m.Value, err = d.readText()
		default:
			err = d.skip()
		}
		return err
	})
	return m, err
}

// readComment reads a <wp:comment> with its commentmeta.
func (d *Decoder) readComment() (Comment, error) {
	var c Comment
	err := d.children(func(k nsKind, t xml.StartElement, p Position) error {
		if k != nsWP {
			return d.skip()
		}
		var err error
		switch t.Name.Local {
		case "comment_id":
			c.ID, err = d.readInt(p, "wp:comment_id")
		case "comment_author":
			c.Author, err = d.readText()
		case "comment_author_email":
			c.AuthorEmail, err = d.readTrimmed()
		case "comment_author_url":
			c.AuthorURL, err = d.readTrimmed()
		case "comment_author_IP":
			c.AuthorIP, err = d.readTrimmed()
		case "comment_date":
			c.Date, err = d.readTrimmed()
		case "comment_date_gmt":
			c.DateGMT, err = d.readTrimmed()
		case "comment_content":
			c.Content, err = d.readText()
		case "comment_approved":
			c.Approved, err = d.readTrimmed()
		case "comment_type":
			c.Type, err = d.readTrimmed()
		case "comment_parent":
			c.Parent, err = d.readInt(p, "wp:comment_parent")
		case "comment_user_id":
			c.UserID, err = d.readInt(p, "wp:comment_user_id")
		case "comment_agent":
			c.Agent, err = d.readText()
		case "commentmeta":
			var m Meta
			m, err = d.readMeta()
			if err == nil {
				c.Meta = append(c.Meta, m)
			}
		default:
			err = d.skip()
		}
		return err
	})
	return c, err
}
