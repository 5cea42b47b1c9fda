package render

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/convert"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run 'go test ./archive/render -update' to create it)", err)
	}
	if string(want) != got {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := 0; i < len(wl) && i < len(gl); i++ {
			if wl[i] != gl[i] {
				t.Fatalf("%s differs from the golden file at line %d (run with -update after checking the change):\n- %s\n+ %s", name, i+1, wl[i], gl[i])
			}
		}
		t.Fatalf("%s differs from the golden file in length (%d lines, want %d)", name, len(gl), len(wl))
	}
}

// buildArchive converts testdata/wxr/small.xml as 'wparchive convert' does,
// then adds what the media step will add: one image in data/media and a
// Markdown reference to it, so the site has a local image to show.
func buildArchive(t *testing.T) (dir string) {
	t.Helper()
	dir = convertFile(t, filepath.Join("..", "..", "testdata", "wxr", "small.xml"))
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(filepath.Join(data, "media", "2012", "09"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "media", "2012", "09", "photo.png"), testPNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(data, "posts", "2012", "09", "classic-post", "index.md")
	src, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, "\n![A local photo](../../../../media/2012/09/photo.png)\n\n![Gone](../../../../media/2012/09/gone.jpg)\n"...)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// convertFile archives the WXR file src into a new folder, as
// 'wparchive convert --no-media' does, and returns the folder.
func convertFile(t *testing.T, src string) (dir string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "archive")
	fsys, err := archive.OpenRootFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	conv, err := convert.New(convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = archive.Convert(context.Background(), archive.Options{
		Input: archive.NewWXRInput(src), FS: fsys, Converter: conv, Tool: "wparchive test", NoMedia: true, Jobs: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// testPNG is a small striped image, so a screenshot shows where it landed.
func testPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 240, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 240; x++ {
			c := color.RGBA{0x1a, 0x5f, 0xb4, 0xff}
			if (x/20+y/20)%2 == 0 {
				c = color.RGBA{0xf6, 0xd3, 0x2d, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// renderArchive renders the archive in dir into its data/html.
func renderArchive(t *testing.T, dir string) *Result {
	t.Helper()
	root, err := os.OpenRoot(filepath.Join(dir, "data"))
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err := Render(context.Background(), os.DirFS(filepath.Join(dir, "data")), RootWriter{Root: root}, Options{Tool: "wparchive test"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRender(t *testing.T) {
	dir := buildArchive(t)
	res := renderArchive(t, dir)

	var b strings.Builder
	b.WriteString("# result\n")
	b.WriteString(strings.Join([]string{
		"items: " + strconv.Itoa(res.Items), "comments: " + strconv.Itoa(res.Comments), "remote images: " + strconv.Itoa(res.RemoteImages),
		"missing images: " + strings.Join(res.MissingImages, "; "), "warnings: " + strings.Join(res.Warnings, "; "),
	}, "\n") + "\n")
	html := os.DirFS(filepath.Join(dir, "data", "html"))
	var names []string
	if err := fs.WalkDir(html, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	if len(names) != len(res.Files) {
		t.Errorf("%d files on disk, result lists %d", len(names), len(res.Files))
	}
	for _, n := range names {
		data, err := fs.ReadFile(html, n)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== html/" + n + "\n")
		b.Write(data)
	}
	golden(t, "TestRender/small.out.txt", b.String())

	// Rendering is deterministic: a second run writes the same bytes.
	first := b.String()
	renderArchive(t, dir)
	again := dumpFiles(t, html, names)
	if !strings.HasSuffix(first, again) {
		t.Error("a second rendering of the same archive differs")
	}
}

func dumpFiles(t *testing.T, fsys fs.FS, names []string) string {
	var b strings.Builder
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== html/" + n + "\n")
		b.Write(data)
	}
	return b.String()
}
