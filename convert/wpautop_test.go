package convert

import "testing"

// Cases follow WordPress's tests/phpunit/tests/formatting/autop.php.
func TestWpautop(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"text then paragraph", "this is a test\n<p>and it works</p>", "<p>this is a test</p>\n<p>and it works</p>\n"},
		{"pre kept", "<pre>/(?<word>\\w+) \\k<word>/</pre>", "<pre>/(?<word>\\w+) \\k<word>/</pre>\n"},
		{"line break", "a\nb", "<p>a<br />\nb</p>\n"},
		{"two paragraphs", "a\n\nb", "<p>a</p>\n<p>b</p>\n"},
		{"blockquote", "<blockquote>q</blockquote>", "<blockquote><p>q</p></blockquote>\n"},
		{"pre with blank lines", "<pre>x\n\ny</pre>\n\nz", "<pre>x\n\ny</pre>\n<p>z</p>\n"},
		{"shortcode unautop", "[gallery ids=\"1\"]\n\nx", "[gallery ids=\"1\"]\n<p>x</p>\n"},
		{"unknown shortcode stays wrapped", "[foo]", "<p>[foo]</p>\n"},
		{"tag newline", "<a\nhref=\"x\">y</a>", "<p><a\nhref=\"x\">y</a></p>\n"},
		{"script newlines", "<script>a\nb</script>", "<p><script>a\nb</script></p>\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := wpautop(tc.in); got != tc.want {
				t.Errorf("wpautop(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
