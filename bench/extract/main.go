// Command extract scores wparchive's article extraction side by side with
// go-trafilatura and go-readability on the saved pages of a fixtures folder,
// as they are and with every class and id attribute removed.
//
//	go run . [-fixtures DIR] [-v]
//
// It lives in its own module so that the extractors compared against, and
// their dependencies, stay out of wparchive's go.mod.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	readability "github.com/go-shiori/go-readability"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"github.com/wparchive/wparchive/convert/page"
)

func main() {
	fixtures := flag.String("fixtures", filepath.Join("..", "..", "..", "shared", "fixtures"), "fixtures folder holding html/ and seed/ (default: the shared folder beside the repository)")
	verbose := flag.Bool("v", false, "list the boilerplate lines left, the lines not in the gold and the gold lines lost")
	dump := flag.String("dump", "", "print every extractor's text for the pages whose name contains this")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *fixtures, *verbose, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "extract:", err)
		os.Exit(1)
	}
}

// extractor returns the article text it finds in a page.
type extractor struct {
	name string
	text func(ctx context.Context, raw []byte) (string, error)
}

// fixture is one saved page and what it is scored against.
type fixture struct {
	name, path    string
	gold          string // article text; empty when the page has only fragments
	with, without []string
}

func run(ctx context.Context, w io.Writer, dir string, verbose bool, dump string) error {
	pages, err := loadFixtures(dir)
	if err != nil {
		return err
	}
	wp, err := page.New(page.Options{})
	if err != nil {
		return err
	}
	extractors := []extractor{
		{"wparchive", func(ctx context.Context, raw []byte) (string, error) {
			a, err := wp.Extract(ctx, raw, "")
			if err != nil {
				return "", err
			}
			return a.Text, nil
		}},
		{"trafilatura", func(_ context.Context, raw []byte) (string, error) {
			r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{ExcludeComments: true})
			if err != nil {
				return "", err
			}
			return r.ContentText, nil
		}},
		{"readability", func(_ context.Context, raw []byte) (string, error) {
			base, _ := url.Parse("https://example.invalid/")
			a, err := readability.FromReader(bytes.NewReader(raw), base)
			if err != nil {
				return "", err
			}
			// The HTML rather than TextContent: its blocks give the lines
			// the boilerplate count looks at.
			return htmlText(a.Content), nil
		}},
	}
	variants := []struct {
		name  string
		apply func([]byte) ([]byte, error)
	}{
		{"pages as saved", func(b []byte) ([]byte, error) { return b, nil }},
		{"classes stripped (every class and id attribute removed)", stripClasses},
	}
	for _, v := range variants {
		fmt.Fprintf(w, "\n### %s\n\n", v.name)
		fmt.Fprint(w, "| page |")
		for _, e := range extractors {
			fmt.Fprintf(w, " %s P/R/F1 | with/without | bp |", e.name)
		}
		fmt.Fprint(w, "\n|---|")
		fmt.Fprint(w, strings.Repeat("---|---|---|", len(extractors)), "\n")
		sumF1 := make([]float64, len(extractors))
		sumBP := make([]int, len(extractors))
		nF1 := 0
		var notes []string
		for _, p := range pages {
			raw, err := os.ReadFile(p.path)
			if err != nil {
				return err
			}
			if raw, err = v.apply(raw); err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			fmt.Fprintf(w, "| %s |", shortName(p.name))
			if p.gold != "" {
				nF1++
			}
			for i, e := range extractors {
				text, err := e.text(ctx, raw)
				if err != nil {
					fmt.Fprintf(w, " error | | |")
					notes = append(notes, fmt.Sprintf("%s %s: %v", p.name, e.name, err))
					continue
				}
				if dump != "" && strings.Contains(p.name, dump) {
					fmt.Fprintf(os.Stderr, "=== %s / %s / %s\n%s\n", v.name, p.name, e.name, text)
				}
				score := "–"
				if p.gold != "" {
					pr, rc, f1 := tokenScores(text, p.gold)
					sumF1[i] += f1
					score = fmt.Sprintf("%.2f/%.2f/**%.2f**", pr, rc, f1)
				}
				ww := "–"
				flat := squash(text)
				if len(p.with)+len(p.without) > 0 {
					kept, gone := 0, 0
					for _, f := range p.with {
						if strings.Contains(flat, squash(f)) {
							kept++
						} else {
							notes = append(notes, fmt.Sprintf("%s %s: missing %q", p.name, e.name, f))
						}
					}
					for _, f := range p.without {
						if !strings.Contains(flat, squash(f)) {
							gone++
						} else {
							notes = append(notes, fmt.Sprintf("%s %s: kept %q", p.name, e.name, f))
						}
					}
					ww = fmt.Sprintf("%d/%d %d/%d", kept, len(p.with), gone, len(p.without))
				}
				bp := boilerplate(text)
				sumBP[i] += len(bp)
				for _, h := range bp {
					notes = append(notes, fmt.Sprintf("%s %s: boilerplate %q in %q", p.name, e.name, h[1], clip(h[0])))
				}
				if p.gold != "" {
					leaked, lost := lineDiff(text, p.gold)
					for _, l := range leaked {
						notes = append(notes, fmt.Sprintf("%s %s: line not in gold %q", p.name, e.name, clip(l)))
					}
					for _, l := range lost {
						notes = append(notes, fmt.Sprintf("%s %s: gold line lost %q", p.name, e.name, clip(l)))
					}
				}
				fmt.Fprintf(w, " %s | %s | %d |", score, ww, len(bp))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "| **mean F1 over %d / total bp** |", nF1)
		for i := range extractors {
			fmt.Fprintf(w, " **%.3f** | | **%d** |", sumF1[i]/float64(max(nF1, 1)), sumBP[i])
		}
		fmt.Fprintln(w)
		if verbose && len(notes) > 0 {
			fmt.Fprintln(w)
			for _, n := range notes {
				fmt.Fprintln(w, "-", n)
			}
		}
	}
	return nil
}

// loadFixtures finds the pages of dir/html and dir/seed with their gold:
// .gold.txt, else the articleBody of .gold.json, else the text of
// .expected.html; the with/without fragments come from .gold.json.
func loadFixtures(dir string) ([]fixture, error) {
	var pages []fixture
	for _, sub := range []string{"html", "seed"} {
		matches, err := filepath.Glob(filepath.Join(dir, sub, "*.html"))
		if err != nil {
			return nil, err
		}
		for _, path := range matches {
			if strings.HasSuffix(path, ".expected.html") {
				continue
			}
			f, err := loadGold(path)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			pages = append(pages, f)
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("no pages under %s/html or %s/seed", dir, dir)
	}
	return pages, nil
}

func loadGold(path string) (fixture, error) {
	stem := strings.TrimSuffix(path, ".html")
	f := fixture{name: filepath.Base(stem), path: path}
	if b, err := os.ReadFile(stem + ".gold.json"); err == nil {
		var j struct {
			ArticleBody string `json:"articleBody"`
			Entries     []struct{ With, Without []string }
		}
		if err := json.Unmarshal(b, &j); err != nil {
			return f, fmt.Errorf("gold.json: %w", err)
		}
		f.gold = j.ArticleBody
		if len(j.Entries) > 0 {
			f.with, f.without = j.Entries[0].With, j.Entries[0].Without
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return f, err
	}
	if b, err := os.ReadFile(stem + ".gold.txt"); err == nil {
		f.gold = string(b)
	} else if !errors.Is(err, os.ErrNotExist) {
		return f, err
	}
	if b, err := os.ReadFile(stem + ".expected.html"); err == nil {
		f.gold = htmlText(string(b))
	} else if !errors.Is(err, os.ErrNotExist) {
		return f, err
	}
	return f, nil
}

// shortName drops the fixture's source prefix and hash to keep the table narrow.
func shortName(s string) string {
	if i := strings.Index(s, "__"); i >= 0 {
		s = s[i+2:]
	}
	if i := strings.LastIndex(s, "__"); i >= 0 {
		s = s[:i]
	}
	return s
}

func clip(s string) string {
	if r := []rune(s); len(r) > 90 {
		return string(r[:90]) + "…"
	}
	return s
}
