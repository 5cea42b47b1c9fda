package wxr

import "bytes"

// An export repeats a few values in every item: statuses, post types, meta
// keys, authors, terms, and each date twice (local and GMT). Making a new
// string of each costs an allocation, and the garbage collector's work
// after it, for nothing; the scanner gives the same string again instead.

// maxInterned bounds the strings a scanner keeps for repeats, and
// maxInternLen their length: names and keys repeat, long text seldom does.
const (
	maxInterned  = 4096
	maxInternLen = 64
)

// wellKnown returns the constant equal to b among the values WordPress
// writes in nearly every item.
func wellKnown(b []byte) (string, bool) {
	// A switch on string(b) compares without converting.
	switch string(b) {
	case "publish":
		return "publish", true
	case "draft":
		return "draft", true
	case "inherit":
		return "inherit", true
	case "private":
		return "private", true
	case "pending":
		return "pending", true
	case "future":
		return "future", true
	case "trash":
		return "trash", true
	case "post":
		return "post", true
	case "page":
		return "page", true
	case "attachment":
		return "attachment", true
	case "nav_menu_item":
		return "nav_menu_item", true
	case "open":
		return "open", true
	case "closed":
		return "closed", true
	case "0":
		return "0", true
	case "1":
		return "1", true
	case "comment":
		return "comment", true
	case "pingback":
		return "pingback", true
	case "trackback":
		return "trackback", true
	case "category":
		return "category", true
	case "post_tag":
		return "post_tag", true
	}
	return "", false
}

// keep returns b as a string: a well-known value, the previous one kept if
// equal (a GMT date after its local one), or a new string.
func (s *scanner) keep(b []byte) string {
	if v, ok := wellKnown(b); ok {
		return v
	}
	if string(b) == s.prev {
		return s.prev
	}
	s.prev = string(b)
	return s.prev
}

// trimmed is the text just read without surrounding white space.
func (s *scanner) trimmed() string {
	return s.keep(bytes.TrimSpace(s.text))
}

// intern returns b as a string, the same one for the same bytes: for
// values that repeat across items (authors, meta keys, term names).
func (s *scanner) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if v, ok := wellKnown(b); ok {
		return v
	}
	if len(b) > maxInternLen {
		return string(b)
	}
	if v, ok := s.interned[string(b)]; ok {
		return v
	}
	v := string(b)
	if s.interned == nil {
		s.interned = map[string]string{}
	}
	if len(s.interned) < maxInterned {
		s.interned[v] = v
	}
	return v
}
