package archive

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// appendPlainFrontMatter renders the YAML front matter of the common case —
// no target fields, every string plain, single-quoted or a date — exactly as
// yaml.v3 does, without its reflection and emitter, which cost more than
// the rest of writing a post's Markdown. It reports false for anything
// else, which yaml.v3 then renders. FuzzPlainFrontMatter checks it against
// yaml.v3.
func appendPlainFrontMatter(b []byte, fm *FrontMatter) ([]byte, bool) {
	if len(fm.Extra) > 0 {
		return b, false
	}
	b = append(b, "---\n"...)
	var ok bool
	if b, ok = appendScalar(b, "title", fm.Title, false); !ok {
		return b, false
	}
	if fm.Date != "" {
		if b, ok = appendDate(b, "date", fm.Date); !ok {
			return b, false
		}
	}
	if fm.Lastmod != "" {
		if b, ok = appendDate(b, "lastmod", fm.Lastmod); !ok {
			return b, false
		}
	}
	if b, ok = appendScalar(b, "slug", fm.Slug, false); !ok {
		return b, false
	}
	b = append(b, "draft: "...)
	b = strconv.AppendBool(b, fm.Draft)
	b = append(b, '\n')
	if b, ok = appendScalar(b, "type", fm.Type, true); !ok {
		return b, false
	}
	if b, ok = appendScalar(b, "author", fm.Author, true); !ok {
		return b, false
	}
	for _, l := range [...]struct {
		key  string
		list []string
	}{{"categories", fm.Categories}, {"tags", fm.Tags}, {"aliases", fm.Aliases}} {
		if len(l.list) == 0 {
			continue
		}
		b = append(b, l.key...)
		b = append(b, ":\n"...)
		for _, s := range l.list {
			st := scalarStyle(s)
			if st == styleOther {
				return b, false
			}
			b = append(b, "  - "...)
			b = appendStyled(b, s, st)
			b = append(b, '\n')
		}
	}
	if b, ok = appendScalar(b, "featured_image", fm.FeaturedImage, true); !ok {
		return b, false
	}
	b = append(b, "wordpress_id: "...)
	b = strconv.AppendInt(b, fm.WordPressID, 10)
	b = append(b, '\n')
	if b, ok = appendScalar(b, "summary", fm.Summary, true); !ok {
		return b, false
	}
	return append(b, "---\n"...), true
}

// appendScalar appends "key: s"; an empty s is omitted when omitEmpty, else
// quoted as yaml.v3 does.
func appendScalar(b []byte, key, s string, omitEmpty bool) ([]byte, bool) {
	if s == "" {
		if omitEmpty {
			return b, true
		}
		b = append(b, key...)
		return append(b, ": \"\"\n"...), true
	}
	st := scalarStyle(s)
	if st == styleOther {
		return b, false
	}
	b = append(b, key...)
	b = append(b, ": "...)
	b = appendStyled(b, s, st)
	return append(b, '\n'), true
}

// appendStyled appends s plain or between single quotes, doubling the
// quotes inside.
func appendStyled(b []byte, s string, st style) []byte {
	if st == stylePlain {
		return append(b, s...)
	}
	b = append(b, '\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, s[i])
	}
	return append(b, '\'')
}

// appendDate appends a date as itemDate writes them: with an offset, which
// yaml.v3 double-quotes because it reads as a timestamp, or local, which it
// does not read so and leaves plain.
func appendDate(b []byte, key, s string) ([]byte, bool) {
	if !isItemDate(s) {
		return b, false
	}
	b = append(b, key...)
	if len(s) == len(dateLayout) {
		b = append(b, ": "...)
		b = append(b, s...)
		return append(b, '\n'), true
	}
	b = append(b, ": \""...)
	b = append(b, s...)
	return append(b, "\"\n"...), true
}

// dateLayout is the shape of itemDate's dates before the offset.
const dateLayout = "dddd-dd-ddTdd:dd:dd"

// isItemDate reports whether s is "2006-01-02T15:04:05" followed by nothing,
// "Z" or "±hh:mm".
func isItemDate(s string) bool {
	if len(s) < len(dateLayout) {
		return false
	}
	for i := 0; i < len(dateLayout); i++ {
		if c := s[i]; dateLayout[i] == 'd' && (c < '0' || c > '9') || dateLayout[i] != 'd' && c != dateLayout[i] {
			return false
		}
	}
	switch rest := s[len(dateLayout):]; {
	case rest == "" || rest == "Z":
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		for _, i := range [...]int{1, 2, 4, 5} {
			if rest[i] < '0' || rest[i] > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// style is how yaml.v3 writes a string: plain, single-quoted, or otherwise
// (double-quoted or as a block, which is left to yaml.v3).
type style uint8

const (
	styleOther style = iota
	stylePlain
	styleSingle
)

// scalarStyle judges how yaml.v3 writes s, conservatively: plain when it
// starts with a letter, "/" or "./" or "../", holds only letters, digits,
// marks, spaces and printable ASCII, does not end in a space, and is none
// of the words YAML 1.1 reads as booleans or null; single-quoted when, so
// made, it holds ": ", " #" or a final ":", which would start a mapping or
// a comment. styleOther only means yaml.v3 decides.
func scalarStyle(s string) style {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return styleOther
	}
	switch {
	case s[0] == '/':
	case s[0] == '.':
		if !(len(s) > 1 && s[1] == '/' || len(s) > 2 && s[1] == '.' && s[2] == '/') {
			return styleOther
		}
	default:
		r, _ := utf8.DecodeRuneInString(s)
		if !unicode.IsLetter(r) || r > 0xFFFF {
			return styleOther
		}
		if keywordScalar(s) {
			return styleOther
		}
	}
	st := stylePlain
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if !plainASCII[r] {
				return styleOther
			}
			// A mapping indicator or a comment can only be quoted.
			if r == ':' && (i+1 == len(s) || s[i+1] == ' ') || r == '#' && s[i-1] == ' ' {
				st = styleSingle
			}
		case r == utf8.RuneError || r > 0xFFFF || r == 0xFEFF:
			return styleOther
		case !unicode.In(r, unicode.L, unicode.M, unicode.N):
			return styleOther
		}
	}
	return st
}

// plainASCII are the ASCII characters scalarStyle lets through after the
// first: the printable ones.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < 0x7F; c++ {
		t[c] = true
	}
	return t
}()

// keywordScalar reports whether s is a word YAML reads as a boolean or
// null (yaml.v3 quotes those, and the YAML 1.1 ones too).
func keywordScalar(s string) bool {
	if len(s) > 5 {
		return false
	}
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"null", "Null", "NULL":
		return true
	}
	return false
}
