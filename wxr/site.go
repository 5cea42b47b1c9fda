package wxr

// Merge folds other into s: fields s does not know yet are taken from
// other, authors (by login) and terms (by taxonomy and slug) are united.
// A site exported in several files, or captured page by page, is one Site.
func (s *Site) Merge(other *Site) {
	if other == nil {
		return
	}
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&s.Title, other.Title}, {&s.Link, other.Link}, {&s.Description, other.Description},
		{&s.Language, other.Language}, {&s.PubDate, other.PubDate}, {&s.WXRVersion, other.WXRVersion},
		{&s.BaseSiteURL, other.BaseSiteURL}, {&s.BaseBlogURL, other.BaseBlogURL}, {&s.Generator, other.Generator},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	seenA := make(map[string]bool, len(s.Authors))
	for _, a := range s.Authors {
		seenA[a.Login] = true
	}
	for _, a := range other.Authors {
		if !seenA[a.Login] {
			seenA[a.Login] = true
			s.Authors = append(s.Authors, a)
		}
	}
	seenT := make(map[string]bool, len(s.Terms))
	for _, t := range s.Terms {
		seenT[t.Taxonomy+"\x00"+t.Slug] = true
	}
	for _, t := range other.Terms {
		if k := t.Taxonomy + "\x00" + t.Slug; !seenT[k] {
			seenT[k] = true
			s.Terms = append(s.Terms, t)
		}
	}
}
