package wxrgen

import (
	"errors"
	"fmt"
	"io"

	"github.com/wparchive/wparchive/wxr"
)

// template is a decoded export split into what is replicated per post and
// what is written once.
type template struct {
	site *wxr.Site
	// units are the template's posts, each with the attachments whose
	// parent it is: the part copied for every generated post.
	units []unit
	// once are the other items (pages, menu items, loose attachments…),
	// written once with their ids unchanged: a site's pages do not multiply
	// with its posts.
	once []*wxr.Item
	// replicated holds the ids that get a new value in every copy.
	replicated map[int64]bool
	stride     int64 // id offset between copies: a power of ten above every id
	cstride    int64 // the same for comment ids
}

type unit struct {
	post        *wxr.Item
	attachments []*wxr.Item
}

// loadTemplate reads a whole template export; templates are small.
func loadTemplate(r io.Reader) (*template, error) {
	dec := wxr.NewDecoder(r, wxr.Options{Name: "template"})
	var items []*wxr.Item
	seen := map[int64]bool{}
	for {
		it, err := dec.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("template: %w", err)
		}
		// Real exports repeat ids (menu items, concatenated files); the
		// first keeps it, as the archive's index does, so ids stay unique.
		if seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		items = append(items, it)
	}
	t := &template{site: dec.Site(), replicated: map[int64]bool{}}
	posts := map[int64]int{} // post id → unit index
	var maxID, maxComment int64
	for _, it := range items {
		maxID = max(maxID, it.ID)
		for _, c := range it.Comments {
			maxComment = max(maxComment, c.ID)
		}
		if it.Type == wxr.TypePost && it.ID > 0 {
			posts[it.ID] = len(t.units)
			t.units = append(t.units, unit{post: it})
			t.replicated[it.ID] = true
		}
	}
	if len(t.units) == 0 {
		return nil, errors.New("template: no posts to replicate")
	}
	for _, it := range items {
		if t.replicated[it.ID] {
			continue
		}
		if u, ok := posts[it.Parent]; ok && it.Type == wxr.TypeAttachment {
			t.units[u].attachments = append(t.units[u].attachments, it)
			t.replicated[it.ID] = true
			continue
		}
		t.once = append(t.once, it)
	}
	t.stride, t.cstride = aboveMax(maxID), aboveMax(maxComment)
	return t, nil
}

// aboveMax returns the smallest power of ten above n, so copied ids read as
// the template id plus a round number.
func aboveMax(n int64) int64 {
	p := int64(10)
	for p <= n {
		p *= 10
	}
	return p
}
