package page

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Social plugins leave custom elements that a script would have filled in
// (<fb:comments>, <comments-count>): in a saved page they are empty, and the
// label around them ("<p><comments-count></comments-count> comments</p>")
// reads as a stray word.

// pluginTags are the custom elements of comment and social plugins.
var pluginTags = map[string]bool{
	"comments-count": true, "fb-comments": true, "fb-comments-count": true,
	"disqus-comments": true,
}

// pluginClasses name the placeholders of the same plugins in the HTML5 form.
var pluginClasses = map[string]bool{
	"fb-comments": true, "fb-comments-count": true, "fb-like": true,
	"fb-share-button": true, "fb-page": true, "fb-like-box": true,
	"fb-follow": true, "fb-send": true, "fb_iframe_widget": true,
}

// maxPluginLabel bounds the text an element around a plugin may hold and
// still go with it: a label such as "comments" or "Comments: 3 comments".
const maxPluginLabel = 24

func isPlugin(n *html.Node) bool {
	tag := strings.ToLower(n.Data)
	if pluginTags[tag] || strings.HasPrefix(tag, "fb:") {
		return true
	}
	for _, c := range classes(n) {
		if pluginClasses[strings.ToLower(c)] {
			return true
		}
	}
	return false
}

// removePlugins drops every plugin element with the short label around it.
func removePlugins(root *html.Node) {
	for _, n := range elements(root) {
		if n == root || !isPlugin(n) || n.Parent == nil || !attached(n, root) {
			continue
		}
		e := n
		for p := e.Parent; p != nil && p != root && p.Type == html.ElementNode && !isContentMarker(p); p = p.Parent {
			if utf8.RuneCountInString(squash(rawText(p))) > maxPluginLabel {
				break
			}
			e = p
		}
		detach(e)
	}
}
