package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// maxSitemaps bounds the sitemap files read for one site, against loops
// and generated sitemap mazes.
const maxSitemaps = 2000

// crawlSitemaps lists the post and page URLs of a site's sitemaps. start is
// the site (its sitemap is looked for at the usual places) or a sitemap URL.
func (in *Input) crawlSitemaps(ctx context.Context, start string) ([]string, error) {
	base, err := url.Parse(start)
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("not an http(s) URL: %q", start)
	}
	var queue []string
	var first *sitemap // the root, when finding it meant reading it
	if p := strings.ToLower(base.Path); strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".xml.gz") {
		queue = []string{base.String()}
	} else {
		if !strings.HasSuffix(base.Path, "/") {
			base.Path += "/"
		}
		root, sm, err := in.findSitemap(ctx, base)
		if err != nil {
			return nil, err
		}
		queue, first = []string{root}, sm
	}
	seen := map[string]bool{queue[0]: true}
	var pages []string
	for len(queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		smURL := queue[0]
		queue = queue[1:]
		sm, err := first, error(nil)
		if first == nil {
			sm, err = in.fetchSitemap(ctx, smURL)
		}
		first = nil
		if err != nil {
			if len(seen) == 1 {
				return nil, err // the root itself
			}
			in.failed = append(in.failed, Problem{URL: smURL, Reason: err.Error()})
			continue
		}
		for _, loc := range sm.Locs {
			u, err := url.Parse(loc)
			if err != nil || !strings.EqualFold(u.Host, base.Host) {
				continue // only the site's own pages
			}
			switch {
			case sm.Index:
				if taxonomySitemap(loc) || seen[loc] || len(seen) >= maxSitemaps {
					continue
				}
				seen[loc] = true
				queue = append(queue, loc)
			case contentSitemap(smURL) || !archiveURL(u):
				pages = append(pages, loc)
			}
		}
	}
	return pages, nil
}

// findSitemap tries the usual sitemap places and returns the first that
// answers with a sitemap.
func (in *Input) findSitemap(ctx context.Context, base *url.URL) (string, *sitemap, error) {
	var tried []string
	for _, c := range sitemapCandidates(base) {
		ok, err := in.allowed(ctx, c)
		if err != nil {
			return "", nil, err
		}
		if !ok {
			tried = append(tried, c+" (robots.txt)")
			continue
		}
		r, err := in.get(ctx, c, nil)
		if err != nil {
			if ctx.Err() != nil {
				return "", nil, ctx.Err()
			}
			tried = append(tried, c+" ("+err.Error()+")")
			continue
		}
		if r.Status != http.StatusOK {
			tried = append(tried, fmt.Sprintf("%s (HTTP %d)", c, r.Status))
			continue
		}
		sm, err := parseSitemap(r.Body)
		if err != nil {
			tried = append(tried, c+" (not a sitemap)")
			continue
		}
		return c, sm, nil
	}
	return "", nil, fmt.Errorf("no sitemap found; tried %s", strings.Join(tried, ", "))
}

func (in *Input) fetchSitemap(ctx context.Context, smURL string) (*sitemap, error) {
	ok, err := in.allowed(ctx, smURL)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("disallowed by robots.txt")
	}
	r, err := in.get(ctx, smURL, nil)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", r.Status)
	}
	return parseSitemap(r.Body)
}
