package archive_test

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// notFound answers every request with 404, so that media come from the
// local uploads copy and nothing reaches the network.
type notFound struct{}

func (notFound) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
}

// convertTarget archives testdata/wxr/small.xml (media from
// testdata/uploads) with a target into a new folder.
func convertTarget(t *testing.T, name, format string) string {
	t.Helper()
	target, err := archive.TargetNamed(name, format)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	client := web.New(web.Options{Transport: notFound{}, Retries: -1})
	media := &archive.MediaOptions{Client: client, From: os.DirFS(filepath.Join("..", "testdata", "uploads")), Jobs: 2}
	if _, err := convertTo(t, out, archive.Options{Target: target, Media: media, Jobs: 2}, filepath.Join("..", "testdata", "wxr", "small.xml")); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTargets compares the whole tree each generator preset writes with
// its golden dump, testdata/TestTargets/<case>.tree.
func TestTargets(t *testing.T) {
	cases := []struct{ name, target, format string }{
		{"hugo", "hugo", "yaml"},
		{"hugo-toml", "hugo", "toml"},
		{"jekyll", "jekyll", "yaml"},
		{"astro", "astro", "yaml"},
		{"astro-mdx", "astro-mdx", "yaml"},
		{"eleventy", "eleventy", "yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := dumpTree(t, convertTarget(t, tc.target, tc.format))
			golden := filepath.Join("testdata", "TestTargets", tc.name+".tree")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./archive -run TestTargets -update)", err)
			}
			if got != string(want) {
				t.Errorf("tree differs from %s (rerun with -update and review the diff):\n%s", golden, goldenDiff(string(want), got))
			}
		})
	}
}

// TestTargetNamed checks which targets and front matter formats go together.
func TestTargetNamed(t *testing.T) {
	cases := []struct {
		target, format string
		ok             bool
	}{
		{"plain", "toml", true},
		{"hugo", "yaml", true},
		{"hugo", "toml", true},
		{"hugo", "json", true},
		{"jekyll", "yaml", true},
		{"jekyll", "toml", false},
		{"astro", "json", false},
		{"eleventy", "", true},
		{"eleventy", "toml", false},
		{"gatsby", "yaml", false},
		{"hugo", "xml", false},
	}
	for _, tc := range cases {
		_, err := archive.TargetNamed(tc.target, tc.format)
		if (err == nil) != tc.ok {
			t.Errorf("TargetNamed(%q, %q): error %v, want ok=%v", tc.target, tc.format, err, tc.ok)
		}
	}
}

// TestHugoBuild builds the hugo preset's output with a real Hugo, in each
// front matter format: the posts and pages are pages, old addresses are
// alias redirects, records are not published, every link resolves.
func TestHugoBuild(t *testing.T) {
	if _, err := exec.LookPath("hugo"); err != nil {
		t.Skip("hugo is not on PATH: skipping the Hugo build (apt-get install hugo)")
	}
	for _, format := range []string{"yaml", "toml", "json"} {
		t.Run(format, func(t *testing.T) {
			dir := convertTarget(t, "hugo", format)
			writeFiles(t, dir, map[string]string{
				"hugo.toml":                    "baseURL = 'https://example.org/'\ntitle = 'test'\n",
				"layouts/_default/single.html": "<h1>{{ .Title }}</h1>{{ .Content }}\n",
				"layouts/_default/list.html":   "<ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul>\n",
			})
			build(t, dir, "hugo", "--quiet", "-s", dir, "--cacheDir", t.TempDir())
			site := filepath.Join(dir, "public")
			mustExist(t, site,
				"posts/2012/09/classic-post/index.html", "posts/2012/09/block-post/index.html",
				"posts/2012/09/etc-passwd-2/index.html", "posts/2012/09/한국어/index.html",
				"pages/about/index.html", "pages/about/team/index.html", "media/2012/09/photo.jpg")
			mustNotExist(t, site, "posts/2012/09/classic-post/index.json", "posts/2012/09/classic-post/comments/index.html",
				"posts/2012/09/post-14/index.html", "wparchive")
			for alias, to := range map[string]string{
				"2012/09/08/classic-post/index.html": "/posts/2012/09/classic-post/",
				"2012/09/13/한국어/index.html":          "/posts/2012/09/한국어/",
				"about/team/index.html":              "/pages/about/team/",
			} {
				data, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(alias)))
				if err != nil {
					t.Errorf("alias page: %v", err)
					continue
				}
				if want := (&url.URL{Path: to}).EscapedPath(); !strings.Contains(string(data), "url=https://example.org"+want+`"`) {
					t.Errorf("%s does not redirect to %s:\n%s", alias, to, data)
				}
			}
			checkLinks(t, site)
		})
	}
}

// TestJekyllBuild builds the jekyll preset's output with a real Jekyll:
// every published item keeps its old address, drafts stay out, _wparchive/
// is not published, every link resolves.
func TestJekyllBuild(t *testing.T) {
	if _, err := exec.LookPath("jekyll"); err != nil {
		t.Skip("jekyll is not on PATH: skipping the Jekyll build (apt-get install jekyll)")
	}
	dir := convertTarget(t, "jekyll", "yaml")
	layout := "<h1>{{ page.title }}</h1>{{ content }}\n"
	writeFiles(t, dir, map[string]string{
		"_config.yml":        "title: test\nurl: https://example.org\n",
		"_layouts/post.html": layout,
		"_layouts/page.html": layout,
	})
	site := filepath.Join(dir, "_site")
	build(t, dir, "jekyll", "build", "--quiet", "-s", dir, "-d", site)
	mustExist(t, site,
		"2012/09/08/classic-post/index.html", "2012/09/09/block-post/index.html",
		"2012/09/13/hostile-2/index.html", "2012/09/13/한국어/index.html",
		"about/index.html", "about/team/index.html", "assets/media/2012/09/photo.jpg")
	mustNotExist(t, site, "_wparchive", "posts/2012/09/post-14/index.html", "2030/01/01/scheduled/index.html")
	checkLinks(t, site)
}

// build runs a generator in dir, with a time limit.
func build(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

var siteLinkRE = regexp.MustCompile(`(?:href|src)="(/[^"]*)"`)

// checkLinks checks that every site-absolute link of every page of a built
// site names a file of it, and that the posts do link to each other and to
// media.
func checkLinks(t *testing.T, site string) {
	t.Helper()
	links := 0
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range siteLinkRE.FindAllStringSubmatch(string(data), -1) {
			links++
			target, err := url.PathUnescape(strings.TrimPrefix(m[1], "/"))
			if err != nil {
				t.Errorf("link %s: %v", m[1], err)
				continue
			}
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(target))); err != nil {
				rel, _ := filepath.Rel(site, p)
				t.Errorf("%s: link %s does not resolve", rel, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if links < 3 {
		t.Errorf("only %d site links found; want the post-to-post, post-to-page and image links", links)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustExist(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(n))); err != nil {
			t.Errorf("missing from the built site: %s", n)
		}
	}
}

func mustNotExist(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(n))); err == nil {
			t.Errorf("should not be in the built site: %s", n)
		}
	}
}

// dumpTree renders every file below dir with its content, sorted, so a
// whole tree compares as one text.
func dumpTree(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== " + n + "\n")
		switch {
		case path.Ext(n) == ".jpg" || !utf8.Valid(data):
			b.WriteString("(binary, " + strconv.Itoa(len(data)) + " bytes)\n")
		default:
			b.Write(data)
			if len(data) > 0 && data[len(data)-1] != '\n' {
				b.WriteString("\n(no final newline)\n")
			}
		}
	}
	return b.String()
}

// goldenDiff shows the first line where two texts differ.
func goldenDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + strconv.Quote(wl) + "\n  got  " + strconv.Quote(gl)
		}
	}
	return "(same lines)"
}
