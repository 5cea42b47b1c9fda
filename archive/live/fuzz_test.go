package live

import (
	"net/url"
	"testing"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /private/\nAllow: /private/open$\n"), "/private/x")
	f.Fuzz(func(t *testing.T, body []byte, p string) {
		r := parseRobots(body)
		r.allowed(p)
	})
}

func FuzzSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://x.org/a/</loc></url></urlset>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		sm, err := parseSitemap(body)
		if err == nil && sm == nil {
			t.Fatal("nil sitemap without error")
		}
	})
}

func FuzzPageMeta(f *testing.F) {
	f.Add([]byte(`<html lang="en"><head><link rel="shortlink" href="/?p=3"></head><body class="single-post postid-3"><h1 class="site-title">X</h1></body></html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		m := scanPageMeta(body)
		m.postID()
		m.isPage()
	})
}
