package archive

import "bytes"

// appendIndentJSON appends the compact JSON src indented by two spaces, as
// json.Indent(dst, src, "", "  ") does. encoding/json indents by running its
// validating scanner over every byte again, which cost more than marshalling
// each post's record; src here comes from json.Marshal, so it is valid and
// has no white space outside strings, and strings are copied in one piece.
func appendIndentJSON(dst, src []byte) []byte {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			end := closingQuote(src, i+1)
			dst = append(dst, src[i:end+1]...)
			i = end
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			dst = appendNewline(dst, depth)
		case '}', ']':
			depth--
			dst = appendNewline(dst, depth)
			dst = append(dst, c)
		case ',':
			dst = append(dst, ',')
			dst = appendNewline(dst, depth)
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// closingQuote returns the index of the quote that ends the string whose
// first byte is src[i], or the last index when it is unterminated.
func closingQuote(src []byte, i int) int {
	for {
		k := bytes.IndexByte(src[i:], '"')
		if k < 0 {
			return len(src) - 1
		}
		q := i + k
		n := 0 // backslashes right before the quote
		for j := q - 1; j >= i && src[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}

func appendNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}
