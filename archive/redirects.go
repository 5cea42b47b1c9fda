package archive

import (
	"bytes"
	"encoding/csv"
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
		if p == "" || p == "/" || seen[p] || p == newPath {
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

// writeRedirects writes the three redirect files.
func writeRedirects(w *Writer, opts *Options, rs []redirect) error {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.oldPath != b.oldPath {
			return a.oldPath < b.oldPath
		}
		if a.id != b.id {
			return a.id < b.id // one old address, one target: the lowest id wins
		}
		return a.newPath < b.newPath // duplicated ids: order by folder, never by timing
	})
	var c bytes.Buffer
	cw := csv.NewWriter(&c)
	_ = cw.Write([]string{"old_url", "old_path", "new_path", "id"})
	var netlify, nginx bytes.Buffer
	netlify.WriteString("# Old WordPress addresses → archived items (Netlify / Cloudflare Pages _redirects)\n")
	nginx.WriteString("# map $request_uri $wparchive_new { include nginx-redirects.map; }\n")
	done := map[string]bool{}
	for _, r := range rs {
		_ = cw.Write([]string{r.oldURL, r.oldPath, r.newPath, strconv.FormatInt(r.id, 10)})
		if done[r.oldPath] {
			continue
		}
		done[r.oldPath] = true
		if !strings.Contains(r.oldPath, "?") {
			// _redirects matches paths only; query short links are in the CSV and nginx map.
			netlify.WriteString(r.oldPath + " " + r.newPath + " 301\n")
		}
		nginx.WriteString(nginxQuote(r.oldPath) + " " + nginxQuote(r.newPath) + ";\n")
	}
	cw.Flush()
	for name, data := range map[string][]byte{RedirectsCSV: c.Bytes(), RedirectsNetlify: netlify.Bytes(), RedirectsNginx: nginx.Bytes()} {
		if err := w.WriteFile(opts.meta(name), data); err != nil {
			return err
		}
	}
	return nil
}

// nginxQuote quotes a map key or value when it holds a space, quote or ';'.
func nginxQuote(s string) string {
	if !strings.ContainsAny(s, " \t\";'{}") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
