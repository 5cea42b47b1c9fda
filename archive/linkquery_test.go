package archive

import (
	"net/url"
	"path"
	"strconv"
	"strings"
	"testing"
)

// oldIDQuery is what idQuery replaces: u.Query() and Get.
func oldIDQuery(raw string) [3]string {
	q, _ := url.ParseQuery(raw)
	var vals [3]string
	for i, k := range idParams {
		vals[i] = q.Get(k)
	}
	return vals
}

// oldRelPath is relPath as it was, splitting both paths.
func oldRelPath(fromDir, target string) string {
	from := strings.Split(path.Clean(fromDir), "/")
	to := strings.Split(path.Clean(target), "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	var b strings.Builder
	for j := i; j < len(from); j++ {
		if from[j] != "." && from[j] != "" {
			b.WriteString("../")
		}
	}
	b.WriteString(strings.Join(to[i:], "/"))
	return b.String()
}

var queryCases = []string{
	"", "p=7", "p=", "p", "&p=7", "p=7&", "p=&p=7", "p=x&page_id=8", "page_id=8&attachment_id=9",
	"%70=7", "p=%37", "p=%3", "%zz=1&p=2", "p=%zz&p=3", "p=7;x=1", "x=1;p=7&p=8", "a=1&p=+7",
	"p=1+2", "page_id=5=6", "attachment_id=12&p=abc", "P=7", "p%3D7", "p=7&p=8",
	strings.Repeat("a=1&", maxScannedParams) + "p=9", strings.Repeat("a=1&", 20000) + "p=9",
}

func TestIDQueryMatchesParseQuery(t *testing.T) {
	for _, raw := range queryCases {
		if got, want := idQuery(raw), oldIDQuery(raw); got != want {
			t.Errorf("idQuery(%.40q) = %q, want %q", raw, got, want)
		}
	}
}

// FuzzIDQuery checks idQuery against url.ParseQuery and Get.
func FuzzIDQuery(f *testing.F) {
	for _, raw := range queryCases[:len(queryCases)-2] {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if got, want := idQuery(raw), oldIDQuery(raw); got != want {
			t.Errorf("idQuery(%q) = %q, want %q", raw, got, want)
		}
	})
}

var relPathCases = [][2]string{
	{"posts/2012/09/a", "pages/about/index.md"}, {"posts/2012/09/a", "posts/2012/09/b/index.md"},
	{"posts/2012/09/a", "posts/2012/09/a/index.md"}, {"pages/about", "media/2012/09/x.jpg"},
	{"", "a"}, {".", "a/b"}, {"a", "a"}, {"a", "a/b"}, {"a/b", "a"}, {"/a/b", "/a/c"}, {"/", "/x"},
	{"/a", "b"}, {"a", "/a/b"}, {"a//b/", "a/b/c"}, {"a/./b/../c", "a/c/d"}, {"../x", "../x/y"},
	{"..", "a"}, {"a/b/c", "a/b/c"}, {"a/b", "a/b/c/d/e"}, {"x", ""}, {"é/ü", "é/ü/i.md"},
}

func TestRelPathMatchesOld(t *testing.T) {
	for _, c := range relPathCases {
		if got, want := relPath(c[0], c[1]), oldRelPath(c[0], c[1]); got != want {
			t.Errorf("relPath(%q, %q) = %q, want %q", c[0], c[1], got, want)
		}
	}
}

// FuzzRelPath checks relPath against the splitting one it replaces.
func FuzzRelPath(f *testing.F) {
	for _, c := range relPathCases {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		if got, want := relPath(from, to), oldRelPath(from, to); got != want {
			t.Errorf("relPath(%q, %q) = %q, want %q", from, to, got, want)
		}
	})
}

// oldLinkKey and oldLookup are linkKey and lookup as they were, with
// u.Query().
func oldLinkKey(u *url.URL) string {
	if u.RawQuery != "" {
		q := u.Query()
		for _, k := range []string{"p", "page_id", "attachment_id"} {
			if v := q.Get(k); v != "" {
				return ""
			}
		}
	}
	return normHost(u.Host) + strings.TrimRight(u.Path, "/")
}

func oldLookup(li *linkIndex, href string) (int64, bool) {
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
	k := oldLinkKey(u)
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
