package archive

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// ErrVerifyFailed is returned (wrapped) by callers of Verify when the
// archive has problems: files missing, changed or unexpected, or tag and
// payload files that do not check out.
var ErrVerifyFailed = errors.New("archive verification failed")

// ProblemKind says what is wrong with a file of a verified archive.
type ProblemKind string

// The kinds of problems Verify reports.
const (
	Missing    ProblemKind = "missing"    // listed (in a manifest or items.jsonl) but absent
	Changed    ProblemKind = "changed"    // present, but its sha256 differs from the manifest's
	Unexpected ProblemKind = "unexpected" // present, but listed in no manifest
	Invalid    ProblemKind = "invalid"    // present, but does not parse or does not add up
)

// Problem is one thing wrong with a verified archive. Path is relative to
// the archive's root, with ":line" added when the problem is on one line of
// a file.
type Problem struct {
	Kind   ProblemKind `json:"kind"`
	Path   string      `json:"path"`
	Detail string      `json:"detail,omitempty"`
}

func (p Problem) String() string {
	if p.Detail == "" {
		return fmt.Sprintf("%s: %s", p.Path, p.Kind)
	}
	return fmt.Sprintf("%s: %s: %s", p.Path, p.Kind, p.Detail)
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	// Bag is true for a BagIt bag (payload under data/), false for an archive
	// with only manifest-sha256.txt at its root and the payload beside it.
	Bag bool `json:"bag"`
	// Files and Bytes count the payload files checked against the manifest.
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
	// Items is the number of lines of items.jsonl.
	Items int `json:"items"`
	// Incomplete is the run's own verdict from report.json: the run that
	// wrote the archive stopped early. An incomplete archive can still
	// verify: it holds exactly what that run wrote.
	Incomplete bool      `json:"incomplete"`
	Problems   []Problem `json:"problems"`
}

// OK reports whether the archive verified without problems.
func (r *VerifyResult) OK() bool { return len(r.Problems) == 0 }

func (r *VerifyResult) add(kind ProblemKind, p, format string, a ...any) {
	r.Problems = append(r.Problems, Problem{Kind: kind, Path: p, Detail: fmt.Sprintf(format, a...)})
}

// maxVerifyLine bounds one line of a manifest or of items.jsonl, so a
// hostile file cannot make Verify hold an unbounded line in memory.
const maxVerifyLine = 16 << 20

// Verify re-reads the archive in fsys and reports every file missing,
// changed or unexpected against its manifests, and whatever in bagit.txt,
// bag-info.txt, items.jsonl and report.json does not check out. Symbolic
// links are reported, never followed. The error is for what stopped the
// check itself (cancellation, an unreadable folder); problems with the
// archive are in the result.
func Verify(ctx context.Context, fsys fs.FS) (*VerifyResult, error) {
	v := &verifier{ctx: ctx, fsys: fsys, res: &VerifyResult{Problems: []Problem{}}}
	if err := v.run(); err != nil {
		return nil, err
	}
	sort.SliceStable(v.res.Problems, func(i, j int) bool {
		a, b := v.res.Problems[i], v.res.Problems[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Kind < b.Kind
	})
	return v.res, nil
}

type verifier struct {
	ctx  context.Context
	fsys fs.FS
	res  *VerifyResult
	// files are the regular files found on disk (slash paths from the root).
	files map[string]int64
	// payload is the payload root: "data" in a bag, "." otherwise.
	payload string
	// meta is the folder of items.jsonl and report.json within the payload:
	// a generator preset keeps them in a folder of their own.
	meta string
}

func (v *verifier) run() error {
	if err := v.walk(); err != nil {
		return err
	}
	_, hasBagit := v.files[BagitFile]
	_, hasManifest := v.files[ManifestFile]
	switch {
	case hasBagit:
		v.res.Bag = true
		v.payload = PayloadDir
	case hasManifest:
		v.payload = "."
		for _, d := range []string{"wparchive", "_wparchive"} {
			if _, ok := v.files[d+"/"+ItemsFile]; ok {
				v.meta = d
			}
		}
	default:
		v.res.add(Missing, ManifestFile, "not an archive: neither %s nor %s at its root", BagitFile, ManifestFile)
		return nil
	}

	listed := map[string]bool{ManifestFile: true}
	if v.res.Bag {
		listed[BagitFile], listed[BagInfoFile], listed[TagManifestFile] = true, true, true
		if err := v.checkBagit(); err != nil {
			return err
		}
		if _, ok := v.files[TagManifestFile]; ok {
			if err := v.checkManifest(TagManifestFile, false, listed); err != nil {
				return err
			}
		} else {
			v.res.add(Missing, TagManifestFile, "the bag was not finished: the tag manifest is written last")
		}
	}
	if hasManifest {
		if err := v.checkManifest(ManifestFile, true, listed); err != nil {
			return err
		}
	} else {
		v.res.add(Missing, ManifestFile, "")
	}
	names := make([]string, 0, len(v.files))
	for name := range v.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !listed[name] {
			v.res.add(Unexpected, name, "listed in no manifest")
		}
	}
	if v.res.Bag {
		if err := v.checkBagInfo(); err != nil {
			return err
		}
	}
	written, err := v.checkItems()
	if err != nil {
		return err
	}
	return v.checkReport(written)
}

// walk lists every file of the archive without following symbolic links.
func (v *verifier) walk() error {
	v.files = map[string]int64{}
	return fs.WalkDir(v.fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if cerr := v.ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			if name == "." {
				return fmt.Errorf("verify: %w", err)
			}
			v.res.add(Invalid, name, "cannot be read: %v", err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			return nil
		case d.Type()&fs.ModeSymlink != 0:
			// A link could point anywhere; the archive never makes one.
			v.res.add(Invalid, name, "is a symbolic link")
		case !d.Type().IsRegular():
			v.res.add(Invalid, name, "is not a regular file")
		default:
			fi, err := d.Info()
			if err != nil {
				v.res.add(Invalid, name, "cannot be read: %v", err)
				return nil
			}
			v.files[name] = fi.Size()
		}
		return nil
	})
}

// checkBagit checks the bag declaration (RFC 8493 §2.1.1).
func (v *verifier) checkBagit() error {
	data, err := v.readTag(BagitFile)
	if err != nil || data == nil {
		return err
	}
	tags := parseTags(data)
	ver := tags["BagIt-Version"]
	if len(ver) != 1 || (ver[0] != "1.0" && ver[0] != "0.97") {
		v.res.add(Invalid, BagitFile, "BagIt-Version is %q, want 1.0", strings.Join(ver, ", "))
	}
	if enc := tags["Tag-File-Character-Encoding"]; len(enc) != 1 || !strings.EqualFold(enc[0], "UTF-8") {
		v.res.add(Invalid, BagitFile, "Tag-File-Character-Encoding is %q, want UTF-8", strings.Join(enc, ", "))
	}
	return nil
}

// checkBagInfo checks that Payload-Oxum matches the payload on disk.
func (v *verifier) checkBagInfo() error {
	if _, ok := v.files[BagInfoFile]; !ok {
		v.res.add(Missing, BagInfoFile, "")
		return nil
	}
	data, err := v.readTag(BagInfoFile)
	if err != nil || data == nil {
		return err
	}
	oxum := parseTags(data)["Payload-Oxum"]
	if len(oxum) != 1 {
		v.res.add(Invalid, BagInfoFile, "want one Payload-Oxum, found %d", len(oxum))
		return nil
	}
	octets, count, ok := strings.Cut(oxum[0], ".")
	wantOctets, err1 := strconv.ParseInt(octets, 10, 64)
	wantCount, err2 := strconv.ParseInt(count, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		v.res.add(Invalid, BagInfoFile, "Payload-Oxum %q is not OCTETS.COUNT", oxum[0])
		return nil
	}
	var gotOctets, gotCount int64
	for name, size := range v.files {
		if strings.HasPrefix(name, PayloadDir+"/") {
			gotOctets += size
			gotCount++
		}
	}
	if gotOctets != wantOctets || gotCount != wantCount {
		v.res.add(Invalid, BagInfoFile, "Payload-Oxum is %d.%d, the payload has %d.%d", wantOctets, wantCount, gotOctets, gotCount)
	}
	return nil
}

// readTag reads a small file of the archive; nil data means a problem was
// recorded.
func (v *verifier) readTag(name string) ([]byte, error) {
	if _, ok := v.files[name]; !ok {
		v.res.add(Missing, name, "")
		return nil, nil
	}
	data, err := fs.ReadFile(v.fsys, name)
	if err != nil {
		if cerr := v.ctx.Err(); cerr != nil {
			return nil, cerr
		}
		v.res.add(Invalid, name, "cannot be read: %v", err)
		return nil, nil
	}
	return data, nil
}

// parseTags reads "Label: value" lines; continuation lines (starting with
// whitespace) belong to the previous value.
func parseTags(data []byte) map[string][]string {
	tags := map[string][]string{}
	var last string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && last != "" {
			vals := tags[last]
			vals[len(vals)-1] += " " + strings.TrimSpace(line)
			continue
		}
		label, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		last = strings.TrimSpace(label)
		tags[last] = append(tags[last], strings.TrimSpace(value))
	}
	return tags
}

// checkManifest checks every file a manifest lists, marking them in listed.
// A payload manifest in a bag may list only files under data/; a tag
// manifest only files outside it.
func (v *verifier) checkManifest(name string, payload bool, listed map[string]bool) error {
	f, err := v.fsys.Open(name)
	if err != nil {
		if cerr := v.ctx.Err(); cerr != nil {
			return cerr
		}
		v.res.add(Invalid, name, "cannot be read: %v", err)
		return nil
	}
	defer f.Close()
	seen := map[string]bool{}
	br := bufio.NewReader(f)
	for n := 1; ; n++ {
		if err := v.ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(br)
		if errors.Is(err, io.EOF) && line == nil {
			return nil
		}
		where := fmt.Sprintf("%s:%d", name, n)
		if err != nil && !errors.Is(err, io.EOF) {
			v.res.add(Invalid, where, "%v", err)
			return nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		sum, file, ok := splitManifestLine(string(line))
		if !ok {
			v.res.add(Invalid, where, "not \"SHA256  PATH\"")
			continue
		}
		switch {
		case !fs.ValidPath(file) || file == ".":
			v.res.add(Invalid, where, "unsafe path %q", file)
			continue
		case seen[file]:
			v.res.add(Invalid, where, "%s is listed twice", file)
			continue
		case v.res.Bag && payload && !strings.HasPrefix(file, PayloadDir+"/"):
			v.res.add(Invalid, where, "%s is not under %s/", file, PayloadDir)
			continue
		case v.res.Bag && !payload && strings.HasPrefix(file, PayloadDir+"/"):
			v.res.add(Invalid, where, "%s is payload, not a tag file", file)
			continue
		case file == name:
			v.res.add(Invalid, where, "the manifest lists itself")
			continue
		}
		seen[file] = true
		listed[file] = true
		size, ok := v.files[file]
		if !ok {
			v.res.add(Missing, file, "listed in %s", name)
			continue
		}
		got, err := v.hashFile(file)
		if err != nil {
			if cerr := v.ctx.Err(); cerr != nil {
				return cerr
			}
			v.res.add(Invalid, file, "cannot be read: %v", err)
			continue
		}
		if got != sum {
			v.res.add(Changed, file, "sha256 is %s, %s says %s", got, name, sum)
		}
		if payload {
			v.res.Files++
			v.res.Bytes += size
		}
	}
}

// readLine reads one line without its end, refusing lines longer than
// maxVerifyLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxVerifyLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxVerifyLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(line) == 0 {
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if errors.Is(err, io.EOF) {
			err = nil
		}
		return line, err
	}
}

// splitManifestLine splits "checksum<whitespace>path" (RFC 8493 §2.1.3) and
// decodes the path's %-escapes.
func splitManifestLine(line string) (sum, file string, ok bool) {
	i := strings.IndexAny(line, " \t")
	if i != 64 {
		return "", "", false
	}
	sum = strings.ToLower(line[:i])
	if _, err := hex.DecodeString(sum); err != nil {
		return "", "", false
	}
	file = strings.TrimLeft(line[i:], " \t")
	if file == "" {
		return "", "", false
	}
	return sum, bagUnescape(file), true
}

func (v *verifier) hashFile(name string) (string, error) {
	f, err := v.fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{v.ctx, f}); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ctxReader stops a long read when the context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// inPayload is the archive path of a path relative to the payload root.
func (v *verifier) inPayload(p string) string {
	if v.payload == "." {
		return p
	}
	return v.payload + "/" + p
}

// checkItems checks that items.jsonl parses and that every file it names
// exists. It returns the number of its lines, or -1 when it has none to count.
func (v *verifier) checkItems() (int, error) {
	name := v.inPayload(joinPath(v.meta, ItemsFile))
	if _, ok := v.files[name]; !ok {
		if v.res.Bag {
			v.res.add(Missing, name, "")
		}
		return -1, nil
	}
	f, err := v.fsys.Open(name)
	if err != nil {
		if cerr := v.ctx.Err(); cerr != nil {
			return 0, cerr
		}
		v.res.add(Invalid, name, "cannot be read: %v", err)
		return -1, nil
	}
	defer f.Close()
	br := bufio.NewReader(f)
	named := map[string]int{}
	count := 0
	for n := 1; ; n++ {
		if err := v.ctx.Err(); err != nil {
			return 0, err
		}
		line, err := readLine(br)
		if errors.Is(err, io.EOF) && line == nil {
			break
		}
		where := fmt.Sprintf("%s:%d", name, n)
		if err != nil {
			v.res.add(Invalid, where, "%v", err)
			return -1, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			v.res.add(Invalid, where, "empty line")
			continue
		}
		count++
		var l Line
		if err := json.Unmarshal(line, &l); err != nil {
			v.res.add(Invalid, where, "not a JSON item line: %v", err)
			continue
		}
		refs := []struct{ field, p string }{{"markdown", l.Markdown}, {"json", l.JSON}, {"comments", l.Comments}}
		for _, ref := range refs {
			if ref.p == "" {
				if ref.field != "comments" {
					v.res.add(Invalid, where, "item %d has no %s file", l.ID, ref.field)
				}
				continue
			}
			if !fs.ValidPath(ref.p) || ref.p == "." {
				v.res.add(Invalid, where, "item %d: unsafe %s path %q", l.ID, ref.field, ref.p)
				continue
			}
			if prev, dup := named[ref.p]; dup {
				v.res.add(Invalid, where, "item %d: %s is also named on line %d", l.ID, ref.p, prev)
				continue
			}
			named[ref.p] = n
			if _, ok := v.files[v.inPayload(ref.p)]; !ok {
				v.res.add(Missing, v.inPayload(ref.p), "named by %s (item %d)", where, l.ID)
			}
		}
	}
	v.res.Items = count
	return count, nil
}

// checkReport checks that report.json parses and that its item counts
// balance and agree with items.jsonl.
func (v *verifier) checkReport(lines int) error {
	name := v.inPayload(joinPath(v.meta, ReportFile))
	if _, ok := v.files[name]; !ok {
		if v.res.Bag {
			v.res.add(Missing, name, "")
		}
		return nil
	}
	data, err := v.readTag(name)
	if err != nil || data == nil {
		return err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		v.res.add(Invalid, name, "not a run report: %v", err)
		return nil
	}
	v.res.Incomplete = !rep.Complete
	c := rep.Items
	if c.Read < 0 || c.Written < 0 || c.Skipped < 0 || c.Withheld < 0 || c.Failed < 0 || c.Drafts < 0 {
		v.res.add(Invalid, name, "negative item counts")
	}
	if !rep.Balanced() {
		v.res.add(Invalid, name, "items do not balance: read %d ≠ written %d + skipped %d + withheld %d + failed %d",
			c.Read, c.Written, c.Skipped, c.Withheld, c.Failed)
	}
	if c.Drafts > c.Written {
		v.res.add(Invalid, name, "%d drafts of %d written items", c.Drafts, c.Written)
	}
	if lines >= 0 && c.Written != lines {
		v.res.add(Invalid, name, "%d items written, but %s has %d lines", c.Written, ItemsFile, lines)
	}
	return nil
}
