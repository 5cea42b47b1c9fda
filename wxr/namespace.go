package wxr

import "strings"

// nsKind is what a namespace URL means to a WXR reader.
type nsKind uint8

const (
	nsNone    nsKind = iota // no namespace: the RSS elements
	nsWP                    // wp: http(s)://wordpress.org/export/1.x/
	nsContent               // content: http://purl.org/rss/1.0/modules/content/
	nsExcerpt               // excerpt: http(s)://wordpress.org/export/1.x/excerpt/
	nsDC                    // dc: http://purl.org/dc/elements/1.1/
	nsForeign               // anything else (wfw, atom, a plugin's namespace…)
)

// prefixKinds are the prefixes WordPress binds, with the namespace each must
// be bound to. An unbound prefix (encoding/xml leaves the prefix itself as the
// space) is taken at its word, with a warning.
var prefixKinds = map[string]nsKind{
	"wp":      nsWP,
	"content": nsContent,
	"excerpt": nsExcerpt,
	"dc":      nsDC,
}

// classifyNamespace matches a namespace URL by pattern: WXR 1.0, 1.1 and 1.2
// and their http and https spellings all differ.
func classifyNamespace(space string) nsKind {
	switch {
	case space == "":
		return nsNone
	case strings.Contains(space, "purl.org/rss/1.0/modules/content"):
		return nsContent
	case strings.Contains(space, "wordpress.org/export/") && strings.Contains(space, "/excerpt"):
		return nsExcerpt
	case strings.Contains(space, "wordpress.org/export/"):
		return nsWP
	case strings.Contains(space, "purl.org/dc/elements"):
		return nsDC
	}
	return nsForeign
}
