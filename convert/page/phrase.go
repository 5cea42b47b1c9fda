package page

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// phraseSet is the compiled form of phraseTable. It is immutable once built.
type phraseSet struct {
	whole      map[string]bool // folded, no wildcard
	weak       map[string]bool
	contains   []string
	wild       []pattern
	related    map[string]bool // related-posts headings (also in whole)
	empty      map[string]bool // headings that are boilerplate over nothing
	categories []pattern       // category lines of related-post entries
}

// pattern is a phrase with %s or %d placeholders.
type pattern struct {
	segs  []segment
	whole bool
	need  string // longest literal: a cheap filter before backtracking
}

func newPattern(segs []segment, whole bool) pattern {
	p := pattern{segs: segs, whole: whole}
	for _, g := range segs {
		if g.kind == segLit && len(g.lit) > len(p.need) {
			p.need = g.lit
		}
	}
	return p
}

type segKind uint8

const (
	segLit segKind = iota
	segAny         // any run, possibly empty (contains-matching edges)
	segStr         // %s: 1..maxWild runes
	segNum         // %d: digits, or the placeholder itself
)

type segment struct {
	kind segKind
	lit  string
}

// maxWild bounds %s so that a phrase cannot swallow a paragraph.
const maxWild = 60

// defaultPhrases holds every language; built once, never modified.
var defaultPhrases = mustCompilePhrases(nil)

func mustCompilePhrases(langs []string) *phraseSet {
	p, err := compilePhrases(langs)
	if err != nil {
		panic(err) // only reachable through a broken phraseTable, caught by tests
	}
	return p
}

// compilePhrases builds the set for the given languages (all when empty).
// Language-neutral entries and English are always included: themes and
// plugins leave English strings on otherwise localised sites.
func compilePhrases(langs []string) (*phraseSet, error) {
	want := map[string]bool{"": true, "en": true}
	known := map[string]bool{}
	for _, e := range phraseTable {
		known[e.lang] = true
	}
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if i := strings.IndexAny(l, "-_"); i > 0 {
			l = l[:i]
		}
		if !known[l] {
			return nil, fmt.Errorf("no boilerplate phrases for language %q", l)
		}
		want[l] = true
	}
	ps := &phraseSet{whole: map[string]bool{}, weak: map[string]bool{},
		related: map[string]bool{}, empty: map[string]bool{}}
	for _, e := range phraseTable {
		if len(langs) > 0 && !want[e.lang] {
			continue
		}
		text := strings.NewReplacer("%1$s", "%s", "%2$s", "%s").Replace(e.text)
		f := trimTrailingPunct(fold(text))
		if f == "" {
			return nil, fmt.Errorf("empty phrase %q", e.text)
		}
		hasWild := strings.Contains(f, "%s") || strings.Contains(f, "%d")
		switch {
		case e.kind == categoryLine:
			ps.categories = append(ps.categories, newPattern(splitPattern(f), true))
		case e.kind == emptyHeading && !hasWild:
			ps.empty[f] = true
		case e.kind == related && !hasWild:
			ps.related[f] = true
			ps.whole[f] = true
		case e.kind == emptyHeading || e.kind == related:
			return nil, fmt.Errorf("wildcard in heading phrase %q", e.text)
		case e.kind == weak && !hasWild:
			ps.weak[f] = true
		case e.kind == whole && !hasWild:
			ps.whole[f] = true
		case e.kind == contains && !hasWild:
			ps.contains = append(ps.contains, f)
		case e.kind == weak:
			ps.wild = append(ps.wild, newPattern(splitPattern(f), true))
			// A wildcard weak entry ("%d") is looked up specially below.
			ps.weak[f] = true
		default:
			segs := splitPattern(f)
			if e.kind == contains {
				segs = append([]segment{{kind: segAny}}, append(segs, segment{kind: segAny})...)
			}
			ps.wild = append(ps.wild, newPattern(segs, e.kind == whole))
		}
	}
	return ps, nil
}

// classify reports whether folded text (see fold) is a strong boilerplate
// phrase (it triggers removal) or a weak one (it may be removed alongside).
func (ps *phraseSet) classify(folded string) (strong, weakOnly bool) {
	if folded == "" {
		return false, false
	}
	trimmed := trimTrailingPunct(folded)
	if trimmed == "" {
		// Pure punctuation ("|", "·") between buttons counts as debris.
		return false, true
	}
	if ps.whole[trimmed] {
		return true, false
	}
	for _, c := range ps.contains {
		if strings.Contains(folded, c) {
			return true, false
		}
	}
	for _, p := range ps.wild {
		if len(p.segs) == 1 && p.segs[0].kind == segNum {
			continue // the weak "%d"
		}
		if !strings.Contains(folded, p.need) {
			continue
		}
		s := folded
		if p.whole {
			s = trimmed
		}
		if matchSegs(p.segs, s) {
			return true, false
		}
	}
	if ps.weak[trimmed] || isNumber(trimmed) || trimmed == "%d" {
		return false, true
	}
	return false, false
}

// relatedHeading tells whether folded text heads a list of related posts.
func (ps *phraseSet) relatedHeading(folded string) bool {
	return ps.related[trimTrailingPunct(folded)]
}

// emptyHeading tells whether folded text is a section label that is
// boilerplate when nothing follows it ("Comments" over a thread that a
// script would have loaded).
func (ps *phraseSet) emptyHeading(folded string) bool {
	return ps.empty[trimTrailingPunct(folded)]
}

// categoryLine tells whether folded text is the category line Jetpack prints
// under a related post (In "News", Dans « News »).
func (ps *phraseSet) categoryLine(folded string) bool {
	for _, p := range ps.categories {
		if strings.Contains(folded, p.need) && matchSegs(p.segs, folded) {
			return true
		}
	}
	return false
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func splitPattern(f string) []segment {
	var segs []segment
	for f != "" {
		i := strings.IndexByte(f, '%')
		if i < 0 || i+1 >= len(f) || (f[i+1] != 's' && f[i+1] != 'd') {
			if i < 0 || i+1 >= len(f) {
				segs = append(segs, segment{kind: segLit, lit: f})
				break
			}
			// A lone '%' is literal.
			segs = append(segs, segment{kind: segLit, lit: f[:i+1]})
			f = f[i+1:]
			continue
		}
		if i > 0 {
			segs = append(segs, segment{kind: segLit, lit: f[:i]})
		}
		if f[i+1] == 's' {
			segs = append(segs, segment{kind: segStr})
		} else {
			segs = append(segs, segment{kind: segNum})
		}
		f = f[i+2:]
	}
	return segs
}

// matchSegs matches s completely against segs, backtracking over wildcards.
// Inputs are short (bounded by maxMatchLen), so plain recursion is fine.
func matchSegs(segs []segment, s string) bool {
	if len(segs) == 0 {
		return s == ""
	}
	g, rest := segs[0], segs[1:]
	switch g.kind {
	case segLit:
		return strings.HasPrefix(s, g.lit) && matchSegs(rest, s[len(g.lit):])
	case segAny:
		if len(rest) == 0 {
			return true
		}
		if rest[0].kind == segLit {
			for off := 0; ; {
				i := strings.Index(s[off:], rest[0].lit)
				if i < 0 {
					return false
				}
				if matchSegs(rest, s[off+i:]) {
					return true
				}
				off += i + 1
			}
		}
		for i := 0; i <= len(s); i++ {
			if i < len(s) && !utf8.RuneStart(s[i]) {
				continue
			}
			if matchSegs(rest, s[i:]) {
				return true
			}
		}
		return false
	case segStr:
		n := 0
		for i := range s {
			if i > 0 {
				n++
				if n > maxWild {
					return false
				}
				if matchSegs(rest, s[i:]) {
					return true
				}
			}
		}
		return s != "" && utf8.RuneCountInString(s) <= maxWild && matchSegs(rest, "")
	case segNum:
		if strings.HasPrefix(s, "%d") {
			return matchSegs(rest, s[2:])
		}
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			if matchSegs(rest, s[i:]) {
				return true
			}
		}
		return false
	}
	return false
}

// fold normalises text for phrase matching: lower case, no whitespace at all
// (so "%d 人" and "%d人", "Partager :" and "Partager:" agree), one form of
// quotes, dashes and ellipsis.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == '\u200b', r == '\u200c', r == '\u200d', r == '\ufeff':
			continue
		case r == '\u2019', r == '\u2018', r == '\u00b4', r == '`', r == '\u02bc':
			b.WriteByte('\'')
		case r == '\u201c', r == '\u201d', r == '\u201e', r == '\u00ab', r == '\u00bb':
			b.WriteByte('"')
		case r == '\u2013', r == '\u2014', r == '\u2212', r == '\u2010', r == '\u2011':
			b.WriteByte('-')
		case r == '\u2026':
			b.WriteString("...")
		case r == '\uff1a': // fullwidth colon
			b.WriteByte(':')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// trimTrailingPunct drops the punctuation that differs between versions of
// the same string ("Share this:" / "Share this", "Loading..." / "Loading…").
func trimTrailingPunct(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		switch r {
		case ':', '.', '!', '?', '。', '！', '|', '·', '-', '•':
			return true
		}
		return false
	})
}
