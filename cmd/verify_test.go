package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/archive"
)

const verifyExport = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>T</title><link>http://example.com</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Hello</title><content:encoded><![CDATA[<p>Hi</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2015-01-05 10:00:00</wp:post_date><wp:post_name>hello</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`

func TestVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(in, []byte(verifyExport), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "site")
	ios, _, errOut := Test()
	if code := Main(context.Background(), ios, []string{"convert", in, "-o", out, "-q"}); code != ExitOK {
		t.Fatalf("convert: exit %d: %s", code, errOut)
	}

	ios, stdout, errOut := Test()
	if code := Main(context.Background(), ios, []string{"verify", out}); code != ExitOK {
		t.Fatalf("verify: exit %d: %s%s", code, stdout, errOut)
	}
	if !strings.Contains(stdout.String(), "bag: OK") {
		t.Errorf("output %q", stdout)
	}

	md := filepath.Join(out, archive.PayloadDir, "posts", "2015", "01", "hello", archive.MarkdownFile)
	if err := os.WriteFile(md, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, stdout, errOut = Test()
	if code := Main(context.Background(), ios, []string{"verify", out, "--json"}); code != ExitError {
		t.Errorf("verify of a changed archive: exit %d, want %d", code, ExitError)
	}
	var res archive.VerifyResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if len(res.Problems) == 0 || res.Problems[len(res.Problems)-1].Kind != archive.Changed {
		t.Errorf("problems %+v", res.Problems)
	}
	if !strings.Contains(errOut.String(), "archive verification failed") {
		t.Errorf("stderr %q does not say verification failed", errOut)
	}

	for _, args := range [][]string{{"verify"}, {"verify", filepath.Join(dir, "nope")}, {"verify", in}} {
		ios, _, errOut = Test()
		if code := Main(context.Background(), ios, args); code == ExitOK {
			t.Errorf("%v: exit 0", args)
		} else {
			t.Logf("%v: %s", args, strings.TrimSpace(errOut.String()))
		}
	}
}
