package convert

import (
	"unicode"
	"unicode/utf8"
)

// plainText reports whether s is one line of prose the conversion gives
// back as it is: words of letters and digits (starting with a letter) and
// the punctuation . , ? ! ' " ; : ( ) -, one space between them. Most
// comments are such a line, and the whole conversion of one (wpautop, the
// HTML parser, html-to-markdown) costs more than the rest of the comment's
// handling (TestPlainText, FuzzPlainText).
func plainText(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(r) {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			case c == ' ':
				if i+1 == len(s) || s[i+1] == ' ' {
					return false
				}
			case c == '.', c == ',', c == '?', c == '!', c == '\'', c == '"', c == ';', c == ':', c == '(', c == ')', c == '-':
			default:
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
			return false // also utf8.RuneError: invalid UTF-8
		}
		i += n
	}
	return true
}
