package media

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// found is a media URL as it appears in content, before resolution.
type found struct {
	url          string
	kind         string // image, audio, video, file; "" for a link, judged later
	attachmentID int64
}

// scanHTML lists the media a piece of content refers to: <img src>, srcset
// and data-orig-file, <audio>/<video> src and poster, <source> src and
// srcset, and every <a href> (kept later only when it points to an upload).
// It uses the tokenizer, not the parser, so that no depth limit applies.
func scanHTML(content string) []found {
	var out []found
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attr := func(k string) string {
			for _, a := range tok.Attr {
				if a.Namespace == "" && a.Key == k {
					return strings.TrimSpace(a.Val)
				}
			}
			return ""
		}
		switch tok.Data {
		case "img":
			id := wpImageID(attr("class"))
			if v := attr("data-id"); id == 0 && v != "" {
				id, _ = strconv.ParseInt(v, 10, 64)
			}
			for _, u := range append([]string{attr("src"), attr("data-orig-file")}, parseSrcset(attr("srcset"))...) {
				out = append(out, found{url: u, kind: "image", attachmentID: id})
			}
		case "audio", "video":
			out = append(out, found{url: attr("src"), kind: tok.Data}, found{url: attr("poster"), kind: "image"})
		case "source":
			out = append(out, found{url: attr("src")})
			for _, u := range parseSrcset(attr("srcset")) {
				out = append(out, found{url: u, kind: "image"})
			}
		case "a":
			out = append(out, found{url: attr("href")})
		}
	}
}

// wpImageID reads the attachment id from the class WordPress gives inserted
// images: "wp-image-123".
func wpImageID(class string) int64 {
	for _, c := range strings.Fields(class) {
		if n, ok := strings.CutPrefix(c, "wp-image-"); ok {
			if id, err := strconv.ParseInt(n, 10, 64); err == nil && id > 0 {
				return id
			}
		}
	}
	return 0
}

// parseSrcset returns the URLs of a srcset attribute. It follows the HTML
// algorithm: a URL runs to the next white space (so a comma inside it, as
// in WordPress.com's "?resize=300,200", stays), and descriptors run to the
// next comma.
func parseSrcset(s string) []string {
	var out []string
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	i := 0
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		u := s[start:i]
		if strings.HasSuffix(u, ",") {
			// No descriptors: the trailing commas end the candidate.
			u = strings.TrimRight(u, ",")
		} else {
			inParens := false
			for i < len(s) {
				c := s[i]
				if c == '(' {
					inParens = true
				} else if c == ')' {
					inParens = false
				} else if c == ',' && !inParens {
					break
				}
				i++
			}
		}
		if u != "" {
			out = append(out, u)
		}
	}
	return out
}

// shortcodeMedia lists the URLs of [audio], [video] and [playlist]-style
// shortcode attributes (src, mp3, mp4, …, poster), which are not HTML and
// so not seen by scanHTML.
func shortcodeMedia(content string) []found {
	var out []found
	for rest := content; ; {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			return out
		}
		rest = rest[i+1:]
		name := rest
		if j := strings.IndexAny(name, " \t\n]/"); j >= 0 {
			name = name[:j]
		}
		if name != "audio" && name != "video" {
			continue
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return out
		}
		for _, kv := range shortcodeAttrs(rest[len(name):end]) {
			k, v := kv[0], kv[1]
			switch k {
			case "src", "mp3", "m4a", "ogg", "wav", "wma", "flac", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov":
				out = append(out, found{url: v, kind: name})
			case "poster":
				out = append(out, found{url: v, kind: "image"})
			}
		}
		rest = rest[end:]
	}
}

// shortcodeAttrs reads key="value", key='value' and key=value pairs, in order.
func shortcodeAttrs(s string) [][2]string {
	var out [][2]string
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return out
		}
		key := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = s[eq+1:]
		var val string
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			q := s[0]
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return out
			}
			val, s = s[1:1+end], s[2+end:]
		} else {
			end := strings.IndexAny(s, " \t\n\r")
			if end < 0 {
				end = len(s)
			}
			val, s = s[:end], s[end:]
		}
		if strings.ContainsAny(key, " \t\n\r") { // a stray word before the key
			key = key[strings.LastIndexAny(key, " \t\n\r")+1:]
		}
		out = append(out, [2]string{key, html.UnescapeString(val)})
	}
}
