package archive

import (
	"bufio"
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"runtime"
	"strings"
	"sync"

	"github.com/wparchive/wparchive/archive/media"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// Options configure a conversion run.
type Options struct {
	// Input yields the items: WXR export files (NewWXRInput) or pages
	// captured from a live site.
	Input Input
	// FS is the output folder. Required.
	FS FS
	// Converter turns content into Markdown. Required.
	Converter *convert.Converter
	// Reporter receives progress events; nil discards them.
	Reporter Reporter
	// Tool names the program and its version in report.json and bag-info.txt.
	Tool string
	// TempDir holds the run's temporary files; "" means the system's.
	TempDir string
	// Writer, when set, is the writer the run uses (an Input that writes
	// files of its own, such as a WARC capture, shares it so that they enter
	// the manifest). Nil means one over FS, reusing the earlier manifest.
	Writer *Writer

	// Media configures downloading media; see MediaOptions.
	Media *MediaOptions
	// Target lays the files out; nil means Plain{}.
	Target Target
	// Finish, when set, runs once every payload file is written and before
	// the manifest, to add files of its own through w (the offline HTML
	// pages, say): they are then covered by the checksums.
	Finish func(ctx context.Context, w *Writer) error

	IncludePrivate   bool // write private and password-protected items (never their passwords)
	KeepPersonalData bool // keep commenters' e-mail and IP addresses and user agents
	NoMedia          bool // keep media as remote URLs
	Jobs             int  // conversion workers; 0 means GOMAXPROCS
	// Shard, when Of > 1, archives only the items whose id falls in shard K of N.
	Shard Shard

	spillAt int // entries the index and the run's tables keep in memory before they spill; 0: their defaults (tests lower it)
}

// Shard selects a stable part of the items by id, to split a run across machines.
type Shard struct{ K, Of int }

func (s Shard) has(id int64) bool {
	if s.Of <= 1 {
		return true
	}
	h := uint64(id) * 0x9E3779B97F4A7C15 // mix so consecutive ids spread evenly
	return int((h>>32)%uint64(s.Of)) == s.K-1
}

// Postmeta keys an Input sets on a placeholder item it could not get, so
// that the run counts it as skipped or failed with the value as reason.
const (
	MetaSkipped = "_wparchive_skipped"
	MetaFailed  = "_wparchive_failed"
)

// ErrMediaFailed is returned (wrapped) when the run finished but some media
// files could not be had.
var ErrMediaFailed = errors.New("could not be downloaded")

// ErrItemsFailed is returned (wrapped) when the run finished but some items failed.
var ErrItemsFailed = errors.New("some items failed")

// job is one item on its way through the pipeline.
type job struct {
	item     *wxr.Item
	decision Decision
	dir      string
	authors  map[string]string
}

// result is what a worker reports for one item.
type result struct {
	item     *wxr.Item
	decision Decision
	dir      string
	line     *Line
	err      error
	warnings []Warning
	doc      *convert.Document
	refs     []media.Ref
	pending  *pendingItem
	comments struct {
		read, written int
		leftOut       map[string]int
	}
}

// Convert archives the exports in opts.Inputs into opts.FS and returns the
// report. An error is returned for what stopped the run or made it
// incomplete; items that failed are counted in the report and signalled by
// an error wrapping ErrItemsFailed.
func Convert(ctx context.Context, opts Options) (*Report, error) {
	if opts.Reporter == nil {
		opts.Reporter = Discard{}
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.GOMAXPROCS(0)
	}
	if opts.Target == nil {
		opts.Target = Plain{}
	}
	rep := newReport(opts.Tool)
	rep.Media.Skipped = opts.NoMedia

	// The previous run's manifest: the one a given writer was made with
	// (its maker read it, and closes it), else read here. A missing or
	// unreadable manifest makes this a first run; temporary files that
	// fail do not.
	w := opts.Writer
	var previous *Manifest
	if w != nil {
		previous = w.old
	} else {
		var err error
		previous, err = readManifestFS(opts.FS, opts.TempDir, opts.spillAt)
		if errors.Is(err, ErrSpill) {
			return rep, fmt.Errorf("previous run: %w", err)
		}
		defer previous.Close()
		w = NewWriter(opts.FS, previous)
		w.TempDir = opts.TempDir
		defer w.Close()
	}
	// A run that was killed left its marker: this run must also clear what
	// that one left half done, so the folder ends as one clean run's.
	_, statErr := opts.FS.Lstat(RunningMarker)
	interrupted := statErr == nil
	// Made in place, not renamed into place: a kill in between would leave
	// a folder with neither a marker nor an archive in it.
	mark, err := opts.FS.OpenFile(RunningMarker, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return rep, fmt.Errorf("output folder: %w", err)
	}
	if err := mark.Close(); err != nil {
		return rep, fmt.Errorf("output folder: %w", err)
	}

	// Pass 1: index every file, so references to items later in a file
	// (featured images, galleries, parents, links) resolve.
	// The index spills to temporary files past a few thousand items: memory
	// must not grow with the size of the export.
	idx := wxr.NewSpillingIndex(opts.TempDir, opts.spillAt)
	defer idx.Close()
	opts.Reporter.Event(Event{Kind: EventPhase, Phase: "indexing", Total: -1})
	sources, err := opts.Input.Index(ctx, idx)
	if err == nil {
		err = idx.Err()
	}
	if err != nil {
		return rep, err
	}
	rep.Sources = sources
	// Folders and link keys are planned side by side: both only read the
	// index, and nothing else can run before they are done.
	var links *linkIndex
	planned := make(chan struct{})
	go func() {
		defer close(planned)
		links = newLinkIndex(idx, opts.TempDir, opts.spillAt)
	}()
	lay, err := newLayout(idx, opts.IncludePrivate, opts.TempDir, opts.spillAt)
	<-planned
	defer links.close()
	if err != nil {
		return rep, err
	}
	defer lay.close()
	slimIndex(idx, lay)
	if err := cmp.Or(lay.settle(), idx.Err()); err != nil {
		return rep, err
	}
	_ = opts.FS.RemoveAll(spoolDir) // left by a killed run
	var finder *media.Finder
	if opts.mediaEnabled() {
		finder = media.NewFinder(idx)
	}

	// Pass 2: read items one at a time, convert them on all cores, write them.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan job, opts.Jobs*2)
	results := make(chan result, opts.Jobs*2)
	var readErr error
	var readWG sync.WaitGroup
	readWG.Add(1)
	go func() {
		defer readWG.Done()
		defer close(jobs)
		readErr = readItems(ctx, opts, lay, jobs, results)
	}()
	var workWG sync.WaitGroup
	for range opts.Jobs {
		workWG.Add(1)
		go func() {
			defer workWG.Done()
			for j := range jobs {
				results <- archiveItem(ctx, opts, w, idx, lay, links, finder, j)
			}
		}()
	}
	go func() {
		readWG.Wait()
		workWG.Wait()
		close(results)
	}()

	opts.Reporter.Event(Event{Kind: EventPhase, Phase: "converting", Total: idx.Len()})
	spool, err := newItemSpool(opts.TempDir, opts.spillAt)
	if err != nil {
		return rep, err
	}
	defer spool.close()
	var refs mediaRefs
	var pending []pendingItem
	for r := range results {
		collect(rep, opts.Reporter, r)
		if r.item != nil && r.err == nil {
			refs.add(r.refs)
			if r.pending != nil {
				pending = append(pending, *r.pending)
			}
			if r.line != nil {
				if err := spool.add(r.line, r.item.Link, r.item.GUID, opts.itemURL(r)); err != nil {
					cancel(err)
				}
			}
		}
	}
	readWG.Wait()

	runErr := readErr
	if runErr == nil {
		runErr = context.Cause(ctx)
	}
	if runErr == nil {
		runErr = idx.Err() // a lookup that failed may have changed an item
	}
	if runErr == nil {
		if err := links.keys.Err(); err != nil {
			runErr = fmt.Errorf("links: %w", err)
		} else if err := lay.keys.Err(); err != nil {
			runErr = fmt.Errorf("layout: %w", err)
		}
	}
	if cerr := ctx.Err(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	rep.Complete = runErr == nil
	if runErr != nil {
		rep.Error = runErr.Error()
	}

	sr := buildSiteRecord(opts.Input.Site(), idx, rep.Sources)
	var local func(*SiteMedia) // where the downloaded files of site.json's media are
	switch {
	case opts.mediaEnabled() && ctx.Err() != nil:
		// Interrupted before the downloads: the waiting items are still
		// written, with their remote links.
		for _, p := range pending {
			if err := finishPending(&opts, w, p, nil); err != nil {
				return rep, err
			}
		}
		_ = w.fs.RemoveAll(spoolDir)
	case opts.mediaEnabled():
		byURL, err := fetchMedia(ctx, opts, w, idx, finder, rep, &refs, pending)
		if err != nil && runErr == nil {
			runErr = err
			rep.Complete, rep.Error = false, err.Error()
		}
		local = localMedia(&opts, byURL)
	default:
		// Without downloads, earlier media stay: a --no-media run does not
		// delete what a previous run fetched.
		mediaDir := opts.payload(joinPath(opts.Target.MediaBase(), MediaDir)) + "/"
		err := previous.Each(func(name, _ string) error {
			if strings.HasPrefix(name, mediaDir) || name == opts.meta(MediaStateFile) {
				_, _ = w.Adopt(name)
			}
			return nil
		})
		if err != nil {
			return rep, fmt.Errorf("previous run: %w", err)
		}
	}

	opts.Reporter.Event(Event{Kind: EventPhase, Phase: "finishing"})
	// The closing files are written even after an interruption: they are the
	// record of what this run did.
	if err := finish(ctx, opts, w, rep, sr, idx, local, spool, previous); err != nil {
		return rep, err
	}
	if err := idx.Err(); err != nil {
		return rep, err
	}
	if interrupted && rep.Complete {
		if err := removeUnwritten(opts.FS, w); err != nil {
			return rep, err
		}
	}
	// The marker goes once the folder holds nothing half done: after a
	// complete run, or a stopped one that followed no killed run.
	if rep.Complete || !interrupted {
		if err := opts.FS.Remove(RunningMarker); err != nil {
			return rep, err
		}
	}
	if runErr != nil {
		return rep, runErr
	}
	if rep.Items.Failed > 0 {
		f := rep.Failures[0]
		return rep, fmt.Errorf("%d of %d items: %w (first: item %d %q: %s)", rep.Items.Failed, rep.Items.Read, ErrItemsFailed, f.ID, f.Slug, f.Reason)
	}
	if rep.Media.Failed > 0 {
		return rep, fmt.Errorf("%d of %d media files: %w (the Markdown keeps their remote URLs)", rep.Media.Failed, rep.Media.Referenced, ErrMediaFailed)
	}
	return rep, nil
}

// RunningMarker is in the output folder while a run works on it; one that
// is still there when a run starts was left by a run that was killed.
const RunningMarker = ".wparchive-running"

// removeUnwritten deletes every file of the output folder this run did not
// write: what a killed run left behind, temporary files included.
func removeUnwritten(fsys FS, w *Writer) error {
	lister, ok := fsys.(interface{ Files() ([]string, error) })
	if !ok {
		return nil
	}
	names, err := lister.Files()
	if err != nil {
		return err
	}
	for _, n := range names {
		if n == RunningMarker || w.Has(n) {
			continue
		}
		if err := fsys.Remove(n); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// slimIndex drops from the index what the run no longer needs once folders
// and links are planned, and notes there the folder planned for each item:
// the index lives as long as the run. A GUID that is a link key of its own
// stays, for linkIndex to check a match; attachments keep their titles:
// galleries and site.json show them.
func slimIndex(idx *wxr.Index, lay *layout) {
	idx.Slim(func(e *wxr.Entry) {
		e.Note = lay.note(e.ID)
		e.Name = ""
		if keys := keysOf(e, nil); keys[1] == "" || keys[1] == keys[0] {
			e.GUID = ""
		}
		if e.Type != wxr.TypeAttachment {
			e.Title = ""
		}
	})
}

// readItems is the reading goroutine: it takes the items in input order,
// applies the policy, places each item and hands it on. Placement happens
// here, in input order, so folder names never depend on timing.
func readItems(ctx context.Context, opts Options, lay *layout, jobs chan<- job, results chan<- result) error {
	authors := map[string]string{}
	authorsSeen := 0
	warn := func(w Warning) { results <- result{warnings: []Warning{w}} }
	return opts.Input.Items(ctx, warn, func(it *wxr.Item, site *wxr.Site) error {
		if site != nil && len(site.Authors) != authorsSeen {
			authorsSeen = len(site.Authors)
			authors = copyMap(authors)
			for _, a := range site.Authors {
				if a.DisplayName != "" {
					authors[a.Login] = a.DisplayName
				}
			}
		}
		d := Decide(it, opts.IncludePrivate)
		// An Input that could not get an item (a live page that failed or
		// that robots.txt forbids) still hands it on, so it is counted.
		if r, ok := it.MetaValue(MetaSkipped); ok {
			d = Decision{Outcome: Skipped, Reason: r}
		}
		if r, ok := it.MetaValue(MetaFailed); ok {
			d = Decision{Outcome: Failed, Reason: r}
		}
		j := job{item: it, decision: d, authors: authors}
		if d.Outcome == Written {
			// Placed in every shard, so that folder names agree with a
			// single run's whichever shard writes the item.
			j.dir = lay.place(it)
		}
		if !opts.Shard.has(it.ID) {
			return nil
		}
		select {
		case jobs <- j:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

func copyMap(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// archiveItem converts and writes one item. It never panics the run: a panic
// in conversion is turned into the item's failure.
func archiveItem(ctx context.Context, opts Options, w *Writer, idx *wxr.Index, lay *layout, links *linkIndex, finder *media.Finder, j job) (res result) {
	res = result{item: j.item, decision: j.decision, dir: j.dir}
	if j.decision.Outcome == Failed {
		res.err = errors.New(j.decision.Reason)
		return res
	}
	if j.decision.Outcome != Written {
		return res
	}
	defer func() {
		if p := recover(); p != nil {
			res.err = fmt.Errorf("internal error: %v", p)
		}
	}()
	it := j.item
	if j.decision.Warning != "" {
		res.warnings = append(res.warnings, Warning{Pos: it.Pos, ID: it.ID, Message: j.decision.Warning})
	}
	t := opts.Target
	bundle := &Bundle{Dir: j.dir, ID: it.ID, Type: orPost(it.Type), PostDate: it.PostDate, Link: it.Link, Draft: j.decision.Draft, Excerpt: it.Excerpt}
	paths := t.Paths(bundle)
	linkFn := (&postLinks{links: links, lay: lay, t: t, from: paths.Markdown, includePrivate: opts.IncludePrivate}).link
	doc, err := opts.Converter.Convert(ctx, convert.Source{HTML: it.Content, ItemID: it.ID, Index: idx, Link: linkFn})
	if err != nil {
		res.err = fmt.Errorf("convert: %w", err)
		return res
	}
	res.doc = doc
	for _, m := range doc.Warnings {
		res.warnings = append(res.warnings, Warning{Pos: it.Pos, ID: it.ID, Message: m})
	}

	roots, leftOut := threadComments(it.Comments, opts.KeepPersonalData)
	res.comments.read = len(it.Comments)
	res.comments.written = countComments(roots)
	res.comments.leftOut = leftOut

	slug := path.Base(j.dir)
	date := itemDate(it.PostDate, it.PostDateGMT)
	author := j.authors[it.Creator]
	if author == "" {
		author = it.Creator
	}
	rec := &Record{
		Format: FormatVersion, ID: it.ID, Type: string(orPost(it.Type)), Status: string(it.Status), Draft: j.decision.Draft,
		Title: it.Title, Slug: slug, PostName: it.Name, Link: it.Link, GUID: it.GUID, PubDate: it.PubDate,
		Author: RecordAuthor{Login: it.Creator, DisplayName: author}, Date: date,
		PostDate: it.PostDate, PostDateGMT: it.PostDateGMT, Modified: it.Modified, ModifiedGMT: it.ModifiedGMT,
		CommentStatus: it.CommentStatus, PingStatus: it.PingStatus, Parent: it.Parent, MenuOrder: it.MenuOrder,
		Sticky: it.Sticky, PasswordProtected: it.Password != "", Description: it.Description, Excerpt: it.Excerpt,
		Content: it.Content, Terms: nonNil(it.Terms), Meta: nonNil(it.Meta), Comments: nonNil(roots),
		CommentsLeftOut: leftOut, Files: RecordFiles{Markdown: relPath(path.Dir(paths.Record), paths.Markdown)},
		Media: mediaFromDoc(doc.Media),
		Conversion: Conversion{
			Summary: doc.Summary, Warnings: doc.Warnings, UnknownShortcodes: doc.UnknownShortcodes,
			UnknownBlocks: doc.UnknownBlocks, RawFallback: doc.RawFallback, Loss: &doc.Loss,
		},
		Source: wxr.Position{File: it.Pos.File, Line: it.Pos.Line},
	}

	fm := &FrontMatter{
		Title: it.Title, Date: date, Lastmod: itemDate(it.Modified, it.ModifiedGMT), Slug: slug, Draft: j.decision.Draft,
		Author: author, Categories: termNames(it.Terms, "category"), Tags: termNames(it.Terms, "post_tag"),
		WordPressID: it.ID,
	}
	if fm.Lastmod == fm.Date {
		fm.Lastmod = ""
	}
	if t := orPost(it.Type); t != wxr.TypePost && t != wxr.TypePage {
		fm.Type = string(t)
	}
	if a := permalinkPath(it.Link); a != "" {
		fm.Aliases = []string{a}
	}
	if v, ok := it.MetaValue("_thumbnail_id"); ok {
		if e, ok := idx.Get(parseID(v)); ok && e.Type == wxr.TypeAttachment {
			fm.FeaturedImage = e.AttachmentURL
		}
	}
	var pend *pendingItem
	if finder != nil {
		res.refs = finder.Find(it, doc)
		rec.Media = mediaFromRefs(res.refs)
		if len(res.refs) > 0 {
			pend = &pendingItem{id: it.ID, paths: paths, bundle: bundle, fm: fm, urls: map[string]string{}}
			for _, m := range doc.Media {
				if n, ok := media.Normalize(it.Link, m.URL); ok {
					pend.urls[m.URL] = n
				}
			}
			if n, ok := media.Normalize(it.Link, fm.FeaturedImage); ok {
				pend.urls[fm.FeaturedImage] = n
			}
		}
	}
	body := []byte(strings.TrimSpace(doc.Markdown) + "\n")

	if len(roots) > 0 {
		cm, warns, err := renderComments(ctx, opts.Converter, it.Title, roots)
		if err != nil {
			res.err = fmt.Errorf("comments: %w", err)
			return res
		}
		for _, m := range warns {
			res.warnings = append(res.warnings, Warning{Pos: it.Pos, ID: it.ID, Message: m})
		}
		rec.Files.Comments = relPath(path.Dir(paths.Record), paths.Comments)
		if err := w.WriteFile(opts.payload(paths.Comments), []byte(cm)); err != nil {
			res.err = err
			return res
		}
	}
	js, err := marshalJSON(rec)
	if err != nil {
		res.err = err
		return res
	}
	// An item with media waits in the spool until the media are fetched, so
	// that its final files are written once, with local links.
	if pend != nil {
		res.pending = pend
		if err := w.writeSpool(spoolDir+"/"+paths.Markdown, body); err != nil {
			res.err = err
			return res
		}
		if err := w.writeSpool(spoolDir+"/"+paths.Record, js); err != nil {
			res.err = err
			return res
		}
	} else {
		head, err := t.FrontMatter(fm, bundle)
		if err != nil {
			res.err = err
			return res
		}
		if err := w.WriteFile(opts.payload(paths.Markdown), opts.markdown(head, body)); err != nil {
			res.err = err
			return res
		}
		if err := w.WriteFile(opts.payload(paths.Record), js); err != nil {
			res.err = err
			return res
		}
	}
	srcSum := sourceSum(it) // the SHA-256 of json.Marshal(it), without the marshal
	res.line = &Line{
		ID: it.ID, Type: rec.Type, Status: rec.Status, Draft: rec.Draft, Title: it.Title, Slug: slug, Date: date,
		URL: it.Link, Markdown: paths.Markdown, JSON: paths.Record,
		SourceSHA256: hex.EncodeToString(srcSum[:]),
	}
	if rec.Files.Comments != "" {
		res.line.Comments = paths.Comments
	}
	return res
}

// joinMarkdown puts the front matter and the body together.
func joinMarkdown(head, body []byte) []byte {
	md := make([]byte, 0, len(head)+1+len(body))
	md = append(md, head...)
	md = append(md, '\n')
	return append(md, body...)
}

// markdown puts an item's front matter and body together, as the target
// wants the body.
func (o *Options) markdown(head, body []byte) []byte {
	if f, ok := o.Target.(BodyFilter); ok {
		body = []byte(f.Body(string(body)))
	}
	return joinMarkdown(head, body)
}

// payload turns a path relative to the payload root into one relative to
// the output folder.
func (o *Options) payload(rel string) string {
	if o.Target.Bag() {
		return PayloadDir + "/" + rel
	}
	return rel
}

// URLer is a Target whose generator serves items at addresses of its own;
// without it an item is served from its folder, /posts/2012/09/slug/.
type URLer interface {
	URL(b *Bundle) string
}

// itemURL is the path the archived item is served from, for redirects.
func (o *Options) itemURL(r result) string {
	p := "/" + r.dir + "/"
	if u, ok := o.Target.(URLer); ok {
		it := r.item
		p = u.URL(&Bundle{Dir: r.dir, ID: it.ID, Type: orPost(it.Type), PostDate: it.PostDate, Link: it.Link, Draft: r.decision.Draft})
	}
	return (&url.URL{Path: p}).EscapedPath()
}

// meta is the path of one of the run's own files (items.jsonl…).
func (o *Options) meta(name string) string {
	return o.payload(joinPath(o.Target.MetaDir(), name))
}

func orPost(t wxr.PostType) wxr.PostType {
	if t == "" {
		return wxr.TypePost
	}
	return t
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// collect folds one result into the report. It runs on one goroutine only.
func collect(rep *Report, r Reporter, res result) {
	for _, wn := range res.warnings {
		rep.warn(wn)
		r.Event(Event{Kind: EventWarning, Pos: wn.Pos, ID: wn.ID, Message: wn.Message})
	}
	it := res.item
	if it == nil {
		return // a warning from the reader
	}
	rep.Items.Read++
	ev := Event{Kind: EventItem, ID: it.ID, Slug: it.Name, Pos: it.Pos}
	switch {
	case res.err != nil:
		rep.Items.Failed++
		reason := res.err.Error()
		rep.Failures = append(rep.Failures, Failure{ID: it.ID, Slug: it.Name, Pos: it.Pos, Reason: reason})
		ev.Outcome, ev.Reason = Failed, fmt.Sprintf("item %d %q: %s", it.ID, it.Name, reason)
	case res.decision.Outcome == Skipped:
		rep.Items.Skipped++
		rep.Skipped[res.decision.Reason]++
		ev.Outcome, ev.Reason = Skipped, res.decision.Reason
	case res.decision.Outcome == Withheld:
		rep.Items.Withheld++
		rep.Withheld[res.decision.Reason]++
		ev.Outcome, ev.Reason = Withheld, res.decision.Reason
	default:
		rep.Items.Written++
		if res.decision.Draft {
			rep.Items.Drafts++
		}
		rep.Comments.Read += res.comments.read
		rep.Comments.Written += res.comments.written
		for k, v := range res.comments.leftOut {
			rep.Comments.LeftOut[k] += v
		}
		if d := res.doc; d != nil {
			for _, s := range d.UnknownShortcodes {
				rep.UnknownShortcodes[s]++
			}
			for _, s := range d.UnknownBlocks {
				rep.UnknownBlocks[s]++
			}
			rep.Media.Referenced += len(d.Media)
			if diffs := d.Loss.Differences(); len(diffs) > 0 {
				rep.Lossy = append(rep.Lossy, ItemLoss{ID: it.ID, Path: res.dir, Differences: diffs})
			}
			if d.RawFallback {
				rep.RawFallbacks++
			}
		}
		ev.Outcome, ev.Path = Written, res.dir
	}
	r.Event(ev)
}

// writeItems streams items.jsonl and the redirect files from the spool.
func writeItems(w *Writer, opts *Options, spool *itemSpool) error {
	f, err := w.Create(opts.meta(ItemsFile))
	if err != nil {
		return err
	}
	rw, err := newRedirectWriter(w, opts)
	if err != nil {
		f.Abort(err)
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = spool.each(func(id int64, rec *spoolRecord) error {
		bw.Write(rec.Line)
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
		for _, r := range redirectsFor(id, rec.Link, rec.GUID, rec.URL) {
			rw.add(r)
		}
		return nil
	})
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		f.Abort(err)
		rw.abort(err)
		return err
	}
	return errors.Join(f.Close(), rw.close())
}

// finish writes the closing files: items.jsonl, site.json, report.json, and
// the BagIt files last, then removes what an earlier run wrote and this one
// did not.
func finish(ctx context.Context, opts Options, w *Writer, rep *Report, sr *SiteRecord, idx *wxr.Index, local func(*SiteMedia), spool *itemSpool, previous *Manifest) error {
	// items.jsonl (from the spool) and site.json (from the index) are
	// written side by side: neither reads what the other writes.
	siteErr := make(chan error, 1)
	go func() { siteErr <- writeSite(w, opts.meta(SiteFile), sr, idx, local) }()
	itemsErr := writeItems(w, &opts, spool)
	if err := cmp.Or(itemsErr, <-siteErr); err != nil {
		return err
	}
	rep.Comments.Redacted = !opts.KeepPersonalData
	rep.sortForOutput()
	js, err := marshalJSON(rep)
	if err != nil {
		return err
	}
	if err := w.WriteFile(opts.meta(ReportFile), js); err != nil {
		return err
	}
	if opts.Finish != nil {
		if err := opts.Finish(context.WithoutCancel(ctx), w); err != nil {
			return err
		}
	}
	if !rep.Complete {
		// An interrupted run did not redo everything: what an earlier run
		// wrote and this one did not reach stays, and stays in the manifest.
		err := previous.Each(func(name, _ string) error {
			if !w.Has(name) && strings.HasPrefix(name, opts.payload("")) {
				if err := w.Keep(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := writeBag(w, opts.Tool, sr, rep, opts.Target.Bag()); err != nil {
		return err
	}
	if !rep.Complete {
		return nil // an interrupted run must not remove what it did not redo
	}
	// Each name is kept or removed on its own: the order does not matter.
	return previous.Each(func(name, _ string) error {
		if !w.Has(name) && strings.HasPrefix(name, opts.payload("")) {
			return w.Remove(name)
		}
		return nil
	})
}
