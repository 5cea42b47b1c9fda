package archive

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSegmentBytes leaves room under the usual 255-byte name limit for the
// collision suffixes ("-12") and temporary-file suffixes the writer adds.
const maxSegmentBytes = 200

// SafeSegment turns a WordPress slug (possibly percent-encoded, possibly
// hostile) into one path segment that is safe on every common file system:
// decoded, NFC-normalised, without separators, control or bidi characters,
// not "." or "..", not a Windows device name, without trailing dots or
// spaces, cut on a character boundary to fit maxSegmentBytes. It returns ""
// when nothing usable is left; callers supply a fallback.
func SafeSegment(slug string) string {
	s := slug
	// Percent-decoding more than once would turn a literal "%2e" typed by an
	// author into "."; once is what WordPress does when it builds the URL.
	if dec, err := url.PathUnescape(s); err == nil {
		s = dec
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = norm.NFC.String(s)

	var b strings.Builder
	b.Grow(len(s))
	lastDash := false
	for _, r := range s {
		ok := isSafeRune(r)
		if !ok {
			if !lastDash && b.Len() > 0 {
				b.WriteByte('-')
				lastDash = true
			}
			continue
		}
		if r == '-' {
			if lastDash {
				continue
			}
			lastDash = true
		} else {
			lastDash = false
		}
		b.WriteRune(r)
	}
	s = b.String()
	// One trim for both ends, so a second pass finds nothing more to cut.
	s = strings.TrimRight(strings.TrimLeft(s, "-. _"), "-. ")
	if s == "" {
		return ""
	}
	s = truncateUTF8(s, maxSegmentBytes)
	s = strings.TrimRight(s, "-. ")
	if isWindowsReserved(s) {
		// Windows ignores the extension: "con.txt" is the device CON too, so
		// the mark goes before the first dot.
		if i := strings.IndexByte(s, '.'); i > 0 {
			s = s[:i] + "-" + s[i:]
		} else {
			s += "-"
		}
	}
	return s
}

// isSafeRune reports whether r may appear in a path segment as it is.
func isSafeRune(r rune) bool {
	switch r {
	case '/', '\\', ':', '*', '?', '"', '<', '>', '|', '%', '#', '&', '=', '+', '\'', '`', '$', '!', '@', '^', '{', '}', '[', ']', ';', ',', '~':
		return false
	case utf8.RuneError:
		return false
	}
	if unicode.IsControl(r) || unicode.IsSpace(r) {
		return false
	}
	// Bidi controls and zero-width characters make names that read differently
	// from what they are.
	if unicode.Is(unicode.Bidi_Control, r) || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' {
		return false
	}
	return unicode.IsPrint(r) || unicode.IsMark(r)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	// Do not leave a base character without the combining marks that followed it.
	for cut > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:cut])
		if !unicode.IsMark(r) {
			break
		}
		cut -= size
	}
	return s[:cut]
}

// isWindowsReserved reports names Windows refuses whatever their extension:
// CON, PRN, AUX, NUL, COM1–9, LPT1–9.
func isWindowsReserved(s string) bool {
	base := strings.ToUpper(s)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		c := base[3]
		return c >= '0' && c <= '9' || strings.ContainsRune("¹²³", rune(c))
	}
	return false
}

// pathKey is the form two paths are compared in for collisions: case-folded
// and NFC, because macOS and Windows file systems would merge them.
func pathKey(p string) string {
	return strings.ToLower(norm.NFC.String(p))
}
