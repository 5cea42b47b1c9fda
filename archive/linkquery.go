package archive

import (
	"net/url"
	"strings"
)

// idParams are the query parameters of WordPress's query-string links, in
// the order they are tried.
var idParams = [3]string{"p", "page_id", "attachment_id"}

// maxScannedParams bounds the queries idQuery scans itself: past it,
// url.ParseQuery decides, with its limit on the number of parameters.
const maxScannedParams = 64

// idQuery returns, for each of idParams, what url.Values.Get would return
// for it from url.ParseQuery(raw): the value of its first valid pair, ""
// for none. Pairs that ParseQuery drops (a ';' in them, a bad escape in
// key or value) are skipped the same way. It builds no map: most queries
// hold none of the three.
func idQuery(raw string) [3]string {
	var vals [3]string
	if strings.Count(raw, "&") >= maxScannedParams {
		q, _ := url.ParseQuery(raw)
		for i, k := range idParams {
			vals[i] = q.Get(k)
		}
		return vals
	}
	var found [3]bool
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		key, ok := queryUnescape(key)
		if !ok {
			continue
		}
		i := paramIndex(key)
		if i < 0 || found[i] {
			continue
		}
		if value, ok = queryUnescape(value); ok {
			vals[i], found[i] = value, true
		}
	}
	return vals
}

// paramIndex is the index of key in idParams, -1 for none.
func paramIndex(key string) int {
	for i, k := range idParams {
		if key == k {
			return i
		}
	}
	return -1
}

// queryUnescape is url.QueryUnescape without its allocation for the usual
// text with nothing to unescape.
func queryUnescape(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	u, err := url.QueryUnescape(s)
	return u, err == nil
}
