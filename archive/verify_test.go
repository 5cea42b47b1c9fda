package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// smallArchive archives a two-item export into a fresh folder.
func smallArchive(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	run := runArchive(t, out, []string{filepath.Join("testdata", "TestHostile", "concatenated.xml")}, nil)
	if run.err != nil {
		t.Fatal(run.err)
	}
	return out
}

func TestVerifyTampered(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, out string)
		want   []Problem
	}{
		{"untouched", func(*testing.T, string) {}, nil},
		{"changed byte", func(t *testing.T, out string) {
			p := filepath.Join(out, "data", "posts", "2015", "01", "first", "index.md")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)/2] ^= 1
			mustWrite(t, p, data)
		}, []Problem{{Kind: Changed, Path: "data/posts/2015/01/first/index.md"}}},
		{"deleted file", func(t *testing.T, out string) {
			if err := os.Remove(filepath.Join(out, "data", "posts", "2015", "01", "second", "index.json")); err != nil {
				t.Fatal(err)
			}
		}, []Problem{
			{Kind: Invalid, Path: "bag-info.txt"}, // Payload-Oxum
			{Kind: Missing, Path: "data/posts/2015/01/second/index.json"},
			{Kind: Missing, Path: "data/posts/2015/01/second/index.json"}, // named by items.jsonl
		}},
		{"added file", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "data", "posts", "extra.md"), []byte("hello"))
		}, []Problem{{Kind: Invalid, Path: "bag-info.txt"}, {Kind: Unexpected, Path: "data/posts/extra.md"}}},
		{"added tag file", func(t *testing.T, out string) {
			mustWrite(t, filepath.Join(out, "notes.txt"), []byte("hello"))
		}, []Problem{{Kind: Unexpected, Path: "notes.txt"}}},
		{"changed tag file", func(t *testing.T, out string) {
			appendFile(t, filepath.Join(out, BagInfoFile), "Contact-Name: someone\n")
		}, []Problem{{Kind: Changed, Path: BagInfoFile}}},
		{"no tag manifest", func(t *testing.T, out string) {
			if err := os.Remove(filepath.Join(out, TagManifestFile)); err != nil {
				t.Fatal(err)
			}
		}, []Problem{{Kind: Missing, Path: TagManifestFile}}},
		{"bad bagit.txt", func(t *testing.T, out string) {
			rewriteTagged(t, out, BagitFile, []byte("BagIt-Version: 9.9\n"))
		}, []Problem{{Kind: Invalid, Path: BagitFile}, {Kind: Invalid, Path: BagitFile}}},
		{"unbalanced report", func(t *testing.T, out string) {
			p := filepath.Join(out, "data", ReportFile)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			data = []byte(strings.Replace(string(data), `"read": 4`, `"read": 5`, 1))
			rewritePayload(t, out, "data/"+ReportFile, data)
		}, []Problem{{Kind: Invalid, Path: "data/report.json"}}},
		{"items.jsonl line lost", func(t *testing.T, out string) {
			data, err := os.ReadFile(filepath.Join(out, "data", ItemsFile))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitAfter(string(data), "\n")
			rewritePayload(t, out, "data/"+ItemsFile, []byte(strings.Join(lines[1:], "")))
		}, []Problem{{Kind: Invalid, Path: "data/report.json"}}},
		{"items.jsonl not JSON", func(t *testing.T, out string) {
			appendPayload(t, out, "data/"+ItemsFile, "{not json\n")
		}, []Problem{{Kind: Invalid, Path: "data/items.jsonl:5"}, {Kind: Invalid, Path: "data/report.json"}}},
		{"items.jsonl escapes", func(t *testing.T, out string) {
			appendPayload(t, out, "data/"+ItemsFile, `{"id":9,"markdown":"../bagit.txt","json":"/etc/passwd"}`+"\n")
		}, []Problem{
			{Kind: Invalid, Path: "data/items.jsonl:5"}, {Kind: Invalid, Path: "data/items.jsonl:5"},
			{Kind: Invalid, Path: "data/report.json"},
		}},
		{"symlink", func(t *testing.T, out string) {
			if err := os.Symlink("/etc/passwd", filepath.Join(out, "data", "passwd")); err != nil {
				t.Fatal(err)
			}
		}, []Problem{{Kind: Invalid, Path: "data/passwd"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := smallArchive(t)
			tc.tamper(t, out)
			res := verifyDir(t, out)
			if len(res.Problems) != len(tc.want) {
				t.Fatalf("problems %v, want %v", res.Problems, tc.want)
			}
			for i, p := range res.Problems {
				if p.Kind != tc.want[i].Kind || p.Path != tc.want[i].Path {
					t.Errorf("problem %d = %v, want %s %s", i, p, tc.want[i].Kind, tc.want[i].Path)
				}
			}
			if res.OK() != (len(tc.want) == 0) {
				t.Errorf("OK() = %v", res.OK())
			}
		})
	}
}

func mustWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, p, append(data, s...))
}

func sumHex(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// rewriteManifest replaces the line of name in manifest m with data's sum.
func rewriteManifest(t *testing.T, out, m, name string, data []byte) []byte {
	t.Helper()
	mdata, err := os.ReadFile(filepath.Join(out, m))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(mdata), "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "  "+name) {
			lines[i] = sumHex(data) + "  " + name
		}
	}
	nm := []byte(strings.Join(lines, "\n"))
	mustWrite(t, filepath.Join(out, m), nm)
	return nm
}

// rewriteTagged changes a tag file and its tag manifest line consistently.
func rewriteTagged(t *testing.T, out, name string, data []byte) {
	t.Helper()
	mustWrite(t, filepath.Join(out, name), data)
	rewriteManifest(t, out, TagManifestFile, name, data)
}

// rewritePayload changes a payload file and both manifests consistently,
// so only the content checks can tell.
func rewritePayload(t *testing.T, out, name string, data []byte) {
	t.Helper()
	old, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(out, filepath.FromSlash(name)), data)
	m := rewriteManifest(t, out, ManifestFile, name, data)
	rewriteManifest(t, out, TagManifestFile, ManifestFile, m)
	// Keep Payload-Oxum right too.
	info, err := os.ReadFile(filepath.Join(out, BagInfoFile))
	if err != nil {
		t.Fatal(err)
	}
	var octets, files int64
	for _, l := range strings.Split(string(info), "\n") {
		if v, ok := strings.CutPrefix(l, "Payload-Oxum: "); ok {
			fmt.Sscanf(v, "%d.%d", &octets, &files)
			octets += int64(len(data) - len(old))
			info = []byte(strings.Replace(string(info), l, fmt.Sprintf("Payload-Oxum: %d.%d", octets, files), 1))
		}
	}
	rewriteTagged(t, out, BagInfoFile, info)
}

func appendPayload(t *testing.T, out, name, s string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	rewritePayload(t, out, name, append(data, s...))
}

func TestVerifyNoBag(t *testing.T) {
	index := []byte("# hello\n")
	items := []byte(`{"id":1,"markdown":"posts/a/index.md","json":"posts/a/index.json"}` + "\n")
	rec := []byte("{}\n")
	report := []byte(`{"items":{"read":2,"written":1,"skipped":1}}`)
	manifest := fmt.Sprintf("%s  posts/a/index.md\n%s  posts/a/index.json\n%s  items.jsonl\n%s  report.json\n",
		sumHex(index), sumHex(rec), sumHex(items), sumHex(report))
	good := fstest.MapFS{
		ManifestFile:         {Data: []byte(manifest)},
		"posts/a/index.md":   {Data: index},
		"posts/a/index.json": {Data: rec},
		ItemsFile:            {Data: items},
		ReportFile:           {Data: report},
	}
	res, err := Verify(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Bag || res.Files != 4 || res.Items != 1 {
		t.Errorf("result %+v", res)
	}
	bad := fstest.MapFS{}
	for k, v := range good {
		bad[k] = v
	}
	delete(bad, "posts/a/index.json")
	bad["posts/a/index.md"] = &fstest.MapFile{Data: []byte("# changed\n")}
	bad["stray.txt"] = &fstest.MapFile{Data: []byte("x")}
	res, err = Verify(context.Background(), bad)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"missing posts/a/index.json", "missing posts/a/index.json", "changed posts/a/index.md", "unexpected stray.txt"}
	var got []string
	for _, p := range res.Problems {
		got = append(got, string(p.Kind)+" "+p.Path)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("problems %v, want %v", got, want)
	}
	res, err = Verify(context.Background(), fstest.MapFS{"x.txt": {Data: []byte("x")}})
	if err != nil || res.OK() {
		t.Errorf("a folder that is no archive verified: %v %v", res, err)
	}
}

func TestVerifyCanceled(t *testing.T) {
	out := smallArchive(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root, err := os.OpenRoot(out)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := Verify(ctx, root.FS()); err == nil {
		t.Error("Verify ignored a canceled context")
	}
}

// FuzzVerify feeds arbitrary manifests, items.jsonl and report.json to
// Verify: it may report anything, but never panic or fail to return.
func FuzzVerify(f *testing.F) {
	f.Add([]byte("0000000000000000000000000000000000000000000000000000000000000000  data/a.md\n"),
		[]byte(`{"id":1,"markdown":"a.md","json":"a.json"}`+"\n"), []byte(`{"items":{"read":1,"written":1}}`), true)
	f.Add([]byte("zz  ../../etc/passwd\n\n  \r\n"), []byte("{\n"), []byte("[]"), false)
	f.Fuzz(func(t *testing.T, manifest, items, report []byte, bag bool) {
		fsys := fstest.MapFS{
			"data/a.md":   {Data: []byte("a")},
			"data/a.json": {Data: []byte("{}")},
		}
		if bag {
			fsys[BagitFile] = &fstest.MapFile{Data: []byte("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")}
			fsys[BagInfoFile] = &fstest.MapFile{Data: report}
			fsys[TagManifestFile] = &fstest.MapFile{Data: manifest}
			fsys["data/"+ItemsFile] = &fstest.MapFile{Data: items}
			fsys["data/"+ReportFile] = &fstest.MapFile{Data: report}
		} else {
			fsys[ItemsFile] = &fstest.MapFile{Data: items}
			fsys[ReportFile] = &fstest.MapFile{Data: report}
		}
		fsys[ManifestFile] = &fstest.MapFile{Data: manifest}
		res, err := Verify(context.Background(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		if res.Bag != bag {
			t.Errorf("Bag = %v", res.Bag)
		}
		if !bag && len(manifest) == 0 && res.OK() {
			t.Error("an empty manifest with unlisted files verified")
		}
	})
}
