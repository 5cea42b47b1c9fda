package archive

import (
	"bufio"
	"encoding/csv"
	"errors"
	"hash/fnv"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Redirect files, written beside items.jsonl: the old permalinks of the
// archived items and where each item is now, for the web server or host
// that serves the migrated site.
const (
	RedirectsCSV     = "redirects.csv"       // old_url,old_path,new_path,id
	RedirectsNetlify = "_redirects"          // Netlify and Cloudflare Pages
	RedirectsNginx   = "nginx-redirects.map" // for an nginx map block
)

// redirect is one old address of an item.
type redirect struct {
	id      int64
	oldURL  string
	oldPath string
	newPath string
}

// redirectsFor returns the old addresses of an item: its permalink and its
// ?p=ID short link. newPath is where the item is served from now.
func redirectsFor(id int64, link, guid, newPath string) []redirect {
	var out []redirect
	seen := map[string]bool{}
	for _, raw := range []string{link, guid} {
		u, err := url.Parse(strings.TrimSpace(raw))
		if err != nil || u.Host == "" {
			continue
		}
		p := u.EscapedPath()
		if u.RawQuery != "" {
			p += "?" + u.RawQuery
		}
		if p == "" || p == "/" || seen[p] || samePath(p, newPath) {
			continue
		}
		// A GUID counts only when it is a short link: other GUIDs never were addresses.
		if raw == guid && raw != link && !strings.Contains(u.RawQuery, "p=") {
			continue
		}
		seen[p] = true
		out = append(out, redirect{id: id, oldURL: raw, oldPath: p, newPath: newPath})
	}
	return out
}

// redirectWriter streams the three redirect files, in the order of
// items.jsonl: an old address that two items had goes to the first, the
// lowest id.
type redirectWriter struct {
	csv           *csv.Writer
	netlify, ngx  *bufio.Writer
	seen          map[uint64]bool
	csvF, nf, ngF *AtomicFile
}

func newRedirectWriter(w *Writer, opts *Options) (*redirectWriter, error) {
	rw := &redirectWriter{seen: map[uint64]bool{}}
	var err error
	if rw.csvF, err = w.Create(opts.meta(RedirectsCSV)); err != nil {
		return nil, err
	}
	if rw.nf, err = w.Create(opts.meta(RedirectsNetlify)); err != nil {
		rw.abort(err)
		return nil, err
	}
	if rw.ngF, err = w.Create(opts.meta(RedirectsNginx)); err != nil {
		rw.abort(err)
		return nil, err
	}
	rw.csv = csv.NewWriter(rw.csvF)
	rw.netlify = bufio.NewWriter(rw.nf)
	rw.ngx = bufio.NewWriter(rw.ngF)
	_ = rw.csv.Write([]string{"old_url", "old_path", "new_path", "id"})
	rw.netlify.WriteString("# Old WordPress addresses → archived items (Netlify / Cloudflare Pages _redirects)\n")
	rw.ngx.WriteString("# map $request_uri $wparchive_new { include nginx-redirects.map; }\n")
	return rw, nil
}

func (rw *redirectWriter) add(r redirect) {
	_ = rw.csv.Write([]string{r.oldURL, r.oldPath, r.newPath, strconv.FormatInt(r.id, 10)})
	h := fnv.New64a()
	h.Write([]byte(r.oldPath))
	k := h.Sum64()
	if rw.seen[k] {
		return
	}
	rw.seen[k] = true
	if !strings.Contains(r.oldPath, "?") {
		// _redirects matches paths only; query short links are in the CSV and nginx map.
		rw.netlify.WriteString(r.oldPath + " " + r.newPath + " 301\n")
	}
	rw.ngx.WriteString(nginxQuote(r.oldPath) + " " + nginxQuote(r.newPath) + ";\n")
}

func (rw *redirectWriter) close() error {
	rw.csv.Flush()
	errs := []error{rw.csv.Error(), rw.netlify.Flush(), rw.ngx.Flush()}
	for _, f := range []*AtomicFile{rw.csvF, rw.nf, rw.ngF} {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

func (rw *redirectWriter) abort(err error) {
	for _, f := range []*AtomicFile{rw.csvF, rw.nf, rw.ngF} {
		if f != nil {
			f.Abort(err)
		}
	}
}

// samePath compares two URL paths as a server does: %ed and %ED are one byte.
func samePath(a, b string) bool {
	if a == b {
		return true
	}
	da, err1 := url.PathUnescape(a)
	db, err2 := url.PathUnescape(b)
	return err1 == nil && err2 == nil && da == db
}

// writeRedirects writes the redirect files of rs, in item order.
func writeRedirects(w *Writer, opts *Options, rs []redirect) error {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].id != rs[j].id {
			return rs[i].id < rs[j].id
		}
		return rs[i].newPath < rs[j].newPath
	})
	rw, err := newRedirectWriter(w, opts)
	if err != nil {
		return err
	}
	for _, r := range rs {
		rw.add(r)
	}
	return rw.close()
}

// nginxQuote quotes a map key or value when it holds a space, quote or ';'.
func nginxQuote(s string) string {
	if !strings.ContainsAny(s, " \t\";'{}") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
