// Package web is the archive's HTTP client: safe by default (public addresses
// only, checked at dial time on every hop), polite (per-host limits, delays,
// an honest User-Agent) and patient (retries with backoff, Retry-After).
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// UserAgent is the User-Agent the archive sends, naming the program and where
// to learn about it, so site owners know who is fetching.
func UserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "wparchive/" + version + " (+https://github.com/wparchive/wparchive)"
}

// Options configure a Client. Zero values pick the defaults noted.
type Options struct {
	// UserAgent defaults to UserAgent("dev").
	UserAgent string
	// Timeout bounds one attempt, body included (default 60s).
	Timeout time.Duration
	// ConnectTimeout bounds the TCP and TLS handshakes (default 10s).
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for response headers (default 30s).
	HeaderTimeout time.Duration
	// MaxRedirects is the number of redirects followed (default 10; negative: none).
	MaxRedirects int
	// AllowPrivate permits loopback, private, link-local and other
	// non-public addresses. Only tests and explicit user choice set it.
	AllowPrivate bool
	// PerHost bounds concurrent requests to one host (default 2).
	PerHost int
	// Delay is the minimum time between the starts of two requests to one host.
	Delay time.Duration
	// Retries is how many times a failed attempt is retried (default 3;
	// negative: none).
	Retries int
	// MaxRetryAfter is the longest Retry-After honoured (default 2m); a
	// server asking for longer gets no retry.
	MaxRetryAfter time.Duration
	// Now and Sleep replace the clock in tests. Sleep must return early with
	// ctx's error when ctx is done.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Blocked decides whether a resolved address may not be dialled. Nil
	// means IsBlocked unless AllowPrivate. Tests use it to treat one local
	// server as public and another as private.
	Blocked func(netip.AddrPort) bool
	// Transport, when set, replaces the network entirely (tests only); the
	// address checks then do not apply.
	Transport http.RoundTripper
}

// Client fetches URLs under Options. It is safe for concurrent use.
type Client struct {
	opts  Options
	http  *http.Client
	mu    sync.Mutex
	hosts map[string]*host
}

// host is the politeness state of one host: a semaphore and the time the
// last request to it started.
type host struct {
	slots chan struct{}
	mu    sync.Mutex
	next  time.Time
}

// New returns a Client for opts.
func New(opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = UserAgent("")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if opts.HeaderTimeout <= 0 {
		opts.HeaderTimeout = 30 * time.Second
	}
	if opts.MaxRedirects == 0 {
		opts.MaxRedirects = 10
	}
	if opts.PerHost <= 0 {
		opts.PerHost = 2
	}
	if opts.Retries == 0 {
		opts.Retries = 3
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Blocked == nil {
		if opts.AllowPrivate {
			opts.Blocked = func(netip.AddrPort) bool { return false }
		} else {
			opts.Blocked = func(ap netip.AddrPort) bool { return IsBlocked(ap.Addr()) }
		}
	}
	c := &Client{opts: opts, hosts: map[string]*host{}}
	rt := opts.Transport
	if rt == nil {
		rt = c.transport()
	}
	c.http = &http.Client{
		Transport:     rt,
		Timeout:       opts.Timeout,
		CheckRedirect: c.checkRedirect,
	}
	return c
}

// transport dials only addresses the policy allows. The check runs in
// Dialer.Control, after name resolution, so a public name that resolves to
// a private address (DNS rebinding, a redirect to localhost) is refused too.
func (c *Client) transport() *http.Transport {
	d := &net.Dialer{
		Timeout: c.opts.ConnectTimeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: unparsable address %q", ErrBlocked, address)
			}
			ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
			if c.opts.Blocked(ap) {
				return fmt.Errorf("%w: %s", ErrBlocked, ap.Addr())
			}
			return nil
		},
	}
	return &http.Transport{
		// No proxy: a proxy from the environment would be dialled instead
		// of the target, and the address check would no longer mean much.
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   c.opts.ConnectTimeout,
		ResponseHeaderTimeout: c.opts.HeaderTimeout,
		MaxIdleConnsPerHost:   c.opts.PerHost,
		IdleConnTimeout:       90 * time.Second,
	}
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects || c.opts.MaxRedirects < 0 {
		return fmt.Errorf("%w (%d)", ErrTooManyRedirects, len(via))
	}
	if err := checkScheme(req.URL); err != nil {
		return err
	}
	// Keep the User-Agent on every hop; net/http copies headers but be explicit.
	req.Header.Set("User-Agent", c.opts.UserAgent)
	return nil
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: no host", ErrScheme)
	}
	return nil
}

// Get fetches rawURL with the extra headers h. It retries timeouts, network
// errors, 5xx and 429 with exponential backoff and jitter, honouring
// Retry-After up to MaxRetryAfter. Any other status, 4xx included, is
// returned as a response for the caller to judge; the caller closes the
// body. Errors are *Error, carrying the URL and the number of attempts.
func (c *Client) Get(ctx context.Context, rawURL string, h http.Header) (*http.Response, error) {
	u, err := url.Parse(rawURL)
	if err == nil {
		err = checkScheme(u)
	}
	if err != nil {
		return nil, &Error{URL: rawURL, Attempts: 0, Err: err}
	}
	hs := c.host(u.Host)
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, hs, u.String(), h)
		wait, retry := c.retryable(resp, err, attempt)
		if err == nil && !retry {
			return resp, nil
		}
		if err == nil {
			err = &StatusError{Code: resp.StatusCode}
			if wait < 0 {
				err = fmt.Errorf("%w; Retry-After %s is longer than %s", err, resp.Header.Get("Retry-After"), c.opts.MaxRetryAfter)
			}
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, &Error{URL: rawURL, Attempts: attempt, Err: ctxErr}
		}
		if !retry || wait < 0 || attempt > c.opts.Retries {
			return nil, &Error{URL: rawURL, Attempts: attempt, Err: err}
		}
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return nil, &Error{URL: rawURL, Attempts: attempt, Err: err}
		}
	}
}

// attempt makes one request while holding one of the host's slots; the slot
// is released when the body is closed.
func (c *Client) attempt(ctx context.Context, hs *host, rawURL string, h http.Header) (*http.Response, error) {
	select {
	case hs.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release := sync.OnceFunc(func() { <-hs.slots })
	if err := c.pace(ctx, hs); err != nil {
		release()
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		release()
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// pace waits until Delay has passed since the last request to the host started.
func (c *Client) pace(ctx context.Context, hs *host) error {
	if c.opts.Delay <= 0 {
		return nil
	}
	hs.mu.Lock()
	now := c.opts.Now()
	start := hs.next
	if start.Before(now) {
		start = now
	}
	hs.next = start.Add(c.opts.Delay)
	hs.mu.Unlock()
	if d := start.Sub(now); d > 0 {
		return c.opts.Sleep(ctx, d)
	}
	return nil
}

func (c *Client) host(name string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	hs := c.hosts[name]
	if hs == nil {
		hs = &host{slots: make(chan struct{}, c.opts.PerHost)}
		c.hosts[name] = hs
	}
	return hs
}

// retryable says whether an attempt's outcome deserves another try and how
// long to wait first. A negative wait means the server asked for more
// patience than MaxRetryAfter allows.
func (c *Client) retryable(resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if err != nil {
		if errors.Is(err, ErrBlocked) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrScheme) ||
			errors.Is(err, context.Canceled) {
			return 0, false
		}
		// A name that does not resolve will not resolve a second later.
		var dns *net.DNSError
		if errors.As(err, &dns) && dns.IsNotFound {
			return 0, false
		}
		return c.backoff(attempt), true
	}
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
		return 0, false
	}
	if resp.StatusCode == http.StatusNotImplemented || resp.StatusCode == http.StatusHTTPVersionNotSupported {
		return 0, false
	}
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), c.opts.Now()); ok {
		if d > c.opts.MaxRetryAfter {
			return -1, true
		}
		return d, true
	}
	return c.backoff(attempt), true
}

// backoff is 500ms doubled per attempt, capped at 30s, with ±50% jitter so
// that workers hitting the same host do not retry in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	d := 500 * time.Millisecond << min(attempt-1, 6)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d)
}

// retryAfter parses a Retry-After value: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 32); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// releasingBody frees the host slot when the caller closes the body, so the
// per-host limit covers the whole transfer, not just the headers.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}
