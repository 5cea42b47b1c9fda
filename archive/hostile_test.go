package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// hostileRun is the outcome of archiving one hostile input.
type hostileRun struct {
	out    string // the output folder
	rep    *Report
	err    error
	opened []string // every input the run opened
}

// runArchive archives inputs into out through Convert, turning a panic into
// a test failure, and records the inputs the run opened.
func runArchive(t *testing.T, out string, inputs []string, mod func(*Options)) hostileRun {
	t.Helper()
	fsys, err := OpenRootFS(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	conv, err := convert.New(convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := hostileRun{out: out}
	var mu sync.Mutex
	opts := Options{
		Input: &WXRInput{Names: inputs, Open: func(name string) (io.ReadCloser, error) {
			mu.Lock()
			run.opened = append(run.opened, name)
			mu.Unlock()
			return os.Open(name)
		}},
		FS: fsys, Converter: conv, Tool: "wparchive test", Jobs: 2,
	}
	if mod != nil {
		mod(&opts)
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("Convert panicked: %v", p)
			}
		}()
		run.rep, run.err = Convert(context.Background(), opts)
	}()
	return run
}

// checkArchive asserts what must hold after any run, hostile or not: the
// paths under data/ are safe everywhere, the report balances, and, when
// the run got as far as writing a bag, Verify passes on it.
func checkArchive(t *testing.T, run hostileRun) {
	t.Helper()
	if run.rep != nil && !run.rep.Balanced() {
		t.Errorf("report does not balance: %+v", run.rep.Items)
	}
	err := filepath.WalkDir(run.out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(run.out, p)
		rel = filepath.ToSlash(rel)
		if d.Type()&fs.ModeSymlink != 0 {
			t.Errorf("%s: symbolic link in the archive", rel)
		}
		if rel == "." || !strings.HasPrefix(rel, PayloadDir+"/") {
			return nil
		}
		if msg := unsafeArchivePath(rel); msg != "" {
			t.Errorf("unsafe path %q: %s", rel, msg)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(run.out, BagitFile)); err != nil {
		return // the run stopped before writing anything; nothing to verify
	}
	res := verifyDir(t, run.out)
	if !res.OK() {
		t.Errorf("Verify found problems: %v", res.Problems)
	}
	// The report on disk is the one the run returned.
	var disk Report
	readJSON(t, filepath.Join(run.out, PayloadDir, ReportFile), &disk)
	if !disk.Balanced() {
		t.Errorf("report.json does not balance: %+v", disk.Items)
	}
}

// unsafeArchivePath says what is wrong with a slash path for some common
// file system, or "".
func unsafeArchivePath(p string) string {
	if !norm.NFC.IsNormalString(p) {
		return "not NFC"
	}
	if !utf8.ValidString(p) {
		return "not UTF-8"
	}
	for _, seg := range strings.Split(p, "/") {
		switch {
		case len(seg) > 255:
			return fmt.Sprintf("segment of %d bytes", len(seg))
		case seg == "" || seg == "." || seg == "..":
			return "empty, . or .. segment"
		case isWindowsReserved(seg):
			return "Windows reserved name " + seg
		case strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " "):
			return "trailing dot or space"
		}
		for _, r := range seg {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || strings.ContainsRune(`\:*?"<>|`, r) {
				return fmt.Sprintf("character %U", r)
			}
		}
	}
	return ""
}

func verifyDir(t *testing.T, dir string) *VerifyResult {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err := Verify(context.Background(), root.FS())
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	return res
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// readLines reads items.jsonl.
func readLines(t *testing.T, out string) []Line {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, PayloadDir, ItemsFile))
	if err != nil {
		t.Fatal(err)
	}
	var lines []Line
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var line Line
		if err := json.Unmarshal(l, &line); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, line)
	}
	return lines
}

// recordOf reads the index.json of the item with the given id.
func recordOf(t *testing.T, out string, id int64) *Record {
	t.Helper()
	for _, l := range readLines(t, out) {
		if l.ID == id {
			var rec Record
			readJSON(t, filepath.Join(out, PayloadDir, filepath.FromSlash(l.JSON)), &rec)
			return &rec
		}
	}
	t.Fatalf("item %d not in items.jsonl", id)
	return nil
}

func hasWarning(rep *Report, sub string) bool {
	for _, w := range rep.Warnings {
		if strings.Contains(w.Message, sub) {
			return true
		}
	}
	return false
}

// listDir lists the names in dir, to tell that nothing was written beside
// the output folder.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// hostileCase is one hostile input and what archiving it must give.
type hostileCase struct {
	name string
	// gen, when set, writes the input into dir and returns its path;
	// otherwise the input is testdata/TestHostile/<name>.xml.
	gen     func(t *testing.T, dir string) string
	err     string // the run's error must contain this ("" = no error)
	warn    string // a warning must contain this ("" = none required)
	written int    // items written
	check   func(t *testing.T, run hostileRun)
	known   string // a known bug outside this test: the case is skipped
}

// wantContent checks an item's content came back byte-exact in index.json.
func wantContent(id int64, want string) func(*testing.T, hostileRun) {
	return func(t *testing.T, run hostileRun) {
		if got := recordOf(t, run.out, id).Content; got != want {
			t.Errorf("item %d content = %q, want %q", id, got, want)
		}
	}
}

func wantTitle(id int64, want string) func(*testing.T, hostileRun) {
	return func(t *testing.T, run hostileRun) {
		if got := recordOf(t, run.out, id).Title; got != want {
			t.Errorf("item %d title = %q, want %q", id, got, want)
		}
	}
}

func checks(fs ...func(*testing.T, hostileRun)) func(*testing.T, hostileRun) {
	return func(t *testing.T, run hostileRun) {
		for _, f := range fs {
			f(t, run)
		}
	}
}

const canarySecret = "CANARY-SECRET-7f3a91"

var hostileCases = []hostileCase{
	{name: "truncated", err: "truncated.xml:48:72: unexpected EOF inside <item> started at 41:2: the export is truncated", written: 1,
		check: func(t *testing.T, run hostileRun) {
			var se *wxr.SyntaxError
			if !errors.As(run.err, &se) || se.Pos.Line != 48 || se.Pos.Col != 72 {
				t.Errorf("error %v is not a syntax error at 48:72", run.err)
			}
			if run.rep.Complete {
				t.Error("report says complete")
			}
		}},
	{name: "junk-before-xml", warn: "skipped 40 bytes before the XML", written: 2},
	{name: "html-after-rss", warn: "content after </rss> ignored", written: 2},
	{name: "concatenated", warn: "a second export follows </rss>", written: 4},
	{name: "invalid-utf8", warn: "read as windows-1252", written: 1, check: wantTitle(1, "cafÿ")},
	{name: "invalid-utf8-mixed", warn: "UTF-8", written: 1, check: func(t *testing.T, run hostileRun) {
		rec := recordOf(t, run.out, 1)
		if !utf8.ValidString(rec.Title) || !utf8.ValidString(rec.Content) {
			t.Errorf("invalid UTF-8 in the record: %q %q", rec.Title, rec.Content)
		}
	}},
	{name: "latin1-declared", written: 1, check: checks(wantTitle(1, "Café déjà vu"), wantContent(1, "<p>naïve façade</p>"))},
	{name: "latin1-undeclared", warn: "read as windows-1252", written: 1, check: checks(wantTitle(1, "Café déjà vu"), wantContent(1, "<p>naïve façade</p>"))},
	{name: "control-chars", warn: "dropped 10 XML-illegal control character(s)", written: 1, check: func(t *testing.T, run hostileRun) {
		rec := recordOf(t, run.out, 1)
		if rec.Title != "Title[31m" || rec.Content != "<p>content here</p>" {
			t.Errorf("title %q content %q", rec.Title, rec.Content)
		}
		if len(rec.Meta) != 1 || rec.Meta[0].Key != "ctlkey" || rec.Meta[0].Value != "value" {
			t.Errorf("meta %q", rec.Meta)
		}
		if len(rec.Comments) != 1 || rec.Comments[0].Author != "Bob" || rec.Comments[0].Content != "Nice post!" {
			t.Errorf("comments %+v", rec.Comments)
		}
	}},
	{name: "cdata-raw-end", warn: `read 1 "]]>" inside CDATA as content`, written: 1, check: wantContent(1, "<p>a ]]> b</p>")},
	{name: "cdata-split", written: 1, check: wantContent(1, "<p>a ]]> b</p>")},
	{name: "cdata-nested", warn: `"]]>" inside CDATA`, written: 1, check: wantContent(1, "<p>x <![CDATA[inner]]> y</p>")},
	{name: "wp-foreign-namespace", warn: `prefix "wp" is bound to "http://example.com/not-wordpress/"`, written: 1},
	{name: "unknown-types", warn: `unknown status "weird_status": archived as draft`, written: 4, check: func(t *testing.T, run hostileRun) {
		if !hasWarning(run.rep, "no post type: archived as post") {
			t.Error("no warning for the item without a post type")
		}
		if run.rep.Items.Drafts != 1 {
			t.Errorf("drafts = %d, want 1", run.rep.Items.Drafts)
		}
	}},
	{name: "entities", warn: "DTD entity declarations ignored", written: 2,
		gen: func(t *testing.T, dir string) string {
			canary := filepath.Join(dir, "canary.txt")
			if err := os.WriteFile(canary, []byte(canarySecret), 0o644); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join("testdata", "TestHostile", "entities.xml"))
			if err != nil {
				t.Fatal(err)
			}
			in := filepath.Join(dir, "entities.xml")
			src = bytes.ReplaceAll(src, []byte("CANARY_PATH"), []byte(filepath.ToSlash(canary)))
			if err := os.WriteFile(in, src, 0o644); err != nil {
				t.Fatal(err)
			}
			return in
		},
		check: func(t *testing.T, run hostileRun) {
			rec := recordOf(t, run.out, 1)
			if rec.Title != "&lol9;" || rec.Content != "&lol9; &xxe; end" {
				t.Errorf("entities expanded? title %q content %q", rec.Title, rec.Content)
			}
			for _, name := range run.opened {
				if filepath.Base(name) != "entities.xml" {
					t.Errorf("the run opened %s", name)
				}
			}
			_ = filepath.WalkDir(run.out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(canarySecret)) || bytes.Contains(data, []byte("lollollol")) {
						t.Errorf("%s holds the canary or an expanded entity", p)
					}
				}
				return nil
			})
		}},
	{name: "undefined-entities", written: 1, check: checks(wantTitle(1, "A\u00a0B &foo; &"), wantContent(1, "x\u00a0y &bogus; z"))},
	{name: "slugs", warn: "XML-illegal control character", written: 23, check: func(t *testing.T, run hostileRun) {
		dirs := map[string]bool{}
		for _, l := range readLines(t, run.out) {
			d := path.Dir(l.Markdown)
			if dirs[strings.ToLower(norm.NFC.String(d))] {
				t.Errorf("two items share the folder %s (up to case and normalisation)", d)
			}
			dirs[strings.ToLower(norm.NFC.String(d))] = true
			if !strings.HasPrefix(d, PostsDir+"/2015/01/") || strings.Count(d, "/") != 3 {
				t.Errorf("item %d slug %q escaped its month folder: %s", l.ID, l.Slug, d)
			}
		}
	}},
	{name: "slug-reserved-extension", written: 1},
	{name: "big-post", written: 1, gen: genBigPost, check: func(t *testing.T, run hostileRun) {
		if got := len(recordOf(t, run.out, 1).Content); got < bigPostBytes {
			t.Errorf("content of %d bytes, want at least %d", got, bigPostBytes)
		}
	}},
	{name: "deep-html", written: 1, gen: genDeepHTML, check: func(t *testing.T, run hostileRun) {
		rec := recordOf(t, run.out, 1)
		if rec.Content != deepHTML() {
			t.Error("content not kept byte-exact")
		}
		t.Logf("raw fallback %v, warnings %q", rec.Conversion.RawFallback, rec.Conversion.Warnings)
	}},
}

// bigPostBytes is the size of the big post's content: 4 MB rather than the
// 200 MB of the worst exports seen, to keep the suite fast (the converter
// takes about 1 s per MB of paragraphs on a CI core); the path through the
// code is the same.
const bigPostBytes = 4 << 20

func genBigPost(t *testing.T, dir string) string {
	var b strings.Builder
	b.Grow(bigPostBytes + 1024)
	for i := 0; b.Len() < bigPostBytes; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of a very long post, with <strong>some</strong> markup &amp; an entity.</p>\n", i)
	}
	return writeExport(t, dir, "big-post.xml", hostileItem(1, "big", b.String()))
}

func deepHTML() string {
	return strings.Repeat("<div>", 10000) + "deep" + strings.Repeat("</div>", 10000)
}

func genDeepHTML(t *testing.T, dir string) string {
	return writeExport(t, dir, "deep-html.xml", hostileItem(1, "deep", deepHTML()))
}

// hostileItem is one published post whose content is html.
func hostileItem(id int64, slug, html string) string {
	return fmt.Sprintf(`<item><title>Post %d</title><link>http://example.com/?p=%d</link>
<content:encoded><![CDATA[%s]]></content:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date>2015-01-05 10:00:00</wp:post_date><wp:post_name>%s</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
`, id, id, html, id, slug)
}

func writeExport(t *testing.T, dir, name string, items ...string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Hostile</title><link>http://example.com</link><wp:wxr_version>1.2</wp:wxr_version>
`)
	for _, it := range items {
		b.WriteString(it)
	}
	b.WriteString("</channel></rss>\n")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHostile(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.known != "" {
				t.Skip("known: " + tc.known)
			}
			if testing.Short() && tc.gen != nil {
				t.Skip("generated input; skipped with -short")
			}
			base := t.TempDir()
			in := filepath.Join("testdata", "TestHostile", tc.name+".xml")
			if tc.gen != nil {
				in = tc.gen(t, t.TempDir())
			}
			out := filepath.Join(base, "out")
			run := runArchive(t, out, []string{in}, nil)
			switch {
			case tc.err == "" && run.err != nil:
				t.Fatalf("Convert: %v", run.err)
			case tc.err != "" && (run.err == nil || !strings.Contains(run.err.Error(), tc.err)):
				t.Fatalf("Convert error = %v, want %q", run.err, tc.err)
			}
			if run.rep == nil {
				t.Fatal("no report")
			}
			if run.rep.Items.Written != tc.written {
				t.Errorf("written %d, want %d (%+v, failures %+v)", run.rep.Items.Written, tc.written, run.rep.Items, run.rep.Failures)
			}
			if tc.warn != "" {
				if !hasWarning(run.rep, tc.warn) {
					t.Errorf("no warning containing %q in %+v", tc.warn, run.rep.Warnings)
				}
				if run.rep.WarningCount == 0 {
					t.Error("warning not counted")
				}
			}
			checkArchive(t, run)
			if got := listDir(t, base); len(got) != 1 || got[0] != "out" {
				t.Errorf("files beside the output folder: %v", got)
			}
			if tc.check != nil && run.rep.Items.Written > 0 {
				tc.check(t, run)
			}
		})
	}
}

// fullFS is a RootFS on a disk that fills up after limit bytes.
type fullFS struct {
	*RootFS
	mu    sync.Mutex
	limit int64
}

func (f *fullFS) OpenFile(name string, flag int, perm fs.FileMode) (File, error) {
	f.mu.Lock()
	full := f.limit <= 0
	f.mu.Unlock()
	if full && flag&os.O_CREATE != 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ENOSPC}
	}
	file, err := f.RootFS.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &fullFile{File: file, fs: f, name: name}, nil
}

type fullFile struct {
	File
	fs   *fullFS
	name string
}

func (f *fullFile) Write(p []byte) (int, error) {
	f.fs.mu.Lock()
	n := int64(len(p))
	if n > f.fs.limit {
		n = max(f.fs.limit, 0)
	}
	f.fs.limit -= n
	f.fs.mu.Unlock()
	if n < int64(len(p)) {
		w, _ := f.File.Write(p[:n])
		return w, &fs.PathError{Op: "write", Path: f.name, Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

// TestHostileDiskFull fills the disk at several points of a run: the run
// must end in an error naming ENOSPC, never a panic, with balanced counts.
func TestHostileDiskFull(t *testing.T) {
	in := filepath.Join("testdata", "TestHostile", "slugs.xml")
	// Measure what a whole run writes, then fail at points through it,
	// the last one inside the closing files.
	probe := &fullFS{limit: 1 << 40}
	runArchive(t, filepath.Join(t.TempDir(), "out"), []string{in}, func(o *Options) {
		probe.RootFS = o.FS.(*RootFS)
		o.FS = probe
	})
	total := 1<<40 - probe.limit
	for _, limit := range []int64{0, 100, total / 4, total / 2, total - 2000, total - 1} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			base := t.TempDir()
			out := filepath.Join(base, "out")
			run := runArchive(t, out, []string{in}, func(o *Options) {
				o.FS = &fullFS{RootFS: o.FS.(*RootFS), limit: limit}
			})
			if run.err == nil {
				t.Fatal("a full disk went unnoticed")
			}
			if !errors.Is(run.err, syscall.ENOSPC) && (run.rep == nil || run.rep.Items.Failed == 0) {
				t.Errorf("error %v does not say the disk is full", run.err)
			}
			if run.rep != nil && !run.rep.Balanced() {
				t.Errorf("report does not balance: %+v", run.rep.Items)
			}
			if got := listDir(t, base); len(got) != 1 {
				t.Errorf("files beside the output folder: %v", got)
			}
			_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
					t.Errorf("temporary file left behind: %s", p)
				}
				return nil
			})
			t.Logf("%v", run.err)
		})
	}
}

// TestHostileSymlink plants symbolic links in the output folder pointing
// outside it: nothing may be written through them.
func TestHostileSymlink(t *testing.T) {
	in := filepath.Join("testdata", "TestHostile", "concatenated.xml")
	for _, link := range []string{"data", "data/posts", "data/posts/2015/01/first", "data/items.jsonl", "manifest-sha256.txt"} {
		t.Run(strings.ReplaceAll(link, "/", "_"), func(t *testing.T) {
			base := t.TempDir()
			out := filepath.Join(base, "out")
			outside := filepath.Join(base, "outside")
			if err := os.MkdirAll(outside, 0o755); err != nil {
				t.Fatal(err)
			}
			lp := filepath.Join(out, filepath.FromSlash(link))
			if err := os.MkdirAll(filepath.Dir(lp), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, lp); err != nil {
				t.Fatal(err)
			}
			run := runArchive(t, out, []string{in}, nil)
			t.Logf("err=%v", run.err)
			if got := listDir(t, outside); len(got) != 0 {
				t.Errorf("written outside the output folder: %v", got)
			}
			clear := errors.Is(run.err, ErrUnsafePath)
			if run.rep != nil {
				for _, f := range run.rep.Failures {
					clear = clear || strings.Contains(f.Reason, ErrUnsafePath.Error())
				}
			}
			if !clear {
				t.Errorf("the link went unnoticed or unexplained: %v", run.err)
			}
			if run.rep != nil && !run.rep.Balanced() {
				t.Errorf("report does not balance: %+v", run.rep.Items)
			}
		})
	}
}

// TestHostileTwoRuns: a second run on a folder another holds is refused.
func TestHostileTwoRuns(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second Lock = %v, want ErrLocked", err)
	}
	unlock()
	unlock2, err := Lock(dir)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock2()
}
