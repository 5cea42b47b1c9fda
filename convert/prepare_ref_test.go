package convert

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/fixture"
)

// This file keeps the straightforward versions of the steps before the HTML
// parse that were given fast paths, and checks that the fast ones give the
// same bytes on the golden inputs, the shared fixtures, the generated posts
// and fuzzed input.

// prepInputs gathers real content: the golden inputs, the generated posts
// and, where present, every item of the shared WXR fixtures.
func prepInputs(t *testing.T) []string {
	t.Helper()
	var out []string
	ins, err := filepath.Glob("testdata/TestConvert/*.in.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		b, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	out = append(out, generatedContents(t)...)
	dir, ok := fixture.Find("wxr")
	if !ok {
		t.Log("shared/fixtures/wxr not found: comparing on golden and generated input only")
		return out
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		dec := wxr.NewDecoder(f, wxr.Options{Name: path})
		for {
			it, err := dec.Next()
			if err != nil {
				break // a malformed fixture ends its items early
			}
			if it.Content != "" {
				out = append(out, it.Content)
			}
		}
		f.Close()
	}
	return out
}

// shortcodeUnautopSlow is shortcodeUnautop as first written: it copies
// every paragraph whether or not it holds a shortcode.
func shortcodeUnautopSlow(text string) string {
	if !strings.Contains(text, "<p>") || !strings.Contains(text, "[") {
		return text
	}
	var b strings.Builder
	rest := text
	for {
		i := strings.Index(rest, "<p>")
		if i < 0 {
			break
		}
		b.WriteString(rest[:i])
		after := rest[i+3:]
		p := skipUnautopSpaces(after, 0)
		if p < len(after) && after[p] == '[' {
			if m, ok := matchShortcodeAt(after, p, isKnownShortcode); ok && !m.escaped && m.start == p {
				q := skipUnautopSpaces(after, m.end)
				if strings.HasPrefix(after[q:], "</p>") {
					b.WriteString(after[m.start:m.end])
					rest = after[q+4:]
					continue
				}
			}
		}
		b.WriteString("<p>")
		rest = after
	}
	b.WriteString(rest)
	return b.String()
}

// parseShortcodeAttrsSlow is parseShortcodeAttrs with the Replacer it was
// written with.
func parseShortcodeAttrsSlow(s string) map[string]string {
	return parseShortcodeAttrs(strings.NewReplacer("\u00a0", " ", "\u200b", " ").Replace(s))
}

// The block elements wpautop keeps out of paragraphs (WordPress's $allblocks).
var autopBlockNames = [...]string{
	"table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th",
	"div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "blockquote",
	"address", "style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "fieldset", "legend",
	"section", "article", "aside", "hgroup", "header", "footer", "nav", "figure",
	"figcaption", "details", "menu", "summary",
}

// isAutopBlockSlow and startsWithAutopBlockSlow scan the list, as the
// switches first did.
func isAutopBlockSlow(name string) bool {
	for _, n := range autopBlockNames {
		if n == name {
			return true
		}
	}
	return false
}

func startsWithAutopBlockSlow(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, n := range autopBlockNames {
		if strings.HasPrefix(s, n) {
			return true
		}
	}
	return false
}

func checkAutopBlock(t *testing.T, s string) {
	t.Helper()
	if got, want := isAutopBlock(s), isAutopBlockSlow(s); got != want {
		t.Fatalf("isAutopBlock(%q) = %v, slow version %v", s, got, want)
	}
	if got, want := startsWithAutopBlock(s), startsWithAutopBlockSlow(s); got != want {
		t.Fatalf("startsWithAutopBlock(%q) = %v, slow version %v", s, got, want)
	}
}

// Every name, every prefix of one, and every one followed by any byte.
func TestAutopBlockMatchesSlow(t *testing.T) {
	checkAutopBlock(t, "")
	for _, n := range autopBlockNames {
		for i := 0; i <= len(n); i++ {
			checkAutopBlock(t, n[:i])
			checkAutopBlock(t, n[min(1, i):i])
		}
		for c := 0; c < 256; c++ {
			checkAutopBlock(t, n+string(rune(c)))
			checkAutopBlock(t, n+string([]byte{byte(c)}))
			checkAutopBlock(t, n[:len(n)-1]+string([]byte{byte(c)}))
			checkAutopBlock(t, string([]byte{byte(c)})+n)
		}
	}
}

// replaceNewlinesInTagsSlow is replaceNewlinesInTags as first written: it
// copies the whole text whenever it holds a newline.
func replaceNewlinesInTagsSlow(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		if text[i] != '<' {
			j := strings.IndexByte(text[i:], '<')
			if j < 0 {
				b.WriteString(text[i:])
				break
			}
			b.WriteString(text[i : i+j])
			i += j
			continue
		}
		end := len(text)
		if strings.HasPrefix(text[i:], "<!--") {
			if j := strings.Index(text[i+4:], "-->"); j >= 0 {
				end = i + 4 + j + 3
			}
		} else if j := strings.IndexByte(text[i+1:], '>'); j >= 0 {
			end = i + 1 + j + 1
		}
		b.WriteString(strings.ReplaceAll(text[i:end], "\n", " <!-- wpnl --> "))
		i = end
	}
	return b.String()
}

// containsTagSlow is containsTag written as one strings.Contains a name.
func containsTagSlow(text string, names ...string) bool {
	for _, n := range names {
		if strings.Contains(text, "<"+n) {
			return true
		}
	}
	return false
}

// checkBlockAttrs compares parseFlatAttrs with encoding/json wherever the
// fast path accepts raw.
func checkBlockAttrs(t *testing.T, raw string) {
	t.Helper()
	got, ok := parseFlatAttrs(raw)
	if !ok {
		return
	}
	var want map[string]any
	if err := json.Unmarshal([]byte(raw), &want); err != nil {
		t.Fatalf("parseFlatAttrs(%q) accepted what encoding/json rejects: %v", raw, err)
	}
	if !reflect.DeepEqual(got, want) || want == nil {
		t.Fatalf("parseFlatAttrs(%q)\n = %#v\nencoding/json gives\n   %#v", raw, got, want)
	}
	for k, v := range want {
		if f, ok := v.(float64); ok && math.Signbit(f) != math.Signbit(got[k].(float64)) {
			t.Fatalf("parseFlatAttrs(%q): %s has the wrong sign", raw, k)
		}
	}
}

// checkPrep compares each fast step with its slow version on one input.
func checkPrep(t *testing.T, s string) {
	t.Helper()
	for _, in := range []string{s, wpautop(s), "<p>" + s + "</p>"} {
		if got, want := shortcodeUnautop(in), shortcodeUnautopSlow(in); got != want {
			t.Fatalf("shortcodeUnautop(%q)\n = %q\nslow version gives\n   %q", in, got, want)
		}
	}
	if got, want := replaceNewlinesInTags(s), replaceNewlinesInTagsSlow(s); got != want {
		t.Fatalf("replaceNewlinesInTags(%q)\n = %q\nslow version gives\n   %q", s, got, want)
	}
	for _, names := range [][]string{
		{"option", "/object>", "source", "track", "figcaption"},
		{"/script>", "/style>", "/svg>", "/math>"},
		{"/div>", "/address>", "/form>"},
	} {
		if got, want := containsTag(s, names...), containsTagSlow(s, names...); got != want {
			t.Fatalf("containsTag(%q, %q) = %v, slow version %v", s, names, got, want)
		}
	}
	checkBlockAttrs(t, s)
	for pos := 0; ; {
		d, ok := nextBlockDelimiter(s, pos)
		if !ok {
			break
		}
		checkBlockAttrs(t, d.rawAttrs)
		pos = d.end
	}
	for i := 0; i < len(s) && i < 64; i++ {
		checkAutopBlock(t, s[i:])
		checkAutopBlock(t, s[:i])
	}
	if got, want := parseShortcodeAttrs(s), parseShortcodeAttrsSlow(s); !reflect.DeepEqual(got, want) {
		t.Fatalf("parseShortcodeAttrs(%q)\n = %q\nslow version gives\n   %q", s, got, want)
	}
	for rest := s; ; {
		m, ok := nextShortcode(rest, isShortcodeLike)
		if !ok {
			break
		}
		if got, want := m.attrs(), parseShortcodeAttrsSlow(m.rawAttrs); !reflect.DeepEqual(got, want) {
			t.Fatalf("attrs of %q\n = %q\nslow version gives\n   %q", m.rawAttrs, got, want)
		}
		rest = rest[m.openEnd:]
	}
}

func TestPrepareMatchesSlow(t *testing.T) {
	for _, s := range prepInputs(t) {
		checkPrep(t, s)
	}
}

func FuzzPrepareMatchesSlow(f *testing.F) {
	f.Add("<p>[gallery ids=1]</p>\n<p> [caption]x[/caption]&nbsp;</p><p>[[audio]]</p>")
	f.Add("<p>\u00a0[embed]u[/embed] </p>[/embed]<p>[video src=a /]</p>")
	f.Fuzz(func(t *testing.T, s string) {
		checkPrep(t, s)
	})
}
