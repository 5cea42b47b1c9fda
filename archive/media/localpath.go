package media

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// Root is the folder, relative to the payload root, that holds media.
const Root = "media"

// maxSegment is the longest file or folder name written, in bytes: 255 is
// the common file-system limit, and room is kept for a "-0123abcd" suffix.
const maxSegment = 200

// uploadsPath returns the path of u inside the WordPress uploads folder, still
// percent-encoded: "2012/09/name.jpg" for …/wp-content/uploads/2012/09/name.jpg,
// for name.files.wordpress.com/2012/09/name.jpg and for the old multisite
// …/files/2012/09/name.jpg.
func uploadsPath(u *url.URL) (string, bool) {
	p := u.EscapedPath()
	if i := strings.Index(p, "/wp-content/uploads/"); i >= 0 {
		return p[i+len("/wp-content/uploads/"):], true
	}
	if strings.HasSuffix(strings.ToLower(u.Hostname()), ".files.wordpress.com") {
		return strings.TrimPrefix(p, "/"), true
	}
	if i := strings.Index(p, "/files/"); i >= 0 && isYearMonth(p[i+len("/files/"):]) {
		return p[i+len("/files/"):], true
	}
	return "", false
}

// isYearMonth reports whether p starts with "YYYY/MM/".
func isYearMonth(p string) bool {
	if len(p) < 8 || p[4] != '/' || p[7] != '/' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6} {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// LocalPath maps a media URL to its slash-separated path relative to the
// payload root: the uploads layout when the URL is an upload
// ("media/2012/09/name.jpg"), else "media/<host>/<path>". Each name is
// decoded and made safe on every common OS; the query of a non-upload URL is
// kept as a short hash so that different queries do not collide.
func LocalPath(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("media path: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("media path: %q: not an absolute URL", rawURL)
	}
	var segs []string
	if up, ok := uploadsPath(u); ok {
		segs = strings.Split(up, "/")
	} else {
		segs = append([]string{strings.ToLower(u.Host)}, strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")...)
	}
	// Drop empty and dot segments rather than letting them climb out.
	var clean []string
	for _, s := range segs {
		if dec, err := url.PathUnescape(s); err == nil {
			s = dec
		}
		if s == "" || s == "." || s == ".." {
			continue
		}
		clean = append(clean, s)
	}
	if len(clean) == 0 || (len(segs) > 0 && segs[len(segs)-1] == "") {
		clean = append(clean, "index")
	}
	if _, ok := uploadsPath(u); !ok && u.RawQuery != "" {
		sum := sha256.Sum256([]byte(u.RawQuery))
		last := len(clean) - 1
		clean[last] = addSuffix(clean[last], hex.EncodeToString(sum[:4]))
	}
	for i, s := range clean {
		clean[i] = safeName(s)
	}
	return Root + "/" + strings.Join(clean, "/"), nil
}

// addSuffix inserts "-suffix" before the extension of name.
func addSuffix(name, suffix string) string {
	ext := path.Ext(name)
	if len(ext) > 16 || ext == name {
		ext = ""
	}
	return strings.TrimSuffix(name, ext) + "-" + suffix + ext
}

// withSuffix is rel with "-<first 8 hex of sha>" before the extension, the
// name given to different bytes that would otherwise take an existing name.
func withSuffix(rel, sha string) string {
	dir, name := path.Split(rel)
	return dir + safeName(addSuffix(name, sha[:8]))
}

// safeName makes one path segment safe on Windows, macOS and Linux: valid
// UTF-8, no control or reserved characters, no trailing dot or space, not a
// reserved device name, not "." or "..", at most maxSegment bytes (cut on a
// character boundary, keeping a short extension).
func safeName(s string) string {
	s = strings.ToValidUTF8(s, "_")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteByte('_')
		case strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s = strings.TrimRight(strings.TrimLeft(b.String(), " "), ". ")
	if s == "" {
		s = "_"
	}
	if isReservedName(s) {
		s = "_" + s
	}
	if len(s) > maxSegment {
		ext := path.Ext(s)
		if len(ext) > 16 || !utf8.ValidString(ext) {
			ext = ""
		}
		stem := s[:maxSegment-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		s = strings.TrimRight(stem, ". ") + ext
		if s == "" || s == ext {
			s = "_" + ext
		}
	}
	return s
}

// isReservedName reports a Windows device name, which cannot be a file name
// whatever its extension.
func isReservedName(s string) bool {
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	base = strings.TrimRight(base, " ")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		return base[3] >= '0' && base[3] <= '9'
	}
	if strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT") {
		switch base[3:] {
		case "¹", "²", "³":
			return true
		}
	}
	return false
}
