package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
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
	id     int64
	paths  BundlePaths
	bundle *Bundle
	fm     *FrontMatter      // rendered once the featured image is local
	urls   map[string]string // URL as written in Markdown → normalised URL
}

// mediaEnabled reports whether this run downloads media.
func (o *Options) mediaEnabled() bool { return !o.NoMedia && o.Media != nil && o.Media.Client != nil }

// writerStore lets the media fetcher store files through the archive's
// writer, so they are written atomically and enter the manifest.
type writerStore struct {
	w      *Writer
	prefix string // from the output folder to the folder media/ sits in
}

func (s writerStore) Stat(rel string) (int64, string, bool) {
	name := s.prefix + rel
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
	sum, err := s.w.WriteFrom(s.prefix+rel, readerWithContext{ctx, r}, -1)
	return sum.Size, sum.SHA256, err
}

func (s writerStore) Rename(from, to string) error {
	return s.w.Rename(s.prefix+from, s.prefix+to)
}

func (s writerStore) Remove(rel string) error {
	return s.w.Remove(s.prefix + rel)
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
			// Items arrive in any order: keep the smallest attachment id.
			if a := r.AttachmentID; a != 0 && (m.refs[i].AttachmentID == 0 || a < m.refs[i].AttachmentID) {
				m.refs[i].AttachmentID = a
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
//
// It returns the results by URL, for site.json to say where each attachment's
// file is.
func fetchMedia(ctx context.Context, opts Options, w *Writer, idx *wxr.Index, finder *media.Finder, rep *Report, collected *mediaRefs, pending []pendingItem) (map[string]media.Result, error) {
	// Every attachment is kept, not only those the content shows, unless it
	// belongs to an item the run withheld.
	idx.Range(func(e wxr.Entry) bool { // in ascending id order
		if e.Type != wxr.TypeAttachment || e.AttachmentURL == "" || !opts.Shard.has(e.ID) {
			return true
		}
		// Decided from the index, not from this run's results, so that every
		// shard of a split run agrees.
		if p, ok := idx.Get(e.Parent); ok && decideEntry(&p, opts.IncludePrivate).Outcome == Withheld {
			return true
		}
		collected.add(finder.Find(&wxr.Item{ID: e.ID, Type: wxr.TypeAttachment, AttachmentURL: e.AttachmentURL, Link: e.Link}, nil))
		return true
	})

	var previous []media.Result
	if data, err := w.ReadFile(opts.meta(MediaStateFile)); err == nil {
		previous, _ = media.ReadState(bytes.NewReader(data))
	}
	store := writerStore{w: w, prefix: opts.payload(joinPath(opts.Target.MediaBase(), "x"))}
	store.prefix = strings.TrimSuffix(store.prefix, "x")
	f, err := media.NewFetcher(media.Options{
		Client: opts.Media.Client, Store: store, Jobs: opts.Media.Jobs, MaxBytes: opts.Media.MaxBytes,
		From: opts.Media.From, Previous: previous, Progress: mediaProgress{opts.Reporter},
	})
	if err != nil {
		return nil, err
	}
	results, ferr := f.Fetch(ctx, collected.refs)
	byURL := make(map[string]media.Result, len(results))
	for _, r := range results {
		byURL[r.URL] = r
		switch {
		case r.OK():
			if _, err := w.Adopt(store.prefix + r.Path); err != nil {
				return nil, fmt.Errorf("media %s: %w", r.Path, err)
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
		return nil, err
	}
	if err := w.WriteFile(opts.meta(MediaStateFile), state.Bytes()); err != nil {
		return nil, err
	}
	for _, p := range pending {
		if err := finishPending(&opts, w, p, byURL); err != nil {
			return byURL, fmt.Errorf("item %d: %w", p.id, err)
		}
	}
	_ = w.fs.RemoveAll(spoolDir)
	return byURL, ferr
}

// localMedia fills in where the file of an attachment listed in site.json
// was stored, from the results of fetchMedia.
func localMedia(opts *Options, byURL map[string]media.Result) func(*SiteMedia) {
	if byURL == nil {
		return nil
	}
	return func(m *SiteMedia) {
		if n, ok := media.Normalize(m.URL, m.URL); ok {
			if r, ok := byURL[n]; ok && r.OK() {
				m.Path, m.SHA256 = joinPath(opts.Target.MediaBase(), r.Path), r.SHA256
			}
		}
	}
}

// finishPending writes the final bundle of an item that waited for media.
func finishPending(opts *Options, w *Writer, p pendingItem, byURL map[string]media.Result) error {
	t := opts.Target
	body, err := w.ReadFile(spoolDir + "/" + p.paths.Markdown)
	if err != nil {
		return err
	}
	js, err := w.ReadFile(spoolDir + "/" + p.paths.Record)
	if err != nil {
		return err
	}
	local := map[string]string{}
	for written, norm := range p.urls {
		if r, ok := byURL[norm]; ok && r.OK() {
			local[written] = t.Link(p.paths.Markdown, joinPath(t.MediaBase(), r.Path))
		}
	}
	if l, ok := local[p.fm.FeaturedImage]; ok {
		p.fm.FeaturedImage = l
	}
	head, err := t.FrontMatter(p.fm, p.bundle)
	if err != nil {
		return err
	}
	md := opts.markdown(head, []byte(convert.Relink(string(body), local)))
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
			m.Path, m.Size, m.ContentType, m.SHA256 = joinPath(t.MediaBase(), r.Path), r.Size, r.ContentType, r.SHA256
		} else {
			m.Error = r.Reason
		}
	}
	out, err := marshalJSON(&rec)
	if err != nil {
		return err
	}
	if err := w.WriteFile(opts.payload(p.paths.Markdown), md); err != nil {
		return err
	}
	return w.WriteFile(opts.payload(p.paths.Record), out)
}

// MediaFailure is a media file that could not be had; the Markdown keeps
// its remote URL.
type MediaFailure struct {
	URL      string `json:"url"`
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts"`
}
