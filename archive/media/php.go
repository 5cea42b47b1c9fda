package media

import (
	"fmt"
	"strconv"
	"strings"
)

// phpValue is a value read from PHP's serialize() format: only what
// _wp_attachment_metadata needs (strings, numbers, arrays). Arrays keep their
// keys in order; objects are read as arrays of their properties.
type phpValue struct {
	kind  byte // 's' string, 'i' int, 'd' float, 'b' bool, 'N' null, 'a' array
	str   string
	items []phpItem
}

type phpItem struct {
	key phpValue
	val phpValue
}

// get returns the array element with the string key k.
func (v phpValue) get(k string) (phpValue, bool) {
	for _, it := range v.items {
		if it.key.str == k {
			return it.val, true
		}
	}
	return phpValue{}, false
}

// maxPHPDepth bounds nesting so a hostile value cannot exhaust the stack.
const maxPHPDepth = 32

// parsePHP reads one serialized PHP value. Exports that went through a
// charset conversion often carry string lengths that no longer match the
// bytes; a string whose declared length does not end at `";` is read up to
// the next `";` instead of being rejected.
func parsePHP(s string) (phpValue, error) {
	p := phpParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return phpValue{}, fmt.Errorf("php serialized value: offset %d: %w", p.pos, err)
	}
	return v, nil
}

type phpParser struct {
	s   string
	pos int
}

func (p *phpParser) value(depth int) (phpValue, error) {
	if depth > maxPHPDepth {
		return phpValue{}, fmt.Errorf("nested deeper than %d", maxPHPDepth)
	}
	if p.pos >= len(p.s) {
		return phpValue{}, fmt.Errorf("unexpected end")
	}
	kind := p.s[p.pos]
	switch kind {
	case 'N':
		p.pos++
		return phpValue{kind: 'N'}, p.expect(";")
	case 'i', 'd', 'b':
		p.pos++
		if err := p.expect(":"); err != nil {
			return phpValue{}, err
		}
		end := strings.IndexByte(p.s[p.pos:], ';')
		if end < 0 {
			return phpValue{}, fmt.Errorf("unterminated %c value", kind)
		}
		v := phpValue{kind: kind, str: p.s[p.pos : p.pos+end]}
		p.pos += end + 1
		return v, nil
	case 's':
		p.pos++
		if err := p.expect(":"); err != nil {
			return phpValue{}, err
		}
		n, err := p.length()
		if err != nil {
			return phpValue{}, err
		}
		if err := p.expect(":\""); err != nil {
			return phpValue{}, err
		}
		var str string
		if n <= len(p.s)-p.pos && strings.HasPrefix(p.s[p.pos+n:], "\";") {
			str = p.s[p.pos : p.pos+n]
			p.pos += n + 2
		} else {
			end := strings.Index(p.s[p.pos:], "\";")
			if end < 0 {
				return phpValue{}, fmt.Errorf("unterminated string")
			}
			str = p.s[p.pos : p.pos+end]
			p.pos += end + 2
		}
		return phpValue{kind: 's', str: str}, nil
	case 'a', 'O':
		p.pos++
		if err := p.expect(":"); err != nil {
			return phpValue{}, err
		}
		if kind == 'O' { // O:8:"stdClass":2:{…}: skip the class name
			if _, err := p.length(); err != nil {
				return phpValue{}, err
			}
			if err := p.expect(":\""); err != nil {
				return phpValue{}, err
			}
			end := strings.Index(p.s[p.pos:], "\":")
			if end < 0 {
				return phpValue{}, fmt.Errorf("unterminated class name")
			}
			p.pos += end + 2
		}
		n, err := p.length()
		if err != nil {
			return phpValue{}, err
		}
		if err := p.expect(":{"); err != nil {
			return phpValue{}, err
		}
		v := phpValue{kind: 'a'}
		for i := 0; i < n; i++ {
			k, err := p.value(depth + 1)
			if err != nil {
				return phpValue{}, err
			}
			if k.kind != 's' && k.kind != 'i' {
				return phpValue{}, fmt.Errorf("array key of type %c", k.kind)
			}
			val, err := p.value(depth + 1)
			if err != nil {
				return phpValue{}, err
			}
			v.items = append(v.items, phpItem{key: k, val: val})
		}
		return v, p.expect("}")
	default:
		return phpValue{}, fmt.Errorf("unknown type %q", kind)
	}
}

func (p *phpParser) expect(lit string) error {
	if !strings.HasPrefix(p.s[p.pos:], lit) {
		return fmt.Errorf("want %q", lit)
	}
	p.pos += len(lit)
	return nil
}

// length reads a non-negative decimal count; it is never trusted to size an
// allocation.
func (p *phpParser) length() (int, error) {
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	n, err := strconv.Atoi(p.s[start:p.pos])
	if err != nil || n > len(p.s) {
		return 0, fmt.Errorf("bad length %q", p.s[start:p.pos])
	}
	return n, nil
}

// attachmentMeta is what the media pipeline needs from _wp_attachment_metadata.
type attachmentMeta struct {
	File          string   // "2012/09/name.jpg", or an absolute server path on some hosts
	OriginalImage string   // "name.jpg" when File is the "-scaled" copy (WordPress 5.3+)
	Sizes         []string // file names of the generated sizes, in the same folder
}

// parseAttachmentMeta reads _wp_attachment_metadata.
func parseAttachmentMeta(s string) (attachmentMeta, error) {
	v, err := parsePHP(s)
	if err != nil {
		return attachmentMeta{}, err
	}
	if v.kind != 'a' {
		return attachmentMeta{}, fmt.Errorf("php serialized value: not an array")
	}
	var m attachmentMeta
	if f, ok := v.get("file"); ok && f.kind == 's' {
		m.File = f.str
	}
	if f, ok := v.get("original_image"); ok && f.kind == 's' {
		m.OriginalImage = f.str
	}
	if sizes, ok := v.get("sizes"); ok {
		for _, it := range sizes.items {
			if f, ok := it.val.get("file"); ok && f.kind == 's' && f.str != "" {
				m.Sizes = append(m.Sizes, f.str)
			}
		}
	}
	return m, nil
}
