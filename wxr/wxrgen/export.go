package wxrgen

import "github.com/wparchive/wparchive/wxr"

const header = `<?xml version="1.0" encoding="UTF-8"?>
<!-- generator="wparchive wxrgen" -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
`

// writeChannel writes the header and the channel's metadata, in the order
// WordPress's exporter uses.
func writeChannel(w xmlWriter, s *wxr.Site) {
	w.WriteString(header)
	w.cdata("title", s.Title)
	w.text("link", s.Link)
	w.cdata("description", s.Description)
	w.text("pubDate", s.PubDate)
	w.text("language", s.Language)
	w.text("wp:wxr_version", "1.2")
	w.text("wp:base_site_url", s.BaseSiteURL)
	w.text("wp:base_blog_url", s.BaseBlogURL)
	for _, a := range s.Authors {
		w.open("wp:author")
		if a.ID != 0 {
			w.int("wp:author_id", a.ID)
		}
		w.cdata("wp:author_login", a.Login)
		w.cdata("wp:author_email", a.Email)
		w.cdata("wp:author_display_name", a.DisplayName)
		w.cdata("wp:author_first_name", a.FirstName)
		w.cdata("wp:author_last_name", a.LastName)
		w.close("wp:author")
	}
	for _, t := range s.Terms {
		writeTerm(w, t)
	}
	if s.Generator != "" {
		w.text("generator", s.Generator)
	}
}

func writeTerm(w xmlWriter, t wxr.Term) {
	switch t.Taxonomy {
	case "category":
		w.open("wp:category")
		w.int("wp:term_id", t.ID)
		w.cdata("wp:category_nicename", t.Slug)
		w.cdata("wp:category_parent", t.Parent)
		w.cdata("wp:cat_name", t.Name)
		if t.Description != "" {
			w.cdata("wp:category_description", t.Description)
		}
		w.close("wp:category")
	case "post_tag":
		w.open("wp:tag")
		w.int("wp:term_id", t.ID)
		w.cdata("wp:tag_slug", t.Slug)
		w.cdata("wp:tag_name", t.Name)
		if t.Description != "" {
			w.cdata("wp:tag_description", t.Description)
		}
		w.close("wp:tag")
	default:
		w.open("wp:term")
		w.int("wp:term_id", t.ID)
		w.cdata("wp:term_taxonomy", t.Taxonomy)
		w.cdata("wp:term_slug", t.Slug)
		w.cdata("wp:term_parent", t.Parent)
		w.cdata("wp:term_name", t.Name)
		if t.Description != "" {
			w.cdata("wp:term_description", t.Description)
		}
		w.close("wp:term")
	}
}

// writeItem writes one <item> with every field the wxr package reads.
func writeItem(w xmlWriter, it *wxr.Item) {
	w.open("item")
	w.cdata("title", it.Title)
	w.text("link", it.Link)
	w.text("pubDate", it.PubDate)
	w.cdata("dc:creator", it.Creator)
	w.WriteString(`<guid isPermaLink="false">`)
	textEscaper.WriteString(w, it.GUID)
	w.WriteString("</guid>\n")
	w.cdata("description", it.Description)
	w.cdata("content:encoded", it.Content)
	w.cdata("excerpt:encoded", it.Excerpt)
	w.int("wp:post_id", it.ID)
	w.cdata("wp:post_date", it.PostDate)
	w.cdata("wp:post_date_gmt", it.PostDateGMT)
	if it.Modified != "" {
		w.cdata("wp:post_modified", it.Modified)
		w.cdata("wp:post_modified_gmt", it.ModifiedGMT)
	}
	w.cdata("wp:comment_status", it.CommentStatus)
	w.cdata("wp:ping_status", it.PingStatus)
	w.cdata("wp:post_name", it.Name)
	w.cdata("wp:status", string(it.Status))
	w.int("wp:post_parent", it.Parent)
	w.int("wp:menu_order", int64(it.MenuOrder))
	w.cdata("wp:post_type", string(it.Type))
	w.cdata("wp:post_password", it.Password)
	sticky := int64(0)
	if it.Sticky {
		sticky = 1
	}
	w.int("wp:is_sticky", sticky)
	if it.AttachmentURL != "" {
		w.cdata("wp:attachment_url", it.AttachmentURL)
	}
	for _, t := range it.Terms {
		w.WriteString(`<category domain="`)
		attrEscaper.WriteString(w, t.Domain)
		w.WriteString(`" nicename="`)
		attrEscaper.WriteString(w, t.Nicename)
		w.WriteString(`">`)
		w.cdataBody(t.Name)
		w.WriteString("</category>\n")
	}
	for _, m := range it.Meta {
		writeMeta(w, "wp:postmeta", m)
	}
	for _, c := range it.Comments {
		writeComment(w, c)
	}
	w.close("item")
}

func writeMeta(w xmlWriter, name string, m wxr.Meta) {
	w.open(name)
	w.cdata("wp:meta_key", m.Key)
	w.cdata("wp:meta_value", m.Value)
	w.close(name)
}

func writeComment(w xmlWriter, c wxr.Comment) {
	w.open("wp:comment")
	w.int("wp:comment_id", c.ID)
	w.cdata("wp:comment_author", c.Author)
	w.cdata("wp:comment_author_email", c.AuthorEmail)
	w.cdata("wp:comment_author_url", c.AuthorURL)
	w.cdata("wp:comment_author_IP", c.AuthorIP)
	w.cdata("wp:comment_date", c.Date)
	w.cdata("wp:comment_date_gmt", c.DateGMT)
	w.cdata("wp:comment_content", c.Content)
	w.cdata("wp:comment_approved", c.Approved)
	w.cdata("wp:comment_type", c.Type)
	w.int("wp:comment_parent", c.Parent)
	w.int("wp:comment_user_id", c.UserID)
	if c.Agent != "" {
		w.cdata("wp:comment_agent", c.Agent)
	}
	for _, m := range c.Meta {
		writeMeta(w, "wp:commentmeta", m)
	}
	w.close("wp:comment")
}
