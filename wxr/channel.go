package wxr

import (
	"encoding/xml"
	"strconv"
)

// channelField reads one child of <channel> other than <item>.
func (d *Decoder) channelField(t xml.StartElement, pos Position) error {
	s := &d.site
	switch k := d.kind(t.Name, pos); {
	case k == nsNone:
		switch t.Name.Local {
		case "title":
			return d.setOnce(&s.Title, d.readText)
		case "link":
			return d.setOnce(&s.Link, d.readTrimmed)
		case "description":
			return d.setOnce(&s.Description, d.readText)
		case "language":
			return d.setOnce(&s.Language, d.readTrimmed)
		case "pubDate":
			return d.setOnce(&s.PubDate, d.readTrimmed)
		case "generator":
			v, err := d.readTrimmed()
			if err == nil && v != "" && !d.generatorEl {
				s.Generator, d.generatorEl = v, true
			}
			return err
		}
	case k == nsWP:
		switch t.Name.Local {
		case "wxr_version":
			return d.setOnce(&s.WXRVersion, d.readTrimmed)
		case "base_site_url":
			return d.setOnce(&s.BaseSiteURL, d.readTrimmed)
		case "base_blog_url":
			return d.setOnce(&s.BaseBlogURL, d.readTrimmed)
		case "author":
			return d.readAuthor(pos)
		case "category":
			return d.readTerm("category", pos)
		case "tag":
			return d.readTerm("post_tag", pos)
		case "term":
			return d.readTerm("", pos)
		}
	}
	return d.skip()
}

// setOnce reads a field into *dst unless an earlier export of a concatenated
// file already set it.
func (d *Decoder) setOnce(dst *string, read func() (string, error)) error {
	v, err := read()
	if err == nil && *dst == "" {
		*dst = v
	}
	return err
}

// readAuthor reads a <wp:author>; a login already declared is not repeated.
func (d *Decoder) readAuthor(pos Position) error {
	var a Author
	err := d.children(func(k nsKind, t xml.StartElement, p Position) error {
		if k != nsWP {
			return d.skip()
		}
		var err error
		switch t.Name.Local {
		case "author_id":
			a.ID, err = d.readInt(p, "wp:author_id")
		case "author_login":
			a.Login, err = d.readText()
		case "author_email":
			a.Email, err = d.readTrimmed()
		case "author_display_name":
			a.DisplayName, err = d.readText()
		case "author_first_name":
			a.FirstName, err = d.readText()
		case "author_last_name":
			a.LastName, err = d.readText()
		default:
			err = d.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if d.authorSeen[a.Login] {
		return nil
	}
	d.authorSeen[a.Login] = true
	d.site.Authors = append(d.site.Authors, a)
	return nil
}

// readTerm reads a <wp:category>, <wp:tag> or <wp:term>; taxonomy is "" for
// <wp:term>, which names its own.
func (d *Decoder) readTerm(taxonomy string, pos Position) error {
	t := Term{Taxonomy: taxonomy}
	err := d.children(func(k nsKind, el xml.StartElement, p Position) error {
		if k != nsWP {
			return d.skip()
		}
		var err error
		switch el.Name.Local {
		case "term_id":
			t.ID, err = d.readInt(p, "wp:term_id")
		case "term_taxonomy":
			t.Taxonomy, err = d.readTrimmed()
		case "category_nicename", "tag_slug", "term_slug":
			t.Slug, err = d.readTrimmed()
		case "cat_name", "tag_name", "term_name":
			t.Name, err = d.readText()
		case "category_parent", "term_parent":
			t.Parent, err = d.readTrimmed()
		case "category_description", "tag_description", "term_description":
			t.Description, err = d.readText()
		default:
			err = d.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	if t.Taxonomy == "" {
		d.warnAt(pos, "<wp:term> %q without a taxonomy", t.Slug)
	}
	key := t.Taxonomy + "\x00" + t.Slug + "\x00" + strconv.FormatInt(t.ID, 10)
	if d.termSeen[key] {
		return nil
	}
	d.termSeen[key] = true
	d.site.Terms = append(d.site.Terms, t)
	return nil
}
