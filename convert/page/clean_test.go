package page

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain content untouched", `<p>Hello <em>world</em>.</p>`, `<p>Hello <em>world</em>.</p>`},
		{"jetpack block by class", `<p>Text.</p><div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li>Twitter</li></ul></div>`, `<p>Text.</p>`},
		{"pasted text, no classes", `<p>Text.</p><div><h3>Share this:</h3><div><ul><li><a href="?share=twitter">Twitter</a></li><li><a href="?share=facebook">Facebook</a></li></ul></div></div><div><h3>Like this:</h3><div><span>Like</span> <span>Loading...</span></div></div>`, `<p>Text.</p>`},
		{"placeholder in its own tag", `<p>Text.</p><div><span>%d</span> bloggers like this:</div>`, `<p>Text.</p>`},
		{"german likes", `<p>Text.</p><div><span>%d</span> Bloggern gefällt das:</div>`, `<p>Text.</p>`},
		{"comment form remnants", `<p>Text.</p><div><p>Fill in your details below or click an icon to log in:</p><div>You are commenting using your Twitter account. <span>( <a href="#">Log Out</a> / <a href="#">Change</a> )</span></div><div><a href="#">Cancel</a><p>Connecting to %s</p></div></div>`, `<p>Text.</p>`},
		{"heading then related list", `<p>Text.</p><h3>Related</h3><ul><li><a href="/a">A post</a></li><li><a href="/b">Another</a></li></ul><p>More text that stays.</p>`, `<p>Text.</p><p>More text that stays.</p>`},
		{"phrase in prose is kept", `<p>I wrote "Share this:" on the board, then we talked about sharing for an hour, and nobody was bored.</p>`, `<p>I wrote &#34;Share this:&#34; on the board, then we talked about sharing for an hour, and nobody was bored.</p>`},
		{"scripts and their strings", `<p>Text.</p><script>var s = "Share this:";</script>`, `<p>Text.</p>`},
		{"japanese likes", `<p>本文。</p><div><span>%d</span> 人のブロガーが「いいね」をつけました。</div>`, `<p>本文。</p>`},
		{"german related list", `<p>Text.</p><h3>Ähnliche Beiträge</h3><div><div><h4><a href="/a">Ein Beitrag</a></h4><p>Ein Auszug aus dem Beitrag, lang genug, um Prosa zu sein, und mit einem Komma, wie Prosa eben ist.</p><p>In „Allgemein“</p></div></div><p>Mehr Text.</p>`, `<p>Text.</p><p>Mehr Text.</p>`},
		{"spanish related entries without heading", `<p>Texto.</p><div><div><a href="/a">Una entrada</a><p>Un extracto.</p><p>En «Noticias»</p></div><div><a href="/b">Otra entrada</a><p>Otro extracto.</p><p>En «Noticias»</p></div></div>`, `<p>Texto.</p>`},
		{"one category line is not a list", `<p>Texto.</p><div><div><a href="/a">Una entrada</a><p>En «Noticias»</p></div><p>Sigue el texto.</p></div>`, `<p>Texto.</p><div><div><a href="/a">Una entrada</a><p>En «Noticias»</p></div><p>Sigue el texto.</p></div>`},
		{"post navigation by rel", `<p>Text.</p><div><a href="/a" rel="prev">« A much older post</a> <a href="/b" rel="next">A newer post »</a></div>`, `<p>Text.</p>`},
		{"french post navigation", `<p>Texte.</p><p><a href="/a">Article précédent</a></p><p><a href="/b">Article suivant</a></p>`, `<p>Texte.</p>`},
		{"newsletter sign-up link", `<p>Text.</p><p>Stay in touch: <a href="http://eepurl.com/abc">subscribe</a>.</p>`, `<p>Text.</p>`},
		{"campaign link is kept", `<p>Text in <a href="https://mailchi.mp/x/issue-5">issue 5</a>.</p>`, `<p>Text in <a href="https://mailchi.mp/x/issue-5">issue 5</a>.</p>`},
		{"german newsletter phrase", `<p>Text.</p><h2>Jetzt unseren Newsletter abonnieren!</h2>`, `<p>Text.</p>`},
		{"facebook comments plugin", `<p>Text.</p><h3>Comments</h3><p><comments-count href="/p/"></comments-count> comments</p><fb:comments href="/p/"></fb:comments>`, `<p>Text.</p>`},
		{"comments section with text is kept", `<h3>Comments</h3><p>The agency received 40 comments.</p>`, `<h3>Comments</h3><p>The agency received 40 comments.</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean()\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestPhraseMatching(t *testing.T) {
	tests := []struct {
		text         string
		strong, weak bool
	}{
		{"Share this:", true, false},
		{"SHARE THIS", true, false},
		{"Partager\u00a0:", true, false},
		{"J’aime ceci :", true, false},
		{"Loading…", true, false},
		{"17 bloggers like this:", true, false},
		{"%d Bloggern gefällt das:", true, false},
		{"Du kommentierst mit deinem Google-Konto.", true, false},
		{"Click to share on Pinterest (Opens in new window)", true, false},
		{"Twitter", false, true},
		{"Like", false, true},
		{"Related work on tides", false, false},
		{"Next Post »", true, false},
		{"Vorheriger Beitrag", true, false},
		{"Click here to subscribe to The Paradigm Newsletter", true, false},
		{"Abonnez-vous à notre newsletter !", true, false},
		{"Readers who subscribe to our newsletter hear about every hearing first, and many of them come.", false, false},
		{"Comments", false, false},
		{"Connecting to", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		strong, weak := defaultPhrases.classify(fold(tt.text))
		if strong != tt.strong || weak != tt.weak {
			t.Errorf("classify(%q) = %v, %v; want %v, %v", tt.text, strong, weak, tt.strong, tt.weak)
		}
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		langs   []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"de", "fr-FR", "pt_BR"}, false},
		{[]string{"xx"}, true},
	}
	for _, tt := range tests {
		_, err := New(Options{Languages: tt.langs})
		if (err != nil) != tt.wantErr {
			t.Errorf("New(%v) error = %v, want error %v", tt.langs, err, tt.wantErr)
		}
	}
}

func TestExtractErrors(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Extract(canceled, []byte("<p>x</p>"), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: err = %v", err)
	}
	if _, err := e.Extract(context.Background(), []byte("<p>x</p>"), "http://[::1"); err == nil || !strings.Contains(err.Error(), "bad page URL") {
		t.Errorf("bad URL: err = %v", err)
	}
	deep := strings.Repeat("<div>", 600) + "deep"
	if _, err := e.Extract(context.Background(), []byte(deep), ""); err != nil && !strings.Contains(err.Error(), "parse HTML") {
		t.Errorf("deep nesting: err = %v", err)
	}
}

func BenchmarkExtract(b *testing.B) {
	fx := fixturesDir(b)
	raw, err := os.ReadFile(filepath.Join(fx, "html", "readability__wordpress.html"))
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := e.Extract(context.Background(), raw, ""); err != nil {
			b.Fatal(err)
		}
	}
}
