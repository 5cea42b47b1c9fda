package convert

import (
	"net/url"
	"path"
	"strconv"
	"strings"
)

var (
	audioSourceAttrs = []string{"src", "mp3", "ogg", "m4a", "wav", "wma", "flac"}
	videoSourceAttrs = []string{"src", "mp4", "m4v", "webm", "ogv", "wmv", "flv"}
)

// expandMedia renders [audio] and [video] as links to their files: the
// player is the site's, the file is the content.
func expandMedia(x *expansion, sc shortcode) string {
	a := sc.attrs()
	keys := audioSourceAttrs
	if sc.name == "video" {
		keys = videoSourceAttrs
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, k := range keys {
		if u := a[k]; u != "" && !seen[u] {
			seen[u] = true
			b.WriteString("<p>" + linkHTML(u, baseName(u), sc.name) + "</p>")
		}
	}
	// [video]<source src=…>[/video] and similar keep their inner HTML.
	if sc.enclosing {
		b.WriteString(x.expand(sc.content))
	}
	if b.Len() == 0 {
		x.warnf("%s: no media source", sc.name)
	}
	return b.String()
}

// expandPlaylist renders [playlist ids=…] as a list of links to the files.
func expandPlaylist(x *expansion, sc shortcode) string {
	a := sc.attrs()
	kind := "audio"
	if a["type"] == "video" {
		kind = "video"
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, f := range strings.Split(a["ids"], ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			continue
		}
		e := attachment(x.src.Index, id)
		if e == nil {
			x.warnf("playlist: attachment %d not in the export", id)
			continue
		}
		text := e.Title
		if text == "" {
			text = baseName(e.AttachmentURL)
		}
		b.WriteString("<li>" + linkHTMLWithID(e.AttachmentURL, text, kind, e.ID) + "</li>")
	}
	b.WriteString("</ul>")
	if b.Len() == len("<ul></ul>") {
		x.warnf("playlist: no attachments resolved")
		return ""
	}
	return b.String()
}

func linkHTMLWithID(href, text, kind string, id int64) string {
	s := linkHTML(href, text, kind)
	return strings.Replace(s, "<a ", `<a data-wpa-id="`+strconv.FormatInt(id, 10)+`" `, 1)
}

// mediaKind classifies a URL by its file extension: image, audio, video,
// file (documents and archives), or "" for pages.
func mediaKind(u string) string {
	p := u
	if pu, err := url.Parse(u); err == nil {
		p = pu.Path
	}
	switch strings.ToLower(strings.TrimPrefix(path.Ext(p), ".")) {
	case "jpg", "jpeg", "png", "gif", "webp", "svg", "bmp", "tif", "tiff", "avif", "heic", "ico":
		return "image"
	case "mp3", "ogg", "oga", "m4a", "wav", "wma", "flac", "aac", "opus":
		return "audio"
	case "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov", "avi", "mkv":
		return "video"
	case "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "zip", "gz", "rtf", "txt", "csv", "epub":
		return "file"
	}
	return ""
}

// uploadKind classifies a link's target as media (image, audio, video,
// file) or "" for a page: the extension decides, and anything under
// wp-content/uploads is at least a file.
func uploadKind(u string) string {
	if k := mediaKind(u); k != "" {
		return k
	}
	if strings.Contains(u, "/wp-content/uploads/") {
		return "file"
	}
	return ""
}
