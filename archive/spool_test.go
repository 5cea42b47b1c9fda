package archive

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestItemSpoolOrder(t *testing.T) {
	for _, memory := range []int{0, 2} {
		t.Run("memory="+strconv.Itoa(memory), func(t *testing.T) { testItemSpoolOrder(t, memory) })
	}
}

func testItemSpoolOrder(t *testing.T, memory int) {
	s, err := newItemSpool(t.TempDir(), memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	long := "posts/" + strings.Repeat("l", 9000) + "/index.md" // longer than the first read
	for _, l := range []Line{
		{ID: 3, Markdown: "posts/b/index.md"},
		{ID: 1, Markdown: "posts/x/index.md"},
		{ID: 3, Markdown: "posts/a/index.md"},
		{ID: 2, Markdown: long},
		{ID: -5, Markdown: "posts/negative/index.md"},
		{ID: 3, Markdown: "posts/a-2/index.md"},
	} {
		if err := s.add(&l, "https://example.org/"+l.Markdown, "", "/"+l.Markdown); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err = s.each(func(id int64, rec *spoolRecord) error {
		var l Line
		if err := json.Unmarshal(rec.Line, &l); err != nil {
			return err
		}
		if id != l.ID {
			t.Errorf("record of %s given id %d, want %d", l.Markdown, id, l.ID)
		}
		if rec.URL != "/"+l.Markdown {
			t.Errorf("record of %s has URL %s", l.Markdown, rec.URL)
		}
		got = append(got, l.Markdown)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"posts/negative/index.md", "posts/x/index.md", long, "posts/a-2/index.md", "posts/a/index.md", "posts/b/index.md"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}
