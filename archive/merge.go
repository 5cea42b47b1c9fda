package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/wparchive/wparchive/archive/media"
)

// ErrMergeConflict is returned when two shards hold different bytes under
// one name: they were not made from the same input with the same options.
var ErrMergeConflict = errors.New("shards disagree")

// Merge combines the archives of a run split with Options.Shard into one
// archive in out, byte for byte the one a single run would have written.
// Shards must be plain bags made from the same inputs and options.
func Merge(ctx context.Context, out FS, tool string, shards ...fs.FS) (*Report, error) {
	if len(shards) == 0 {
		return nil, errors.New("merge: no shards")
	}
	w := NewWriter(out, nil)
	defer w.Close()
	meta := map[string]bool{
		PayloadDir + "/" + ItemsFile: true, PayloadDir + "/" + ReportFile: true, PayloadDir + "/" + SiteFile: true,
		PayloadDir + "/" + MediaStateFile: true, PayloadDir + "/" + RedirectsCSV: true,
		PayloadDir + "/" + RedirectsNetlify: true, PayloadDir + "/" + RedirectsNginx: true,
	}
	var (
		lines     [][]byte
		reps      []*Report
		sites     []*SiteRecord
		mediaAll  []media.Result
		redirects []redirect
	)
	for i, sh := range shards {
		if _, err := fs.Stat(sh, BagitFile); err != nil {
			return nil, fmt.Errorf("shard %d: not a wparchive bag: %w", i+1, err)
		}
		if err := mergeShard(ctx, w, sh, meta); err != nil {
			return nil, fmt.Errorf("shard %d: %w", i+1, err)
		}

		if data, err := fs.ReadFile(sh, PayloadDir+"/"+ItemsFile); err == nil {
			lines = append(lines, splitLines(data)...)
		}
		var rep Report
		if err := readJSONFile(sh, PayloadDir+"/"+ReportFile, &rep); err != nil {
			return nil, fmt.Errorf("shard %d: %w", i+1, err)
		}
		reps = append(reps, &rep)
		var sr SiteRecord
		if err := readJSONFile(sh, PayloadDir+"/"+SiteFile, &sr); err != nil {
			return nil, fmt.Errorf("shard %d: %w", i+1, err)
		}
		sites = append(sites, &sr)
		if data, err := fs.ReadFile(sh, PayloadDir+"/"+MediaStateFile); err == nil {
			rs, err := media.ReadState(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("shard %d: %w", i+1, err)
			}
			mediaAll = append(mediaAll, rs...)
		}
		rd, err := readRedirects(sh)
		if err != nil {
			return nil, fmt.Errorf("shard %d: %w", i+1, err)
		}
		redirects = append(redirects, rd...)
	}

	// items.jsonl: every shard's lines, in the single run's order.
	type keyed struct {
		id   int64
		md   string
		line []byte
	}
	var ks []keyed
	for _, l := range lines {
		var ln Line
		if err := json.Unmarshal(l, &ln); err != nil {
			return nil, fmt.Errorf("merge: items.jsonl: %w", err)
		}
		ks = append(ks, keyed{ln.ID, ln.Markdown, l})
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].id != ks[j].id {
			return ks[i].id < ks[j].id
		}
		return ks[i].md < ks[j].md
	})
	var items bytes.Buffer
	for _, k := range ks {
		items.Write(k.line)
		items.WriteByte('\n')
	}
	if err := w.WriteFile(PayloadDir+"/"+ItemsFile, items.Bytes()); err != nil {
		return nil, err
	}

	opts := &Options{Target: Plain{}}
	if err := writeRedirects(w, opts, redirects); err != nil {
		return nil, err
	}
	var hasMedia bool
	if len(mediaAll) > 0 {
		hasMedia = true
		var buf bytes.Buffer
		if err := media.WriteState(&buf, dedupeResults(mediaAll)); err != nil {
			return nil, err
		}
		if err := w.WriteFile(PayloadDir+"/"+MediaStateFile, buf.Bytes()); err != nil {
			return nil, err
		}
	}
	sr := mergeSites(sites)
	rep := mergeReports(reps, dedupeResults(mediaAll), hasMedia)
	js, err := marshalJSON(sr)
	if err != nil {
		return nil, err
	}
	if err := w.WriteFile(PayloadDir+"/"+SiteFile, js); err != nil {
		return nil, err
	}
	rep.sortForOutput()
	js, err = marshalJSON(rep)
	if err != nil {
		return nil, err
	}
	if err := w.WriteFile(PayloadDir+"/"+ReportFile, js); err != nil {
		return nil, err
	}
	if tool == "" {
		tool = rep.Tool
	}
	return rep, writeBag(w, tool, sr, rep, true)
}

// mergeShard copies the files of the shard sh's manifest into w, but
// those of meta, which are merged instead; a file another shard wrote
// already must be the same.
func mergeShard(ctx context.Context, w *Writer, sh fs.FS, meta map[string]bool) error {
	f, err := sh.Open(ManifestFile)
	if err != nil {
		return err
	}
	sums, err := readManifest(f, "", 0)
	f.Close()
	if err != nil {
		return err
	}
	defer sums.Close()
	return sums.Each(func(name, sum string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if meta[name] {
			return nil
		}
		if err := checkName(name); err != nil {
			return err
		}
		if s, ok := w.SumOf(name); ok {
			if s.SHA256 != sum {
				return fmt.Errorf("%s: %w", name, ErrMergeConflict)
			}
			return nil
		}
		return copyFile(w, sh, name, sum)
	})
}

// copyFile copies one payload file and checks it against its manifest entry.
func copyFile(w *Writer, sh fs.FS, name, want string) error {
	f, err := sh.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := w.WriteFrom(name, f, -1)
	if err != nil {
		return err
	}
	if s.SHA256 != want {
		return fmt.Errorf("%s: the file does not match the shard's manifest", name)
	}
	return nil
}

func splitLines(data []byte) [][]byte {
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			out = append(out, append([]byte(nil), sc.Bytes()...))
		}
	}
	return out
}

func readJSONFile(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// readRedirects reads a shard's redirects.csv back.
func readRedirects(sh fs.FS) ([]redirect, error) {
	f, err := sh.Open(PayloadDir + "/" + RedirectsCSV)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	var out []redirect
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", RedirectsCSV, err)
		}
		if first || len(rec) != 4 {
			continue
		}
		id, _ := strconv.ParseInt(rec[3], 10, 64)
		out = append(out, redirect{id: id, oldURL: rec[0], oldPath: rec[1], newPath: rec[2]})
	}
}

// dedupeResults keeps one media result per URL: shards that share an image
// each fetched it.
func dedupeResults(rs []media.Result) []media.Result {
	at := map[string]int{}
	var out []media.Result
	for _, r := range rs {
		i, ok := at[r.URL]
		if !ok {
			at[r.URL] = len(out)
			out = append(out, r)
			continue
		}
		// As a single run does: the smallest attachment id that refers to it.
		if a := r.AttachmentID; a != 0 && (out[i].AttachmentID == 0 || a < out[i].AttachmentID) {
			out[i].AttachmentID = a
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// mergeSites takes the first shard's site and the media paths any shard
// filled in: each shard downloads its own share of the attachments.
func mergeSites(sites []*SiteRecord) *SiteRecord {
	sr := sites[0]
	for _, other := range sites[1:] {
		for i := range sr.Media {
			if sr.Media[i].Path == "" && i < len(other.Media) && other.Media[i].ID == sr.Media[i].ID {
				sr.Media[i].Path, sr.Media[i].SHA256 = other.Media[i].Path, other.Media[i].SHA256
			}
		}
	}
	return sr
}

// mergeReports adds the shards' accounts up. What every shard saw alike —
// the reader's warnings, which carry no item — counts once.
func mergeReports(reps []*Report, results []media.Result, hasMedia bool) *Report {
	out := newReport(reps[0].Tool)
	out.Sources = reps[0].Sources
	out.Complete = true
	out.Media.Skipped = reps[0].Media.Skipped
	seenWarn := map[string]bool{}
	for _, r := range reps {
		out.Complete = out.Complete && r.Complete
		if out.Error == "" {
			out.Error = r.Error
		}
		c := &out.Items
		c.Read += r.Items.Read
		c.Written += r.Items.Written
		c.Drafts += r.Items.Drafts
		c.Skipped += r.Items.Skipped
		c.Withheld += r.Items.Withheld
		c.Failed += r.Items.Failed
		addCounts(out.Skipped, r.Skipped)
		addCounts(out.Withheld, r.Withheld)
		addCounts(out.UnknownShortcodes, r.UnknownShortcodes)
		addCounts(out.UnknownBlocks, r.UnknownBlocks)
		addCounts(out.Comments.LeftOut, r.Comments.LeftOut)
		out.Comments.Read += r.Comments.Read
		out.Comments.Written += r.Comments.Written
		out.Comments.Redacted = r.Comments.Redacted
		out.Failures = append(out.Failures, r.Failures...)
		out.Lossy = append(out.Lossy, r.Lossy...)
		out.RawFallbacks += r.RawFallbacks
		if !hasMedia {
			out.Media.Referenced += r.Media.Referenced
		}
		for _, wn := range r.Warnings {
			if wn.ID == 0 {
				k := fmt.Sprintf("%s:%d:%d:%s", wn.Pos.File, wn.Pos.Line, wn.Pos.Col, wn.Message)
				if seenWarn[k] {
					continue
				}
				seenWarn[k] = true
			}
			out.warn(wn)
		}
	}
	if hasMedia {
		out.Media.Referenced = len(results)
		for _, r := range results {
			switch {
			case !r.OK():
				out.Media.Failed++
				out.MediaFailures = append(out.MediaFailures, MediaFailure{URL: r.URL, Reason: r.Reason, Attempts: r.Attempts})
			case r.From == media.FromNetwork:
				out.Media.Downloaded++
			default:
				out.Media.Reused++
			}
		}
	}
	return out
}

func addCounts(dst, src map[string]int) {
	for k, v := range src {
		dst[k] += v
	}
}

// ParseShard reads "K/N" (1 ≤ K ≤ N).
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(k)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return Shard{}, fmt.Errorf("shard %q: want K/N with 1 ≤ K ≤ N, e.g. 2/4", s)
	}
	return Shard{K: a, Of: b}, nil
}
