package live

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// maxSitemap bounds a sitemap once decompressed (the protocol allows 50 MB).
const maxSitemap = 64 << 20

// sitemap is one parsed sitemap file: either an index of further sitemaps
// or a list of page URLs.
type sitemap struct {
	Index bool
	Locs  []string
}

// parseSitemap reads a sitemap or sitemap index (sitemaps.org protocol),
// gzipped or not. Only <loc> elements directly under <url> or <sitemap>
// count, so image and news extensions are ignored.
func parseSitemap(body []byte) (*sitemap, error) {
	if len(body) >= 2 && body[0] == 0x1f && body[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("sitemap: %w", err)
		}
		raw, err := io.ReadAll(io.LimitReader(zr, maxSitemap+1))
		if err != nil {
			return nil, fmt.Errorf("sitemap: %w", err)
		}
		if len(raw) > maxSitemap {
			return nil, errors.New("sitemap: larger than 64 MB once decompressed")
		}
		body = raw
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	var sm sitemap
	var stack []string
	var loc strings.Builder
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, fmt.Errorf("sitemap: line %d: %w", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root == "" {
				root = name
				if name != "urlset" && name != "sitemapindex" {
					return nil, fmt.Errorf("sitemap: root element <%s> is neither <urlset> nor <sitemapindex>", t.Name.Local)
				}
				sm.Index = name == "sitemapindex"
			}
			stack = append(stack, name)
			loc.Reset()
		case xml.CharData:
			if inLoc(stack) {
				loc.Write(t)
			}
		case xml.EndElement:
			if inLoc(stack) {
				if s := strings.TrimSpace(loc.String()); s != "" {
					sm.Locs = append(sm.Locs, s)
				}
				loc.Reset()
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if root == "" {
		return nil, errors.New("sitemap: no XML elements")
	}
	return &sm, nil
}

func inLoc(stack []string) bool {
	n := len(stack)
	return n == 3 && stack[2] == "loc" && (stack[1] == "url" || stack[1] == "sitemap")
}

// sitemapCandidates are the places WordPress and its SEO plugins put the
// sitemap, tried in order until one answers.
func sitemapCandidates(base *url.URL) []string {
	var out []string
	for _, p := range []string{"wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml"} {
		out = append(out, base.ResolveReference(&url.URL{Path: p}).String())
	}
	return out
}

// contentSitemap reports whether a sitemap's URL says it lists posts or
// pages (wp-sitemap-posts-post-1.xml, post-sitemap.xml, page-sitemap2.xml…),
// whose entries are then taken as they are.
func contentSitemap(u string) bool {
	name := strings.ToLower(u[strings.LastIndex(u, "/")+1:])
	return strings.Contains(name, "-posts-post") || strings.Contains(name, "-posts-page") ||
		strings.HasPrefix(name, "post-sitemap") || strings.HasPrefix(name, "page-sitemap")
}

// taxonomySitemap reports whether a sitemap lists archives rather than
// content (categories, tags, authors), so it need not be read at all.
func taxonomySitemap(u string) bool {
	name := strings.ToLower(u[strings.LastIndex(u, "/")+1:])
	for _, s := range []string{"-taxonomies-", "-users-", "category-sitemap", "post_tag-sitemap", "tag-sitemap", "author-sitemap"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// archiveURL reports whether a URL is a listing rather than a post or page:
// category, tag, author, date-less pagination, feeds.
func archiveURL(u *url.URL) bool {
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, s := range segs {
		switch strings.ToLower(s) {
		case "category", "tag", "author", "feed", "wp-json", "wp-admin", "wp-login.php":
			return true
		case "page":
			if i+1 < len(segs) && isDigits(segs[i+1]) {
				return true
			}
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
