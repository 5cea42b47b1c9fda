package convert

import (
	"regexp"
	"strings"
)

// captionSplit is the pattern img_caption_shortcode uses when the caption is
// not an attribute: the (linked) image first, the caption text after it.
var captionSplit = regexp.MustCompile(`(?is)^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$`)

// expandCaption renders [caption] as a figure: the image, then its caption.
// The figure renderer prints the caption as an italic line under the image,
// which every static site generator shows.
func expandCaption(x *expansion, sc shortcode) string {
	a := sc.attrs()
	content := sc.content
	caption := a["caption"]
	if caption == "" {
		if m := captionSplit.FindStringSubmatch(content); m != nil {
			content, caption = m[1], strings.TrimSpace(m[2])
		}
	}
	content = x.expand(content)
	caption = x.expand(caption)
	var b strings.Builder
	b.WriteString(`<figure class="wp-caption">`)
	b.WriteString(content)
	if strings.TrimSpace(caption) != "" {
		b.WriteString("<figcaption>")
		b.WriteString(caption)
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>")
	return b.String()
}
