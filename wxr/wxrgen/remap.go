package wxrgen

import (
	"strconv"
	"strings"
)

// idRefs are the places where post content names an item by id: image
// classes, block attributes, gallery shortcodes and plain links. A ref whose
// list is true is followed by comma-separated ids.
var idRefs = []struct {
	prefix string
	list   bool
}{
	{"wp-image-", false},
	{`"id":`, false},
	{`"ids":[`, true},
	{`ids="`, true},
	{`ids='`, true},
	{`data-id="`, false},
	{"attachment_id=", false},
	{`id="attachment_`, false}, // [caption id="attachment_12"]
	{"?p=", false},
	{"page_id=", false},
}

// refFirst holds the first bytes of idRefs, to skip most bytes with one test.
const refFirst = `w"ida?p`

// remapIDs rewrites the item ids that s refers to through f, leaving
// everything else byte for byte. It returns s itself when nothing changes.
func remapIDs(s string, f func(int64) int64) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if strings.IndexByte(refFirst, s[i]) < 0 {
			i++
			continue
		}
		n, list := matchRef(s[i:])
		if n == 0 {
			i++
			continue
		}
		j := i + n
		for {
			start := j
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > start {
				if id, err := strconv.ParseInt(s[start:j], 10, 64); err == nil {
					if nid := f(id); nid != id {
						if b.Len() == 0 {
							b.Grow(len(s) + 16)
						}
						b.WriteString(s[last:start])
						b.WriteString(strconv.FormatInt(nid, 10))
						last = j
					}
				}
			}
			if !list || j >= len(s) || s[j] != ',' {
				break
			}
			j++
			for j < len(s) && s[j] == ' ' {
				j++
			}
		}
		i = max(j, i+1)
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func matchRef(s string) (n int, list bool) {
	for _, r := range idRefs {
		if strings.HasPrefix(s, r.prefix) {
			return len(r.prefix), r.list
		}
	}
	return 0, false
}
