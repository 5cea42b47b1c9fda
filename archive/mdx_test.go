package archive

import "testing"

func TestMDXSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain text.\n", "Plain text.\n"},
		{"Set {a: 1} and <b>bold</b>.\n", "Set \\{a: 1\\} and &lt;b>bold&lt;/b>.\n"},
		{"Code `x {y}` stays.\n", "Code `x {y}` stays.\n"},
		{"```js\nif (a < b) { c }\n```\nafter {x}\n", "```js\nif (a < b) { c }\n```\nafter \\{x\\}\n"},
		{"~~~~\n{raw}\n~~~~\n", "~~~~\n{raw}\n~~~~\n"},
		{"See [a {b}](https://x.example/{id}) here.\n", "See [a \\{b\\}](https://x.example/{id}) here.\n"},
		{"![alt](../media/a.jpg)\n", "![alt](../media/a.jpg)\n"},
		{"<!--more-->\n", "{/* more */}\n"},
		{"Visit <https://x.example/> now.\n", "Visit [https://x.example/](https://x.example/) now.\n"},
		{"a `` b ` c `` d {e}\n", "a `` b ` c `` d \\{e\\}\n"},
		{"unclosed ` tick {x}\n", "unclosed ` tick \\{x\\}\n"},
	}
	for _, tt := range tests {
		if got := mdxSafe(tt.in); got != tt.want {
			t.Errorf("mdxSafe(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
