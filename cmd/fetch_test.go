package cmd

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fetchPage = `<!DOCTYPE html><html lang="en"><head><title>Hello | Test Blog</title>
<link rel="canonical" href="/2024/05/hello/"><meta property="article:published_time" content="2024-05-06T07:08:09+02:00"></head>
<body class="single single-post postid-5"><article class="post-5 post type-post status-publish hentry">
<h1 class="entry-title">Hello</h1><div class="entry-content"><p>A first paragraph that is long enough to be the article body of this page.</p>
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3></div></div></article></body></html>`

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/2024/05/hello/":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(fetchPage))
		case "/robots.txt":
			w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"page", []string{srv.URL + "/2024/05/hello/", "--allow-private-network", "--no-media", "-q"}, ExitOK, ""},
		{"private address refused", []string{srv.URL + "/2024/05/hello/", "--no-media", "-q"}, ExitItemsFailed, "address not allowed"},
		{"robots and a missing page", []string{srv.URL + "/2024/05/hello/", srv.URL + "/private/x/", srv.URL + "/gone/", "--allow-private-network", "--no-media"}, ExitItemsFailed, "1 of 3 items: some items failed (first: item"},
		{"nothing to fetch", nil, ExitUsage, "nothing to fetch"},
		{"no such file", []string{"missing.html"}, ExitUsage, "neither an http(s) URL nor an existing file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "archive")
			code, _, stderr := run(t, append([]string{"fetch", "-o", out}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if code == ExitUsage {
				return
			}
			if _, err := os.Stat(filepath.Join(out, "bagit.txt")); err != nil {
				t.Error(err)
			}
			if tt.code == ExitOK {
				md, err := os.ReadFile(filepath.Join(out, "data/posts/2024/05/hello/index.md"))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(md), "wordpress_id: 5") || strings.Contains(string(md), "Share this") {
					t.Errorf("index.md:\n%s", md)
				}
				if _, err := os.Stat(filepath.Join(out, "data/warc/capture-00000.warc.gz")); err != nil {
					t.Error(err)
				}
				if code, _, stderr := run(t, "verify", out); code != ExitOK {
					t.Errorf("verify: exit %d\n%s", code, stderr)
				}
			}
		})
	}
}
