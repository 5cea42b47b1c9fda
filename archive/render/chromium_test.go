package render

import (
	"bytes"
	"context"
	"image/png"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on a file: URL with everything that could
// reach the network turned off, and returns its standard output.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// TestChromium opens the rendered site in a real browser: the index lists
// the posts, a post shows its content and its archived image, and a phone
// sized screenshot shows the image and the style were loaded from disk.
func TestChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s not found: the real-browser check needs Chromium (apt-get install chromium); the static checks run without it", chromiumPath)
	}
	dir := buildArchive(t)
	renderArchive(t, dir)
	htmlDir := filepath.Join(dir, "data", "html")

	index := string(chromium(t, "--dump-dom", fileURL(filepath.Join(htmlDir, "index.html"))))
	for _, want := range []string{"Small Test Site", "Block post", "Korean slug", `href="posts/2012/09/classic-post/index.html"`, "News › World"} {
		if !strings.Contains(index, want) {
			t.Errorf("index DOM lacks %q", want)
		}
	}

	postFile := filepath.Join(htmlDir, "posts", "2012", "09", "classic-post", "index.html")
	post := string(chromium(t, "--dump-dom", fileURL(postFile)))
	for _, want := range []string{"Second paragraph with <strong>bold</strong>", "A reply to Alice.", "[image: A photo]", `href="../../../../pages/about/index.html"`} {
		if !strings.Contains(post, want) {
			t.Errorf("post DOM lacks %q", want)
		}
	}
	doc, err := html.Parse(strings.NewReader(post))
	if err != nil {
		t.Fatal(err)
	}
	imgs := 0
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "img" {
			return
		}
		imgs++
		src := attrOf(n, "src")
		u, err := url.Parse(src)
		if err != nil || u.Scheme != "" || u.Host != "" {
			t.Errorf("<img src=%q> is not a relative URL", src)
			return
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(postFile), filepath.FromSlash(u.Path))); err != nil {
			t.Errorf("<img src=%q> does not point to a file of the archive: %v", src, err)
		}
	})
	if imgs != 1 {
		t.Errorf("the post shows %d <img> elements, want 1 (the archived one)", imgs)
	}

	shot := filepath.Join(t.TempDir(), "post.png")
	chromium(t, "--screenshot="+shot, "--window-size=412,915", "--hide-scrollbars", fileURL(postFile))
	data, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the post at phone size: %s (%d bytes)", shot, len(data))
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The test image is yellow and blue stripes; yellow pixels on screen
	// mean the browser loaded it from the archive despite the page's CSP.
	yellow := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 > 0xe0 && g>>8 > 0xc0 && g>>8 < 0xe0 && bl>>8 < 0x60 {
				yellow++
			}
		}
	}
	if yellow < 1000 {
		t.Errorf("the screenshot shows %d pixels of the archived image; it did not load", yellow)
	}
	if b.Dx() != 412 {
		t.Errorf("screenshot is %d px wide, want 412", b.Dx())
	}
	// The kept copy is refreshed with -update only, so a test run leaves
	// the checkout as it was.
	if *update && len(data) < 200<<10 {
		if err := os.WriteFile(filepath.Join("testdata", "screenshot-post.png"), data, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// TestNoExternalLoads is how "no request leaves the archive" is checked:
// statically, over every rendered file. No script; every src and every
// stylesheet href is a relative URL of a file in the archive; every other
// href is relative, a fragment, or an explicit http(s)/mailto link the
// reader has to follow; the style sheet imports nothing.
func TestNoExternalLoads(t *testing.T) {
	dir := buildArchive(t)
	renderArchive(t, dir)
	checkOffline(t, filepath.Join(dir, "data"))
}

// TestNoExternalLoadsThemeUnitTest runs the same check on the WordPress
// theme unit test export, whose content has every kind of markup.
func TestNoExternalLoadsThemeUnitTest(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "fixtures", "wxr", "wptt__themeunittestdata.wordpress.xml")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("fixture not available (%v); it lives in /work/shared/fixtures", err)
	}
	dir := convertFile(t, src)
	root, err := os.OpenRoot(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err := Render(context.Background(), root.FS(), RootWriter{Root: root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d item pages, %d comments, %d remote images as links, %d warnings", res.Items, res.Comments, res.RemoteImages, len(res.Warnings))
	checkOffline(t, filepath.Join(dir, "data"))
}

func checkOffline(t *testing.T, payloadDir string) {
	t.Helper()
	payload := os.DirFS(payloadDir)
	css, err := fs.ReadFile(payload, "html/style.css")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(css, []byte("url(")) || bytes.Contains(css, []byte("@import")) {
		t.Error("style.css loads something")
	}
	pages := 0
	err = fs.WalkDir(payload, "html", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		data, err := fs.ReadFile(payload, p)
		if err != nil {
			return err
		}
		doc, err := html.Parse(bytes.NewReader(data))
		if err != nil {
			return err
		}
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "script", "iframe", "object", "embed", "video", "audio", "source", "base", "form":
				t.Errorf("%s: <%s> element", p, n.Data)
			}
			for _, a := range n.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on"), a.Key == "srcset", a.Key == "style", a.Key == "background", a.Key == "poster":
					t.Errorf("%s: <%s %s=%q>", p, n.Data, a.Key, a.Val)
				case a.Key == "src", a.Key == "href" && n.Data == "link":
					if !localFile(payload, path.Dir(p), a.Val) {
						t.Errorf("%s: <%s %s=%q> is not a file of the archive", p, n.Data, a.Key, a.Val)
					}
				case a.Key == "href":
					u, err := url.Parse(a.Val)
					switch {
					case err != nil:
						t.Errorf("%s: bad href %q", p, a.Val)
					case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "mailto":
					case u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/"):
						t.Errorf("%s: href %q is neither relative nor an explicit web link", p, a.Val)
					}
				}
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages == 0 {
		t.Fatal("no pages rendered")
	}
}

// localFile reports whether ref, relative to the folder dir, names a file
// of the payload.
func localFile(payload fs.FS, dir, ref string) bool {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") || u.Path == "" {
		return false
	}
	p := path.Join(dir, u.Path)
	if !fs.ValidPath(p) {
		return false
	}
	fi, err := fs.Stat(payload, p)
	return err == nil && fi.Mode().IsRegular()
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func fileURL(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = p
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}
