package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"

	"github.com/wparchive/wparchive/archive"
)

// site is what every page needs to know about the whole archive.
type site struct {
	rec     *archive.SiteRecord
	url     *url.URL
	payload fs.FS
	opts    Options
	md      goldmark.Markdown
	entries []*entry
	items   map[string]string // Markdown path → HTML page
	terms   []*term           // categories then tags, in display order
	byItem  map[*entry][]*term
}

// term is a category or tag page.
type term struct {
	taxonomy string // category, post_tag
	slug     string
	name     string // with its ancestors for categories: "News › World"
	page     string
	entries  []*entry
}

var taxonomies = []struct{ domain, folder, label string }{
	{"category", "categories", "Categories"},
	{"post_tag", "tags", "Tags"},
}

func newSite(rec *archive.SiteRecord, entries []*entry, payload fs.FS, opts Options) *site {
	s := &site{rec: rec, url: siteURL(rec), payload: payload, opts: opts, md: newMarkdown(),
		entries: entries, items: map[string]string{}, byItem: map[*entry][]*term{}}
	for _, e := range entries {
		s.items[e.line.Markdown] = e.page
	}
	s.buildTerms()
	return s
}

// buildTerms gathers the categories and tags the items are filed under,
// named as site.json names them, each with a page name that is safe and
// unique even on a case-insensitive file system.
func (s *site) buildTerms() {
	names := map[string]string{} // taxonomy/slug → name
	paths := map[string]string{} // taxonomy/slug → slug path
	for _, t := range s.rec.Terms {
		names[t.Taxonomy+"/"+t.Slug] = t.Name
		paths[t.Taxonomy+"/"+t.Slug] = t.Path
	}
	for _, tax := range taxonomies {
		found := map[string]*term{}
		for _, e := range s.entries {
			if e.rec == nil {
				continue
			}
			for _, it := range e.rec.Terms {
				if it.Domain != tax.domain || it.Nicename == "" {
					continue
				}
				t := found[it.Nicename]
				if t == nil {
					t = &term{taxonomy: tax.domain, slug: it.Nicename, name: it.Name}
					found[it.Nicename] = t
				}
				if len(t.entries) == 0 || t.entries[len(t.entries)-1] != e {
					t.entries = append(t.entries, e)
					s.byItem[e] = append(s.byItem[e], t)
				}
			}
		}
		list := make([]*term, 0, len(found))
		for _, t := range found {
			key := tax.domain + "/" + t.slug
			if n := names[key]; n != "" {
				t.name = n
			}
			if t.name == "" {
				t.name = t.slug
			}
			if p := paths[key]; strings.Contains(p, "/") {
				var parts []string
				for _, slug := range strings.Split(p, "/") {
					parts = append(parts, firstNonEmpty(names[tax.domain+"/"+slug], slug))
				}
				t.name = strings.Join(parts, " › ")
			}
			sortEntries(t.entries)
			list = append(list, t)
		}
		sort.Slice(list, func(i, j int) bool {
			a, b := strings.ToLower(list[i].name), strings.ToLower(list[j].name)
			if a != b {
				return a < b
			}
			return list[i].slug < list[j].slug
		})
		taken := map[string]bool{}
		for _, t := range list {
			seg := archive.SafeSegment(t.slug)
			if seg == "" {
				seg = "term"
			}
			base := seg
			for n := 2; taken[strings.ToLower(seg)]; n++ {
				seg = base + "-" + strconv.Itoa(n)
			}
			taken[strings.ToLower(seg)] = true
			t.page = Dir + "/" + tax.folder + "/" + seg + ".html"
		}
		s.terms = append(s.terms, list...)
	}
	for _, ts := range s.byItem {
		sort.Slice(ts, func(i, j int) bool { return ts[i].page < ts[j].page })
	}
}

// sortEntries puts entries newest first; undated ones last; ties by id.
func sortEntries(es []*entry) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.dated != b.dated {
			return a.dated
		}
		if !a.when.Equal(b.when) {
			return a.when.After(b.when)
		}
		if a.line.ID != b.line.ID {
			return a.line.ID < b.line.ID
		}
		return a.page < b.page
	})
}

// link is one entry in a list of items.
type link struct {
	Href  string
	Title string
	Date  string
	Draft bool
	Depth int
	Count int
}

func (s *site) linkTo(from string, e *entry) link {
	l := link{Href: href(from, e.page), Title: e.title(), Draft: e.line.Draft, Date: "undated"}
	if e.dated {
		l.Date = e.when.Format("2006-01-02")
	}
	return l
}

// href is the relative URL from the page `from` to the payload file `to`.
func href(from, to string) string {
	return (&url.URL{Path: relPath(path.Dir(from), to)}).String()
}

// group is a titled list of links.
type group struct {
	Title string
	ID    string
	Links []link
}

func (s *site) indexPage() ([]byte, error) {
	const from = Dir + "/index.html"
	var posts, pages []*entry
	others := map[string][]*entry{}
	for _, e := range s.entries {
		switch e.line.Type {
		case "post":
			posts = append(posts, e)
		case "page":
			pages = append(pages, e)
		default:
			others[e.line.Type] = append(others[e.line.Type], e)
		}
	}
	sortEntries(posts)
	data := indexData{pageData: s.pageData(from, ""), Description: s.rec.Description, Posts: len(posts), Pages: len(pages)}
	if s.url != nil {
		data.Original = s.url.String()
	}
	for _, e := range posts {
		year := "Undated"
		if e.dated {
			year = strconv.Itoa(e.when.Year())
		}
		if n := len(data.Years); n == 0 || data.Years[n-1].Title != year {
			data.Years = append(data.Years, group{Title: year, ID: "y" + year})
		}
		data.Years[len(data.Years)-1].Links = append(data.Years[len(data.Years)-1].Links, s.linkTo(from, e))
	}
	// Pages in folder order, which is their hierarchy: a child under its parent.
	for _, e := range pages {
		l := s.linkTo(from, e)
		l.Depth = min(strings.Count(e.dir, "/")-1, 4)
		data.PageLinks = append(data.PageLinks, l)
	}
	types := make([]string, 0, len(others))
	for t := range others {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		sortEntries(others[t])
		g := group{Title: firstNonEmpty(t, "(no type)"), ID: "type-" + t}
		for _, e := range others[t] {
			g.Links = append(g.Links, s.linkTo(from, e))
		}
		data.Others = append(data.Others, g)
	}
	for _, tax := range taxonomies {
		g := group{Title: tax.label, ID: tax.folder}
		for _, t := range s.terms {
			if t.taxonomy == tax.domain {
				g.Links = append(g.Links, link{Href: href(from, t.page), Title: t.name, Count: len(t.entries)})
			}
		}
		if len(g.Links) > 0 {
			data.Terms = append(data.Terms, g)
		}
	}
	return execute("index", data)
}

func (s *site) termPage(t *term) ([]byte, error) {
	kind := "Category"
	if t.taxonomy == "post_tag" {
		kind = "Tag"
	}
	data := termData{pageData: s.pageData(t.page, kind+": "+t.name), Kind: kind, Name: t.name}
	for _, e := range t.entries {
		data.Links = append(data.Links, s.linkTo(t.page, e))
	}
	return execute("term", data)
}

func (s *site) itemPage(e *entry, res *Result) ([]byte, error) {
	src, err := fs.ReadFile(s.payload, e.line.Markdown)
	if err != nil {
		return nil, err
	}
	r := &resolver{base: e.dir, page: path.Dir(e.page), items: s.items, site: s.url, has: s.has}
	var body bytes.Buffer
	if err := s.md.Convert(stripFrontMatter(src), &body); err != nil {
		return nil, err
	}
	data := itemData{pageData: s.pageData(e.page, e.title()), Item: s.linkTo(e.page, e),
		Status: e.line.Status, Body: template.HTML(sanitize(body.String(), r))}
	if e.dated {
		data.Date = e.when.Format("2006-01-02 15:04")
	}
	if e.line.Status == "publish" {
		data.Status = ""
	}
	if u := r.resolve(e.line.URL); u.kind == remote {
		data.Original = u.value
	}
	data.Markdown = href(e.page, e.line.Markdown)
	if e.line.JSON != "" && fs.ValidPath(e.line.JSON) {
		data.JSON = href(e.page, e.line.JSON)
	}
	for _, t := range s.byItem[e] {
		l := link{Href: href(e.page, t.page), Title: t.name}
		if t.taxonomy == "category" {
			data.Categories = append(data.Categories, l)
		} else {
			data.Tags = append(data.Tags, l)
		}
	}
	if e.rec != nil {
		data.Author = e.rec.Author.DisplayName
		if data.Author == "" {
			data.Author = e.rec.Author.Login
		}
		data.Comments = s.thread(e.rec.Comments, r, res, 0)
		data.CommentCount = countComments(data.Comments)
		res.Comments += data.CommentCount
	}
	data.RemoteImages = r.remoteImages
	res.RemoteImages += r.remoteImages
	for _, m := range r.missing {
		res.MissingImages = append(res.MissingImages, e.page+": "+m)
	}
	return execute("item", data)
}

// maxDepth bounds comment nesting: a hostile record must not blow the stack.
const maxDepth = 50

func (s *site) thread(cs []*archive.Comment, r *resolver, res *Result, depth int) []commentData {
	var out []commentData
	for _, c := range cs {
		if c == nil {
			continue
		}
		cd := commentData{ID: c.ID, Author: firstNonEmpty(strings.TrimSpace(c.Author), "Anonymous"), Date: c.Date,
			Type: c.Type, Body: template.HTML(sanitize(autop(c.Content), r))}
		if cd.Type == "comment" {
			cd.Type = ""
		}
		if u := r.resolve(c.AuthorURL); u.kind == remote && !strings.HasPrefix(u.value, "mailto:") {
			cd.URL = u.value
		}
		if depth < maxDepth {
			cd.Replies = s.thread(c.Replies, r, res, depth+1)
		} else if len(c.Replies) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("comment %d: replies nested deeper than %d left out", c.ID, maxDepth))
		}
		out = append(out, cd)
	}
	return out
}

func countComments(cs []commentData) int {
	n := len(cs)
	for _, c := range cs {
		n += countComments(c.Replies)
	}
	return n
}

// has reports whether the payload holds the file name.
func (s *site) has(name string) bool {
	fi, err := fs.Stat(s.payload, name)
	return err == nil && fi.Mode().IsRegular()
}

func (s *site) pageData(page, title string) pageData {
	site := firstNonEmpty(strings.TrimSpace(s.rec.Title), "Archive")
	pd := pageData{Site: site, Title: site, Lang: language(s.rec.Language), Tool: s.opts.Tool,
		Root: relPath(path.Dir(page), Dir+"/index.html")}
	pd.Style = strings.TrimSuffix(pd.Root, "index.html") + "style.css"
	if title != "" {
		pd.Title = title + " · " + site
	}
	return pd
}

// language keeps a well-formed language tag for the lang attribute.
func language(s string) string {
	if s == "" || len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return ""
		}
	}
	return s
}

// autop gives a comment without block markup the paragraphs and line
// breaks WordPress would have shown.
func autop(s string) string {
	lower := strings.ToLower(s)
	if strings.Contains(lower, "<p") || strings.Contains(lower, "<div") || strings.Contains(lower, "<pre") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>" + strings.ReplaceAll(para, "\n", "<br>\n") + "</p>\n")
	}
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
