package archive

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/spill"
)

// linkIndex maps the URLs of the site's own items (permalinks, GUIDs,
// ?p=ID, ?page_id=ID, ?attachment_id=ID) to their ids, so links between
// posts become relative links inside the archive.
//
// It holds no URL: only a hash of each key with its item, sorted, and a
// match is checked against the item's link and GUID in the index, which
// therefore keeps every GUID that is a key of its own (see slimIndex).
type linkIndex struct {
	idx   *wxr.Index
	keys  *spill.Table // hash of a key → id
	hosts map[string]bool
}

func newLinkIndex(idx *wxr.Index, tempDir string, memory int) *linkIndex {
	li := &linkIndex{idx: idx, keys: spill.New(tempDir, memory), hosts: map[string]bool{}}
	idx.Range(func(e wxr.Entry) bool {
		keys := keysOf(&e, li.hosts)
		for i, k := range keys {
			if k != "" && (i == 0 || k != keys[0]) {
				li.keys.Add(keyHash(k), uint64(e.ID))
			}
		}
		return true
	})
	li.keys.Compact()
	return li
}

// close releases the temporary files of the keys.
func (li *linkIndex) close() error { return li.keys.Close() }

// lookup returns the id of the item href points to: of the items whose
// link or GUID has its key, the lowest id.
func (li *linkIndex) lookup(href string) (int64, bool) {
	// A URL without "//" has no host: not one of the site's own.
	if !strings.Contains(href, "//") {
		return 0, false
	}
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Host == "" || !li.hosts[normHost(u.Host)] {
		return 0, false
	}
	var q [3]string
	if u.RawQuery != "" {
		q = idQuery(u.RawQuery)
		for _, v := range q {
			if v != "" {
				if id, err := strconv.ParseInt(v, 10, 64); err == nil {
					return id, true
				}
			}
		}
	}
	k := linkKeyQuery(u, q)
	var id int64
	found := false
	li.keys.Lookup(keyHash(k), func(v uint64) bool {
		if found && int64(v) >= id {
			return true
		}
		if e, ok := li.idx.Get(int64(v)); ok {
			if keys := keysOf(&e, nil); keys[0] == k || keys[1] == k {
				id, found = e.ID, true
			}
		}
		return true
	})
	return id, found
}

// keysOf returns the keys of an item's link and GUID, "" for none, and adds
// their hosts to hosts unless it is nil.
func keysOf(e *wxr.Entry, hosts map[string]bool) [2]string {
	var keys [2]string
	for i, s := range []string{e.Link, e.GUID} {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			if hosts != nil {
				hosts[normHost(u.Host)] = true
			}
			keys[i] = linkKey(u)
		}
	}
	return keys
}

// linkKey is host + path without a trailing slash; query-string permalinks
// are found by their id instead.
func linkKey(u *url.URL) string {
	var q [3]string
	if u.RawQuery != "" {
		q = idQuery(u.RawQuery)
	}
	return linkKeyQuery(u, q)
}

// linkKeyQuery is linkKey with the id parameters of u's query already
// read by idQuery.
func linkKeyQuery(u *url.URL, q [3]string) string {
	for _, v := range q {
		if v != "" {
			return ""
		}
	}
	p := strings.TrimRight(u.Path, "/")
	return normHost(u.Host) + p
}

func normHost(h string) string {
	h = strings.ToLower(h)
	return strings.TrimPrefix(h, "www.")
}
