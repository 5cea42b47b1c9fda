package archive

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// linkIndex maps the URLs of the site's own items (permalinks, GUIDs,
// ?p=ID, ?page_id=ID, ?attachment_id=ID) to their ids, so links between
// posts become relative links inside the archive.
type linkIndex struct {
	byKey map[string]int64
	hosts map[string]bool
}

func newLinkIndex(idx *wxr.Index, siteURLs ...string) *linkIndex {
	li := &linkIndex{byKey: map[string]int64{}, hosts: map[string]bool{}}
	for _, s := range siteURLs {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			li.hosts[normHost(u.Host)] = true
		}
	}
	idx.Range(func(e wxr.Entry) bool {
		id := e.ID
		for _, s := range []string{e.Link, e.GUID} {
			u, err := url.Parse(s)
			if err != nil || u.Host == "" {
				continue
			}
			li.hosts[normHost(u.Host)] = true
			if k := linkKey(u); k != "" {
				if old, ok := li.byKey[k]; !ok || id < old {
					li.byKey[k] = id
				}
			}
		}
		return true
	})
	return li
}

// lookup returns the id of the item href points to.
func (li *linkIndex) lookup(href string) (int64, bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Host == "" || !li.hosts[normHost(u.Host)] {
		return 0, false
	}
	q := u.Query()
	for _, k := range []string{"p", "page_id", "attachment_id"} {
		if v := q.Get(k); v != "" {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				return id, true
			}
		}
	}
	id, ok := li.byKey[linkKey(u)]
	return id, ok
}

// linkKey is host + path without a trailing slash; query-string permalinks
// are found by their id instead.
func linkKey(u *url.URL) string {
	if u.RawQuery != "" {
		q := u.Query()
		for _, k := range []string{"p", "page_id", "attachment_id"} {
			if v := q.Get(k); v != "" {
				return ""
			}
		}
	}
	p := strings.TrimRight(u.Path, "/")
	return normHost(u.Host) + p
}

func normHost(h string) string {
	h = strings.ToLower(h)
	return strings.TrimPrefix(h, "www.")
}
