package live

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRobotsAllowed(t *testing.T) {
	const txt = `# comment
User-agent: *
Disallow: /private/
Allow: /private/open$
Disallow: /*.pdf$

User-agent: OtherBot
Disallow: /

Sitemap: https://example.org/wp-sitemap.xml
`
	const own = "User-agent: Wparchive/1.0\nUser-agent: other\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\nDisallow: /*?s=\n"
	tests := []struct {
		robots, path string
		want         bool
	}{
		{txt, "/", true},
		{txt, "/private/x", false},
		{txt, "/private/open", true},
		{txt, "/private/open/more", false},
		{txt, "/files/a.pdf", false},
		{txt, "/files/a.pdf?x=1", true},
		{own, "/private/x", true}, // the wparchive group replaces "*"
		{own, "/wp-admin/x", false},
		{own, "/wp-admin/admin-ajax.php", true},
		{own, "/?s=term", false},
		{"User-agent: *\nDisallow:\n", "/anything", true},
		{"", "/anything", true},
		{"Disallow: /orphan\n", "/orphan", true}, // a rule outside any group
	}
	for _, tt := range tests {
		if got := parseRobots([]byte(tt.robots)).allowed(tt.path); got != tt.want {
			t.Errorf("robots %q, path %q: allowed = %v, want %v", strings.SplitN(tt.robots, "\n", 2)[0], tt.path, got, tt.want)
		}
	}
}

// TestParseSitemap runs testdata/TestParseSitemap/<case>.in.xml through the
// parser and compares with <case>.out.json.
func TestParseSitemap(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join("testdata", t.Name(), "*.in.xml"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.xml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, "-gz") {
				raw = gz(raw)
			}
			sm, err := parseSitemap(raw)
			var got []byte
			if err != nil {
				got = []byte("error: " + err.Error() + "\n")
			} else {
				got, _ = json.MarshalIndent(sm, "", "  ")
				got = append(got, '\n')
			}
			golden := strings.TrimSuffix(in, ".in.xml") + ".out.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestPageMeta(t *testing.T) {
	tests := []struct {
		name, html string
		id         int64
		page       bool
	}{
		{"post class", `<html><body class="single single-post postid-42"></body></html>`, 42, false},
		{"page class", `<html><body class="page-template-default page page-id-7"></body></html>`, 7, true},
		{"shortlink", `<html><head><link rel='shortlink' href='https://x.org/?p=99'/></head><body></body></html>`, 99, false},
		{"wp.me shortlink", `<html><head><link rel="shortlink" href="https://wp.me/p1-2"></head><body class="home"></body></html>`, 0, false},
		{"og website", `<html><head><meta property="og:type" content="website"></head><body></body></html>`, 0, true},
		{"garbage", `<body class="postid-x page-id-`, 0, false},
	}
	for _, tt := range tests {
		m := scanPageMeta([]byte(tt.html))
		if got := m.postID(); got != tt.id {
			t.Errorf("%s: id = %d, want %d", tt.name, got, tt.id)
		}
		if got := m.isPage(); got != tt.page {
			t.Errorf("%s: page = %v, want %v", tt.name, got, tt.page)
		}
	}
	m := scanPageMeta([]byte(`<html lang="de"><head><title>Hallo | Mein Blog</title></head><body><p class="site-title"><a href="/">Mein <b>Blog</b></a></p><div id="site-description">Über alles</div></body></html>`))
	if m.SiteTitle != "Mein Blog" || m.SiteDesc != "Über alles" || m.Lang != "de" || titleSuffix(m.Title, "Hallo") != "Mein Blog" {
		t.Errorf("meta = %+v", m)
	}
}

func TestDerivedID(t *testing.T) {
	a, b := derivedID("https://x.org/a/"), derivedID("https://x.org/b/")
	if a == b || a < derivedIDBase || a >= 1<<53 || b < derivedIDBase || b >= 1<<53 {
		t.Errorf("derived ids %d, %d", a, b)
	}
	if a != derivedID("https://x.org/a/") {
		t.Error("derived id is not stable")
	}
}

func TestSitemapFilters(t *testing.T) {
	for u, want := range map[string]bool{
		"https://x.org/wp-sitemap-posts-post-1.xml": true, "https://x.org/post-sitemap2.xml": true,
		"https://x.org/page-sitemap.xml": true, "https://x.org/sitemap.xml": false,
	} {
		if got := contentSitemap(u); got != want {
			t.Errorf("contentSitemap(%s) = %v", u, got)
		}
	}
	for u, want := range map[string]bool{
		"https://x.org/wp-sitemap-taxonomies-category-1.xml": true, "https://x.org/wp-sitemap-users-1.xml": true,
		"https://x.org/author-sitemap.xml": true, "https://x.org/wp-sitemap-posts-post-1.xml": false,
	} {
		if got := taxonomySitemap(u); got != want {
			t.Errorf("taxonomySitemap(%s) = %v", u, got)
		}
	}
	for p, want := range map[string]bool{
		"/category/news/": true, "/tag/go/": true, "/author/jane/": true, "/page/2/": true, "/blog/page/3/": true,
		"/2020/01/a-page-about-pages/": false, "/page/about/": false, "/about/": false,
	} {
		if got := archiveURL(mustURL(t, "https://x.org"+p)); got != want {
			t.Errorf("archiveURL(%s) = %v", p, got)
		}
	}
}
