package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// killPoint says when to kill a run: cond is polled with the output folder
// and the time since the start.
type killPoint struct {
	name string
	cond func(dir string, since time.Duration) bool
}

func afterFiles(n int) killPoint {
	return killPoint{fmt.Sprintf("%d files", n), func(dir string, _ time.Duration) bool { return countFiles(dir) >= n }}
}

func whenExists(name string) killPoint {
	return killPoint{name + " exists", func(dir string, _ time.Duration) bool {
		_, err := os.Lstat(filepath.Join(dir, name))
		return err == nil
	}}
}

func afterTime(d time.Duration) killPoint {
	return killPoint{"after " + d.Round(time.Millisecond).String(), func(_ string, since time.Duration) bool { return since >= d }}
}

// killAt starts a conversion into out and kills it (SIGKILL) at kp. It
// reports whether the kill landed before the run ended by itself.
func killAt(t *testing.T, e *binEnv, out string, kp killPoint) bool {
	t.Helper()
	t0 := time.Now()
	p := e.startConvert(t, out)
	for !p.exited() {
		if kp.cond(out, time.Since(t0)) {
			_ = p.cmd.Process.Kill()
			break
		}
		time.Sleep(time.Millisecond)
	}
	switch code := p.wait(t); code {
	case 0:
		return false
	case -1:
		return true
	default:
		t.Fatalf("%s: exit code %d before the kill: %s", kp.name, code, p.stderr.String())
		return false
	}
}

// testKill kills conversions with SIGKILL at many points — in a new folder
// and while updating a finished archive — and checks that no file under its
// final name is ever torn, and that a re-run makes the very archive a clean
// run makes, which verifies.
func testKill(t *testing.T, e *binEnv) {
	points := []killPoint{afterTime(20 * time.Millisecond), afterFiles(1)}
	for _, pct := range []int{10, 25, 40, 55, 70, 85} {
		points = append(points, afterFiles(e.files*pct/100))
	}
	points = append(points, whenExists("data/items.jsonl"), whenExists("data/report.json"), whenExists("bag-info.txt"))

	var tried, killed int
	for _, kp := range points {
		t.Run("new/"+kp.name, func(t *testing.T) {
			tried++
			out := filepath.Join(t.TempDir(), "out")
			if killAt(t, e, out, kp) {
				killed++
				checkNotTorn(t, out)
			} else {
				t.Logf("the run ended before the kill")
			}
			finishAndCompare(t, e, out)
		})
	}

	// A re-run over a finished archive of the same export, killed or not,
	// changes no file under its final name: nothing changed, so nothing is
	// rewritten. The killed run's marker stays, and so may the temporary
	// files of what it was writing when killed: the next run clears both.
	t0 := time.Now()
	if code, stderr := e.convert(t, e.clean); code != 0 {
		t.Fatalf("re-run over a finished archive: exit %d: %s", code, stderr)
	}
	again := time.Since(t0)
	e.sameAsClean(t, e.clean, "after a re-run over a finished archive")
	for _, tenths := range []int{2, 5, 8} {
		kp := afterTime(again * time.Duration(tenths) / 10)
		t.Run("update/"+kp.name, func(t *testing.T) {
			tried++
			if killAt(t, e, e.clean, kp) {
				killed++
				checkNotTorn(t, e.clean)
				// (none when the kill came after the run's last step)
				var finals []string
				for _, l := range treeSums(t, e.clean) {
					name := strings.Fields(l)[0]
					if name != archive.RunningMarker && !strings.HasPrefix(path.Base(name), ".tmp-") {
						finals = append(finals, l)
					}
				}
				if strings.Join(finals, "\n") != strings.Join(e.want, "\n") {
					t.Errorf("a killed re-run over a finished archive changed files:%s", diffLists(e.want, finals))
				}
			} else {
				t.Logf("the run ended before the kill")
			}
			finishAndCompare(t, e, e.clean)
		})
	}
	t.Logf("%d kill points: %d killed mid-run, %d ended before the kill", tried, killed, tried-killed)
	if killed < tried/2 {
		t.Errorf("only %d of %d kills landed mid-run: the export is too small for this machine", killed, tried)
	}
}

// finishAndCompare re-runs the conversion into out to its end and checks
// that the archive is byte for byte the clean run's and verifies.
func finishAndCompare(t *testing.T, e *binEnv, out string) {
	t.Helper()
	if code, stderr := e.convert(t, out); code != 0 {
		t.Fatalf("re-run after the kill: exit %d: %s", code, stderr)
	}
	e.sameAsClean(t, out, "after a kill and a re-run")
	if code, stderr := runBin(t, e.bin, "verify", out); code != 0 {
		t.Errorf("verify after the re-run: exit %d: %s", code, stderr)
	}
}

// checkNotTorn checks that every file under a final name in dir is whole:
// JSON parses, items.jsonl is whole lines of JSON, Markdown ends with a
// newline and an item's Markdown starts with its front matter.
func checkNotTorn(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return // killed before it made the folder
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch ext := filepath.Ext(p); {
		case ext == ".json" && !json.Valid(data):
			t.Errorf("%s: torn: not JSON (%d bytes)", rel, len(data))
		case ext == ".jsonl":
			if len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")) {
				t.Errorf("%s: torn: no final newline", rel)
			}
			for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
				if len(data) > 0 && !json.Valid(line) {
					t.Errorf("%s:%d: torn: not JSON", rel, i+1)
				}
			}
		case ext == ".md" && !bytes.HasSuffix(data, []byte("\n")):
			t.Errorf("%s: torn: no final newline", rel)
		case d.Name() == "index.md" && !bytes.HasPrefix(data, []byte("---\n")):
			t.Errorf("%s: torn: no front matter", rel)
		case strings.HasSuffix(d.Name(), ".txt") && len(data) > 0 && !bytes.HasSuffix(data, []byte("\n")):
			t.Errorf("%s: torn: no final newline", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
