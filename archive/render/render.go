// Package render turns an archive's payload into a static, browsable site
// in its html/ folder: an index of the posts by date, category and tag, the
// pages, and one page per item with its comments. The site is made to be
// opened from disk years later without the generator: no script, nothing
// fetched from the network (images that were not archived become links),
// relative links only, readable on a phone.
package render

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// Dir is the folder of the payload the site is written to.
const Dir = "html"

// Writer receives the site's files, named relative to the payload root
// (e.g. "html/index.html"). archive.Writer fits behind a PrefixWriter.
type Writer interface {
	WriteFile(name string, data []byte) error
}

// PrefixWriter writes every file under Prefix: it adapts a writer whose
// names start at the bag root (archive.Writer) with Prefix "data/".
type PrefixWriter struct {
	W      Writer
	Prefix string
}

// WriteFile implements Writer.
func (p PrefixWriter) WriteFile(name string, data []byte) error {
	return p.W.WriteFile(p.Prefix+name, data)
}

// RootWriter writes plain files below an os.Root, creating folders as
// needed; for tests and tools that do not need the archive's atomic writes.
type RootWriter struct{ Root *os.Root }

// WriteFile implements Writer.
func (w RootWriter) WriteFile(name string, data []byte) error {
	if err := w.Root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	return w.Root.WriteFile(name, data, 0o644)
}

// Options configure a rendering.
type Options struct {
	// Tool names the program in the pages' footer; empty leaves it out.
	Tool string
}

// Result says what was rendered.
type Result struct {
	Files        []string // written, relative to the payload root, sorted
	Items        int      // item pages
	Comments     int      // comments shown
	RemoteImages int      // images shown as links because they are not in the archive
	// MissingImages are local images that the Markdown names but the
	// payload does not hold, as "item page: image".
	MissingImages []string
	// Warnings are items left out or shown without their record.
	Warnings []string
}

// Render reads the archive payload (items.jsonl, site.json and the items'
// files) and writes the static site through out. Output depends only on the
// payload, so a re-render of an unchanged archive writes the same bytes.
func Render(ctx context.Context, payload fs.FS, out Writer, opts Options) (*Result, error) {
	site, err := readSite(payload)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	entries, err := readEntries(ctx, payload, res)
	if err != nil {
		return nil, err
	}
	s := newSite(site, entries, payload, opts)
	write := func(name string, data []byte) error {
		if err := out.WriteFile(name, data); err != nil {
			return fmt.Errorf("render: %s: %w", name, err)
		}
		res.Files = append(res.Files, name)
		return nil
	}
	if err := write(Dir+"/style.css", []byte(styleCSS)); err != nil {
		return nil, err
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, err := s.itemPage(e, res)
		if err != nil {
			return nil, fmt.Errorf("render: %s: %w", e.line.Markdown, err)
		}
		if err := write(e.page, data); err != nil {
			return nil, err
		}
		res.Items++
	}
	for _, t := range s.terms {
		data, err := s.termPage(t)
		if err != nil {
			return nil, fmt.Errorf("render: %s: %w", t.page, err)
		}
		if err := write(t.page, data); err != nil {
			return nil, err
		}
	}
	data, err := s.indexPage()
	if err != nil {
		return nil, fmt.Errorf("render: index: %w", err)
	}
	if err := write(Dir+"/index.html", data); err != nil {
		return nil, err
	}
	sort.Strings(res.Files)
	sort.Strings(res.MissingImages)
	return res, nil
}

func readSite(payload fs.FS) (*archive.SiteRecord, error) {
	data, err := fs.ReadFile(payload, archive.SiteFile)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	var sr archive.SiteRecord
	if err := json.Unmarshal(data, &sr); err != nil {
		return nil, fmt.Errorf("render: %s: %w", archive.SiteFile, err)
	}
	return &sr, nil
}

// entry is one item of the archive on its way to a page.
type entry struct {
	line  archive.Line
	dir   string // bundle folder, relative to the payload root
	page  string // its HTML page, relative to the payload root
	rec   *archive.Record
	when  time.Time
	dated bool
}

func (e *entry) title() string {
	if t := strings.TrimSpace(e.line.Title); t != "" {
		return t
	}
	return "(untitled)"
}

// readEntries reads items.jsonl and each item's record. An item whose
// Markdown path is unusable is left out with a warning; a broken
// items.jsonl is an error.
func readEntries(ctx context.Context, payload fs.FS, res *Result) ([]*entry, error) {
	f, err := payload.Open(archive.ItemsFile)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var entries []*entry
	pages := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		e := &entry{}
		if err := json.Unmarshal(sc.Bytes(), &e.line); err != nil {
			return nil, fmt.Errorf("render: %s line %d: %w", archive.ItemsFile, n, err)
		}
		md := e.line.Markdown
		e.dir = path.Dir(md)
		e.page = Dir + "/" + e.dir + "/index.html"
		switch {
		case !fs.ValidPath(md) || e.dir == "." || e.dir == Dir || strings.HasPrefix(e.dir, Dir+"/"):
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s line %d: unusable markdown path %q; item left out", archive.ItemsFile, n, md))
			continue
		case pages[e.page]:
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s line %d: %s shares its folder with another item; item left out", archive.ItemsFile, n, md))
			continue
		}
		pages[e.page] = true
		e.when, e.dated = parseDate(e.line.Date)
		if rec, err := readRecord(payload, e.line.JSON); err != nil {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: %v; shown without its record", md, err))
		} else {
			e.rec = rec
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("render: %s: %w", archive.ItemsFile, err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].page < entries[j].page })
	return entries, nil
}

func readRecord(payload fs.FS, name string) (*archive.Record, error) {
	if !fs.ValidPath(name) || name == "." {
		return nil, errors.New("no usable record path")
	}
	data, err := fs.ReadFile(payload, name)
	if err != nil {
		return nil, err
	}
	var rec archive.Record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &rec, nil
}

// parseDate reads items.jsonl's dates: RFC 3339, or without a zone when the
// export had no GMT date.
func parseDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// siteURL is the original site's address, for root-relative links.
func siteURL(sr *archive.SiteRecord) *url.URL {
	for _, s := range []string{sr.BaseBlogURL, sr.Link, sr.BaseSiteURL} {
		u, err := url.Parse(strings.TrimSpace(s))
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
			}
			return u
		}
	}
	return nil
}
