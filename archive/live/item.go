package live

import (
	"hash/fnv"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wparchive/wparchive/convert/page"
	"github.com/wparchive/wparchive/wxr"
)

// Postmeta keys the live input adds to every item it builds.
const (
	// MetaSourceURL is the URL a page or API record was fetched from.
	MetaSourceURL = "_wparchive_source_url"
	// MetaSourceFile is the saved .html file a page was read from.
	MetaSourceFile = "_wparchive_source_file"
)

// Dates in WXR form.
const wpDate = "2006-01-02 15:04:05"

// derivedIDBase is where ids made up for pages that do not reveal their
// WordPress id start: far above any real post id, and below 2^53 so that
// JSON readers keep them exact.
const (
	derivedIDBase  = 1_000_000_000_000_000
	derivedIDRange = 8_000_000_000_000_000
)

// derivedID is a stable id for a page whose WordPress id is unknown: the
// FNV-1a hash of its canonical URL, offset into a range no real id reaches.
func derivedID(canonical string) int64 {
	h := fnv.New64a()
	h.Write([]byte(canonical))
	return derivedIDBase + int64(h.Sum64()%derivedIDRange)
}

// pageItem turns an extracted article into an item, the way a WXR export
// would have described it.
func pageItem(a *page.Article, m pageMeta, link string) *wxr.Item {
	if a.Canonical != "" {
		link = a.Canonical
	}
	it := &wxr.Item{
		Title:   a.Title,
		Link:    link,
		GUID:    link,
		Creator: a.Author,
		Content: a.ContentHTML,
		Status:  wxr.StatusPublish,
		Type:    wxr.TypePost,
		Name:    slugOf(link),
	}
	if m.isPage() {
		it.Type = wxr.TypePage
	}
	it.ID = m.postID()
	if it.ID == 0 {
		it.ID = derivedID(link)
	}
	it.PostDate, it.PostDateGMT, it.PubDate = wpDates(a.Published)
	it.Modified, it.ModifiedGMT, _ = wpDates(a.Modified)
	for _, c := range a.Categories {
		it.Terms = append(it.Terms, wxr.ItemTerm{Domain: "category", Nicename: slugify(c), Name: c})
	}
	for _, t := range a.Tags {
		it.Terms = append(it.Terms, wxr.ItemTerm{Domain: "post_tag", Nicename: slugify(t), Name: t})
	}
	for _, c := range a.Comments {
		d, dGMT, _ := wpDates(c.Date)
		it.Comments = append(it.Comments, wxr.Comment{
			ID: c.ID, Parent: c.Parent, Author: c.Author, AuthorURL: c.AuthorURL,
			Date: d, DateGMT: dGMT, Content: c.ContentHTML, Approved: "1", Type: "comment",
		})
	}
	if len(a.Comments) > 0 {
		it.CommentStatus = "open"
	}
	return it
}

// wpDates turns an RFC 3339 date into WordPress's local and GMT forms and
// RSS's pubDate. The local time is the one in the date's own offset, which
// is the site's for dates WordPress prints.
func wpDates(s string) (local, gmt, pub string) {
	if s == "" {
		return "", "", ""
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", "", ""
	}
	return t.Format(wpDate), t.UTC().Format(wpDate), t.Format(time.RFC1123Z)
}

// slugOf is the last path segment of a permalink, the post's slug on
// pretty-permalink sites. Query-string permalinks (?p=12) have none.
func slugOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	s := path.Base(strings.TrimRight(u.Path, "/"))
	if s == "." || s == "/" {
		return ""
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, ".html"), ".htm")
}

// slugify approximates WordPress's sanitize_title for a term name seen only
// by its label: lower case, letters and digits, runs of others as "-".
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// siteFromPage is what one page says about its site.
func siteFromPage(a *page.Article, m pageMeta, pageURL string) wxr.Site {
	var s wxr.Site
	s.Title = firstNonEmpty(m.SiteName, a.SiteName, m.SiteTitle, titleSuffix(m.Title, a.Title))
	s.Description = m.SiteDesc
	s.Language = firstNonEmpty(a.Lang, m.Lang)
	if u, err := url.Parse(firstNonEmpty(a.Canonical, pageURL)); err == nil && u.Host != "" {
		s.Link = u.Scheme + "://" + u.Host
		s.BaseSiteURL, s.BaseBlogURL = s.Link, s.Link
	}
	s.Generator = "wparchive fetch"
	return s
}

// titleSuffix is the site's name from a "Post | Site" document title.
func titleSuffix(docTitle, postTitle string) string {
	for _, sep := range []string{" | ", " – ", " — ", " - ", " · "} {
		if i := strings.LastIndex(docTitle, sep); i > 0 {
			if head := strings.TrimSpace(docTitle[:i]); postTitle == "" || head == postTitle {
				return strings.TrimSpace(docTitle[i+len(sep):])
			}
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// itemSite is the site metadata an item contributes: its author and terms.
func itemSite(it *wxr.Item) wxr.Site {
	var s wxr.Site
	if it.Creator != "" {
		s.Authors = append(s.Authors, wxr.Author{Login: it.Creator, DisplayName: it.Creator})
	}
	for _, t := range it.Terms {
		s.Terms = append(s.Terms, wxr.Term{Taxonomy: t.Domain, Slug: t.Nicename, Name: t.Name})
	}
	return s
}

// entryOf is the index entry of an item.
func entryOf(it *wxr.Item) *wxr.Entry {
	e := &wxr.Entry{
		ID: it.ID, Type: it.Type, Status: it.Status, Name: it.Name, Title: it.Title, Link: it.Link,
		GUID: it.GUID, Parent: it.Parent, PostDate: it.PostDate, AttachmentURL: it.AttachmentURL, MenuOrder: it.MenuOrder,
	}
	for _, m := range it.Meta {
		switch m.Key {
		case "_wp_attachment_image_alt":
			e.Alt = m.Value
		case "_wparchive_mime_type":
			e.MimeType = m.Value
		case "_thumbnail_id":
			e.Thumbnail, _ = strconv.ParseInt(m.Value, 10, 64)
		}
	}
	if it.Type == wxr.TypeAttachment {
		e.Caption = it.Excerpt
	}
	return e
}
