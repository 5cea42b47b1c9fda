package convert

import "strconv"

// parseFlatAttrs decodes the common shape of block attributes without
// encoding/json: one object of ASCII keys whose values are ASCII strings
// without escapes, integers, true, false or null. It reports false for
// anything else (nesting, escapes, fractions, non-ASCII, bad syntax), and
// the caller then asks encoding/json, so the result is always the map
// json.Unmarshal would give.
func parseFlatAttrs(s string) (map[string]any, bool) {
	i := skipJSONSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, false
	}
	m := make(map[string]any, 4)
	i = skipJSONSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return m, skipJSONSpace(s, i+1) == len(s)
	}
	for {
		key, n, ok := plainJSONString(s, i)
		if !ok {
			return nil, false
		}
		i = skipJSONSpace(s, n)
		if i >= len(s) || s[i] != ':' {
			return nil, false
		}
		i = skipJSONSpace(s, i+1)
		if i >= len(s) {
			return nil, false
		}
		var v any
		switch c := s[i]; {
		case c == '"':
			str, n, ok := plainJSONString(s, i)
			if !ok {
				return nil, false
			}
			v, i = str, n
		case c == '-' || '0' <= c && c <= '9':
			j := i
			if s[j] == '-' {
				j++
			}
			d := j
			for j < len(s) && '0' <= s[j] && s[j] <= '9' {
				j++
			}
			// JSON allows no leading zeros; 15 digits stay exact.
			if j == d || j-d > 15 || s[d] == '0' && j-d > 1 {
				return nil, false
			}
			f, err := strconv.ParseFloat(s[i:j], 64)
			if err != nil {
				return nil, false
			}
			v, i = f, j
		case len(s)-i >= 4 && s[i:i+4] == "true":
			v, i = true, i+4
		case len(s)-i >= 5 && s[i:i+5] == "false":
			v, i = false, i+5
		case len(s)-i >= 4 && s[i:i+4] == "null":
			v, i = nil, i+4
		default:
			return nil, false
		}
		m[key] = v
		i = skipJSONSpace(s, i)
		if i >= len(s) {
			return nil, false
		}
		switch s[i] {
		case ',':
			i = skipJSONSpace(s, i+1)
		case '}':
			return m, skipJSONSpace(s, i+1) == len(s)
		default:
			return nil, false
		}
	}
}

// plainJSONString reads a JSON string at s[i] made of printable ASCII
// without escapes, and returns it and the offset after its closing quote.
func plainJSONString(s string, i int) (string, int, bool) {
	if i >= len(s) || s[i] != '"' {
		return "", 0, false
	}
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			return s[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20 || c >= 0x7f:
			return "", 0, false
		}
	}
	return "", 0, false
}

func skipJSONSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}
