package archive

import (
	"strings"
	"testing"
	"unicode"
)

func TestOldPath(t *testing.T) {
	cases := []struct{ link, want string }{
		{"https://x.org/2012/09/08/classic-post/", "/2012/09/08/classic-post/"},
		{"https://x.org/2012/09/13/%ed%95%9c%ea%b5%ad%ec%96%b4/", "/2012/09/13/한국어/"},
		{"https://x.org/?p=14", ""},
		{"https://x.org/", ""},
		{"https://x.org/a%2Fb/", "/a%2Fb/"},           // an encoded slash stays encoded
		{"https://x.org/a%0Ab/", "/a%0Ab/"},           // so does a control character
		{"https://x.org/a/%2e%2e/b/", "/a/%2e%2e/b/"}, // decoding would climb
		{"https://x.org/a/../b/", ""},                 // a path that climbs is dropped
		{"https://x.org/old.html", "/old.html"},
	}
	for _, tc := range cases {
		if got := oldPath(tc.link); got != tc.want {
			t.Errorf("oldPath(%q) = %q, want %q", tc.link, got, tc.want)
		}
	}
}

func TestExcerptText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"  \n ", ""},
		{"<p>A short <em>summary</em>.</p><p>Second&nbsp;part &amp; more</p>", "A short summary. Second part & more"},
		{"plain text\nover lines", "plain text over lines"},
		{"<p>unclosed <b>tags", "unclosed tags"},
		{"line<br>break<br/>here", "line break here"},
	}
	for _, tc := range cases {
		if got := excerptText(tc.in); got != tc.want {
			t.Errorf("excerptText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHugoSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"posts/2012/09/classic-post", "posts/2012/09/classic-post"},
		{"posts/2012/09/ETC-Passwd-2", "posts/2012/09/etc-passwd-2"},
		{"posts/2012/09/한국어", "posts/2012/09/한국어"},
		{"pages/a b  c", "pages/a-b-c"},
		{"pages/what?!(yes)", "pages/whatyes"},
		{"pages/50%25-off", "pages/50%25-off"},
	}
	for _, tc := range cases {
		if got := hugoSanitize(tc.in); got != tc.want {
			t.Errorf("hugoSanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzOldPath checks that a permalink never becomes a path that climbs out
// of the site or holds control characters, whatever the export says.
func FuzzOldPath(f *testing.F) {
	for _, s := range []string{
		"https://x.org/2012/09/08/a/", "https://x.org/%ed%95%9c/", "https://x.org/a/%2e%2e/%2e%2e/etc/",
		"https://x.org/a%2fb", "https://x.org/?p=1", "/relative/../x", "https://x.org/%00/", "::::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, link string) {
		p := oldPath(link)
		if p == "" {
			return
		}
		if !strings.HasPrefix(p, "/") {
			t.Errorf("oldPath(%q) = %q: not absolute", link, p)
		}
		if hasDotSegment(p) {
			t.Errorf("oldPath(%q) = %q: dot segment", link, p)
		}
		for _, r := range p {
			if unicode.IsControl(r) {
				t.Errorf("oldPath(%q) = %q: control character", link, p)
			}
		}
	})
}
