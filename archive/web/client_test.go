package web

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSleep records the waits instead of sleeping, so retries cost nothing.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	f.waits = append(f.waits, d)
	f.mu.Unlock()
	return ctx.Err()
}

func testClient(fs *fakeSleep, mod func(*Options)) *Client {
	o := Options{
		AllowPrivate:   true,
		Timeout:        2 * time.Second,
		ConnectTimeout: time.Second,
		HeaderTimeout:  time.Second,
		Retries:        3,
		MaxRetryAfter:  time.Minute,
		Sleep:          fs.sleep,
	}
	if mod != nil {
		mod(&o)
	}
	return New(o)
}

func TestGet(t *testing.T) {
	tests := []struct {
		name       string
		handler    func(n int, w http.ResponseWriter, r *http.Request) // n counts from 1
		mod        func(*Options)
		wantStatus int
		wantBody   string
		wantErr    error // errors.Is target; nil: success
		wantHits   int
		wantWaits  []time.Duration // nil: not checked
	}{
		{
			name: "success",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "wparchive/") {
					http.Error(w, "bad agent "+ua, 400)
					return
				}
				io.WriteString(w, "hello")
			},
			wantStatus: 200, wantBody: "hello", wantHits: 1, wantWaits: []time.Duration{},
		},
		{
			name:       "404 is a response, not retried",
			handler:    func(n int, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantStatus: 404, wantBody: "404 page not found\n", wantHits: 1,
		},
		{
			name: "500 then success",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				if n < 3 {
					http.Error(w, "oops", 500)
					return
				}
				io.WriteString(w, "ok")
			},
			wantStatus: 200, wantBody: "ok", wantHits: 3,
		},
		{
			name: "500 forever",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				http.Error(w, "oops", http.StatusServiceUnavailable)
			},
			wantErr: &StatusError{Code: 503}, wantHits: 4,
		},
		{
			name: "429 with Retry-After",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 1 {
					w.Header().Set("Retry-After", "7")
					w.WriteHeader(429)
					return
				}
				io.WriteString(w, "ok")
			},
			wantStatus: 200, wantBody: "ok", wantHits: 2, wantWaits: []time.Duration{7 * time.Second},
		},
		{
			name: "429 with Retry-After beyond the cap",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(429)
			},
			wantErr: &StatusError{Code: 429}, wantHits: 1, wantWaits: []time.Duration{},
		},
		{
			name: "hanging server times out, retried",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			mod: func(o *Options) {
				o.HeaderTimeout = 50 * time.Millisecond
				o.Retries = 1
			},
			wantErr: errTimeout, wantHits: 2,
		},
		{
			name: "redirect loop",
			handler: func(n int, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/loop?"+strconv.Itoa(n), http.StatusFound)
			},
			mod:     func(o *Options) { o.MaxRedirects = 4 },
			wantErr: ErrTooManyRedirects, wantHits: 5,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.handler(int(hits.Add(1)), w, r)
			}))
			defer srv.Close()
			fs := &fakeSleep{waits: []time.Duration{}}
			c := testClient(fs, tt.mod)
			resp, err := c.Get(context.Background(), srv.URL+"/x", nil)
			if tt.wantErr != nil {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("Get succeeded with %d, want error %v", resp.StatusCode, tt.wantErr)
				}
				var se *StatusError
				if want, ok := tt.wantErr.(*StatusError); ok {
					if !errors.As(err, &se) || se.Code != want.Code {
						t.Errorf("error %v, want status %d", err, want.Code)
					}
				} else if tt.wantErr == errTimeout {
					var ne net.Error
					if !errors.As(err, &ne) || !ne.Timeout() {
						t.Errorf("error %v, want a timeout", err)
					}
				} else if !errors.Is(err, tt.wantErr) {
					t.Errorf("error %v, want %v", err, tt.wantErr)
				}
				var we *Error
				if !errors.As(err, &we) || we.URL != srv.URL+"/x" || we.Attempts < 1 {
					t.Errorf("error %#v does not carry the URL and attempts", err)
				}
				if !strings.Contains(err.Error(), srv.URL+"/x") {
					t.Errorf("error text %q lacks the URL", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != tt.wantStatus || string(b) != tt.wantBody {
					t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.wantStatus, tt.wantBody)
				}
			}
			if got := int(hits.Load()); got != tt.wantHits {
				t.Errorf("server hits %d, want %d", got, tt.wantHits)
			}
			if tt.wantWaits != nil && !equalDurations(fs.waits, tt.wantWaits) {
				t.Errorf("waits %v, want %v", fs.waits, tt.wantWaits)
			}
		})
	}
}

// errTimeout stands for "any net.Error with Timeout()".
var errTimeout = errors.New("timeout")

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRefusePrivate(t *testing.T) {
	var privateHits atomic.Int32
	private := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		privateHits.Add(1)
		io.WriteString(w, "secret")
	}))
	defer private.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok" {
			io.WriteString(w, "public")
			return
		}
		http.Redirect(w, r, private.URL+"/meta", http.StatusFound)
	}))
	defer public.Close()
	publicPort := netip.MustParseAddrPort(public.Listener.Addr().String()).Port()
	// Both servers listen on 127.0.0.1: the test's policy counts the first
	// as public so that the redirect to the second is the hop refused.
	blockAllButPublic := func(o *Options) {
		o.Blocked = func(ap netip.AddrPort) bool { return ap.Port() != publicPort }
	}

	tests := []struct {
		name    string
		url     string
		mod     func(*Options)
		wantErr error
	}{
		{"loopback by default", private.URL + "/x", func(o *Options) { o.AllowPrivate = false }, ErrBlocked},
		{"localhost name by default", strings.Replace(private.URL, "127.0.0.1", "localhost", 1), func(o *Options) { o.AllowPrivate = false }, ErrBlocked},
		{"metadata service", "http://169.254.169.254/latest/meta-data/", func(o *Options) { o.AllowPrivate = false }, ErrBlocked},
		{"unspecified", "http://0.0.0.0:1/", func(o *Options) { o.AllowPrivate = false }, ErrBlocked},
		{"redirect to a private address", public.URL + "/go", blockAllButPublic, ErrBlocked},
		{"allowed public server", public.URL + "/ok", blockAllButPublic, nil},
		{"file scheme", "file:///etc/passwd", nil, ErrScheme},
		{"ftp scheme", "ftp://example.com/x", nil, ErrScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &fakeSleep{}
			c := testClient(fs, tt.mod)
			resp, err := c.Get(context.Background(), tt.url, nil)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("Get(%s) succeeded, want %v", tt.url, tt.wantErr)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if len(fs.waits) != 0 {
				t.Errorf("a refused address was retried: waits %v", fs.waits)
			}
		})
	}
	if n := privateHits.Load(); n != 0 {
		t.Errorf("the private server was reached %d times", n)
	}
}

func TestIsBlocked(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true}, {"10.1.2.3", true}, {"172.16.0.1", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"0.0.0.0", true}, {"224.0.0.1", true}, {"100.64.0.1", true},
		{"255.255.255.255", true}, {"::1", true}, {"::", true}, {"fe80::1", true}, {"fd00::1", true},
		{"::ffff:127.0.0.1", true}, {"64:ff9b::a00:1", true}, {"ff02::1", true},
		{"93.184.216.34", false}, {"8.8.8.8", false}, {"2606:4700::1111", false},
	}
	for _, tt := range tests {
		if got := IsBlocked(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("IsBlocked(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
}

func TestPerHostLimit(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		cur.Add(-1)
		io.WriteString(w, "x")
	}))
	defer srv.Close()
	c := testClient(&fakeSleep{}, func(o *Options) { o.PerHost = 2 })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := c.Get(context.Background(), srv.URL, nil)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrency %d, want at most 2", p)
	}
}

func TestDelay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fs := &fakeSleep{}
	c := testClient(fs, func(o *Options) {
		o.Delay = time.Second
		o.Now = func() time.Time { return now }
	})
	for range 3 {
		resp, err := c.Get(context.Background(), srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []time.Duration{time.Second, 2 * time.Second} // the clock stands still
	if !equalDurations(fs.waits, want) {
		t.Errorf("waits %v, want %v", fs.waits, want)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false}, {"5", 5 * time.Second, true}, {"-1", 0, false}, {"soon", 0, false},
		{"Mon, 01 Jan 2024 00:00:30 GMT", 30 * time.Second, true},
		{"Sun, 31 Dec 2023 00:00:00 GMT", 0, true},
	}
	for _, tt := range tests {
		got, ok := retryAfter(tt.v, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := testClient(&fakeSleep{}, func(o *Options) {
		o.Retries = 100
		o.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	})
	_, err := c.Get(ctx, srv.URL, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
