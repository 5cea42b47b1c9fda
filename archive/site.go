package archive

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/wparchive/wparchive/wxr"
)

// buildSiteRecord assembles site.json from the channel and the index, but
// for its media: writeSite lists them from the index as it writes the file,
// so that a site's thousands of attachments are not held twice.
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

	idx.Range(func(e wxr.Entry) bool {
		sr.Counts[string(orPost(e.Type))+"/"+string(e.Status)]++
		return true
	})
	return sr
}

// siteMedia calls fn with the media of site.json, in ascending id order.
func siteMedia(idx *wxr.Index, fn func(*SiteMedia) error) error {
	var err error
	idx.Range(func(e wxr.Entry) bool {
		if e.Type == wxr.TypeAttachment {
			err = fn(&SiteMedia{
				ID: e.ID, Title: e.Title, URL: e.AttachmentURL, Parent: e.Parent, File: e.AttachedFile,
				MimeType: e.MimeType, Alt: e.Alt, Caption: e.Caption,
			})
		}
		return err == nil
	})
	return err
}

// writeSite streams site.json: sr as marshalJSON writes it, with the media
// of the index (through local, which says where a file was downloaded, when
// set) in place of sr.Media.
func writeSite(w *Writer, name string, sr *SiteRecord, idx *wxr.Index, local func(*SiteMedia)) error {
	rec := *sr
	rec.Media = []SiteMedia{}
	head, err := marshalJSON(&rec)
	if err != nil {
		return err
	}
	const empty = "\n  \"media\": []"
	at := bytes.Index(head, []byte(empty))
	if at < 0 {
		return fmt.Errorf("site.json: no media list in %.40q", head)
	}
	at += len(empty) - 1 // before the closing bracket
	f, err := w.Create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(head[:at])
	n := 0
	if err == nil {
		err = siteMedia(idx, func(m *SiteMedia) error {
			if local != nil {
				local(m)
			}
			js, err := marshalJSON(m)
			if err != nil {
				return err
			}
			// Indented one level deeper, as an element of the list; JSON
			// strings hold no raw newline, so every newline is a line break.
			js = bytes.ReplaceAll(bytes.TrimSuffix(js, []byte("\n")), []byte("\n"), []byte("\n    "))
			sep := ",\n    "
			if n == 0 {
				sep = "\n    "
			}
			n++
			if _, err := f.Write([]byte(sep)); err != nil {
				return err
			}
			_, err = f.Write(js)
			return err
		})
	}
	if err == nil && n > 0 {
		_, err = f.Write([]byte("\n  "))
	}
	if err == nil {
		_, err = f.Write(head[at:])
	}
	if err != nil {
		f.Abort(err)
		return fmt.Errorf("site.json: %w", err)
	}
	return f.Close()
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
