package media

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLocalPath(t *testing.T) {
	long := strings.Repeat("한", 100) // 300 bytes
	tests := []struct {
		in, want string
	}{
		{"https://example.com/wp-content/uploads/2012/09/name.jpg", "media/2012/09/name.jpg"},
		{"https://example.com/wp-content/uploads/2012/09/name.jpg?ver=2", "media/2012/09/name.jpg"},
		{"https://example.com/blog/wp-content/uploads/sites/3/2012/09/a.png", "media/sites/3/2012/09/a.png"},
		{"https://blog.files.wordpress.com/2012/09/name.jpg?w=300", "media/2012/09/name.jpg"},
		{"https://example.com/files/2010/05/old.gif", "media/2010/05/old.gif"},
		{"https://example.com/files/report.pdf", "media/example.com/files/report.pdf"},
		{"https://CDN.Example.net:8443/img/a.jpg", "media/cdn.example.net_8443/img/a.jpg"},
		{"https://images.example.net/photo-1?w=1268&q=80", "media/images.example.net/photo-1-4c09aec2"},
		{"https://example.com/wp-content/uploads/2012/09/caf%C3%A9%20au%20lait.jpg", "media/2012/09/café au lait.jpg"},
		{"https://example.com/wp-content/uploads/2012/09/a%3Ab%2Fc%5C%3F.jpg", "media/2012/09/a_b_c__.jpg"},
		{"https://example.com/wp-content/uploads/../../etc/passwd", "media/etc/passwd"},
		{"https://example.com/wp-content/uploads/2012/09/%2e%2e/x.jpg", "media/2012/09/x.jpg"},
		{"https://example.com/wp-content/uploads/2012/09/con.jpg", "media/2012/09/_con.jpg"},
		{"https://example.com/wp-content/uploads/2012/09/trailing.", "media/2012/09/trailing"},
		{"https://example.com/", "media/example.com/index"},
		{"https://example.com/wp-content/uploads/2012/09/" + long + ".jpg", "media/2012/09/" + strings.Repeat("한", 65) + ".jpg"},
	}
	for _, tt := range tests {
		got, err := LocalPath(tt.in)
		if err != nil {
			t.Errorf("LocalPath(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("LocalPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{"/relative.jpg", "%zz", ""} {
		if _, err := LocalPath(bad); err == nil {
			t.Errorf("LocalPath(%q) succeeded", bad)
		}
	}
}

func TestWithSuffix(t *testing.T) {
	sha := "0123456789abcdef"
	for in, want := range map[string]string{
		"media/2012/09/a.jpg":   "media/2012/09/a-01234567.jpg",
		"media/x.org/photo-1":   "media/x.org/photo-1-01234567",
		"media/2012/09/.htfile": "media/2012/09/.htfile-01234567",
	} {
		if got := withSuffix(in, sha); got != want {
			t.Errorf("withSuffix(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkSafe fails unless p is a path every common OS accepts, inside media/.
func checkSafe(t *testing.T, in, p string) {
	t.Helper()
	if !strings.HasPrefix(p, Root+"/") || !fs.ValidPath(p) || !utf8.ValidString(p) {
		t.Fatalf("LocalPath(%q) = %q: not a valid path under media/", in, p)
	}
	for _, seg := range strings.Split(p, "/") {
		if len(seg) > 255 || seg == "" || seg == "." || seg == ".." {
			t.Fatalf("LocalPath(%q) = %q: bad segment %q", in, p, seg)
		}
		if strings.ContainsAny(seg, "<>:\"\\|?*") || strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") {
			t.Fatalf("LocalPath(%q) = %q: unsafe segment %q", in, p, seg)
		}
		for _, r := range seg {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("LocalPath(%q) = %q: control character", in, p)
			}
		}
		if isReservedName(seg) {
			t.Fatalf("LocalPath(%q) = %q: reserved name %q", in, p, seg)
		}
	}
}

func FuzzLocalPath(f *testing.F) {
	f.Add("https://example.com/wp-content/uploads/2012/09/name.jpg")
	f.Add("https://x.org/a%00b/..%2f../CON .txt?x=1")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := LocalPath(s)
		if err != nil {
			return
		}
		checkSafe(t, s, p)
		checkSafe(t, s, withSuffix(p, "0123456789abcdef"))
	})
}
