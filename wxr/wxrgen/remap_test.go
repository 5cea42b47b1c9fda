package wxrgen

import "testing"

func TestRemapIDs(t *testing.T) {
	f := func(id int64) int64 {
		if id == 7 || id == 8 {
			return id + 1000
		}
		return id
	}
	tests := []struct{ in, want string }{
		{"", ""},
		{"no ids here", "no ids here"},
		{`<img class="wp-image-7">`, `<img class="wp-image-1007">`},
		{`<!-- wp:image {"id":8,"sizeSlug":"large"} -->`, `<!-- wp:image {"id":1008,"sizeSlug":"large"} -->`},
		{`[gallery ids="7,9, 8"]`, `[gallery ids="1007,9, 1008"]`},
		{`[gallery ids='8']`, `[gallery ids='1008']`},
		{`{"ids":[7,8]}`, `{"ids":[1007,1008]}`},
		{`<a href="/?p=7">x</a> ?page_id=8 attachment_id=7`, `<a href="/?p=1007">x</a> ?page_id=1008 attachment_id=1007`},
		{`[caption id="attachment_8" align="x"]`, `[caption id="attachment_1008" align="x"]`},
		{`wp-image-70 wp-image-`, `wp-image-70 wp-image-`},
		{`"id":99999999999999999999`, `"id":99999999999999999999`},
	}
	for _, tt := range tests {
		if got := remapIDs(tt.in, f); got != tt.want {
			t.Errorf("remapIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRemapIDs(f *testing.F) {
	f.Add(`<img class="wp-image-7"> [gallery ids="7,8,"] ?p=`)
	f.Fuzz(func(t *testing.T, s string) {
		if got := remapIDs(s, func(id int64) int64 { return id }); got != s {
			t.Errorf("identity remap changed %q to %q", s, got)
		}
		remapIDs(s, func(id int64) int64 { return id + 1 })
	})
}
