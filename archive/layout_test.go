package archive

import (
	"strconv"
	"testing"

	"github.com/wparchive/wparchive/wxr"
)

// TestLayout plans folders with the index in memory and spilled, and checks
// them as the index notes them and as the second pass places items.
func TestLayout(t *testing.T) {
	entries := []wxr.Entry{
		{ID: 9, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "hello", PostDate: "2012-09-01 10:00:00"},
		{ID: 11, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "hello", PostDate: "2012-09-02 10:00:00"},
		{ID: 12, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "HELLO", PostDate: "2012-09-03 10:00:00"},
		{ID: 13, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "hello-2", PostDate: "2012-09-04 10:00:00"},
		{ID: 20, Type: wxr.TypePage, Status: wxr.StatusPublish, Name: "child", Parent: 30},
		{ID: 30, Type: wxr.TypePage, Status: wxr.StatusPublish, Name: "parent"},
		{ID: 35, Type: wxr.TypePage, Status: wxr.StatusPrivate, Name: "secret"},
		{ID: 40, Type: wxr.TypePage, Status: wxr.StatusPublish, Name: "child", Parent: 35},
		{ID: 41, Type: wxr.TypePage, Status: wxr.StatusPublish, Name: "grandchild", Parent: 20},
		{ID: 50, Type: wxr.TypePost, Status: wxr.StatusTrash, Name: "gone", PostDate: "2012-09-04 10:00:00"},
		{ID: 60, Type: "book", Status: wxr.StatusPublish, Name: ""},
		{ID: 61, Type: "posts", Status: wxr.StatusPublish, Name: "index.md"},
	}
	want := map[int64]string{
		9:  "posts/2012/09/hello",
		11: "posts/2012/09/hello-2",
		12: "posts/2012/09/HELLO-3",
		13: "posts/2012/09/hello-2-2",
		20: "pages/parent/child",
		30: "pages/parent",
		35: "pages/secret", // withheld, but its child's folder sits in it
		40: "pages/secret/child",
		41: "pages/parent/child/grandchild",
		60: "book/book-60",
		61: "type-posts/index.md-",
	}
	for _, spillAt := range []int{0, 2} {
		t.Run("spill="+strconv.Itoa(spillAt), func(t *testing.T) {
			dir := t.TempDir()
			idx := wxr.NewSpillingIndex(dir, spillAt)
			defer idx.Close()
			for _, e := range entries {
				idx.Add(e)
			}
			lay := planLayout(t, idx, dir, spillAt)
			for _, e := range entries {
				got, ok := lay.planned(e.ID)
				if w := want[e.ID]; got != w || ok != (w != "") {
					t.Errorf("planned(%d) = %q, %v; want %q", e.ID, got, ok, w)
				}
			}
			// The second pass: an id met twice gets a fresh folder the
			// second time, and an item the index never saw gets one too.
			place := func(e wxr.Entry) string {
				return lay.place(&wxr.Item{ID: e.ID, Type: e.Type, Status: e.Status, Name: e.Name, Parent: e.Parent, PostDate: e.PostDate})
			}
			if d := place(entries[0]); d != want[9] {
				t.Errorf("place(9) = %q", d)
			}
			if d := place(entries[0]); d != want[9] {
				t.Errorf("place(9) again, not a duplicate = %q", d)
			}
			late := wxr.Entry{ID: 99, Type: wxr.TypePost, Name: "hello", PostDate: "2012-09-05 10:00:00"}
			if d := place(late); d != "posts/2012/09/hello-4" {
				t.Errorf("place(99) = %q", d)
			}
			if d := place(wxr.Entry{ID: 98, Type: wxr.TypePage, Name: "child", Parent: 35}); d != "pages/secret/child-2" {
				t.Errorf("place(98) = %q", d)
			}
			if err := idx.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestLayoutDuplicateID(t *testing.T) {
	idx := wxr.NewIndex()
	e := wxr.Entry{ID: 5, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "twice", PostDate: "2020-01-01 00:00:00"}
	idx.Add(e)
	if idx.Add(e) {
		t.Fatal("a duplicate id was indexed")
	}
	lay := planLayout(t, idx, t.TempDir(), 0)
	it := &wxr.Item{ID: 5, Type: wxr.TypePost, Status: wxr.StatusPublish, Name: "twice", PostDate: "2020-01-01 00:00:00"}
	if d := lay.place(it); d != "posts/2020/01/twice" {
		t.Errorf("first = %q", d)
	}
	if d := lay.place(it); d != "posts/2020/01/twice-2" {
		t.Errorf("second = %q", d)
	}
}

// planLayout plans the folders of idx as a run does before its second pass.
func planLayout(t *testing.T, idx *wxr.Index, dir string, spillAt int) *layout {
	t.Helper()
	lay, err := newLayout(idx, false, dir, spillAt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lay.close() })
	slimIndex(idx, lay)
	if err := lay.settle(); err != nil {
		t.Fatal(err)
	}
	return lay
}
