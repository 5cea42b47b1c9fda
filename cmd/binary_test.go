package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// TestBinary runs the real wparchive binary as a user or a CI job does:
// killed at many points, interrupted, and twice at once on one folder.
// The binary is built once for all of them.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the binary with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "wparchive")
	build := exec.Command(goTool, "build", "-o", bin, "./wparchive")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Big enough that a run takes about a second on a slow machine, so that
	// signals land in every phase; small enough for a dozen runs.
	export := filepath.Join(dir, "export.xml")
	genExport(t, export, 150)

	env := &binEnv{bin: bin, export: export, clean: filepath.Join(dir, "clean")}
	t0 := time.Now()
	if code, stderr := runBin(t, bin, "convert", export, "-o", env.clean, "--no-media", "-q"); code != 0 {
		t.Fatalf("clean run: exit %d: %s", code, stderr)
	}
	env.took = time.Since(t0)
	env.want = treeSums(t, env.clean)
	env.files = countFiles(env.clean)
	t.Logf("clean run: %d files in %v", env.files, env.took.Round(time.Millisecond))

	t.Run("kill", func(t *testing.T) { testKill(t, env) })
	t.Run("interrupt", func(t *testing.T) { testInterrupt(t, env) })
	t.Run("locked", func(t *testing.T) { testLocked(t, env) })
}

// binEnv is what the tests of the binary share: the binary, an export, and
// a clean run's archive of it.
type binEnv struct {
	bin, export string
	clean       string        // the clean run's folder
	want        []string      // its treeSums
	files       int           // its number of files
	took        time.Duration // how long the clean run took
}

// convert runs 'wparchive convert' of the export into out to its end and
// returns its exit code and stderr.
func (e *binEnv) convert(t *testing.T, out string, flags ...string) (int, string) {
	t.Helper()
	return runBin(t, e.bin, append([]string{"convert", e.export, "-o", out, "--no-media", "-q"}, flags...)...)
}

// startConvert starts 'wparchive convert' of the export into out.
func (e *binEnv) startConvert(t *testing.T, out string) *proc {
	t.Helper()
	return start(t, e.bin, "convert", e.export, "-o", out, "--no-media", "-q")
}

// sameAsClean checks that out is byte for byte the clean run's archive.
func (e *binEnv) sameAsClean(t *testing.T, out, what string) {
	t.Helper()
	if got := treeSums(t, out); strings.Join(got, "\n") != strings.Join(e.want, "\n") {
		t.Errorf("%s, the archive differs from a clean run's:%s", what, diffLists(e.want, got))
	}
}

// genExport writes a synthetic export of posts posts to name.
func genExport(t *testing.T, name string, posts int) {
	t.Helper()
	var b bytes.Buffer
	if err := wxrgen.Generate(&b, wxrgen.Options{Posts: posts, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// proc is a running wparchive.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
	err    error
}

// start runs the binary with args in the background.
func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	return p
}

// wait waits for the process to end and returns its exit code, or -1 when
// a signal ended it.
func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(2 * time.Minute):
		_ = p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("wparchive %s did not end", strings.Join(p.cmd.Args[1:], " "))
	}
	var ee *exec.ExitError
	switch {
	case p.err == nil:
		return 0
	case errors.As(p.err, &ee):
		return ee.ExitCode()
	}
	t.Fatalf("wait: %v", p.err)
	return 0
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// runBin runs the binary to its end and returns its exit code and stderr.
func runBin(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	p := start(t, bin, args...)
	code := p.wait(t)
	return code, p.stderr.String()
}

// countFiles counts the files below dir, temporary ones included; a file
// vanishing during the walk (renamed, removed) is not an error.
func countFiles(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// treeSums lists every folder and file below dir, sorted, files with their
// sha256: two trees are byte-identical when their listings are equal.
func treeSums(t *testing.T, dir string) []string {
	t.Helper()
	var list []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case rel == ".":
		case d.IsDir():
			list = append(list, rel+"/")
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			list = append(list, rel+" "+hex.EncodeToString(sum[:]))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(list)
	return list
}

// diffLists says how two sorted listings differ, briefly.
func diffLists(want, got []string) string {
	w := map[string]bool{}
	for _, s := range want {
		w[s] = true
	}
	g := map[string]bool{}
	for _, s := range got {
		g[s] = true
	}
	var b strings.Builder
	n := 0
	for _, s := range want {
		if !g[s] && n < 10 {
			b.WriteString("\n- " + s)
			n++
		}
	}
	for _, s := range got {
		if !w[s] && n < 20 {
			b.WriteString("\n+ " + s)
			n++
		}
	}
	return b.String()
}
