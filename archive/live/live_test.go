package live

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wparchive/wparchive/wxr/fixture"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/convert/page"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixtures is ../shared/fixtures/<sub> beside the repository, or a skip.
func fixtures(t testing.TB, sub string) string { return fixture.Dir(t, sub) }

// site is a test web server that counts the requests per path.
type site struct {
	*httptest.Server
	mux  *http.ServeMux
	mu   sync.Mutex
	hits map[string]int
}

func newSite(t *testing.T) *site {
	s := &site{mux: http.NewServeMux(), hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) hit(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

// serve answers path with body as contentType.
func (s *site) serve(path, contentType string, body []byte) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Write(body)
	})
}

var testNow = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

// run archives opts into dir with a test client and returns the report.
func run(t *testing.T, dir string, opts Options) (*Input, *archive.Report, error) {
	t.Helper()
	fsys, err := archive.OpenRootFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	prev, _ := archive.ReadManifest(fsys, t.TempDir())
	defer prev.Close()
	w := archive.NewWriter(fsys, prev)
	ex, err := page.New(page.Options{})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := convert.New(convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Client = web.New(web.Options{AllowPrivate: true, Retries: -1, PerHost: 4, Now: testNow})
	opts.Extractor, opts.FS, opts.Writer, opts.Now, opts.Tool = ex, fsys, w, testNow, "wparchive test"
	in := New(opts)
	rep, err := archive.Convert(context.Background(), archive.Options{
		Input: in, FS: fsys, Writer: w, Converter: conv, Tool: "wparchive test", Jobs: 2,
	})
	return in, rep, err
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// archiveFiles lists the files of an archive folder, relative to it.
func archiveFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func findFile(t *testing.T, dir, suffix string) []string {
	t.Helper()
	var out []string
	for _, f := range archiveFiles(t, dir) {
		if strings.HasSuffix(f, suffix) {
			out = append(out, f)
		}
	}
	return out
}
