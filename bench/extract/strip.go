package main

import (
	"bytes"
	"fmt"

	"golang.org/x/net/html"
)

// stripClasses re-renders a page with every class and id attribute removed:
// the pages a theme or a scraper left without WordPress's markers, where an
// extractor has only structure and text to go on.
func stripClasses(raw []byte) ([]byte, error) {
	doc, err := html.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parsing: %w", err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			kept := n.Attr[:0]
			for _, a := range n.Attr {
				if a.Namespace == "" && (a.Key == "class" || a.Key == "id") {
					continue
				}
				kept = append(kept, a)
			}
			n.Attr = kept
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var b bytes.Buffer
	if err := html.Render(&b, doc); err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	return b.Bytes(), nil
}
