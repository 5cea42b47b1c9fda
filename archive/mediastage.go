package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"

	"github.com/wparchive/wparchive/archive/media"
	"github.com/wparchive/wparchive/archive/web"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// MediaOptions configure the download of media. Nil Options.Media, or
// Options.NoMedia, keeps every media reference as its remote URL.
type MediaOptions struct {
	// Client fetches media; its options set timeouts, retries, the
	// per-host limit and whether private addresses may be reached.
	Client *web.Client
	// From is a local copy of wp-content/uploads, tried before the network.
	From fs.FS
	// Jobs is the number of concurrent downloads.
	Jobs int
	// MaxBytes caps one file's size.
	MaxBytes int64
}

// MediaStateFile records, per media URL, where its file is and the
// validators that make the next run's requests conditional.
const MediaStateFile = "media.json"

// spoolDir holds the bundles of items with media until the media are
// fetched and their links can point to local files; it is outside the
// payload and removed at the end of the run.
const spoolDir = ".wparchive-spool"

// pendingItem is an item whose files wait in the spool for its media.
type pendingItem struct {
	id       int64
	dir      string
	link     string
	featured string            // the featured image's URL, as in the front matter
	urls     map[string]string // URL as written in Markdown → normalised URL
}

// mediaEnabled reports whether this run downloads media.
func (o *Options) mediaEnabled() bool { return !o.NoMedia && o.Media != nil && o.Media.Client != nil }

// writerStore lets the media fetcher store files through the archive's
// writer, so they are written atomically and enter the manifest.
type writerStore struct{ w *Writer }

func (s writerStore) Stat(rel string) (int64, string, bool) {
	name := PayloadDir + "/" + rel
	if sum, ok := s.w.SumOf(name); ok {
		return sum.Size, sum.SHA256, true
	}
	data, err := s.w.ReadFile(name)
	if err != nil {
		return 0, "", false
	}
	return int64(len(data)), sha256Hex(data), true
}

func (s writerStore) Write(ctx context.Context, rel string, r io.Reader) (int64, string, error) {
	sum, err := s.w.WriteFrom(PayloadDir+"/"+rel, readerWithContext{ctx, r}, -1)
	return sum.Size, sum.SHA256, err
}

func (s writerStore) Rename(from, to string) error {
	return s.w.Rename(PayloadDir+"/"+from, PayloadDir+"/"+to)
}

func (s writerStore) Remove(rel string) error {
	return s.w.Remove(PayloadDir + "/" + rel)
}

// readerWithContext stops a copy when the run is cancelled.
type readerWithContext struct {
	ctx context.Context
	r   io.Reader
}

func (r readerWithContext) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// mediaProgress turns the fetcher's progress into events.
type mediaProgress struct{ r Reporter }

func (p mediaProgress) MediaStarted(total int) {
	p.r.Event(Event{Kind: EventPhase, Phase: "downloading", Total: total})
}

func (p mediaProgress) MediaDone(res media.Result) {
	e := Event{Kind: EventMedia, URL: res.URL, Path: res.Path}
	if !res.OK() {
		e.Reason = res.Reason
	}
	p.r.Event(e)
}

// mediaRefs collects the references of every item, once per URL.
type mediaRefs struct {
	refs []media.Ref
	at   map[string]int
}

func (m *mediaRefs) add(refs []media.Ref) {
	if m.at == nil {
		m.at = map[string]int{}
	}
	for _, r := range refs {
		if i, ok := m.at[r.URL]; ok {
			if m.refs[i].AttachmentID == 0 {
				m.refs[i].AttachmentID = r.AttachmentID
			}
			continue
		}
		m.at[r.URL] = len(m.refs)
		m.refs = append(m.refs, r)
	}
}

// fetchMedia downloads every referenced file, then finishes the items that
// waited for them: their Markdown links point to the local files, their
// records say where each file is.
func fetchMedia(ctx context.Context, opts Options, w *Writer, idx *wxr.Index, rep *Report, collected *mediaRefs, pending []pendingItem, withheld map[int64]bool, site *SiteRecord) error {
	finder := media.NewFinder(idx)
	// Every attachment is kept, not only those the content shows, unless it
	// belongs to an item the run withheld.
	ids := make([]int64, 0)
	for id, e := range idx.Entries {
		if e.Type == wxr.TypeAttachment && e.AttachmentURL != "" && !withheld[e.Parent] {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		e := idx.Entries[id]
		collected.add(finder.Find(&wxr.Item{ID: e.ID, Type: wxr.TypeAttachment, AttachmentURL: e.AttachmentURL, Link: e.Link}, nil))
	}

	var previous []media.Result
	if data, err := w.ReadFile(PayloadDir + "/" + MediaStateFile); err == nil {
		previous, _ = media.ReadState(bytes.NewReader(data))
	}
	f, err := media.NewFetcher(media.Options{
		Client: opts.Media.Client, Store: writerStore{w}, Jobs: opts.Media.Jobs, MaxBytes: opts.Media.MaxBytes,
		From: opts.Media.From, Previous: previous, Progress: mediaProgress{opts.Reporter},
	})
	if err != nil {
		return err
	}
	results, ferr := f.Fetch(ctx, collected.refs)
	byURL := make(map[string]media.Result, len(results))
	for _, r := range results {
		byURL[r.URL] = r
		switch {
		case r.OK():
			if _, err := w.Adopt(PayloadDir + "/" + r.Path); err != nil {
				return fmt.Errorf("media %s: %w", r.Path, err)
			}
			if r.From == media.FromNetwork {
				rep.Media.Downloaded++
			} else {
				rep.Media.Reused++
			}
		default:
			rep.Media.Failed++
			rep.MediaFailures = append(rep.MediaFailures, MediaFailure{URL: r.URL, Reason: r.Reason, Attempts: r.Attempts})
		}
	}
	rep.Media.Referenced = len(collected.refs)
	var state bytes.Buffer
	if err := media.WriteState(&state, results); err != nil {
		return err
	}
	if err := w.WriteFile(PayloadDir+"/"+MediaStateFile, state.Bytes()); err != nil {
		return err
	}
	for i := range site.Media {
		m := &site.Media[i]
		if n, ok := media.Normalize(m.URL, m.URL); ok {
			if r, ok := byURL[n]; ok && r.OK() {
				m.Path, m.SHA256 = r.Path, r.SHA256
			}
		}
	}
	for _, p := range pending {
		if err := finishPending(w, p, byURL); err != nil {
			return fmt.Errorf("item %d: %w", p.id, err)
		}
	}
	_ = w.fs.RemoveAll(spoolDir)
	return ferr
}

// finishPending writes the final bundle of an item that waited for media.
func finishPending(w *Writer, p pendingItem, byURL map[string]media.Result) error {
	mdName, jsName := p.dir+"/"+MarkdownFile, p.dir+"/"+RecordFile
	md, err := w.ReadFile(spoolDir + "/" + mdName)
	if err != nil {
		return err
	}
	js, err := w.ReadFile(spoolDir + "/" + jsName)
	if err != nil {
		return err
	}
	local := map[string]string{}
	for written, norm := range p.urls {
		if r, ok := byURL[norm]; ok && r.OK() {
			local[written] = relPath(p.dir, r.Path)
		}
	}
	text := convert.Relink(string(md), local)
	if p.featured != "" {
		if rel, ok := local[p.featured]; ok {
			text = strings.Replace(text, "featured_image: "+yamlScalar(p.featured)+"\n", "featured_image: "+yamlScalar(rel)+"\n", 1)
		}
	}
	var rec Record
	if err := json.Unmarshal(js, &rec); err != nil {
		return err
	}
	for i := range rec.Media {
		m := &rec.Media[i]
		r, ok := byURL[m.URL]
		if !ok {
			continue
		}
		if r.OK() {
			m.Path, m.Size, m.ContentType, m.SHA256 = r.Path, r.Size, r.ContentType, r.SHA256
		} else {
			m.Error = r.Reason
		}
	}
	out, err := marshalJSON(&rec)
	if err != nil {
		return err
	}
	if err := w.WriteFile(PayloadDir+"/"+mdName, []byte(text)); err != nil {
		return err
	}
	if err := w.WriteFile(PayloadDir+"/"+jsName, out); err != nil {
		return err
	}
	return nil
}

// yamlScalar renders s as the front matter encoder does.
func yamlScalar(s string) string {
	b, err := marshalFrontMatter(&FrontMatter{Title: s})
	if err != nil {
		return s
	}
	line := strings.SplitN(string(b), "\n", 3)[1]
	return strings.TrimPrefix(line, "title: ")
}

// MediaFailure is a media file that could not be had; the Markdown keeps
// its remote URL.
type MediaFailure struct {
	URL      string `json:"url"`
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts"`
}
