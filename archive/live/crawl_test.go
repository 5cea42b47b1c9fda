package live

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/wparchive/wparchive/archive"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nlnwa/gowarc"
)

// fixturePages are the real WordPress pages of the shared fixtures.
var fixturePages = []string{
	"aeb__blog.givewell.org__ad9e9e596f21.html",
	"aeb__theparadigmng.com__0dd135704572.html",
	"trafilatura__lemire.me.json.html",
	"trafilatura__murdeltas.wordpress.com.politcamp.html",
}

// sitemapSite serves the fixture pages under a wp-sitemap.xml index, with a
// taxonomy sitemap and a category URL that must not be followed.
func sitemapSite(t *testing.T, robots string) (*site, []string) {
	fx := fixtures(t, "html")
	s := newSite(t)
	var locs []string
	for i, name := range fixturePages {
		raw, err := os.ReadFile(filepath.Join(fx, name))
		if err != nil {
			t.Fatal(err)
		}
		p := fmt.Sprintf("/2020/01/post-%d/", i)
		s.serve(p, "text/html; charset=UTF-8", raw)
		locs = append(locs, s.URL+p)
	}
	var urlset strings.Builder
	urlset.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, l := range locs {
		fmt.Fprintf(&urlset, "<url><loc>%s</loc><lastmod>2020-01-01</lastmod></url>", l)
	}
	urlset.WriteString(`<url><loc>https://elsewhere.example/2020/01/x/</loc></url></urlset>`)
	s.serve("/wp-sitemap-posts-post-1.xml", "application/xml", []byte(urlset.String()))
	s.serve("/wp-sitemap-taxonomies-category-1.xml", "application/xml",
		[]byte(`<urlset><url><loc>`+s.URL+`/category/news/</loc></url></urlset>`))
	s.serve("/wp-sitemap.xml", "application/xml", []byte(`<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>`+s.URL+`/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc>`+s.URL+`/wp-sitemap-taxonomies-category-1.xml</loc></sitemap>
<sitemap><loc>`+s.URL+`/wp-sitemap.xml</loc></sitemap>
</sitemapindex>`))
	if robots != "" {
		s.serve("/robots.txt", "text/plain", []byte(robots))
	}
	return s, locs
}

func TestSitemapCrawl(t *testing.T) {
	s, _ := sitemapSite(t, "")
	dir := t.TempDir()
	in, rep, err := run(t, dir, Options{Sitemaps: []string{s.URL}})
	if err != nil {
		t.Fatalf("run: %v (%+v)", err, in.Failed())
	}
	if rep.Items.Written != len(fixturePages) {
		t.Errorf("written = %d, want %d; failed %v", rep.Items.Written, len(fixturePages), in.Failed())
	}
	for i := range fixturePages {
		if n := s.hit(fmt.Sprintf("/2020/01/post-%d/", i)); n != 1 {
			t.Errorf("post %d fetched %d times", i, n)
		}
	}
	for _, p := range []string{"/wp-sitemap-taxonomies-category-1.xml", "/category/news/"} {
		if n := s.hit(p); n != 0 {
			t.Errorf("%s fetched %d times, want 0", p, n)
		}
	}
	if n := s.hit("/wp-sitemap.xml"); n != 1 {
		t.Errorf("sitemap index fetched %d times, want 1", n)
	}
	// The ids come from the pages' body classes.
	lines := readFile(t, filepath.Join(dir, "data/items.jsonl"))
	for _, id := range []string{`"id":11556`, `"id":64645`, `"id":17725`, `"id":7997`} {
		if !strings.Contains(lines, id) {
			t.Errorf("items.jsonl lacks %s", id)
		}
	}

	// A second run into the same folder fetches no page again and keeps the
	// first capture.
	in2, rep2, err := run(t, dir, Options{Sitemaps: []string{s.URL}})
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	for i := range fixturePages {
		if n := s.hit(fmt.Sprintf("/2020/01/post-%d/", i)); n != 1 {
			t.Errorf("after re-run, post %d fetched %d times, want 1", i, n)
		}
	}
	if rep2.Items.Written != len(fixturePages) || len(in2.Failed()) != 0 {
		t.Errorf("re-run written %d, failed %v", rep2.Items.Written, in2.Failed())
	}
	if got := findFile(t, dir, ".warc.gz"); len(got) != 2 {
		t.Errorf("captures after re-run: %v, want 2", got)
	}
	if got := readFile(t, filepath.Join(dir, "data/items.jsonl")); got != lines {
		t.Errorf("items.jsonl changed on re-run:\n%s\n---\n%s", lines, got)
	}
}

func TestRobotsObeyed(t *testing.T) {
	s, _ := sitemapSite(t, "User-agent: *\nDisallow: /\n\nUser-agent: wparchive\nAllow: /\nDisallow: /2020/01/post-1/\n")
	dir := t.TempDir()
	in, rep, err := run(t, dir, Options{Sitemaps: []string{s.URL}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if n := s.hit("/2020/01/post-1/"); n != 0 {
		t.Errorf("disallowed page fetched %d times", n)
	}
	if rep.Items.Written != len(fixturePages)-1 {
		t.Errorf("written = %d, want %d", rep.Items.Written, len(fixturePages)-1)
	}
	sk := in.Skipped()
	if len(sk) != 1 || sk[0].URL != s.URL+"/2020/01/post-1/" || sk[0].Reason != "robots.txt" {
		t.Errorf("skipped = %+v", sk)
	}
	if n := s.hit("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want 1", n)
	}
	if rep.Skipped["robots.txt"] != 1 || !rep.Balanced() {
		t.Errorf("report.json does not count the robots.txt skip: %+v %v", rep.Items, rep.Skipped)
	}
}

// TestWARCReadBack reads the capture with gowarc's reader: every response
// fetched is there, with its payload and the injected clock's date.
func TestWARCReadBack(t *testing.T) {
	s, locs := sitemapSite(t, "User-agent: *\nAllow: /\n")
	dir := t.TempDir()
	if _, _, err := run(t, dir, Options{Sitemaps: []string{s.URL}}); err != nil {
		t.Fatalf("run: %v", err)
	}
	warcs := findFile(t, dir, ".warc.gz")
	if len(warcs) != 1 || warcs[0] != "data/warc/capture-00000.warc.gz" {
		t.Fatalf("captures: %v", warcs)
	}
	raw := readFile(t, filepath.Join(dir, warcs[0]))
	r, err := gowarc.NewWarcFileReaderFromStream(strings.NewReader(raw), 0)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	ids := map[string]bool{}
	responses := map[string][]byte{}
	for {
		rec, _, val, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if val != nil && len(*val) > 0 {
			t.Errorf("record %s: validation: %v", rec.RecordId(), *val)
		}
		types[rec.Type().String()]++
		ids[rec.RecordId()] = true
		if d, err := rec.Date(); err != nil || !d.Equal(testNow()) {
			t.Errorf("WARC-Date = %v, %v", d, err)
		}
		if rec.Type() == gowarc.Response {
			if !strings.HasPrefix(rec.WarcHeader().Get(gowarc.WarcPayloadDigest), "sha256:") {
				t.Errorf("payload digest %q", rec.WarcHeader().Get(gowarc.WarcPayloadDigest))
			}
			blk, ok := rec.Block().(gowarc.HttpResponseBlock)
			if !ok {
				t.Fatalf("response block is %T", rec.Block())
			}
			pr, err := blk.PayloadBytes()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(pr)
			responses[rec.WarcHeader().Get(gowarc.WarcTargetURI)] = b
		}
		rec.Close()
	}
	// robots, the index, the posts sitemap, four pages.
	if types["warcinfo"] != 1 || types["response"] != 3+len(locs) || types["request"] != types["response"] {
		t.Errorf("record types: %v", types)
	}
	want, _ := os.ReadFile(filepath.Join(fixtures(t, "html"), fixturePages[0]))
	if !bytes.Equal(responses[locs[0]], want) {
		t.Errorf("payload of %s differs from the page served (%d vs %d bytes)", locs[0], len(responses[locs[0]]), len(want))
	}
	if len(ids) != types["warcinfo"]+types["response"]+types["request"] {
		t.Errorf("record ids are not unique: %d for %v", len(ids), types)
	}
}

func TestSavedFiles(t *testing.T) {
	fx := fixtures(t, "html")
	var files []string
	for _, n := range fixturePages[:2] {
		files = append(files, filepath.Join(fx, n))
	}
	dir := t.TempDir()
	in, rep, err := run(t, dir, Options{Files: files})
	if err != nil {
		t.Fatalf("run: %v (%v)", err, in.Failed())
	}
	if rep.Items.Written != 2 || in.Requests() != 0 {
		t.Errorf("written %d, requests %d", rep.Items.Written, in.Requests())
	}
	if w := findFile(t, dir, ".warc.gz"); len(w) != 0 {
		t.Errorf("a run without network wrote captures: %v", w)
	}
	var names []string
	for _, src := range rep.Sources {
		names = append(names, src.Name)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "aeb__blog.givewell.org__ad9e9e596f21.html aeb__theparadigmng.com__0dd135704572.html" {
		t.Errorf("sources = %v", names)
	}
	js := readFile(t, filepath.Join(dir, findFile(t, dir, "/index.json")[0]))
	if !strings.Contains(js, `"key": "`+MetaSourceFile+`"`) || !strings.Contains(js, `"link": "https://`) {
		t.Errorf("index.json lacks the source file or canonical link:\n%.600s", js)
	}
}

// TestFailedPage: a page that cannot be fetched is reported, the others
// are archived.
func TestFailedPage(t *testing.T) {
	s := newSite(t)
	s.serve("/ok/", "text/html", []byte(`<html><head><link rel="canonical" href="/ok/"></head><body class="single-post postid-7"><article><h1 class="entry-title">Fine</h1><div class="entry-content"><p>All is well here, and this paragraph is long enough to count as an article body.</p></div></article></body></html>`))
	s.mux.HandleFunc("/gone/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	dir := t.TempDir()
	in, rep, err := run(t, dir, Options{URLs: []string{s.URL + "/ok/", s.URL + "/gone/"}})
	if !errors.Is(err, archive.ErrItemsFailed) {
		t.Fatalf("run: %v, want the failed page counted", err)
	}
	if rep.Items.Written != 1 || rep.Items.Failed != 1 || !rep.Balanced() {
		t.Errorf("items = %+v", rep.Items)
	}
	f := in.Failed()
	if len(f) != 1 || f[0].URL != s.URL+"/gone/" || f[0].Reason != "HTTP 410" {
		t.Errorf("failed = %+v", f)
	}
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// apiSite serves a REST API with n posts over pages of 100, comments on the
// first post, and the taxonomies and users.
func apiSite(t *testing.T, n int) *site {
	s := newSite(t)
	list := func(path string, items []map[string]any) {
		s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			page := 1
			fmt.Sscan(r.URL.Query().Get("page"), &page)
			pages := max(1, (len(items)+perPage-1)/perPage)
			if page > pages {
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"code":"rest_post_invalid_page_number"}`))
				return
			}
			end := min(page*perPage, len(items))
			w.Header().Set("X-WP-Total", fmt.Sprint(len(items)))
			w.Header().Set("X-WP-TotalPages", fmt.Sprint(pages))
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(items[(page-1)*perPage : end])
		})
	}
	var posts []map[string]any
	for i := 1; i <= n; i++ {
		posts = append(posts, map[string]any{
			"id": i, "date": "2021-03-04T05:06:07", "date_gmt": "2021-03-04T04:06:07",
			"modified": "2021-03-04T05:06:07", "modified_gmt": "2021-03-04T04:06:07",
			"slug": fmt.Sprintf("post-%d", i), "status": "publish", "type": "post",
			"link": fmt.Sprintf("%s/2021/03/post-%d/", s.URL, i), "guid": map[string]any{"rendered": fmt.Sprintf("%s/?p=%d", s.URL, i)},
			"title":   map[string]any{"rendered": fmt.Sprintf("Post &#8220;%d&#8221;", i)},
			"content": map[string]any{"rendered": fmt.Sprintf("<p>Body of post %d.</p>\n", i), "protected": false},
			"excerpt": map[string]any{"rendered": ""}, "author": 2, "featured_media": 0,
			"comment_status": "open", "ping_status": "open", "sticky": false,
			"categories": []int{3}, "tags": []int{4},
		})
	}
	list("/wp-json/wp/v2/posts", posts)
	list("/wp-json/wp/v2/pages", []map[string]any{{
		"id": 1000, "date": "2020-01-01T00:00:00", "date_gmt": "2020-01-01T00:00:00", "slug": "about", "status": "publish",
		"type": "page", "link": s.URL + "/about/", "title": map[string]any{"rendered": "About"},
		"content": map[string]any{"rendered": "<p>About us.</p>"}, "author": 2,
	}})
	list("/wp-json/wp/v2/media", nil)
	list("/wp-json/wp/v2/comments", []map[string]any{
		{"id": 10, "post": 1, "parent": 0, "author_name": "Ann", "author_url": "https://ann.example/", "date": "2021-03-05T00:00:00", "date_gmt": "2021-03-04T23:00:00", "content": map[string]any{"rendered": "<p>First!</p>"}, "status": "approved", "type": "comment"},
		{"id": 11, "post": 1, "parent": 10, "author_name": "Bob", "date": "2021-03-05T01:00:00", "content": map[string]any{"rendered": "<p>Reply.</p>"}, "status": "approved", "type": "comment"},
	})
	list("/wp-json/wp/v2/categories", []map[string]any{{"id": 3, "name": "News &amp; Views", "slug": "news"}})
	list("/wp-json/wp/v2/tags", []map[string]any{{"id": 4, "name": "Go", "slug": "go"}})
	list("/wp-json/wp/v2/users", []map[string]any{{"id": 2, "name": "Jane Writer", "slug": "jane"}})
	s.serve("/wp-json/", "application/json", []byte(`{"name":"API Site","description":"Tests &amp; more","url":"`+s.URL+`","home":"`+s.URL+`"}`))
	return s
}

func TestAPICrawl(t *testing.T) {
	s := apiSite(t, 150)
	dir := t.TempDir()
	in, rep, err := run(t, dir, Options{APIs: []string{s.URL}})
	if err != nil {
		t.Fatalf("run: %v (%v)", err, in.Failed())
	}
	if rep.Items.Written != 151 {
		t.Errorf("written = %d, want 151", rep.Items.Written)
	}
	if n := s.hit("/wp-json/wp/v2/posts"); n != 2 {
		t.Errorf("posts listing fetched %d times, want 2 pages", n)
	}
	if rep.Comments.Read != 2 || rep.Comments.Written != 2 {
		t.Errorf("comments = %+v", rep.Comments)
	}
	md := readFile(t, filepath.Join(dir, "data/posts/2021/03/post-1/index.md"))
	for _, want := range []string{"title: Post “1”\n", "author: Jane Writer\n", "  - News & Views\n", "  - Go\n", "Body of post 1."} {
		if !strings.Contains(md, want) {
			t.Errorf("post-1 index.md lacks %q:\n%s", want, md)
		}
	}
	js := readFile(t, filepath.Join(dir, "data/posts/2021/03/post-1/index.json"))
	for _, want := range []string{`"post_date": "2021-03-04 05:06:07"`, `"post_date_gmt": "2021-03-04 04:06:07"`, s.URL + "/wp-json/wp/v2/posts/1"} {
		if !strings.Contains(js, want) {
			t.Errorf("post-1 index.json lacks %q", want)
		}
	}
	if cm := readFile(t, filepath.Join(dir, "data/posts/2021/03/post-1/comments.md")); !strings.Contains(cm, "Reply.") || !strings.Contains(cm, "Ann") {
		t.Errorf("comments.md:\n%s", cm)
	}
	if _, err := os.Stat(filepath.Join(dir, "data/pages/about/index.md")); err != nil {
		t.Error(err)
	}
	site := readFile(t, filepath.Join(dir, "data/site.json"))
	if !strings.Contains(site, `"title": "API Site"`) || !strings.Contains(site, `"description": "Tests & more"`) {
		t.Errorf("site.json:\n%.500s", site)
	}
}

// TestRefresh: with Refresh, a captured page is revalidated with its ETag
// and reused on 304 Not Modified.
func TestRefresh(t *testing.T) {
	s := newSite(t)
	body := []byte(`<html><head><link rel="canonical" href="/a/"></head><body class="single-post postid-9"><article><h1 class="entry-title">A</h1><div class="entry-content"><p>Some text long enough to be taken for the body of the article.</p></div></article></body></html>`)
	var conditional int
	s.mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html")
		w.Write(body)
	})
	dir := t.TempDir()
	for i, refresh := range []bool{false, false, true} {
		in, rep, err := run(t, dir, Options{URLs: []string{s.URL + "/a/"}, Refresh: refresh})
		if err != nil || rep.Items.Written != 1 {
			t.Fatalf("run %d: %v, written %d, failed %v", i, err, rep.Items.Written, in.Failed())
		}
	}
	if n := s.hit("/a/"); n != 2 || conditional != 1 {
		t.Errorf("page requests %d (conditional %d), want 2 (1)", n, conditional)
	}
}
