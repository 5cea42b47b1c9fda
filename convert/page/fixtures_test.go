package page

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/wparchive/wparchive/wxr/fixture"

	"golang.org/x/net/html"
)

// fixturesDir is ../shared/fixtures beside the repository, or a skip.
func fixturesDir(t testing.TB) string { return fixture.Dir(t) }

// normaliseText is the comparison form of article text: every line trimmed
// and its whitespace collapsed, empty lines dropped. Article.Text separates
// paragraphs by blank lines, the gold files by single newlines; both agree
// after this.
func normaliseText(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = squash(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// tokenScores is bag-of-words precision, recall and F1 of got against want.
func tokenScores(got, want string) (p, r, f1 float64) {
	g, w := tokens(got), tokens(want)
	if len(g) == 0 || len(w) == 0 {
		if len(g) == len(w) {
			return 1, 1, 1
		}
		return 0, 0, 0
	}
	bag := map[string]int{}
	for _, t := range w {
		bag[t]++
	}
	common := 0
	for _, t := range g {
		if bag[t] > 0 {
			bag[t]--
			common++
		}
	}
	p = float64(common) / float64(len(g))
	r = float64(common) / float64(len(w))
	if common == 0 {
		return p, r, 0
	}
	return p, r, 2 * p * r / (p + r)
}

// leftoverPhrases lists the lines of text that are strong boilerplate.
func leftoverPhrases(text string) []string {
	var left []string
	for _, l := range strings.Split(text, "\n") {
		if strong, _ := defaultPhrases.classify(fold(l)); strong {
			left = append(left, l)
		}
	}
	return left
}

func extractFile(t *testing.T, path, pageURL string) *Article {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Extract(context.Background(), raw, pageURL)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

func TestSeedPage(t *testing.T) {
	fx := fixturesDir(t)
	a := extractFile(t, filepath.Join(fx, "seed", "humantrafficwatch-2012-09-08.html"), "")
	gold, err := os.ReadFile(filepath.Join(fx, "seed", "humantrafficwatch-2012-09-08.gold.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := normaliseText(a.Text), normaliseText(string(gold)); got != want {
		t.Errorf("text differs from gold\n--- got\n%s\n--- want\n%s", got, want)
	}
	checks := []struct{ name, got, want string }{
		{"title", a.Title, "Human Rights of North Korean Defectors in Dire Straits"},
		{"author", a.Author, "htwatch"},
		{"published", a.Published, "2012-09-08T15:31:12Z"},
		{"categories", strings.Join(a.Categories, "|"), "Awareness|Human Trafficking"},
		{"tags", strings.Join(a.Tags, "|"), "China|North Korea|Refugees"},
		{"lang", a.Lang, "en"},
		{"canonical", a.Canonical, "https://humantrafficwatch.wordpress.com/2012/09/08/human-rights-of-north-korean-defectors-in-dire-straits/"},
		{"featured image", a.FeaturedImage, "https://humantrafficwatch.files.wordpress.com/2012/09/dadong-north-korea.jpg"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !a.IsWordPress {
		t.Error("IsWordPress = false")
	}
	for _, p := range []string{"Share this", "Like this", "Loading", "Related", "Leave a Reply",
		"Fill in your details", "You are commenting", "Log Out", "Connecting to", "bloggers like",
		"Notify me", "Follow Blog", "Recent Posts", "Blog at WordPress"} {
		if strings.Contains(a.Text, p) || strings.Contains(a.ContentHTML, p) {
			t.Errorf("boilerplate %q left in the article", p)
		}
	}
}

// goldPage is what a fixture page is checked against.
type goldPage struct {
	text                string // full gold text, if any
	with, without       []string
	title, author, date string
	categories, tags    []string
	comments            []string
	hasText             bool
}

func loadGold(t *testing.T, dir, name string) goldPage {
	t.Helper()
	stem := strings.TrimSuffix(name, ".html")
	var g goldPage
	if b, err := os.ReadFile(filepath.Join(dir, stem+".gold.txt")); err == nil {
		g.text, g.hasText = string(b), true
	}
	if b, err := os.ReadFile(filepath.Join(dir, stem+".gold.json")); err == nil {
		var j struct {
			ArticleBody string `json:"articleBody"`
			Entries     []struct {
				Author, Title, Date string
				Categories, Tags    []string
				With, Without       []string
				Comments            []string
			}
		}
		if err := json.Unmarshal(b, &j); err != nil {
			t.Fatalf("%s: %v", stem, err)
		}
		if !g.hasText && j.ArticleBody != "" {
			g.text, g.hasText = j.ArticleBody, true
		}
		if len(j.Entries) > 0 {
			e := j.Entries[0]
			g.with, g.without, g.comments = e.With, e.Without, e.Comments
			g.title, g.author, g.date = e.Title, e.Author, e.Date
			g.categories, g.tags = e.Categories, e.Tags
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, stem+".expected.html")); err == nil {
		n, err := html.Parse(strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		g.text, g.hasText = visibleText(n), true
	}
	if b, err := os.ReadFile(filepath.Join(dir, stem+".expected-metadata.json")); err == nil {
		var m struct {
			Title         string
			PublishedTime string
			Byline        string
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		g.title, g.author, g.date = m.Title, m.Byline, m.PublishedTime
	}
	return g
}

func TestFixturePages(t *testing.T) {
	dir := filepath.Join(fixturesDir(t), "html")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sumF1 float64
	var nF1 int
	t.Logf("%-58s %6s %6s %6s  %s", "page", "P", "R", "F1", "with/without")
	for _, de := range entries {
		name := de.Name()
		if !strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".expected.html") {
			continue
		}
		g := loadGold(t, dir, name)
		a := extractFile(t, filepath.Join(dir, name), "")
		text := normaliseText(a.Text)
		flat := squash(a.Text)
		// The trafilatura gold counts comments as part of the page's text;
		// here they are a separate thread, so fragments are looked up in both.
		var thread strings.Builder
		for _, c := range a.Comments {
			thread.WriteString(visibleText(mustParse(t, c.ContentHTML)) + "\n")
		}
		withComments := flat + " " + squash(thread.String())

		row := "-"
		if len(g.with)+len(g.without) > 0 {
			kept, gone := 0, 0
			for _, w := range g.with {
				if strings.Contains(withComments, squash(w)) {
					kept++
				} else {
					t.Errorf("%s: missing %q", name, w)
				}
			}
			for _, w := range g.without {
				if !strings.Contains(withComments, squash(w)) {
					gone++
				} else {
					t.Errorf("%s: boilerplate %q kept", name, w)
				}
			}
			row = fmt.Sprintf("with %d/%d without %d/%d", kept, len(g.with), gone, len(g.without))
		}
		if g.hasText {
			p, r, f1 := tokenScores(text, g.text)
			sumF1 += f1
			nF1++
			t.Logf("%-58s %6.3f %6.3f %6.3f  %s", name, p, r, f1, row)
		} else {
			t.Logf("%-58s %6s %6s %6s  %s", name, "", "", "", row)
		}
		if left := leftoverPhrases(a.Text); len(left) > 0 {
			t.Errorf("%s: boilerplate phrases left: %q", name, left)
		}
		if g.title != "" && a.Title != g.title {
			t.Errorf("%s: title = %q, want %q", name, a.Title, g.title)
		}
		if g.author != "" && a.Author != g.author {
			t.Errorf("%s: author = %q, want %q", name, a.Author, g.author)
		}
		if g.date != "" && !sameDay(a.Published, g.date) {
			t.Errorf("%s: published = %q, want %q", name, a.Published, g.date)
		}
		if g.categories != nil && !sameSet(a.Categories, g.categories) {
			t.Errorf("%s: categories = %q, want %q", name, a.Categories, g.categories)
		}
		if len(g.tags) > 0 && !sameSet(a.Tags, g.tags) {
			t.Errorf("%s: tags = %q, want %q", name, a.Tags, g.tags)
		}
		for _, c := range g.comments {
			found := false
			for _, cm := range a.Comments {
				if strings.Contains(squash(cm.ContentHTML), c) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: comment %q not found among %d comments", name, c, len(a.Comments))
			}
		}
	}
	if nF1 == 0 {
		t.Fatal("no page with gold text")
	}
	avg := sumF1 / float64(nF1)
	t.Logf("average token F1 over %d pages: %.3f", nF1, avg)
	if avg < 0.95 {
		t.Errorf("average token F1 %.3f < 0.95", avg)
	}
}

func sameDay(got, want string) bool {
	if len(got) < 10 || len(want) < 10 {
		return got == want
	}
	return got[:10] == want[:10]
}

func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

func mustParse(t *testing.T, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
