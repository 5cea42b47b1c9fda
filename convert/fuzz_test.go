package convert

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzWpautop(f *testing.F) {
	f.Add("a\nb\n\nc")
	f.Add("<pre>x\n\ny</pre>\n\n[caption]<img src=x>[/caption]")
	f.Add("<p>x</div><hr\n/><table><tr><td>a<br />\n</td></tr></table><p> <pre x></p>")
	f.Add("<p><param <div>x</p>\n<li>y\n<br>\n<p>z</address>")
	if ins, err := filepath.Glob("testdata/TestConvert/*.in.html"); err == nil {
		for _, in := range ins {
			if b, err := os.ReadFile(in); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := wpautop(s)
		if ref := wpautopRegexp(s); out != ref {
			t.Fatalf("wpautop(%q)\n = %q\nregexp chain gives\n   %q", s, out, ref)
		}
		if strings.TrimSpace(s) != "" && strings.TrimSpace(out) == "" && strings.ContainsFunc(s, func(r rune) bool { return r > ' ' && r != '<' && r != '>' }) && !strings.Contains(s, "<") {
			t.Errorf("wpautop(%q) lost all text", s)
		}
	})
}

func FuzzShortcodes(f *testing.F) {
	f.Add(`[caption caption="x"]<img src="a.jpg">[/caption] [[gallery]] [foo a='1' b=2 "c"]`)
	f.Add(`[code lang=php]<?php [/code][/code]`)
	f.Fuzz(func(t *testing.T, s string) {
		x := &expansion{src: &Source{Index: testIndex()}}
		_ = x.expand(s)
		_ = parseShortcodeAttrs(s)
		_ = shortcodeUnautop("<p>" + s + "</p>")
	})
}

func FuzzBlocks(f *testing.F) {
	f.Add(`<!-- wp:paragraph {"a":"}"} --><p>x</p><!-- /wp:paragraph -->`)
	f.Add(`<!-- wp:columns --><!-- wp:column --><p>x</p><!-- /wp:columns --><!-- wp:spacer /-->`)
	f.Fuzz(func(t *testing.T, s string) {
		var unknown []string
		x := &expansion{src: &Source{}}
		_ = renderBlocks(x, parseBlocks(s), &unknown)
	})
}

func FuzzConvert(f *testing.F) {
	f.Add("Hello <b>world</b>\n\n[gallery ids=1]<!--more-->")
	f.Add("<!-- wp:more --><!--more--><!-- /wp:more --><pre class=\"brush: go\">a<br>b</pre>")
	c, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		doc, err := c.Convert(context.Background(), Source{HTML: s, Index: testIndex()})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(doc.Markdown, "<script") && !strings.Contains(s, "<script") && !doc.RawFallback {
			t.Errorf("a live <script> tag appeared: %q", doc.Markdown)
		}
	})
}
