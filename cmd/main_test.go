package cmd

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run 'go test ./cmd -update' to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run with -update after checking the change):\n%s", name, diff(string(want), got))
	}
}

// diff shows the first differing lines.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// dumpTree renders every file below dir with its content, sorted, so a
// whole archive compares as one text.
func dumpTree(t *testing.T, dir string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== " + n + "\n")
		if utf8.Valid(data) {
			b.Write(data)
			if len(data) > 0 && data[len(data)-1] != '\n' {
				b.WriteString("\n(no final newline)\n")
			}
		} else {
			b.WriteString("(binary, " + fmtInt(len(data)) + " bytes)\n")
		}
	}
	return b.String()
}

// run executes the real command line and returns its exit code and output.
// An archive a convert, fetch or render wrote is verified: every archive the
// tests make must check out.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	io, out, errOut := Test()
	code = Main(context.Background(), io, args)
	if dir := outputOf(args); dir != "" && (code == ExitOK || code == ExitItemsFailed) {
		if res := verifyFolder(t, dir); !res.OK() {
			t.Errorf("wparchive %s: the archive does not verify: %v", strings.Join(args, " "), res.Problems)
		}
	}
	return code, out.String(), errOut.String()
}

// outputOf returns the archive folder a command line writes, or "" when it
// writes none.
func outputOf(args []string) string {
	if len(args) == 0 {
		return ""
	}
	var dir string
	var positional []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--dry-run":
			return ""
		case (a == "-o" || a == "--output") && i+1 < len(args):
			dir = args[i+1]
			i++
		case strings.HasPrefix(a, "-o="), strings.HasPrefix(a, "--output="):
			dir = a[strings.IndexByte(a, '=')+1:]
		case !strings.HasPrefix(a, "-"):
			positional = append(positional, a)
		}
	}
	switch args[0] {
	case "convert", "fetch":
		return dir
	case "render":
		if len(positional) > 0 {
			return positional[0]
		}
	}
	return ""
}

// repoFile returns a path below the repository root.
func repoFile(parts ...string) string {
	return filepath.Join(append([]string{".."}, parts...)...)
}
