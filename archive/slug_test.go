package archive

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSafeSegment(t *testing.T) {
	korean := strings.Repeat("%ed%95%9c", 300) // 300 syllables, 2,700 bytes encoded
	tests := []struct{ in, want string }{
		{"hello-world", "hello-world"},
		{"Hello World", "Hello-World"},
		{"%ed%95%9c%ea%b5%ad%ec%96%b4", "한국어"},
		{"../../etc/passwd", "etc-passwd"},
		{"%2e%2e%2f%2e%2e%2fboot", "boot"},
		{"a/b\\c", "a-b-c"},
		{"nul\x00byte", "nul-byte"},
		{"CON", "CON-"},
		{"aux.md", "aux-.md"},
		{"com1", "com1-"},
		{"console", "console"},
		{"trailing...", "trailing"},
		{"...", ""},
		{"", ""},
		{"  spaced  out  ", "spaced-out"},
		{"rtl\u202eevil", "rtl-evil"},
		{"zero\u200bwidth", "zero-width"},
		{"e\u0301", "é"}, // NFD → NFC
		{"a:b*c?d", "a-b-c-d"},
		{"%zz-broken", "zz-broken"},
		{"_hidden", "hidden"},
		{"--many---dashes--", "many-dashes"},
		{"emoji-🎉", "emoji-🎉"},
	}
	for _, tt := range tests {
		if got := SafeSegment(tt.in); got != tt.want {
			t.Errorf("SafeSegment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := SafeSegment(korean)
	if len(got) > maxSegmentBytes || !utf8.ValidString(got) || got == "" {
		t.Errorf("long Korean slug: %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
}

func TestRelPath(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"posts/2012/09/a", "pages/about/index.md", "../../../../pages/about/index.md"},
		{"posts/2012/09/a", "posts/2012/09/b/index.md", "../b/index.md"},
		{"posts/2012/09/a", "posts/2012/09/a/index.md", "index.md"},
		{"pages/about", "media/2012/09/x.jpg", "../../media/2012/09/x.jpg"},
	}
	for _, tt := range tests {
		if got := relPath(tt.from, tt.to); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

// FuzzSafeSegment checks the promises every path segment keeps.
func FuzzSafeSegment(f *testing.F) {
	for _, s := range []string{"a", "../x", "%2e%2e", "CON.txt", "한국어", "\u202e", "a\x00b", strings.Repeat("é", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s := SafeSegment(in)
		if s == "" {
			return
		}
		if len(s) > maxSegmentBytes+1 || !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
			t.Fatalf("%q → %q: too long, invalid or not NFC", in, s)
		}
		if s == "." || s == ".." || strings.ContainsAny(s, "/\\:*?\"<>|\x00") || strings.HasSuffix(s, ".") || strings.HasSuffix(s, " ") {
			t.Fatalf("%q → %q: unsafe", in, s)
		}
		if isWindowsReserved(s) {
			t.Fatalf("%q → %q: a Windows device name", in, s)
		}
		for _, r := range s {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Fatalf("%q → %q: control character", in, s)
			}
		}
		if SafeSegment(s) != s {
			t.Fatalf("%q → %q is not stable: %q", in, s, SafeSegment(s))
		}
	})
}
