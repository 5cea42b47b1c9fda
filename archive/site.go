package archive

import (
	"sort"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// buildSiteRecord assembles site.json from the channel and the index.
// Authors lose their e-mail addresses here: site.json never carries them.
func buildSiteRecord(site *wxr.Site, idx *wxr.Index, sources []SourceFile) *SiteRecord {
	sr := &SiteRecord{
		Format: FormatVersion, Title: site.Title, Link: site.Link, Description: site.Description,
		Language: site.Language, PubDate: site.PubDate, WXRVersion: site.WXRVersion,
		BaseSiteURL: site.BaseSiteURL, BaseBlogURL: site.BaseBlogURL, Generator: site.Generator,
		Authors: []SiteAuthor{}, Terms: []SiteTerm{}, Counts: map[string]int{}, Media: []SiteMedia{},
		Sources: nonNil(sources),
	}
	for _, a := range site.Authors {
		sr.Authors = append(sr.Authors, SiteAuthor{ID: a.ID, Login: a.Login, DisplayName: a.DisplayName, FirstName: a.FirstName, LastName: a.LastName})
	}
	sort.SliceStable(sr.Authors, func(i, j int) bool { return sr.Authors[i].Login < sr.Authors[j].Login })

	parents := map[string]string{}
	for _, t := range site.Terms {
		parents[t.Taxonomy+"\x00"+t.Slug] = t.Parent
	}
	for _, t := range site.Terms {
		sr.Terms = append(sr.Terms, SiteTerm{
			Taxonomy: t.Taxonomy, Slug: t.Slug, Name: t.Name, Parent: t.Parent, Description: t.Description, ID: t.ID,
			Path: termPath(parents, t.Taxonomy, t.Slug),
		})
	}
	sort.SliceStable(sr.Terms, func(i, j int) bool {
		a, b := sr.Terms[i], sr.Terms[j]
		if a.Taxonomy != b.Taxonomy {
			return a.Taxonomy < b.Taxonomy
		}
		return a.Path < b.Path
	})

	idx.Range(func(e wxr.Entry) bool { // in ascending id order, as site.json lists media
		sr.Counts[string(orPost(e.Type))+"/"+string(e.Status)]++
		if e.Type == wxr.TypeAttachment {
			sr.Media = append(sr.Media, SiteMedia{
				ID: e.ID, Title: e.Title, URL: e.AttachmentURL, Parent: e.Parent, File: e.AttachedFile,
				MimeType: e.MimeType, Alt: e.Alt, Caption: e.Caption,
			})
		}
		return true
	})
	return sr
}

// termPath joins a term's slug with its ancestors', root first. A cycle or
// a missing parent ends the walk.
func termPath(parents map[string]string, taxonomy, slug string) string {
	parts := []string{slug}
	seen := map[string]bool{slug: true}
	for p := parents[taxonomy+"\x00"+slug]; p != "" && !seen[p] && len(parts) < 64; p = parents[taxonomy+"\x00"+p] {
		seen[p] = true
		parts = append(parts, p)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "/")
}
