// Package live captures WordPress pages from the web (single URLs, a site's
// sitemaps, or its REST API) or from saved .html files, and hands them to
// the archive run as items, as if they came from an export.
//
// All network work happens in Index: every page is fetched once, extracted,
// and kept in memory as a *wxr.Item until Items hands it on (a few thousand
// pages take a few hundred MB at most; sites larger than that should be
// exported). Every HTTP response is also written, raw, to a WARC file in the
// archive (data/warc/capture-NNNNN.warc.gz).
//
// Re-runs into the same folder resume: data/warc/state.json records each
// captured page URL with its ETag, Last-Modified and extracted item, so a
// captured page is not fetched again (with Refresh, it is revalidated by a
// conditional request and refetched only when it changed). Discovery
// documents (robots.txt, sitemaps) and REST API listings, whose posts come
// embedded a hundred at a time, are fetched again on every run. Each run
// adds its own capture file; the earlier ones are kept.
package live

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
	"github.com/wparchive/wparchive/convert/page"
	"github.com/wparchive/wparchive/wxr"
)

// WARCDir is the payload folder holding the captures and the resume state.
const WARCDir = archive.PayloadDir + "/warc"

// maxBody bounds one HTTP response body.
const maxBody = 64 << 20

// Options configure an Input.
type Options struct {
	URLs     []string // single pages
	Sitemaps []string // sites (sitemaps found at the usual places) or sitemap URLs
	APIs     []string // sites read through the REST API (/wp-json/wp/v2/)
	Files    []string // saved .html pages, read without network

	// Client fetches; required when there is anything to fetch.
	Client *web.Client
	// Extractor finds the article in a page. Required.
	Extractor *page.Extractor
	// FS and Writer are the archive's folder and the run's writer (shared
	// with archive.Options.Writer so the captures enter the manifest).
	FS     archive.FS
	Writer *archive.Writer

	Workers   int              // pages fetched at once (default 4); the client's per-host limit still applies
	Refresh   bool             // revalidate pages captured by an earlier run
	Now       func() time.Time // the clock for WARC dates; nil means time.Now
	Tool      string           // program and version, for the WARC's warcinfo
	UserAgent string           // as sent, for the warcinfo
	// ReadFile reads a saved page; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Problem is a URL or file that did not become an item, and why.
type Problem struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Input is an archive.Input over live or saved pages.
type Input struct {
	opts Options

	items   []*wxr.Item
	site    wxr.Site
	failed  []Problem
	skipped []Problem
	notes   []string // warnings found while fetching, handed on by Items

	cap      *capture
	state    *state
	robotsMu sync.Mutex
	robots   map[string]*robotsEntry
	hits     int // requests sent, for the run's own accounting
	hitsMu   sync.Mutex
}

// New returns an Input for opts.
func New(opts Options) *Input {
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	return &Input{opts: opts, robots: map[string]*robotsEntry{}}
}

// Failed lists what could not be fetched or extracted. Until the run can
// count such items as failed (see the package documentation of the fetch
// command), callers add them to their exit status.
func (in *Input) Failed() []Problem { return in.failed }

// Skipped lists what was not fetched on purpose (robots.txt).
func (in *Input) Skipped() []Problem { return in.skipped }

// Requests is the number of HTTP requests sent.
func (in *Input) Requests() int {
	in.hitsMu.Lock()
	defer in.hitsMu.Unlock()
	return in.hits
}

// Site implements archive.Input.
func (in *Input) Site() *wxr.Site { return &in.site }

// Items implements archive.Input: it hands on the items captured by Index,
// after a placeholder for every page skipped or failed, so that the run
// counts them with their reason.
func (in *Input) Items(ctx context.Context, warn func(archive.Warning), yield func(*wxr.Item, *wxr.Site) error) error {
	for _, p := range in.skipped {
		if err := yield(placeholder(p, archive.MetaSkipped), &in.site); err != nil {
			return err
		}
	}
	for _, p := range in.failed {
		if err := yield(placeholder(p, archive.MetaFailed), &in.site); err != nil {
			return err
		}
	}
	for _, n := range in.notes {
		warn(archive.Warning{Message: n})
	}
	for _, it := range in.items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := yield(it, &in.site); err != nil {
			return err
		}
	}
	return nil
}

// Index implements archive.Input: it does all the fetching.
func (in *Input) Index(ctx context.Context, idx *wxr.Index) ([]archive.SourceFile, error) {
	st, err := loadState(in.opts.FS)
	if err != nil {
		in.notes = append(in.notes, err.Error()+": starting afresh")
		st = newState()
	}
	in.state = st
	var sources []archive.SourceFile
	if in.opts.Writer != nil {
		kept, err := in.keepCaptures()
		if err != nil {
			return nil, err
		}
		sources = append(sources, kept...)
		name := fmt.Sprintf("%s/capture-%05d.warc.gz", WARCDir, st.nextCapture())
		in.cap = &capture{
			name: name, now: in.opts.Now, info: warcinfo(in.opts.Tool, in.opts.UserAgent),
			open: func(name string) (io.WriteCloser, error) { return in.opts.Writer.Create(name) },
		}
	}

	var found []*wxr.Item
	runErr := in.crawl(ctx, &found)
	if in.cap != nil {
		if err := in.cap.close(); err != nil && runErr == nil {
			runErr = err
		}
		if s, ok := in.opts.Writer.SumOf(in.cap.name); ok {
			st.Captures = append(st.Captures, in.cap.name)
			sources = append(sources, archive.SourceFile{Name: strings.TrimPrefix(in.cap.name, archive.PayloadDir+"/"), Size: s.Size, SHA256: s.SHA256})
		}
	}
	for _, name := range in.opts.Files {
		if b, err := in.opts.ReadFile(name); err == nil {
			sum := sha256.Sum256(b)
			sources = append(sources, archive.SourceFile{Name: filepath.Base(name), Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
		}
	}
	if runErr != nil {
		return sources, runErr
	}

	in.site.Merge(&st.Site)
	seen := map[int64]string{}
	for _, it := range found {
		if prev, dup := seen[it.ID]; dup {
			src, _ := it.MetaValue(MetaSourceURL)
			in.notes = append(in.notes, fmt.Sprintf("%s: id %d already captured from %s; kept the first", src, it.ID, prev))
			continue
		}
		src, _ := it.MetaValue(MetaSourceURL)
		if src == "" {
			src, _ = it.MetaValue(MetaSourceFile)
		}
		seen[it.ID] = src
		it.Pos = wxr.Position{File: src}
		in.items = append(in.items, it)
		idx.Add(*entryOf(it))
		site := itemSite(it)
		in.site.Merge(&site)
	}
	if in.opts.Writer != nil {
		st.Site = in.site
		st.Site.Authors, st.Site.Terms = nil, nil
		if err := st.save(in.opts.Writer); err != nil {
			return sources, err
		}
	}
	return sources, nil
}

// crawl discovers and fetches everything, appending the items in a stable
// order: the pages named, the sitemaps' pages, the REST API's items, then
// the saved files.
func (in *Input) crawl(ctx context.Context, found *[]*wxr.Item) error {
	var pages []string
	seen := map[string]bool{}
	add := func(u string) {
		if k := normalURL(u); !seen[k] {
			seen[k] = true
			pages = append(pages, u)
		}
	}
	for _, u := range in.opts.URLs {
		add(u)
	}
	for _, s := range in.opts.Sitemaps {
		urls, err := in.crawlSitemaps(ctx, s)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			in.failed = append(in.failed, Problem{URL: s, Reason: err.Error()})
			continue
		}
		for _, u := range urls {
			add(u)
		}
	}
	items, err := in.fetchPages(ctx, pages)
	if err != nil {
		return err
	}
	*found = append(*found, items...)
	for _, base := range in.opts.APIs {
		items, err := in.crawlAPI(ctx, base)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			in.failed = append(in.failed, Problem{URL: base, Reason: err.Error()})
		}
		*found = append(*found, items...)
	}
	for _, name := range in.opts.Files {
		it, err := in.readSaved(ctx, name)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			in.failed = append(in.failed, Problem{URL: name, Reason: err.Error()})
			continue
		}
		*found = append(*found, it)
	}
	return nil
}

// fetchPages fetches and extracts pages on Workers goroutines, keeping the
// results in input order.
func (in *Input) fetchPages(ctx context.Context, pages []string) ([]*wxr.Item, error) {
	type result struct {
		item *wxr.Item
		prob *Problem
		skip bool
	}
	results := make([]result, len(pages))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(in.opts.Workers, max(len(pages), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it, skip, err := in.fetchPage(ctx, pages[i])
				switch {
				case err != nil:
					results[i].prob = &Problem{URL: pages[i], Reason: err.Error()}
				case skip != "":
					results[i].prob, results[i].skip = &Problem{URL: pages[i], Reason: skip}, true
				default:
					results[i].item = it
				}
			}
		}()
	}
feed:
	for i := range pages {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var items []*wxr.Item
	for _, r := range results {
		switch {
		case r.item != nil:
			items = append(items, r.item)
		case r.skip:
			in.skipped = append(in.skipped, *r.prob)
		case r.prob != nil:
			in.failed = append(in.failed, *r.prob)
		}
	}
	return items, nil
}

// fetchPage captures one page, or reuses an earlier run's capture. skip is
// the reason it was not fetched on purpose.
func (in *Input) fetchPage(ctx context.Context, pageURL string) (it *wxr.Item, skip string, err error) {
	key := normalURL(pageURL)
	prev := in.state.page(key)
	if prev != nil && prev.Item != nil && !in.opts.Refresh {
		return prev.Item, "", nil
	}
	if ok, err := in.allowed(ctx, pageURL); err != nil {
		return nil, "", err
	} else if !ok {
		return nil, "robots.txt", nil
	}
	h := http.Header{}
	if prev != nil && prev.Item != nil {
		if prev.ETag != "" {
			h.Set("If-None-Match", prev.ETag)
		}
		if prev.LastModified != "" {
			h.Set("If-Modified-Since", prev.LastModified)
		}
	}
	r, err := in.get(ctx, pageURL, h)
	if err != nil {
		return nil, "", err
	}
	if r.Status == http.StatusNotModified && prev != nil && prev.Item != nil {
		return prev.Item, "", nil
	}
	if r.Status != http.StatusOK {
		return nil, "", fmt.Errorf("HTTP %d", r.Status)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "html") {
		return nil, "", fmt.Errorf("not an HTML page (%s)", ct)
	}
	it, site, err := in.extract(ctx, r.Body, r.URL)
	if err != nil {
		return nil, "", err
	}
	it.Meta = append(it.Meta, wxr.Meta{Key: MetaSourceURL, Value: pageURL})
	in.state.setPage(key, &pageState{ETag: r.Header.Get("ETag"), LastModified: r.Header.Get("Last-Modified"), Item: it})
	in.state.mergeSite(site)
	return it, "", nil
}

// extract turns a page into an item and what it says about the site.
func (in *Input) extract(ctx context.Context, raw []byte, pageURL string) (*wxr.Item, wxr.Site, error) {
	a, err := in.opts.Extractor.Extract(ctx, raw, pageURL)
	if err != nil {
		return nil, wxr.Site{}, fmt.Errorf("extract: %w", err)
	}
	if strings.TrimSpace(a.ContentHTML) == "" {
		return nil, wxr.Site{}, errors.New("extract: no article found in the page")
	}
	m := scanPageMeta(raw)
	return pageItem(a, m, pageURL), siteFromPage(a, m, pageURL), nil
}

// readSaved reads a page saved earlier. Its link is the canonical URL the
// page declares, or else the file's name.
func (in *Input) readSaved(ctx context.Context, name string) (*wxr.Item, error) {
	raw, err := in.opts.ReadFile(name)
	if err != nil {
		return nil, err
	}
	it, site, err := in.extract(ctx, raw, "")
	if err != nil {
		return nil, err
	}
	if it.Link == "" {
		it.Link = "file:///" + filepath.ToSlash(filepath.Base(name))
		it.GUID = it.Link
		it.Name = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(name), ".html"), ".htm")
		if it.ID == derivedID("") {
			it.ID = derivedID(it.Link)
		}
	}
	it.Meta = append(it.Meta, wxr.Meta{Key: MetaSourceFile, Value: filepath.Base(name)})
	in.state.mergeSite(site)
	return it, nil
}

// response is a fetched document.
type response struct {
	URL    string // after redirects
	Status int
	Header http.Header
	Body   []byte
}

// get fetches one URL, writes the exchange to the capture and returns the
// response with its body read.
func (in *Input) get(ctx context.Context, rawURL string, h http.Header) (*response, error) {
	if in.opts.Client == nil {
		return nil, errors.New("no HTTP client configured")
	}
	in.hitsMu.Lock()
	in.hits++
	in.hitsMu.Unlock()
	resp, err := in.opts.Client.Get(ctx, rawURL, h)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the body: %w", rawURL, err)
	}
	if len(body) > maxBody {
		return nil, fmt.Errorf("%s: larger than %d MB", rawURL, maxBody>>20)
	}
	final := rawURL
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.String()
	}
	if in.cap != nil {
		status := resp.Status
		if status == "" {
			status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		if err := in.cap.record(exchange{URL: final, Request: resp.Request, Status: status, Proto: resp.Proto, Header: resp.Header, Body: body}); err != nil {
			return nil, err
		}
	}
	return &response{URL: final, Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// robotsEntry is one origin's robots.txt, fetched once.
type robotsEntry struct {
	once  sync.Once
	rules *robots
	err   error
}

// allowed reports whether robots.txt lets wparchive fetch rawURL. A
// robots.txt that is missing, unreadable or cannot be fetched allows
// everything (the page's own fetch then tells whether the site answers).
func (in *Input) allowed(ctx context.Context, rawURL string) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false, fmt.Errorf("not an http(s) URL: %q", rawURL)
	}
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	in.robotsMu.Lock()
	e := in.robots[origin]
	if e == nil {
		e = &robotsEntry{}
		in.robots[origin] = e
	}
	in.robotsMu.Unlock()
	e.once.Do(func() {
		r, err := in.get(ctx, origin+"/robots.txt", nil)
		switch {
		case err != nil:
			e.err = err
		case r.Status == http.StatusOK:
			e.rules = parseRobots(r.Body)
		}
	})
	if err := ctx.Err(); err != nil {
		return false, err
	}
	return e.rules.allowed(u.RequestURI()), nil
}

// normalURL is the form under which a URL is remembered: no fragment, host
// in lower case.
func normalURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

// placeholder stands for a page that was not captured: the run counts it as
// skipped or failed (key) with the problem's reason.
func placeholder(p Problem, key string) *wxr.Item {
	return &wxr.Item{
		ID: derivedID(p.URL), Title: p.URL, Link: p.URL, Name: slugOf(p.URL), Type: wxr.TypePost, Status: wxr.StatusPublish,
		Meta: []wxr.Meta{{Key: key, Value: p.Reason}, {Key: "_wparchive_source_url", Value: p.URL}},
		Pos:  wxr.Position{File: p.URL},
	}
}
