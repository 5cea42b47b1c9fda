package live

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Markdown syntax removed before comparing a body with gold text.
var (
	mdImage   = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdHeading = regexp.MustCompile(`(?m)^#{1,6}\s+`)
	mdEmph    = regexp.MustCompile(`\*\*|__|[*_]`)
)

// markdownText is the visible text of a Markdown body (front matter
// removed), one non-empty line per paragraph, whitespace collapsed.
func markdownText(md string) string {
	if strings.HasPrefix(md, "---\n") {
		if i := strings.Index(md[4:], "\n---\n"); i >= 0 {
			md = md[4+i+5:]
		}
	}
	md = mdImage.ReplaceAllString(md, "")
	md = mdLink.ReplaceAllString(md, "$1")
	md = mdHeading.ReplaceAllString(md, "")
	md = mdEmph.ReplaceAllString(md, "")
	return normaliseLines(md)
}

func normaliseLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestSeedPage serves the seed page over HTTP and checks the archive: the
// Markdown body's text, once Markdown syntax is stripped, equals the gold
// text line for line; the metadata is right; no boilerplate reaches any
// file but the raw WARC capture.
func TestSeedPage(t *testing.T) {
	fx := fixtures(t, "seed")
	raw, err := os.ReadFile(filepath.Join(fx, "humantrafficwatch-2012-09-08.html"))
	if err != nil {
		t.Fatal(err)
	}
	gold, err := os.ReadFile(filepath.Join(fx, "humantrafficwatch-2012-09-08.gold.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := newSite(t)
	const p = "/2012/09/08/human-rights-of-north-korean-defectors-in-dire-straits/"
	s.serve(p, "text/html; charset=UTF-8", raw)
	dir := t.TempDir()
	_, rep, err := run(t, dir, Options{URLs: []string{s.URL + p}})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if rep.Items.Written != 1 {
		t.Fatalf("written = %d, want 1 (%+v)", rep.Items.Written, rep.Warnings)
	}
	mds := findFile(t, dir, "/index.md")
	if len(mds) != 1 || mds[0] != "data/posts/2012/09/human-rights-of-north-korean-defectors-in-dire-straits/index.md" {
		t.Fatalf("index.md files: %v", mds)
	}
	md := readFile(t, filepath.Join(dir, mds[0]))
	if got, want := markdownText(md), normaliseLines(string(gold)); got != want {
		t.Errorf("body text differs from gold\n--- got\n%s\n--- want\n%s", got, want)
	}
	for _, want := range []string{
		"title: Human Rights of North Korean Defectors in Dire Straits\n",
		"date: \"2012-09-08T15:31:12Z\"\n", "author: htwatch\n",
		"categories:\n  - Awareness\n  - Human Trafficking\n",
		"tags:\n  - China\n  - North Korea\n  - Refugees\n", "wordpress_id: 1042\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("index.md lacks %q", want)
		}
	}

	var rec struct {
		ID          int64  `json:"id"`
		Type        string `json:"type"`
		Title       string `json:"title"`
		Link        string `json:"link"`
		PostDate    string `json:"post_date"`
		PostDateGMT string `json:"post_date_gmt"`
		Author      struct{ Login string }
		Terms       []struct{ Domain, Slug, Name string }
		Meta        []struct{ Key, Value string } `json:"postmeta"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dir, strings.TrimSuffix(mds[0], ".md")+".json"))), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.ID != 1042 || rec.Type != "post" || rec.PostDate != "2012-09-08 15:31:12" || rec.PostDateGMT != "2012-09-08 15:31:12" ||
		rec.Author.Login != "htwatch" || rec.Link != "https://humantrafficwatch.wordpress.com"+p {
		t.Errorf("index.json: %+v", rec)
	}
	var terms []string
	for _, tm := range rec.Terms {
		terms = append(terms, tm.Domain+":"+tm.Slug+":"+tm.Name)
	}
	if got, want := strings.Join(terms, "|"), "category:awareness:Awareness|category:human-trafficking:Human Trafficking|post_tag:china:China|post_tag:north-korea:North Korea|post_tag:refugees:Refugees"; got != want {
		t.Errorf("terms = %s\nwant %s", got, want)
	}
	if len(rec.Meta) != 1 || rec.Meta[0].Key != MetaSourceURL || rec.Meta[0].Value != s.URL+p {
		t.Errorf("postmeta = %+v", rec.Meta)
	}
	siteJSON := readFile(t, filepath.Join(dir, "data/site.json"))
	for _, want := range []string{`"title": "Human Traffic Watch"`, `"description": "Watching the trade in human beings"`, `"language": "en"`} {
		if !strings.Contains(siteJSON, want) {
			t.Errorf("site.json lacks %s", want)
		}
	}

	phrases := []string{"Share this", "Like this", "Loading...", "Leave a Reply", "Fill in your details",
		"You are commenting", "Log Out", "Connecting to", "bloggers like", "Notify me", "Follow Blog",
		"Recent Posts", "Blog at WordPress"}
	files := archiveFiles(t, dir)
	warcs := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".warc.gz") {
			warcs++
			continue
		}
		body := readFile(t, filepath.Join(dir, f))
		for _, ph := range phrases {
			if strings.Contains(body, ph) {
				t.Errorf("%s contains boilerplate %q", f, ph)
			}
		}
	}
	if warcs != 1 {
		t.Errorf("WARC files: %d, want 1 (%v)", warcs, files)
	}
}
