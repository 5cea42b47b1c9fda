// Package wxrgen writes synthetic WordPress exports of any size for
// benchmarks: copies of a template export's posts, with their attachments
// and comments, under fresh ids, slugs, links and dates.
package wxrgen

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/wparchive/wparchive/wxr"
)

// Options say what to generate.
type Options struct {
	// Posts is the number of items of type post to write.
	Posts int
	// Seed varies the dates; the same options always give the same bytes.
	Seed int64
	// Template is the export whose posts are copied; nil means a small
	// built-in one. Its pages, menu items and loose attachments are written
	// once; each generated post brings a copy of its template post's
	// attachments and comments.
	Template io.Reader
}

//go:embed testdata/template.xml
var builtin []byte

// Generate writes an export of opts.Posts posts to w. Generated post i is a
// copy of template post i mod P (P posts in the template) in round i / P;
// round r adds r times a power of ten above every template id to the ids of
// the post, its attachments and comments, and to the references to them in
// content, parents and _thumbnail_id. Only the template is held in memory.
func Generate(w io.Writer, opts Options) error {
	if opts.Posts < 0 {
		return errors.New("wxrgen: negative number of posts")
	}
	src := opts.Template
	if src == nil {
		src = bytes.NewReader(builtin)
	}
	t, err := loadTemplate(src)
	if err != nil {
		return err
	}
	xw := xmlWriter{bufio.NewWriterSize(w, 64<<10)}
	writeChannel(xw, t.site)
	for _, it := range t.once {
		writeItem(xw, it)
	}
	for i := range opts.Posts {
		u := t.units[i%len(t.units)]
		round := int64(i / len(t.units))
		for j, a := range u.attachments {
			writeItem(xw, t.copyItem(a, round, postTime(opts.Seed, i).Add(-time.Duration(j+1)*time.Minute)))
		}
		writeItem(xw, t.copyItem(u.post, round, postTime(opts.Seed, i)))
	}
	xw.WriteString("</channel>\n</rss>\n")
	return xw.Flush()
}

// epoch and step place generated post i at epoch + i·step plus a seeded
// jitter below step: dates are unique and in order, 50,000 posts span 17 years.
var epoch = time.Date(2004, 1, 1, 0, 0, 0, 0, time.UTC)

const step = 3 * time.Hour

func postTime(seed int64, i int) time.Time {
	j := splitmix(uint64(seed)^uint64(i)*0x9E3779B97F4A7C15) % uint64(step/time.Second)
	return epoch.Add(time.Duration(i)*step + time.Duration(j)*time.Second)
}

// splitmix is SplitMix64's output function: a fixed, stateless mix, so
// output never depends on a library's random stream.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

const (
	wpDate  = "2006-01-02 15:04:05"
	rssDate = "Mon, 02 Jan 2006 15:04:05 -0700"
)

// copyItem returns the copy of template item it for a round, dated at.
func (t *template) copyItem(it *wxr.Item, round int64, at time.Time) *wxr.Item {
	f := func(id int64) int64 {
		if t.replicated[id] {
			return id + round*t.stride
		}
		return id
	}
	c := *it
	c.ID = f(it.ID)
	c.Parent = f(it.Parent)
	if round > 0 {
		c.Content = remapIDs(it.Content, f)
		c.Excerpt = remapIDs(it.Excerpt, f)
		if c.Name != "" {
			c.Name += "-" + strconv.FormatInt(round+1, 10)
		}
	}
	c.PostDate, c.PostDateGMT = at.Format(wpDate), at.Format(wpDate)
	c.PubDate = at.Format(rssDate)
	if it.Modified != "" {
		m := at.Add(24 * time.Hour)
		c.Modified, c.ModifiedGMT = m.Format(wpDate), m.Format(wpDate)
	}
	base := t.site.BaseBlogURL
	if base == "" {
		base = t.site.Link
	}
	c.GUID = base + "/?p=" + strconv.FormatInt(c.ID, 10)
	switch {
	case it.Type == wxr.TypeAttachment:
		c.Link = base + "/?attachment_id=" + strconv.FormatInt(c.ID, 10)
	case c.Name != "":
		c.Link = base + at.Format("/2006/01/02/") + c.Name + "/"
	default:
		c.Link = c.GUID
	}
	c.Meta = make([]wxr.Meta, len(it.Meta))
	for k, m := range it.Meta {
		if m.Key == "_thumbnail_id" {
			if id, err := strconv.ParseInt(m.Value, 10, 64); err == nil {
				m.Value = strconv.FormatInt(f(id), 10)
			}
		}
		c.Meta[k] = m
	}
	c.Comments = make([]wxr.Comment, len(it.Comments))
	for k, cm := range it.Comments {
		cm.ID += round * t.cstride
		if cm.Parent != 0 {
			cm.Parent += round * t.cstride
		}
		d := at.Add(time.Duration(k+1) * time.Hour).Format(wpDate)
		cm.Date, cm.DateGMT = d, d
		c.Comments[k] = cm
	}
	return &c
}
