package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// waitFiles waits until dir holds at least n files or p ends, and reports
// whether p is still running.
func waitFiles(p *proc, dir string, n int) bool {
	for !p.exited() {
		if countFiles(dir) >= n {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// interruptAt starts a conversion into out, sends it SIGINT once out holds
// n files and returns its exit code; false when the run ended first, or when
// it read the signal only after its last item and so finished (exit 0).
func interruptAt(t *testing.T, e *binEnv, out string, n int) (bool, int) {
	t.Helper()
	p := e.startConvert(t, out)
	if !waitFiles(p, out, n) {
		return false, p.wait(t)
	}
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t)
	return code != 0, code
}

// interruptTries is how often a test interrupts a run that keeps finishing
// before the signal: on a loaded machine the test may be descheduled long
// enough for the small export's run to reach its end.
const interruptTries = 5

// interruptOnce runs prepare on a new folder, then interrupts a conversion
// into it once it holds n files, trying again while the run keeps reaching
// its end first; it returns the folder.
func interruptOnce(t *testing.T, e *binEnv, n int, prepare func(out string)) string {
	t.Helper()
	for try := 1; ; try++ {
		out := filepath.Join(t.TempDir(), "out")
		prepare(out)
		ok, code := interruptAt(t, e, out, n)
		switch {
		case ok && code != ExitInterrupted:
			t.Fatalf("exit code %d after SIGINT, want %d", code, ExitInterrupted)
		case ok:
			return out
		case code != 0:
			t.Fatalf("exit code %d before the interruption", code)
		case try == interruptTries:
			t.Fatalf("the run ended before the interruption %d times: the export is too small for this machine", try)
		}
	}
}

// testInterrupt sends SIGINT (Ctrl-C) to a run halfway: it exits 130 and
// leaves a finished bag of what it did, with a report saying the run was
// incomplete, which verifies; a re-run completes it.
func testInterrupt(t *testing.T, e *binEnv) {
	out := interruptOnce(t, e, e.files/3, func(string) {})
	checkInterrupted(t, out)
	if code, stderr := runBin(t, e.bin, "verify", out); code != 0 {
		t.Errorf("verify of an interrupted run's bag: exit %d, want 0: %s", code, stderr)
	}
	checkNotTorn(t, out)
	finishAndCompare(t, e, out)

	// Killed, then interrupted, then run to the end: the end is still a
	// clean run's archive, without what the killed run left half done.
	out = interruptOnce(t, e, e.files/2, func(out string) {
		if !killAt(t, e, out, afterFiles(e.files/3)) {
			t.Fatal("the run ended before the kill: the export is too small for this machine")
		}
	})
	finishAndCompare(t, e, out)
}

// checkInterrupted checks the bag an interrupted run leaves in out.
func checkInterrupted(t *testing.T, out string) {
	t.Helper()
	for _, name := range []string{archive.BagitFile, archive.BagInfoFile, archive.ManifestFile, archive.TagManifestFile} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("after an interruption: %v", err)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, archive.PayloadDir, archive.ReportFile))
	if err != nil {
		t.Fatalf("after an interruption: %v", err)
	}
	var rep struct {
		Complete *bool  `json:"complete"`
		Error    string `json:"error"`
		Items    struct {
			Read, Written int
		} `json:"items"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if rep.Complete == nil || *rep.Complete {
		t.Errorf("report.json: complete is not false after an interruption: %s", data)
	}
	if rep.Error == "" {
		t.Error("report.json: no error saying why the run stopped")
	}
	info, err := os.ReadFile(filepath.Join(out, archive.BagInfoFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "Wparchive-Complete: false\n") {
		t.Errorf("bag-info.txt does not say the run was incomplete:\n%s", info)
	}
	res := verifyFolder(t, out)
	if !res.Incomplete {
		t.Error("Verify does not say the archive is incomplete")
	}
}

// testLocked runs a second conversion into a folder a running one is
// writing: it exits 4 with a clear message and disturbs nothing.
func testLocked(t *testing.T, e *binEnv) {
	out := filepath.Join(t.TempDir(), "out")

	// Held by this process: certain, whatever the timing.
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := archive.Lock(out)
	if err != nil {
		t.Fatal(err)
	}
	code, stderr := e.convert(t, out)
	unlock()
	checkLocked(t, code, stderr)

	// Held by another wparchive.
	p := e.startConvert(t, out)
	if !waitFiles(p, out, 1) {
		t.Fatalf("the first run ended before the second started (exit %d)", p.wait(t))
	}
	code, stderr = e.convert(t, out)
	checkLocked(t, code, stderr)
	if first := p.wait(t); first != 0 {
		t.Fatalf("the first run: exit %d: %s", first, p.stderr.String())
	}
	e.sameAsClean(t, out, "after a second run was refused")
}

func checkLocked(t *testing.T, code int, stderr string) {
	t.Helper()
	if code != ExitLocked {
		t.Errorf("second run: exit code %d, want %d: %s", code, ExitLocked, stderr)
	}
	if !strings.Contains(stderr, "in use by another wparchive run") {
		t.Errorf("second run: the message does not say why: %q", stderr)
	}
}

// TestInterruptInProcess cancels Main's context, as the signal handler of
// the binary does: the exit code is 130, before the run starts and halfway.
func TestInterruptInProcess(t *testing.T) {
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		io, _, errOut := Test()
		out := filepath.Join(t.TempDir(), "out")
		if code := Main(ctx, io, []string{"convert", repoFile("testdata", "wxr", "small.xml"), "-o", out, "--no-media"}); code != ExitInterrupted {
			t.Errorf("exit code %d, want %d: %s", code, ExitInterrupted, errOut)
		}
	})
	t.Run("halfway", func(t *testing.T) {
		if testing.Short() {
			t.Skip("a run of a second; skipped with -short")
		}
		export := filepath.Join(t.TempDir(), "export.xml")
		genExport(t, export, 150)
		out := filepath.Join(t.TempDir(), "out")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan int)
		io, _, errOut := Test()
		go func() {
			done <- Main(ctx, io, []string{"convert", export, "-o", out, "--no-media", "-q"})
		}()
		var code int
	wait:
		for {
			select {
			case code = <-done:
				break wait
			case <-time.After(time.Millisecond):
				if countFiles(out) >= 100 {
					cancel()
				}
			}
		}
		if ctx.Err() == nil {
			t.Fatalf("the run ended (exit %d) before it was cancelled: the export is too small for this machine", code)
		}
		if code != ExitInterrupted {
			t.Fatalf("exit code %d, want %d: %s", code, ExitInterrupted, errOut)
		}
		checkInterrupted(t, out)
		if res := verifyFolder(t, out); !res.OK() {
			t.Errorf("Verify of an interrupted run's bag: %v", res.Problems)
		}
	})
}

// verifyFolder runs archive.Verify on the folder dir.
func verifyFolder(t testing.TB, dir string) *archive.VerifyResult {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	res, err := archive.Verify(context.Background(), root.FS())
	if err != nil {
		t.Fatalf("Verify %s: %v", dir, err)
	}
	return res
}
