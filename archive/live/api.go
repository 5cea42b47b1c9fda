package live

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// perPage is the REST API's largest page size.
const perPage = 100

// maxAPIPages bounds the pages read from one listing.
const maxAPIPages = 10000

type rendered struct {
	Rendered  string `json:"rendered"`
	Protected bool   `json:"protected"`
}

type apiPost struct {
	ID            int64    `json:"id"`
	Date          string   `json:"date"`
	DateGMT       string   `json:"date_gmt"`
	Modified      string   `json:"modified"`
	ModifiedGMT   string   `json:"modified_gmt"`
	Slug          string   `json:"slug"`
	Status        string   `json:"status"`
	Type          string   `json:"type"`
	Link          string   `json:"link"`
	GUID          rendered `json:"guid"`
	Title         rendered `json:"title"`
	Content       rendered `json:"content"`
	Excerpt       rendered `json:"excerpt"`
	Author        int64    `json:"author"`
	FeaturedMedia int64    `json:"featured_media"`
	CommentStatus string   `json:"comment_status"`
	PingStatus    string   `json:"ping_status"`
	Sticky        bool     `json:"sticky"`
	Parent        int64    `json:"parent"`
	MenuOrder     int      `json:"menu_order"`
	Categories    []int64  `json:"categories"`
	Tags          []int64  `json:"tags"`
	// media only
	SourceURL string   `json:"source_url"`
	MimeType  string   `json:"mime_type"`
	AltText   string   `json:"alt_text"`
	Caption   rendered `json:"caption"`
	Post      int64    `json:"post"`
}

type apiComment struct {
	ID         int64    `json:"id"`
	Post       int64    `json:"post"`
	Parent     int64    `json:"parent"`
	AuthorName string   `json:"author_name"`
	AuthorURL  string   `json:"author_url"`
	Date       string   `json:"date"`
	DateGMT    string   `json:"date_gmt"`
	Content    rendered `json:"content"`
	Status     string   `json:"status"`
	Type       string   `json:"type"`
}

type apiTerm struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	Description string `json:"description"`
	Parent      int64  `json:"parent"`
}

type apiUser struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// crawlAPI reads a site through its REST API: posts, pages and media, with
// the comments, terms and authors' names. Only the posts listing is
// required; a site that hides the others loses what they would have added.
func (in *Input) crawlAPI(ctx context.Context, base string) ([]*wxr.Item, error) {
	b, err := url.Parse(base)
	if err != nil || b.Host == "" || (b.Scheme != "http" && b.Scheme != "https") {
		return nil, fmt.Errorf("not an http(s) URL: %q", base)
	}
	if !strings.HasSuffix(b.Path, "/") {
		b.Path += "/"
	}
	root := b.ResolveReference(&url.URL{Path: "wp-json/"}).String()
	endpoint := func(name string) string { return root + "wp/v2/" + name }

	var info struct{ Name, Description, URL, Home string }
	if err := in.getJSON(ctx, root, &info); err == nil {
		in.state.mergeSite(wxr.Site{
			Title: html.UnescapeString(info.Name), Description: html.UnescapeString(info.Description),
			Link: firstNonEmpty(info.Home, info.URL), BaseSiteURL: info.URL, BaseBlogURL: info.Home,
			Generator: "wparchive fetch",
		})
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	users := map[int64]apiUser{}
	var us []apiUser
	if err := in.listAll(ctx, endpoint("users"), &us); err != nil {
		in.notes = append(in.notes, "REST API users: "+err.Error()+" (authors kept as ids)")
	}
	var authors []wxr.Author
	for _, u := range us {
		users[u.ID] = u
		authors = append(authors, wxr.Author{ID: u.ID, Login: u.Slug, DisplayName: u.Name}) // names only
	}
	terms := map[string]map[int64]apiTerm{"category": {}, "post_tag": {}}
	var siteTerms []wxr.Term
	for _, tx := range []struct{ taxonomy, endpoint string }{{"category", "categories"}, {"post_tag", "tags"}} {
		var ts []apiTerm
		if err := in.listAll(ctx, endpoint(tx.endpoint), &ts); err != nil {
			in.notes = append(in.notes, "REST API "+tx.endpoint+": "+err.Error())
		}
		for _, t := range ts {
			terms[tx.taxonomy][t.ID] = t
		}
		for _, t := range ts {
			wt := wxr.Term{ID: t.ID, Taxonomy: tx.taxonomy, Slug: t.Slug, Name: html.UnescapeString(t.Name), Description: t.Description}
			if p, ok := terms[tx.taxonomy][t.Parent]; ok {
				wt.Parent = p.Slug
			}
			siteTerms = append(siteTerms, wt)
		}
	}
	in.site.Merge(&wxr.Site{Authors: authors, Terms: siteTerms})

	comments := map[int64][]wxr.Comment{}
	var cs []apiComment
	if err := in.listAll(ctx, endpoint("comments"), &cs); err != nil {
		in.notes = append(in.notes, "REST API comments: "+err.Error())
	}
	for _, c := range cs {
		d, _ := apiDate(c.Date)
		g, _ := apiDate(c.DateGMT)
		approved := "1"
		if c.Status != "" && c.Status != "approved" {
			approved = "0"
		}
		typ := c.Type
		if typ == "" {
			typ = "comment"
		}
		comments[c.Post] = append(comments[c.Post], wxr.Comment{
			ID: c.ID, Parent: c.Parent, Author: c.AuthorName, AuthorURL: c.AuthorURL,
			Date: d, DateGMT: g, Content: c.Content.Rendered, Approved: approved, Type: typ,
		})
	}

	var items []*wxr.Item
	for _, kind := range []string{"posts", "pages", "media"} {
		var ps []apiPost
		err := in.listAll(ctx, endpoint(kind), &ps)
		if ctx.Err() != nil {
			return items, ctx.Err()
		}
		if err != nil {
			if kind == "posts" {
				return items, fmt.Errorf("REST API posts: %w", err)
			}
			in.notes = append(in.notes, "REST API "+kind+": "+err.Error())
		}
		for i := range ps {
			it := apiItem(&ps[i], kind, users, terms)
			it.Comments = comments[it.ID]
			it.Meta = append(it.Meta, wxr.Meta{Key: MetaSourceURL, Value: endpoint(kind) + "/" + strconv.FormatInt(it.ID, 10)})
			items = append(items, it)
		}
	}
	return items, nil
}

// apiItem turns a REST API record into an item.
func apiItem(p *apiPost, kind string, users map[int64]apiUser, terms map[string]map[int64]apiTerm) *wxr.Item {
	it := &wxr.Item{
		ID: p.ID, Title: html.UnescapeString(p.Title.Rendered), Link: p.Link, GUID: p.GUID.Rendered,
		Content: p.Content.Rendered, Excerpt: p.Excerpt.Rendered, Name: p.Slug,
		Status: wxr.Status(p.Status), Type: wxr.PostType(p.Type), Parent: p.Parent, MenuOrder: p.MenuOrder,
		CommentStatus: p.CommentStatus, PingStatus: p.PingStatus, Sticky: p.Sticky,
	}
	if it.Type == "" {
		it.Type = map[string]wxr.PostType{"posts": wxr.TypePost, "pages": wxr.TypePage, "media": wxr.TypeAttachment}[kind]
	}
	if it.Status == "" {
		it.Status = wxr.StatusPublish
	}
	if p.Content.Protected {
		// The API withholds a protected post's content; the marker makes the
		// archive withhold the item as it would from an export.
		it.Password = "(protected)"
	}
	it.PostDate, _ = apiDate(p.Date)
	it.PostDateGMT, _ = apiDate(p.DateGMT)
	it.Modified, _ = apiDate(p.Modified)
	it.ModifiedGMT, _ = apiDate(p.ModifiedGMT)
	if u, ok := users[p.Author]; ok {
		it.Creator = u.Slug
	} else if p.Author != 0 {
		it.Creator = "user-" + strconv.FormatInt(p.Author, 10)
	}
	for _, tx := range []struct {
		taxonomy string
		ids      []int64
	}{{"category", p.Categories}, {"post_tag", p.Tags}} {
		for _, id := range tx.ids {
			if t, ok := terms[tx.taxonomy][id]; ok {
				it.Terms = append(it.Terms, wxr.ItemTerm{Domain: tx.taxonomy, Nicename: t.Slug, Name: html.UnescapeString(t.Name)})
			}
		}
	}
	if p.FeaturedMedia != 0 {
		it.Meta = append(it.Meta, wxr.Meta{Key: "_thumbnail_id", Value: strconv.FormatInt(p.FeaturedMedia, 10)})
	}
	if kind == "media" {
		it.Type, it.Status = wxr.TypeAttachment, wxr.StatusInherit
		it.AttachmentURL = p.SourceURL
		it.Parent = p.Post
		it.Excerpt = p.Caption.Rendered
		if p.AltText != "" {
			it.Meta = append(it.Meta, wxr.Meta{Key: "_wp_attachment_image_alt", Value: p.AltText})
		}
		if p.MimeType != "" {
			it.Meta = append(it.Meta, wxr.Meta{Key: "_wparchive_mime_type", Value: p.MimeType})
		}
	}
	return it
}

// apiDate turns the API's "2012-09-08T15:31:12" into WordPress's form.
func apiDate(s string) (string, bool) {
	if len(s) < 19 || s[10] != 'T' {
		return "", false
	}
	return s[:10] + " " + s[11:19], true
}

// listAll reads every page of a listing into out (a pointer to a slice),
// following X-WP-TotalPages, or until a short or empty page when the header
// is missing.
func (in *Input) listAll(ctx context.Context, endpoint string, out any) error {
	var all []json.RawMessage
	total := -1
	for n := 1; n <= maxAPIPages && (total < 0 || n <= total); n++ {
		u := fmt.Sprintf("%s?per_page=%d&page=%d", endpoint, perPage, n)
		ok, err := in.allowed(ctx, u)
		if err != nil {
			return err
		}
		if !ok {
			in.skipped = append(in.skipped, Problem{URL: u, Reason: "robots.txt"})
			break
		}
		r, err := in.get(ctx, u, nil)
		if err != nil {
			return err
		}
		if r.Status == http.StatusBadRequest && n > 1 {
			break // rest_post_invalid_page_number: past the end
		}
		if r.Status != http.StatusOK {
			return fmt.Errorf("%s: HTTP %d", u, r.Status)
		}
		var page []json.RawMessage
		if err := json.Unmarshal(r.Body, &page); err != nil {
			return fmt.Errorf("%s: %w", u, err)
		}
		all = append(all, page...)
		if t, err := strconv.Atoi(r.Header.Get("X-WP-TotalPages")); err == nil {
			total = t
		} else if len(page) < perPage {
			break
		}
	}
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: %w", endpoint, err)
	}
	return nil
}

// getJSON fetches one JSON document.
func (in *Input) getJSON(ctx context.Context, u string, out any) error {
	ok, err := in.allowed(ctx, u)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: disallowed by robots.txt", u)
	}
	r, err := in.get(ctx, u, nil)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK {
		return fmt.Errorf("%s: HTTP %d", u, r.Status)
	}
	if err := json.Unmarshal(r.Body, out); err != nil {
		return fmt.Errorf("%s: %w", u, err)
	}
	return nil
}
