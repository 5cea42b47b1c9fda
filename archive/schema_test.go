package archive_test

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
)

// schemaBase is the $id prefix of the schemas in docs/schema.
const schemaBase = "https://github.com/wparchive/wparchive/docs/schema/"

// loadSchemas compiles docs/schema/*.schema.json, by file name.
func loadSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "docs", "schema", "*.schema.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no schemas in docs/schema (%v)", err)
	}
	c := jsonschema.NewCompiler()
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if err := c.AddResource(schemaBase+filepath.Base(n), doc); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, n := range names {
		s, err := c.Compile(schemaBase + filepath.Base(n))
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		out[filepath.Base(n)] = s
	}
	return out
}

// TestSchemas checks real archives against the JSON Schemas of docs/schema:
// every index.json, every line of items.jsonl, site.json and report.json.
func TestSchemas(t *testing.T) {
	schemas := loadSchemas(t)
	small := filepath.Join("..", "testdata", "wxr", "small.xml")
	media := func() *archive.MediaOptions {
		return &archive.MediaOptions{Client: web.New(web.Options{Transport: &fakeUploads{}, Retries: 0}), Jobs: 2}
	}
	tests := []struct {
		name   string
		export func(t *testing.T) string
		opts   func() archive.Options
	}{
		{"small", func(*testing.T) string { return small }, func() archive.Options { return archive.Options{NoMedia: true} }},
		{"small with media, private, personal data", func(*testing.T) string { return small }, func() archive.Options {
			return archive.Options{Media: media(), IncludePrivate: true, KeepPersonalData: true}
		}},
		{"theme unit test", func(t *testing.T) string {
			return filepath.Join(fixtures(t, "wxr"), "wptt__themeunittestdata.wordpress.xml")
		}, func() archive.Options { return archive.Options{Media: media()} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			export := tt.export(t)
			out := t.TempDir()
			if _, err := convertTo(t, out, tt.opts(), export); err != nil && !strings.Contains(err.Error(), archive.ErrMediaFailed.Error()) {
				t.Fatal(err)
			}
			data := filepath.Join(out, archive.PayloadDir)
			validateFile(t, schemas["site.schema.json"], filepath.Join(data, "site.json"))
			validateFile(t, schemas["report.schema.json"], filepath.Join(data, "report.json"))
			lines := validateLines(t, schemas["items-line.schema.json"], filepath.Join(data, archive.ItemsFile))
			records := 0
			err := filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
				if err == nil && d.Name() == "index.json" {
					validateFile(t, schemas["index.schema.json"], p)
					records++
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if records == 0 || records != lines {
				t.Errorf("%d index.json files, %d items.jsonl lines", records, lines)
			}
		})
	}
}

func validateFile(t *testing.T, s *jsonschema.Schema, name string) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	validate(t, s, name, data)
}

func validateLines(t *testing.T, s *jsonschema.Schema, name string) int {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		n++
		validate(t, s, name+":"+strconv.Itoa(n), sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func validate(t *testing.T, s *jsonschema.Schema, place string, data []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", place, err)
		return
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s: %v", place, err)
	}
}
