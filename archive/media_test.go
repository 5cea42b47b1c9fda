package archive_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
)

// fakeUploads answers every request without a network: a small PNG, made
// from the path, for image names; 404 for anything else. It counts hits.
type fakeUploads struct {
	mu   sync.Mutex
	hits map[string]int
}

func (f *fakeUploads) RoundTrip(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	if f.hits == nil {
		f.hits = map[string]int{}
	}
	f.hits[r.URL.String()]++
	f.mu.Unlock()
	ext := strings.ToLower(filepath.Ext(r.URL.Path))
	if ext != ".jpg" && ext != ".jpeg" && ext != ".png" && ext != ".gif" {
		return &http.Response{StatusCode: 404, Body: io.NopCloser(strings.NewReader("not found")), Header: http.Header{}, Request: r}, nil
	}
	sum := sha256.Sum256([]byte(r.URL.Path))
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{sum[0], sum[1], sum[2], 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return &http.Response{StatusCode: 200, Body: io.NopCloser(&b), Header: http.Header{"Content-Type": {"image/jpeg"}}, ContentLength: int64(b.Len()), Request: r}, nil
}

var imageLinkRE = regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)`)

// TestThemeUnitTestMedia archives the theme unit test export with its media
// served locally: every image a post shows must be a file in the archive.
func TestThemeUnitTestMedia(t *testing.T) {
	export := filepath.Join(fixtures(t, "wxr"), "wptt__themeunittestdata.wordpress.xml")
	out := t.TempDir()
	fake := &fakeUploads{}
	client := web.New(web.Options{Transport: fake, Retries: 1})
	rep, err := convertTo(t, out, archive.Options{Media: &archive.MediaOptions{Client: client, Jobs: 4}}, export)
	// The fake server has no audio, video or documents: those fail, and say so.
	if err != nil && !errors.Is(err, archive.ErrMediaFailed) {
		t.Fatal(err)
	}
	images, remote := 0, 0
	for _, l := range readLines(t, filepath.Join(out, "data", "items.jsonl")) {
		md, err := os.ReadFile(filepath.Join(out, "data", filepath.FromSlash(l.Markdown)))
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Dir(filepath.Join(out, "data", filepath.FromSlash(l.Markdown)))
		for _, m := range imageLinkRE.FindAllStringSubmatch(string(md), -1) {
			images++
			if strings.HasPrefix(m[1], "http") {
				remote++
				t.Errorf("%s: image still remote: %s", l.Markdown, m[1])
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(m[1]))); err != nil {
				t.Errorf("%s: image link does not resolve: %v", l.Markdown, err)
			}
		}
	}
	t.Logf("%d image links, %d remote; media: %+v; %d failures", images, remote, rep.Media, len(rep.MediaFailures))
	if images == 0 {
		t.Fatal("no image links found")
	}

	// A re-run asks again (conditional requests are up to the server) but
	// leaves the tree identical.
	before := treeSums(t, out)
	if _, err := convertTo(t, out, archive.Options{Media: &archive.MediaOptions{Client: client, Jobs: 4}}, export); err != nil && !errors.Is(err, archive.ErrMediaFailed) {
		t.Fatal(err)
	}
	if after := treeSums(t, out); after != before {
		t.Error("a re-run changed the archive")
	}
}

// treeSums is the manifest of a folder as one string.
func treeSums(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel)
		b.WriteString(" ")
		sum := sha256.Sum256(data)
		fmt.Fprintf(&b, "%x", sum[:6])
		b.WriteString("\n")
		return nil
	})
	return b.String()
}
