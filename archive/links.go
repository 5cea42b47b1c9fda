package archive

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/wxr"
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
	keys  []linkRef // sorted by hash, then id
	hosts map[string]bool
}

type linkRef struct {
	hash uint64
	id   int64
}

func newLinkIndex(idx *wxr.Index, siteURLs ...string) *linkIndex {
	li := &linkIndex{idx: idx, hosts: map[string]bool{}}
	for _, s := range siteURLs {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			li.hosts[normHost(u.Host)] = true
		}
	}
	idx.Range(func(e wxr.Entry) bool {
		keys := keysOf(&e, li.hosts)
		for i, k := range keys {
			if k != "" && (i == 0 || k != keys[0]) {
				li.keys = append(li.keys, linkRef{keyHash(k), e.ID})
			}
		}
		return true
	})
	slices.SortFunc(li.keys, func(a, b linkRef) int { return cmp.Or(cmp.Compare(a.hash, b.hash), cmp.Compare(a.id, b.id)) })
	return li
}

// lookup returns the id of the item href points to: of the items whose
// link or GUID has its key, the lowest id.
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
	k := linkKey(u)
	h := keyHash(k)
	i, _ := slices.BinarySearchFunc(li.keys, h, func(r linkRef, h uint64) int { return cmp.Compare(r.hash, h) })
	for ; i < len(li.keys) && li.keys[i].hash == h; i++ {
		e, ok := li.idx.Get(li.keys[i].id)
		if !ok {
			continue
		}
		if keys := keysOf(&e, nil); keys[0] == k || keys[1] == k {
			return e.ID, true
		}
	}
	return 0, false
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
