package render

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func testResolver() *resolver {
	site, _ := url.Parse("https://example.org/")
	return &resolver{
		base: "posts/2012/09/a", page: "html/posts/2012/09/a",
		items: map[string]string{"posts/2012/09/b/index.md": "html/posts/2012/09/b/index.html"},
		site:  site,
		has:   func(name string) bool { return name == "media/x.png" },
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"text", "a &lt;b&gt; & c", "a &lt;b&gt; &amp; c"},
		{"script dropped with content", "<p>x<script>alert(1)</script>y</p>", "<p>xy</p>"},
		{"nested dropped", "<svg><svg></svg><script>1</script></svg>z", "z"},
		{"event handler", `<p onclick="x()" style="color:red" class="c">t</p>`, "<p>t</p>"},
		{"javascript link", `<a href="javascript:alert(1)">t</a>`, "<a>t</a>"},
		{"data image", `<img src="data:image/png;base64,AAAA" alt="d">`, "[image: d]"},
		{"remote image", `<img src="http://e.com/i.jpg" alt="i" srcset="http://e.com/2.jpg 2x">`, `<a class="remote-image" rel="external nofollow noreferrer" href="http://e.com/i.jpg">[image: i]</a>`},
		{"protocol-relative image", `<img src="//e.com/i.jpg">`, `<a class="remote-image" rel="external nofollow noreferrer" href="https://e.com/i.jpg">[image]</a>`},
		{"remote image in link", `<a href="https://e.com/big.jpg"><img src="https://e.com/i.jpg" alt="i"></a>`, `<a rel="external nofollow noreferrer" href="https://e.com/big.jpg">[image: i]</a>`},
		{"local image", `<img src="../../../../media/x.png" alt="x" width="10" height="x">`, `<img src="../../../../../media/x.png" alt="x" width="10" loading="lazy">`},
		{"missing image", `<img src="../../../../media/y.png">`, `<span class="missing-image">[image not in the archive: media/y.png]</span>`},
		{"escaping image", `<img src="../../../../../../etc/passwd">`, `[image]`},
		{"item link", `<a href="../b/index.md#s">b</a>`, `<a href="../b/index.html#s">b</a>`},
		{"item folder link", `<a href="../b/">b</a>`, `<a href="../b/index.html">b</a>`},
		{"root-relative link", `<a href="/about/">x</a>`, `<a rel="external nofollow noreferrer" href="https://example.org/about/">x</a>`},
		{"fragment", `<a href="#top">x</a>`, `<a href="#top">x</a>`},
		{"nested link", `<a href="#a">1<a href="#b">2</a>3</a>`, `<a href="#a">12</a>3`},
		{"stray closers", "</div></article><p>x</body>", "<p>x</p>"},
		{"unclosed", "<blockquote><p><em>x", "<blockquote><p><em>x</em></p></blockquote>"},
		{"code class", `<pre><code class="language-go evil">x</code></pre>`, `<pre><code class="language-go">x</code></pre>`},
		{"bad code class", `<code class="language-a&quot;b">x</code>`, `<code>x</code>`},
		{"checkbox", `<input type="checkbox" checked onclick="x"><input type="text">`, `<input type="checkbox" disabled checked>`},
		{"table align", `<td align="right" style="x">1</td><th align="evil" colspan="2">2</th>`, `<td align="right">1</td><th colspan="2">2</th>`},
		{"comment dropped", "a<!-- secret -->b", "ab"},
		{"form dropped tag", `<form action="https://e.com"><p>x</p></form>`, "<p>x</p>"},
		{"link element dropped", `<link rel="stylesheet" href="https://e.com/x.css"><base href="https://e.com/">t`, "t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sanitize(tt.in, testResolver()); got != tt.want {
				t.Errorf("sanitize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRelPath(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"html", "html/style.css", "style.css"},
		{"html/categories", "html/index.html", "../index.html"},
		{"html/posts/a", "media/x.png", "../../../media/x.png"},
		{"html/posts/a", "html/posts/b/index.html", "../b/index.html"},
		{"html/posts/a", "html/posts/a/index.html", "index.html"},
	}
	for _, tt := range tests {
		if got := relPath(tt.from, tt.to); got != tt.want {
			t.Errorf("relPath(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestStripFrontMatter(t *testing.T) {
	tests := []struct{ in, want string }{
		{"---\ntitle: x\n---\n\nbody\n", "\nbody\n"},
		{"---\r\ntitle: x\r\n---\r\nbody", "body"},
		{"no front matter\n---\n", "no front matter\n---\n"},
		{"---\nnever closed\n", "---\nnever closed\n"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(stripFrontMatter([]byte(tt.in))); got != tt.want {
			t.Errorf("stripFrontMatter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSanitize checks that whatever the input, the output holds only
// allowed elements and attributes, and no URL that loads from elsewhere.
func FuzzSanitize(f *testing.F) {
	f.Add(`<p onclick="x">a<script>b</script><img src="http://e/x.png"></p>`)
	f.Add(`<a href="javascript:1"><a href="//e">x</a></a><img src="../../../../media/x.png">`)
	f.Fuzz(func(t *testing.T, in string) {
		out := sanitize(in, testResolver())
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			tok := z.Token()
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			if _, ok := allowed[tok.Data]; !ok {
				t.Fatalf("element %q in output %q", tok.Data, out)
			}
			for _, a := range tok.Attr {
				switch {
				case strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcset":
					t.Fatalf("attribute %q in output %q", a.Key, out)
				case a.Key == "src":
					u, err := url.Parse(a.Val)
					if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(u.Path, "/") {
						t.Fatalf("src %q in output %q", a.Val, out)
					}
				case a.Key == "href":
					u, err := url.Parse(a.Val)
					if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
						t.Fatalf("href %q in output %q", a.Val, out)
					}
				}
			}
		}
	})
}
