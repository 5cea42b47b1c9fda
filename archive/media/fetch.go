package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gabriel-vasile/mimetype"

	"github.com/wparchive/wparchive/archive/web"
)

// Options configure a Fetcher.
type Options struct {
	// Client fetches URLs; its options set the per-host limit, delay,
	// retries and address policy. Required.
	Client *web.Client
	// Store keeps the files. Required.
	Store Store
	// Jobs is the number of concurrent downloads (default 4).
	Jobs int
	// MaxBytes caps one file's size (default 2 GiB; negative: no cap).
	MaxBytes int64
	// From is a local copy of the uploads folder (wp-content/uploads, or an
	// unpacked backup of it), tried before the network: a URL's
	// uploads-relative path "2012/09/name.jpg" is looked up in it.
	From fs.FS
	// Previous are the results of an earlier run (see ReadState): their
	// validators make the requests conditional, so that unchanged files are
	// not downloaded again.
	Previous []Result
	// Progress hears about each file; nil is silent.
	Progress Progress
}

// Fetcher downloads and stores media.
type Fetcher struct {
	opts Options
	prev map[string]Result

	mu     sync.Mutex // guards claims and progress calls
	claims map[string]string
	tmpSeq atomic.Int64
}

// incoming is where files land before their name is decided.
const incoming = Root + "/.incoming"

// NewFetcher returns a Fetcher for opts.
func NewFetcher(opts Options) (*Fetcher, error) {
	if opts.Client == nil || opts.Store == nil {
		return nil, errors.New("media: a Fetcher needs a Client and a Store")
	}
	if opts.Jobs <= 0 {
		opts.Jobs = 4
	}
	if opts.MaxBytes == 0 {
		opts.MaxBytes = 2 << 30
	}
	if opts.Progress == nil {
		opts.Progress = NopProgress{}
	}
	f := &Fetcher{opts: opts, prev: map[string]Result{}}
	for _, r := range opts.Previous {
		if r.OK() {
			f.prev[r.URL] = r
		}
	}
	return f, nil
}

// Fetch fetches every distinct URL of refs and returns one Result per URL,
// sorted by URL. A file that cannot be had is a failed Result, never an
// error: only the cancellation of ctx aborts, returning ctx's cause with the
// results so far. Identical bytes are stored once; different bytes that
// would share a name get a suffix made from their hash.
func (f *Fetcher) Fetch(ctx context.Context, refs []Ref) ([]Result, error) {
	f.claims = map[string]string{}
	refs = mergeRefs(refs)
	// Refs whose best candidate maps to the same file are handled by one
	// worker in URL order, so which one takes the plain name does not depend
	// on timing.
	groups := map[string][]Ref{}
	var keys []string
	for _, r := range refs {
		k := strings.ToLower(r.Candidates[0])
		if p, err := LocalPath(r.Candidates[0]); err == nil {
			k = strings.ToLower(p)
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	sort.Strings(keys)

	f.opts.Progress.MediaStarted(len(refs))
	results := make([]Result, 0, len(refs))
	var resMu sync.Mutex
	work := make(chan []Ref)
	var wg sync.WaitGroup
	for range min(f.opts.Jobs, max(len(keys), 1)) {
		wg.Go(func() {
			for g := range work {
				for _, r := range g {
					if ctx.Err() != nil {
						break
					}
					res := f.fetchOne(ctx, r)
					if ctx.Err() != nil {
						break
					}
					resMu.Lock()
					results = append(results, res)
					resMu.Unlock()
					f.mu.Lock()
					f.opts.Progress.MediaDone(res)
					f.mu.Unlock()
				}
			}
		})
	}
	for _, k := range keys {
		select {
		case work <- groups[k]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	f.opts.Store.Remove(incoming) // only succeeds when empty, which it should be
	sort.Slice(results, func(i, j int) bool { return results[i].URL < results[j].URL })
	if err := ctx.Err(); err != nil {
		return results, context.Cause(ctx)
	}
	f.dedupe(results)
	return results, nil
}

// mergeRefs drops duplicate URLs (keeping a known attachment id) and fills in
// missing candidates, in URL order.
func mergeRefs(refs []Ref) []Ref {
	by := map[string]int{}
	var out []Ref
	for _, r := range refs {
		if i, ok := by[r.URL]; ok {
			if out[i].AttachmentID == 0 {
				out[i].AttachmentID = r.AttachmentID
			}
			continue
		}
		if len(r.Candidates) == 0 {
			r.Candidates = []string{r.URL}
		}
		if r.Kind == "" {
			r.Kind = kindOf(r.URL)
		}
		by[r.URL] = len(out)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// dedupe points every result with the same bytes at one file, the best path
// (uploads layout first, then sort order), and removes the other copies, so that the outcome does not
// depend on which download finished first.
func (f *Fetcher) dedupe(results []Result) {
	// An uploads-layout path is preferred to a media/<host>/… one, so a
	// copy on a CDN does not take the place of the site's own file.
	better := func(a, b Result) bool {
		ua, ub := isUpload(a.Fetched), isUpload(b.Fetched)
		if ua != ub {
			return ua
		}
		return a.Path < b.Path
	}
	best := map[string]Result{}
	for _, r := range results {
		if b, ok := best[r.SHA256]; r.OK() && (!ok || better(r, b)) {
			best[r.SHA256] = r
		}
	}
	canon := map[string]string{}
	for sha, r := range best {
		canon[sha] = r.Path
	}
	var drop []string
	for i := range results {
		r := &results[i]
		if r.OK() && r.Path != canon[r.SHA256] {
			drop = append(drop, r.Path)
			r.Path = canon[r.SHA256]
		}
	}
	sort.Strings(drop)
	for i, p := range drop {
		if i == 0 || drop[i-1] != p {
			f.opts.Store.Remove(p)
		}
	}
}

// fetchOne tries the candidates of r: a still-valid previous file, then the
// local folder, then the network, an original before a variant.
func (f *Fetcher) fetchOne(ctx context.Context, r Ref) Result {
	res := Result{URL: r.URL, Kind: r.Kind, AttachmentID: r.AttachmentID, Status: StatusFailed}
	finish := func(fetched string) Result {
		res.Fetched = fetched
		res.Variant = fetched == r.URL && len(r.Candidates) > 1
		return res
	}
	var reasons []string
	if f.opts.From != nil {
		for _, c := range r.Candidates {
			ok, reason := f.fromLocal(ctx, r, c, &res)
			if ok {
				return finish(c)
			}
			if reason != "" {
				reasons = append(reasons, reason)
			}
		}
	}
	prev, hasPrev := f.prev[r.URL]
	for _, c := range r.Candidates {
		var cond *Result
		if hasPrev && prev.Fetched == c {
			cond = &prev
		}
		done, reason := f.fromNetwork(ctx, r, c, cond, &res)
		if reason != "" {
			reasons = append(reasons, reason)
		}
		if done {
			if !res.OK() {
				res.Reason = strings.Join(reasons, "; ")
			}
			return finish(c)
		}
	}
	res.Reason = strings.Join(reasons, "; ")
	return finish(r.URL)
}

// fromLocal stores candidate c from the local folder. It reports ok when
// stored; a non-empty reason when the file was there but unusable.
func (f *Fetcher) fromLocal(ctx context.Context, r Ref, c string, res *Result) (bool, string) {
	u, err := url.Parse(c)
	if err != nil {
		return false, ""
	}
	up, ok := uploadsPath(u)
	if !ok {
		return false, ""
	}
	if dec, err := url.PathUnescape(up); err == nil {
		up = dec
	}
	if !fs.ValidPath(up) {
		return false, ""
	}
	file, err := f.opts.From.Open(up)
	if err != nil {
		return false, ""
	}
	defer file.Close()
	if st, err := file.Stat(); err != nil || !st.Mode().IsRegular() {
		return false, ""
	}
	res.From = FromLocal
	if reason := f.store(ctx, r, c, file, res); reason != "" {
		return false, "local copy " + up + ": " + reason
	}
	return true, ""
}

// fromNetwork fetches candidate c. It reports done when the result is
// decided (stored, or failed in a way another candidate would not mend),
// with the failure's reason; not done means try the next candidate.
func (f *Fetcher) fromNetwork(ctx context.Context, r Ref, c string, prev *Result, res *Result) (bool, string) {
	h := http.Header{}
	if prev != nil {
		// Only ask "has it changed?" when the stored copy is still intact.
		if _, sha, ok := f.opts.Store.Stat(prev.Path); ok && sha == prev.SHA256 {
			if prev.ETag != "" {
				h.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				h.Set("If-Modified-Since", prev.LastModified)
			}
		}
	}
	resp, err := f.opts.Client.Get(ctx, c, h)
	if err != nil {
		var we *web.Error
		if errors.As(err, &we) {
			res.Attempts += we.Attempts
		}
		return true, err.Error()
	}
	defer resp.Body.Close()
	res.Attempts++
	switch {
	case resp.StatusCode == http.StatusNotModified && len(h) > 0:
		attempts := res.Attempts
		*res = *prev
		res.Attempts = attempts
		res.From = FromUnchanged
		f.claim(prev.Path, prev.SHA256)
		return true, ""
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusForbidden:
		return false, fmt.Sprintf("%s: HTTP %d", c, resp.StatusCode)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return true, fmt.Sprintf("%s: HTTP %d", c, resp.StatusCode)
	}
	if f.opts.MaxBytes > 0 && resp.ContentLength > f.opts.MaxBytes {
		return true, fmt.Sprintf("larger than %d bytes (%d)", f.opts.MaxBytes, resp.ContentLength)
	}
	res.From = FromNetwork
	res.ETag = resp.Header.Get("ETag")
	res.LastModified = resp.Header.Get("Last-Modified")
	if reason := f.store(ctx, r, c, resp.Body, res); reason != "" {
		res.ETag, res.LastModified = "", ""
		return true, reason
	}
	return true, ""
}

// errTooLarge stops a copy beyond MaxBytes.
var errTooLarge = errors.New("too large")

// store sniffs, checks and stores the body of candidate c, filling res. It
// returns a reason when the body is refused or cannot be stored.
func (f *Fetcher) store(ctx context.Context, r Ref, c string, body io.Reader, res *Result) string {
	head := make([]byte, 3072)
	n, err := io.ReadFull(body, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "reading: " + err.Error()
	}
	head = head[:n]
	mime := mimetype.Detect(head)
	ctype, _, _ := strings.Cut(mime.String(), ";")
	if reason := refuseType(r.Kind, c, ctype); reason != "" {
		return reason
	}
	tmp := incoming + "/" + strconv.FormatInt(f.tmpSeq.Add(1), 10)
	var src io.Reader = io.MultiReader(bytes.NewReader(head), body)
	if f.opts.MaxBytes > 0 {
		src = &capReader{r: src, left: f.opts.MaxBytes}
	}
	size, sha, err := f.opts.Store.Write(ctx, tmp, src)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return fmt.Sprintf("larger than %d bytes", f.opts.MaxBytes)
		}
		return err.Error()
	}
	rel, err := f.place(c, tmp, sha)
	if err != nil {
		f.opts.Store.Remove(tmp)
		return err.Error()
	}
	res.Status = StatusOK
	res.Path, res.Size, res.SHA256, res.ContentType = rel, size, sha, ctype
	return ""
}

// refuseType says why bytes of type ctype cannot be the media a reference
// expects: an error page or login form served in place of an image.
func refuseType(kind, c, ctype string) string {
	isHTML := ctype == "text/html" || ctype == "application/xhtml+xml"
	switch {
	case kind == KindImage && !strings.HasPrefix(ctype, "image/"):
		return "not an image: " + ctype
	case isHTML:
		if ext := strings.ToLower(path.Ext(urlPath(c))); ext != ".html" && ext != ".htm" {
			return "not a media file: " + ctype
		}
	}
	return ""
}

// place moves the file just written at tmp to its final name: the URL's
// local path, or the same with a hash suffix when other bytes hold it.
// Identical bytes already stored under that name are kept, tmp removed.
func (f *Fetcher) place(c, tmp, sha string) (string, error) {
	base, err := LocalPath(c)
	if err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, rel := range []string{base, withSuffix(base, sha)} {
		key := strings.ToLower(rel) // case-insensitive file systems
		if held, ok := f.claims[key]; ok {
			if held != sha {
				continue
			}
			return rel, f.opts.Store.Remove(tmp)
		}
		if _, got, ok := f.opts.Store.Stat(rel); ok {
			owner, mine := f.prevPath(c)
			if got == sha {
				f.claims[key] = sha
				return rel, f.opts.Store.Remove(tmp)
			}
			// Another run's file for this very URL may be replaced by its
			// new bytes; anyone else's never.
			if !mine || owner != rel {
				continue
			}
		}
		if err := f.opts.Store.Rename(tmp, rel); err != nil {
			return "", err
		}
		f.claims[key] = sha
		return rel, nil
	}
	return "", fmt.Errorf("no free name for %s", base)
}

// prevPath is the path a previous run stored candidate c at.
func (f *Fetcher) prevPath(c string) (string, bool) {
	for _, p := range f.prev {
		if p.Fetched == c {
			return p.Path, true
		}
	}
	return "", false
}

func (f *Fetcher) claim(rel, sha string) {
	f.mu.Lock()
	f.claims[strings.ToLower(rel)] = sha
	f.mu.Unlock()
}

func isUpload(raw string) bool {
	_, ok := uploadsURL(raw)
	return ok
}

// capReader fails once more than left bytes have been read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errTooLarge
	}
	return n, err
}
