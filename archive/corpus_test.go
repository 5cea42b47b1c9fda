package archive_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr/fixture"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr"
)

// fixtures is ../shared/fixtures/<sub> beside the repository, or a skip.
func fixtures(t testing.TB, sub string) string { return fixture.Dir(t, sub) }

// convertTo archives the export files into a new folder.
func convertTo(t testing.TB, out string, opts archive.Options, files ...string) (*archive.Report, error) {
	t.Helper()
	fsys, err := archive.OpenRootFS(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	conv, err := convert.New(convert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opts.Input = archive.NewWXRInput(files...)
	opts.FS, opts.Converter, opts.Tool = fsys, conv, "wparchive test"
	rep, err := archive.Convert(context.Background(), opts)
	verifyWritten(t, out)
	return rep, err
}

// verifyWritten verifies the archive in out when the run finished writing
// one (its last file, the tag manifest of a bag or the manifest of a
// generator's tree, is there): every archive the tests make must check out.
func verifyWritten(t testing.TB, out string) {
	t.Helper()
	_, errBag := os.Stat(filepath.Join(out, archive.BagitFile))
	last := archive.TagManifestFile
	if errBag != nil {
		last = archive.ManifestFile
	}
	if _, err := os.Stat(filepath.Join(out, last)); err != nil {
		return
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err := archive.Verify(context.Background(), root.FS())
	if err != nil {
		t.Fatalf("Verify %s: %v", out, err)
	}
	if !res.OK() {
		t.Errorf("the archive in %s does not verify: %v", out, res.Problems)
	}
}

// TestThemeUnitTestCorpus is the core pipeline's acceptance test on the
// WordPress theme unit test export.
func TestThemeUnitTestCorpus(t *testing.T) {
	export := filepath.Join(fixtures(t, "wxr"), "wptt__themeunittestdata.wordpress.xml")
	out := t.TempDir()
	rep, err := convertTo(t, out, archive.Options{}, export)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Balanced() || !rep.Complete {
		t.Fatalf("report not balanced or incomplete: %+v", rep.Items)
	}

	// What the export holds, read independently of the pipeline.
	want := map[int64]bool{}
	withheld := map[int64]bool{}
	var emails []string
	f, _ := os.Open(export)
	defer f.Close()
	dec := wxr.NewDecoder(f, wxr.Options{Name: "export"})
	for {
		it, err := dec.Next()
		if err != nil {
			break
		}
		for _, c := range it.Comments {
			if c.AuthorEmail != "" {
				emails = append(emails, c.AuthorEmail)
			}
		}
		if it.Type != wxr.TypePost && it.Type != wxr.TypePage {
			continue
		}
		switch {
		case it.Password != "" || it.Status == wxr.StatusPrivate:
			withheld[it.ID] = true
		case it.Status == wxr.StatusPublish || it.Status == wxr.StatusDraft || it.Status == wxr.StatusPending || it.Status == wxr.StatusFuture:
			want[it.ID] = true
		}
	}
	if len(withheld) == 0 || len(emails) == 0 {
		t.Fatal("the fixture should have a protected item and commenter e-mails")
	}

	lines := readLines(t, filepath.Join(out, "data", "items.jsonl"))
	got := map[int64]bool{}
	for _, l := range lines {
		got[l.ID] = true
		for _, p := range []string{l.Markdown, l.JSON} {
			if _, err := os.Stat(filepath.Join(out, "data", filepath.FromSlash(p))); err != nil {
				t.Errorf("item %d: %v", l.ID, err)
			}
		}
		if withheld[l.ID] {
			t.Errorf("item %d is private or password-protected but was written", l.ID)
		}
	}
	for id := range want {
		if !got[id] {
			t.Errorf("item %d missing from items.jsonl", id)
		}
	}
	t.Logf("%d items read, %d written, %d skipped, %d withheld; %d comments of %d; %d posts and pages expected",
		rep.Items.Read, rep.Items.Written, rep.Items.Skipped, rep.Items.Withheld, rep.Comments.Written, rep.Comments.Read, len(want))

	// No commenter e-mail anywhere in the archive.
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		for _, e := range emails {
			if strings.Contains(string(data), e) {
				t.Errorf("%s contains commenter e-mail %s", p, e)
			}
		}
		return nil
	})
}

// TestEveryFixture converts every real export: each balances, and the
// malformed one stops with file:line:col.
func TestEveryFixture(t *testing.T) {
	dir := fixtures(t, "wxr")
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	posRE := regexp.MustCompile(`^[^:]+\.xml:\d+:\d+: `)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			rep, err := convertTo(t, t.TempDir(), archive.Options{}, f)
			if !rep.Balanced() {
				t.Errorf("unbalanced: %+v", rep.Items)
			}
			var se *wxr.SyntaxError
			switch {
			case strings.Contains(f, "malformed"):
				if !errors.As(err, &se) || !posRE.MatchString(err.Error()) {
					t.Errorf("want a syntax error with file:line:col, got %v", err)
				}
				if rep.Complete {
					t.Error("report says complete after a syntax error")
				}
			case err != nil:
				t.Errorf("convert: %v", err)
			}
			t.Logf("read %d written %d skipped %d withheld %d failed %d warnings %d",
				rep.Items.Read, rep.Items.Written, rep.Items.Skipped, rep.Items.Withheld, rep.Items.Failed, rep.WarningCount)
		})
	}
}

func readLines(t *testing.T, path string) []archive.Line {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []archive.Line
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l archive.Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}
