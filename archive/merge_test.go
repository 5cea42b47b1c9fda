package archive_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/archive/web"
)

// TestMergeShards: four shards merged are byte for byte a single run, with
// and without media.
func TestMergeShards(t *testing.T) {
	export := filepath.Join(fixtures(t, "wxr"), "wptt__themeunittestdata.wordpress.xml")
	for _, withMedia := range []bool{false, true} {
		name := "no-media"
		if withMedia {
			name = "media"
		}
		t.Run(name, func(t *testing.T) {
			opts := func() archive.Options {
				if !withMedia {
					return archive.Options{NoMedia: true}
				}
				return archive.Options{Media: &archive.MediaOptions{Client: web.New(web.Options{Transport: &fakeUploads{}, Retries: 1}), Jobs: 2}}
			}
			ok := func(err error) {
				t.Helper()
				if err != nil && !errors.Is(err, archive.ErrMediaFailed) {
					t.Fatal(err)
				}
			}
			single := filepath.Join(t.TempDir(), "single")
			_, err := convertTo(t, single, opts(), export)
			ok(err)

			var shards []string
			const n = 4
			for k := 1; k <= n; k++ {
				dir := filepath.Join(t.TempDir(), "shard")
				o := opts()
				o.Shard = archive.Shard{K: k, Of: n}
				_, err := convertTo(t, dir, o, export)
				ok(err)
				shards = append(shards, dir)
			}
			merged := filepath.Join(t.TempDir(), "merged")
			fsys, err := archive.OpenRootFS(merged)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			var roots []*os.Root
			for _, s := range shards {
				r, err := os.OpenRoot(s)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				roots = append(roots, r)
			}
			if _, err := archive.Merge(context.Background(), fsys, "wparchive test", roots[0].FS(), roots[1].FS(), roots[2].FS(), roots[3].FS()); err != nil {
				t.Fatal(err)
			}
			if a, b := treeSums(t, single), treeSums(t, merged); a != b {
				t.Errorf("merged shards differ from a single run:\n%s", firstDiff(a, b))
				for _, f := range []string{"bag-info.txt", "data/report.json", "data/site.json", "data/media.json"} {
					x, _ := os.ReadFile(filepath.Join(single, f))
					y, _ := os.ReadFile(filepath.Join(merged, f))
					if string(x) != string(y) {
						t.Logf("%s differs:\n%s", f, firstDiff(string(x)+"\n", string(y)+"\n"))
					}
				}
			}
		})
	}
}

func firstDiff(a, b string) string {
	la, lb := splitNL(a), splitNL(b)
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "single: " + x + "\nmerged: " + y
		}
	}
	return ""
}

func splitNL(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
