package media

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/wparchive/wparchive/archive/web"
)

// jpeg is a fake JPEG: the magic bytes the sniffer looks for, then a tag
// that makes each test image's bytes distinct.
func jpeg(tag string) string { return "\xff\xd8\xff\xe0\x00\x10JFIF\x00" + tag }

// site is a test server: path → handler, with hit counts.
type site struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	bodies int // responses that carried a 200 body
	routes map[string]func(n int, w http.ResponseWriter, r *http.Request)
}

func newSite(t *testing.T, routes map[string]func(n int, w http.ResponseWriter, r *http.Request)) *site {
	s := &site{hits: map[string]int{}, routes: routes}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		n := s.hits[r.URL.Path]
		s.mu.Unlock()
		h, ok := s.routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(n, &countingWriter{ResponseWriter: w, s: s}, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (c *countingWriter) Flush() { c.ResponseWriter.(http.Flusher).Flush() }

type countingWriter struct {
	http.ResponseWriter
	s    *site
	code int
}

func (c *countingWriter) WriteHeader(code int) {
	c.code = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.code == 0 {
		c.code = 200
		c.s.mu.Lock()
		c.s.bodies++
		c.s.mu.Unlock()
	}
	return c.ResponseWriter.Write(b)
}

// file serves body with an ETag, answering conditional requests with 304.
func file(body string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, r *http.Request) {
		etag := fmt.Sprintf(`"%x"`, len(body)*7919+int(body[len(body)-1]))
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "image/jpeg")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, body)
	}
}

func noSleep(ctx context.Context, d time.Duration) error { return ctx.Err() }

func testClient(mod func(*web.Options)) *web.Client {
	o := web.Options{
		AllowPrivate:   true,
		Timeout:        2 * time.Second,
		ConnectTimeout: time.Second,
		HeaderTimeout:  time.Second,
		Retries:        2,
		MaxRedirects:   3,
		Sleep:          noSleep,
	}
	if mod != nil {
		mod(&o)
	}
	return web.New(o)
}

func testStore(t *testing.T) (DirStore, string) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return DirStore{Root: root}, dir
}

// tree lists the files under dir as "path size".
func tree(t *testing.T, dir string) []string {
	var out []string
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(dir + "/" + p)
		out = append(out, fmt.Sprintf("%s %s", p, b[len(b)-min(len(b), 4):]))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

const up = "/wp-content/uploads/"

func TestFetch(t *testing.T) {
	type want struct {
		url, status, path, reason string // url relative to the server; reason: a substring
	}
	tests := []struct {
		name     string
		routes   map[string]func(int, http.ResponseWriter, *http.Request)
		refs     []Ref // URLs and candidates relative to the server
		client   func(*web.Options, *site)
		maxBytes int64
		want     []want
		files    []string // "path last-4-bytes"
	}{
		{
			name:   "success",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": file(jpeg("AAAA"))},
			refs:   []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want:   []want{{up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""}},
			files:  []string{"media/2012/09/a.jpg AAAA"},
		},
		{
			name:  "404",
			refs:  []Ref{{URL: up + "2012/09/gone.jpg", Kind: KindImage}},
			want:  []want{{up + "2012/09/gone.jpg", "failed", "", "HTTP 404"}},
			files: nil,
		},
		{
			name: "500 then success",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					http.Error(w, "busy", http.StatusInternalServerError)
					return
				}
				io.WriteString(w, jpeg("AAAA"))
			}},
			refs:  []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want:  []want{{up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""}},
			files: []string{"media/2012/09/a.jpg AAAA"},
		},
		{
			name: "429 with Retry-After",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", "2")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				io.WriteString(w, jpeg("AAAA"))
			}},
			refs:  []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want:  []want{{up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""}},
			files: []string{"media/2012/09/a.jpg AAAA"},
		},
		{
			name: "hanging server",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			}},
			client: func(o *web.Options, _ *site) { o.HeaderTimeout = 30 * time.Millisecond; o.Retries = 1 },
			refs:   []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want:   []want{{up + "2012/09/a.jpg", "failed", "", "2 attempts: "}},
		},
		{
			name: "redirect loop",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, r.URL.Path, http.StatusFound)
			}},
			refs: []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want: []want{{up + "2012/09/a.jpg", "failed", "", "too many redirects"}},
		},
		{
			name: "redirect to a private address",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://127.0.0.1:1/latest/meta-data", http.StatusFound)
			}},
			client: func(o *web.Options, s *site) {
				port := netip.MustParseAddrPort(s.Listener.Addr().String()).Port()
				o.AllowPrivate = false
				o.Blocked = func(ap netip.AddrPort) bool { return ap.Port() != port }
			},
			refs: []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want: []want{{up + "2012/09/a.jpg", "failed", "", "address not allowed: 127.0.0.1"}},
		},
		{
			name: "body over the cap",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){
				up + "2012/09/big.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
					w.(http.Flusher).Flush() // no Content-Length: the cap must stop the copy
					io.WriteString(w, jpeg(strings.Repeat("x", 2000)))
				},
				up + "2012/09/told.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, jpeg(strings.Repeat("x", 2000)))
				},
			},
			maxBytes: 1000,
			refs:     []Ref{{URL: up + "2012/09/big.jpg", Kind: KindImage}, {URL: up + "2012/09/told.jpg", Kind: KindImage}},
			want: []want{
				{up + "2012/09/big.jpg", "failed", "", "larger than 1000 bytes"},
				{up + "2012/09/told.jpg", "failed", "", "larger than 1000 bytes (2011)"},
			},
		},
		{
			name: "HTML served as image/jpeg",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/jpeg")
				io.WriteString(w, "<!DOCTYPE html><html><body>Log in</body></html>")
			}},
			refs: []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want: []want{{up + "2012/09/a.jpg", "failed", "", "not an image: text/html"}},
		},
		{
			name: "same image at two URLs",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){
				up + "2012/09/a.jpg": file(jpeg("AAAA")), "/cdn/copy-of-a.jpg": file(jpeg("AAAA")),
			},
			refs: []Ref{{URL: up + "2012/09/a.jpg", Kind: KindImage}, {URL: "/cdn/copy-of-a.jpg", Kind: KindImage}},
			want: []want{
				{"/cdn/copy-of-a.jpg", "ok", "media/2012/09/a.jpg", ""},
				{up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""},
			},
			files: []string{"media/2012/09/a.jpg AAAA"},
		},
		{
			name: "same name, different months",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){
				up + "2012/09/a.jpg": file(jpeg("SEPT")), up + "2012/10/a.jpg": file(jpeg("OCTO")),
			},
			refs: []Ref{{URL: up + "2012/10/a.jpg", Kind: KindImage}, {URL: up + "2012/09/a.jpg", Kind: KindImage}},
			want: []want{
				{up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""},
				{up + "2012/10/a.jpg", "ok", "media/2012/10/a.jpg", ""},
			},
			files: []string{"media/2012/09/a.jpg SEPT", "media/2012/10/a.jpg OCTO"},
		},
		{
			name: "same name and month, different bytes",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){
				"/old" + up + "2012/09/a.jpg": file(jpeg("OLD1")), "/new" + up + "2012/09/a.jpg": file(jpeg("NEW2")),
			},
			refs: []Ref{{URL: "/old" + up + "2012/09/a.jpg", Kind: KindImage}, {URL: "/new" + up + "2012/09/a.jpg", Kind: KindImage}},
			want: []want{
				{"/new" + up + "2012/09/a.jpg", "ok", "media/2012/09/a.jpg", ""},
				{"/old" + up + "2012/09/a.jpg", "ok", "media/2012/09/a-" + sha8(jpeg("OLD1")) + ".jpg", ""},
			},
			files: []string{"media/2012/09/a-" + sha8(jpeg("OLD1")) + ".jpg OLD1", "media/2012/09/a.jpg NEW2"},
		},
		{
			name: "thumbnail whose original exists, and one whose original is gone",
			routes: map[string]func(int, http.ResponseWriter, *http.Request){
				up + "2012/09/a.jpg": file(jpeg("ORIG")), up + "2012/09/a-300x200.jpg": file(jpeg("THMB")),
				up + "2012/09/b-150x150.jpg": file(jpeg("BTHM")),
			},
			refs: []Ref{
				{URL: up + "2012/09/a-300x200.jpg", Kind: KindImage, Candidates: []string{up + "2012/09/a.jpg", up + "2012/09/a-300x200.jpg"}},
				{URL: up + "2012/09/b-150x150.jpg", Kind: KindImage, Candidates: []string{up + "2012/09/b.jpg", up + "2012/09/b-150x150.jpg"}},
			},
			want: []want{
				{up + "2012/09/a-300x200.jpg", "ok", "media/2012/09/a.jpg", ""},
				{up + "2012/09/b-150x150.jpg", "ok", "media/2012/09/b-150x150.jpg", ""},
			},
			files: []string{"media/2012/09/a.jpg ORIG", "media/2012/09/b-150x150.jpg BTHM"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.routes)
			store, dir := testStore(t)
			client := testClient(func(o *web.Options) {
				if tt.client != nil {
					tt.client(o, s)
				}
			})
			f, err := NewFetcher(Options{Client: client, Store: store, Jobs: 3, MaxBytes: tt.maxBytes})
			if err != nil {
				t.Fatal(err)
			}
			refs := absRefs(s.URL, tt.refs)
			got, err := f.Fetch(context.Background(), refs)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d results, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.URL != s.URL+w.url || g.Status != w.status || g.Path != w.path || !strings.Contains(g.Reason, w.reason) {
					t.Errorf("result %d:\n got %s %s %s %q\nwant %s %s %s %q", i, g.URL, g.Status, g.Path, g.Reason, s.URL+w.url, w.status, w.path, w.reason)
				}
				if g.Status == StatusFailed && g.Attempts == 0 && !strings.Contains(g.Reason, "larger") && !strings.Contains(g.Reason, "not an image") {
					t.Errorf("result %d: failure without attempts: %+v", i, g)
				}
				if g.OK() && (g.ContentType != "image/jpeg" || len(g.SHA256) != 64 || g.Size == 0) {
					t.Errorf("result %d: incomplete: %+v", i, g)
				}
			}
			if files := tree(t, dir); strings.Join(files, "\n") != strings.Join(tt.files, "\n") {
				t.Errorf("files:\n%s\nwant:\n%s", strings.Join(files, "\n"), strings.Join(tt.files, "\n"))
			}
		})
	}
}

func absRefs(base string, refs []Ref) []Ref {
	out := make([]Ref, len(refs))
	for i, r := range refs {
		out[i] = r
		out[i].URL = base + r.URL
		out[i].Candidates = nil
		for _, c := range r.Candidates {
			out[i].Candidates = append(out[i].Candidates, base+c)
		}
	}
	return out
}

func sha8(s string) string {
	store := memSHA(s)
	return store[:8]
}

func TestFetchFromLocalFolder(t *testing.T) {
	s := newSite(t, nil)
	store, dir := testStore(t)
	from := fstest.MapFS{"2012/09/a.jpg": {Data: []byte(jpeg("LOCL"))}}
	f, err := NewFetcher(Options{Client: testClient(nil), Store: store, From: from})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Fetch(context.Background(), []Ref{{
		URL: s.URL + up + "2012/09/a-300x200.jpg", Kind: KindImage,
		Candidates: []string{s.URL + up + "2012/09/a.jpg", s.URL + up + "2012/09/a-300x200.jpg"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[0].OK() || got[0].From != FromLocal || got[0].Path != "media/2012/09/a.jpg" {
		t.Fatalf("got %+v", got)
	}
	if len(s.hits) != 0 {
		t.Errorf("the network was used: %v", s.hits)
	}
	if files := tree(t, dir); len(files) != 1 || files[0] != "media/2012/09/a.jpg LOCL" {
		t.Errorf("files %v", files)
	}
}

func TestFetchRerunDownloadsNothing(t *testing.T) {
	s := newSite(t, map[string]func(int, http.ResponseWriter, *http.Request){
		up + "2012/09/a.jpg":       file(jpeg("AAAA")),
		up + "2012/09/b-10x10.jpg": file(jpeg("BBBB")),
		"/elsewhere/c.png":         file("\x89PNG\r\n\x1a\n0000CCCC"),
	})
	store, dir := testStore(t)
	refs := []Ref{
		{URL: s.URL + up + "2012/09/a.jpg", Kind: KindImage},
		{URL: s.URL + up + "2012/09/b-10x10.jpg", Kind: KindImage, Candidates: []string{s.URL + up + "2012/09/b.jpg", s.URL + up + "2012/09/b-10x10.jpg"}},
		{URL: s.URL + "/elsewhere/c.png", Kind: KindImage},
	}
	f, _ := NewFetcher(Options{Client: testClient(nil), Store: store})
	first, err := f.Fetch(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	var state strings.Builder
	if err := WriteState(&state, first); err != nil {
		t.Fatal(err)
	}
	prev, err := ReadState(strings.NewReader(state.String()))
	if err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	s.bodies = 0
	f2, _ := NewFetcher(Options{Client: testClient(nil), Store: store, Previous: prev})
	second, err := f2.Fetch(context.Background(), refs)
	if err != nil {
		t.Fatal(err)
	}
	if s.bodies != 0 {
		t.Errorf("re-run downloaded %d bodies, want 0 (hits %v)", s.bodies, s.hits)
	}
	for i := range second {
		if !second[i].OK() || second[i].Path != first[i].Path || second[i].SHA256 != first[i].SHA256 {
			t.Errorf("re-run result %d: %+v, first %+v", i, second[i], first[i])
		}
		if second[i].From != FromUnchanged {
			t.Errorf("re-run result %d from %q", i, second[i].From)
		}
	}
	if after := tree(t, dir); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Errorf("files changed: %v → %v", before, after)
	}
}

func TestFetchCancel(t *testing.T) {
	s := newSite(t, map[string]func(int, http.ResponseWriter, *http.Request){up + "2012/09/a.jpg": file(jpeg("AAAA"))})
	store, _ := testStore(t)
	f, _ := NewFetcher(Options{Client: testClient(nil), Store: store})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.Fetch(ctx, []Ref{{URL: s.URL + up + "2012/09/a.jpg"}}); err != context.Canceled {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
