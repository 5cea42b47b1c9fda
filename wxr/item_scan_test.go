package wxr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// fullRead is what a full read of an export gives.
type fullRead struct {
	items    []*Item
	site     *Site
	warnings []string
	err      string
	scanned  int // items the scanner read
}

// readFull reads the export from r, with the scanner or with tokens only.
func readFull(r io.Reader, scan bool) fullRead {
	var res fullRead
	d := NewDecoder(r, Options{Name: "in.xml", Warn: func(w Warning) {
		res.warnings = append(res.warnings, w.String())
	}})
	if !scan {
		d.scan = nil
	}
	for {
		it, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.err = err.Error()
			break
		}
		res.items = append(res.items, it)
	}
	res.site = d.Site()
	if d.scan != nil {
		res.scanned = d.scan.scanned
	}
	return res
}

// diffFull reports how the scanning read differs from the token one on
// data, read whole, a byte at a time and in halves (whole only unless
// all); it also returns how many items the scanner read. Each way of
// reading is compared with the token read of the same pieces: where the
// cleaner notes that an export is not UTF-8 depends on them.
func diffFull(data []byte, all bool) (string, int) {
	scanned := 0
	readers := []func() io.Reader{func() io.Reader { return bytes.NewReader(data) }}
	if all {
		readers = append(readers,
			func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) })
	}
	for _, r := range readers {
		want := readFull(r(), false)
		got := readFull(r(), true)
		scanned = got.scanned
		if !reflect.DeepEqual(got.items, want.items) {
			return fmt.Sprintf("items differ:\n got %s\nwant %s", jsonItems(got.items), jsonItems(want.items)), 0
		}
		if !reflect.DeepEqual(got.site, want.site) {
			return fmt.Sprintf("site differs:\n got %+v\nwant %+v", got.site, want.site), 0
		}
		if got.err != want.err {
			return fmt.Sprintf("error = %q, want %q", got.err, want.err), 0
		}
		if !slices.Equal(got.warnings, want.warnings) {
			return fmt.Sprintf("warnings differ:\n got %q\nwant %q", got.warnings, want.warnings), 0
		}
	}
	return "", scanned
}

func jsonItems(items []*Item) string {
	dumped := make([]dumpItem, len(items))
	for i, it := range items {
		dumped[i] = dumpItem{Pos: it.Pos.String(), Password: it.Password, Item: it}
	}
	b, _ := json.MarshalIndent(dumped, "", " ")
	return string(b)
}

// TestItemScanDifferential reads the shared fixtures, the golden cases and
// the fuzz corpora with the scanner and with tokens only. The fixtures that
// are plain exports must be read by the scanner alone.
func TestItemScanDifferential(t *testing.T) {
	inputs := differentialInputs(t)
	fixtures := map[string]bool{}
	if fx := fixturesDirOrEmpty(t); fx != "" {
		for _, name := range addFixtureInputs(t, fx, inputs) {
			fixtures[name] = true
		}
	} else {
		t.Log("shared WXR fixtures absent: compared on the golden cases and the fuzz corpus only")
	}
	// Fixtures the scanner hands items of back, and why.
	handedBack := map[string]string{
		"wpi__malformed.xml": "an unclosed element inside an item",
	}
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			d, scanned := diffFull(data, true)
			if d != "" {
				t.Fatal(d)
			}
			if fixtures[name] && handedBack[name] == "" {
				if items := len(readFull(bytes.NewReader(data), false).items); scanned != items {
					t.Errorf("the scanner read %d of %d items", scanned, items)
				}
			}
		})
	}
}

// itemScanCases are item bodies, each read in an otherwise plain export.
var itemScanCases = map[string]string{
	"plain": "",
	"full": `<link> http://x/p </link><pubDate> Mon, 01 Jan 2024 </pubDate><dc:creator><![CDATA[ ann ]]></dc:creator>` +
		`<description>d</description><guid isPermaLink="false">g</guid>` +
		`<content:encoded><![CDATA[<p>body</p>]]></content:encoded><excerpt:encoded><![CDATA[ex]]></excerpt:encoded>` +
		`<wp:post_date>2024-01-01</wp:post_date><wp:post_date_gmt>2024-01-01 1</wp:post_date_gmt>` +
		`<wp:post_modified>m</wp:post_modified><wp:post_modified_gmt>mg</wp:post_modified_gmt>` +
		`<wp:comment_status>open</wp:comment_status><wp:ping_status>closed</wp:ping_status>` +
		`<wp:post_name>slug</wp:post_name><wp:status>publish</wp:status><wp:post_parent>3</wp:post_parent>` +
		`<wp:menu_order>-2</wp:menu_order><wp:post_type>post</wp:post_type><wp:post_password> pw </wp:post_password>` +
		`<wp:is_sticky>1</wp:is_sticky><wp:attachment_url> http://x/a.jpg </wp:attachment_url>`,
	"sticky values":      "<wp:is_sticky> 0 </wp:is_sticky><wp:is_sticky/><wp:is_sticky>x</wp:is_sticky>",
	"split cdata":        "<content:encoded><![CDATA[a ]]]]><![CDATA[> b]]>text<![CDATA[c]]></content:encoded>",
	"cdata end repaired": "<content:encoded><![CDATA[a ]]> b]]></content:encoded>",
	"entities":           "<content:encoded>a &amp; b&nbsp;c &#233; &#x41; &bogus; & d &#; &lt;p&gt;</content:encoded><title>&quot;t&apos;</title>",
	"illegal char ref":   "<content:encoded>a&#1;</content:encoded>",
	"cr":                 "<content:encoded>a\r\nb\rc<![CDATA[x\r\ny\r]]>\r</content:encoded>",
	"categories":         `<category domain="category" nicename="news"><![CDATA[News]]></category><category><![CDATA[News]]></category><category domain='tag' nicename=' a&amp;b '>T &amp; U</category><category domain="post_format" nicename="x" domain="post_tag">Q</category>`,
	"category prefixed":  `<category xml:lang="en" nicename="n" domain = 'c' >C</category><category/>`,
	"category cr attr":   "<category domain=\"a\r\nb\" nicename=\"&#32;n\">C</category>",
	"attr lt":            `<category domain="a<b">C</category>`,
	"empty elements":     "<wp:post_id/><content:encoded/><wp:postmeta/><wp:comment/><title/><category/>",
	"bad ints":           "<wp:post_parent>12x</wp:post_parent><wp:menu_order> 99999999999999999999 </wp:menu_order><wp:post_id> </wp:post_id>",
	"postmeta":           "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[ 5 ]]></wp:meta_value><foo:x><y/></foo:x><wp:other>o</wp:other></wp:postmeta>",
	"comments": "<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_author><![CDATA[ Bob ]]></wp:comment_author>" +
		"<wp:comment_author_email> b@x </wp:comment_author_email><wp:comment_author_url>u</wp:comment_author_url>" +
		"<wp:comment_author_IP>1.2.3.4</wp:comment_author_IP><wp:comment_date>d</wp:comment_date><wp:comment_date_gmt>g</wp:comment_date_gmt>" +
		"<wp:comment_content><![CDATA[Hi &amp; bye]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>" +
		"<wp:comment_type>pingback</wp:comment_type><wp:comment_parent>x1</wp:comment_parent><wp:comment_user_id>2</wp:comment_user_id>" +
		"<wp:comment_agent> Mozilla </wp:comment_agent>" +
		"<wp:commentmeta><wp:meta_key>akismet</wp:meta_key><wp:meta_value>true</wp:meta_value></wp:commentmeta>" +
		"<wp:commentmeta><wp:meta_key>k2</wp:meta_key><foo:bar>z</foo:bar></wp:commentmeta><dc:x>y</dc:x><wp:unknown><a/></wp:unknown>" +
		"</wp:comment><wp:comment><wp:comment_id>8</wp:comment_id><wp:comment_user_id>1e3</wp:comment_user_id></wp:comment>",
	"comment text child":   "<wp:comment><wp:comment_content>a<b>c</b></wp:comment_content></wp:comment>",
	"comment unbound":      "<wp:comment><zz:x>1</zz:x><excerpt:y>2</excerpt:y></wp:comment>",
	"foreign element":      `<atom:link href="http://x" rel="self"/><foo:bar>x<foo:baz a="1">y</foo:baz></foo:bar><unknown>u</unknown>`,
	"foreign declared":     `<foo:bar xmlns:foo="urn:foo">x</foo:bar>`,
	"namespace redeclared": `<wp:post_name xmlns:wp="urn:x">n</wp:post_name>`,
	"default namespace":    `<title xmlns="urn:x">t</title>`,
	"child in text":        "<title>a<b>c</b></title><content:encoded>x<br/>y</content:encoded>",
	"mismatch":             "<wp:post_name>n</wp:post_type>",
	"mismatch in comment":  "<wp:comment><wp:comment_id>1</wp:comment_author></wp:comment>",
	"mismatch in skip":     "<foo:a><foo:b></foo:a></foo:b>",
	"pi":                   "<?php x ?>",
	"xml comments":         "<!-- a - b --><title><!-- c -->t</title><wp:comment><!-- x --><wp:comment_id>1</wp:comment_id></wp:comment>",
	"bad xml comment":      "<!-- a -- b -->",
	"cdata end in text":    "<title>a ]]&gt; b ]]> c</title>",
	"text between fields":  "some text <title>t</title> &amp; more ]]> ",
	"name with dot":        "<a.b>x</a.b><_x:y-z>q</_x:y-z>",
	"non-ascii name":       "<é>x</é>",
	"invalid utf8":         "<content:encoded>a\xffb\xfe</content:encoded><title>\xc3</title>",
	"control chars":        "<content:encoded>a\x01b\x02</content:encoded><wp:comment><wp:comment_content>\x0b</wp:comment_content></wp:comment>",
	"nonchar":              "<title>a\uFFFE</title>",
	"unbound prefix":       "<excerpt:encoded>e</excerpt:encoded><foo:bar>x</foo:bar>",
	"deep":                 strings.Repeat("<x>", 1200) + strings.Repeat("</x>", 1200),
	"deep edge":            strings.Repeat("<x>", 996) + "<y/>" + strings.Repeat("</x>", 996),
	"deep edge 2":          strings.Repeat("<x>", 997) + "<y/>" + strings.Repeat("</x>", 997),
	"deep in comment":      "<wp:comment>" + strings.Repeat("<x>", 995) + "<y/>" + strings.Repeat("</x>", 995) + "</wp:comment>",
	"deep in comment 2":    "<wp:comment>" + strings.Repeat("<x>", 996) + "<y/>" + strings.Repeat("</x>", 996) + "</wp:comment>",
	"unquoted attribute":   `<category domain=tag>t</category>`,
	"attribute no value":   `<category domain>t</category>`,
	"directive":            `<!DOCTYPE x>`,
	"end tag space":        "<title >t</title ><wp:post_id >4</wp:post_id\n>",
}

// Heads of the exports the cases are read in: as WordPress writes them, and
// with only the wp prefix declared.
const (
	itemScanHead = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:atom="http://www.w3.org/2005/Atom" xmlns:foo="urn:foo">
<channel><title>S</title><wp:wxr_version>1.2</wp:wxr_version>`
	itemScanHeadWP = `<rss><channel xmlns:wp="https://wordpress.org/export/1.1/">`
)

// itemScanDoc is an export with three items, the second holding body.
func itemScanDoc(head, body, tail string) string {
	item := func(id int, body string) string {
		return fmt.Sprintf("\n<item><title>T%d</title><wp:post_id>%d</wp:post_id>%s</item>", id, id, body)
	}
	return head + item(1, "") + item(2, body) + item(3, "") + tail
}

// TestItemScanCases checks the cases above, each followed by the end of
// the export, by nothing, and by channel elements, and cut short at every
// point of the item that holds it.
func TestItemScanCases(t *testing.T) {
	for name, body := range itemScanCases {
		t.Run(name, func(t *testing.T) {
			for _, head := range []string{itemScanHead, itemScanHeadWP} {
				for _, tail := range []string{"\n</channel></rss>\n", "", "\n<wp:term><wp:term_slug>s</wp:term_slug></wp:term></channel></rss>"} {
					doc := itemScanDoc(head, body, tail)
					if d, _ := diffFull([]byte(doc), true); d != "" {
						t.Fatalf("head %.20q, tail %q: %s", head, tail, d)
					}
				}
			}
			if len(body) > 2000 {
				return
			}
			doc := itemScanDoc(itemScanHead, body, "")
			from := strings.Index(doc, "<item><title>T2")
			for n := from; n < len(doc); n++ {
				if d, _ := diffFull([]byte(doc[:n]), false); d != "" {
					t.Fatalf("cut after %d bytes, %q: %s", n, doc[from:n], d)
				}
			}
		})
	}
}

// TestItemScanReads checks that the scanner reads plain items itself, so
// that the differential tests compare something.
func TestItemScanReads(t *testing.T) {
	for _, name := range []string{"plain", "full", "comments", "categories", "split cdata", "entities", "postmeta", "foreign element", "invalid utf8", "bad ints"} {
		res := readFull(strings.NewReader(itemScanDoc(itemScanHead, itemScanCases[name], "</channel></rss>")), true)
		if res.err != "" || res.scanned != 3 {
			t.Errorf("%s: the scanner read %d of 3 items (error %q)", name, res.scanned, res.err)
		}
	}
}

func FuzzItemScan(f *testing.F) {
	addDecodeCases(f)
	for _, name := range []string{"full", "comments", "categories", "split cdata", "entities", "cr", "invalid utf8", "xml comments"} {
		f.Add([]byte(itemScanDoc(itemScanHead, itemScanCases[name], "</channel></rss>")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if d, _ := diffFull(data, true); d != "" {
			t.Fatal(d)
		}
	})
}

// TestItemScanLateNote checks the order of an item's warnings when the
// cleaner finds, in the middle of that item, that an export without a
// declared encoding is not UTF-8: its note comes between the item's own
// warnings, where the token read gives it.
func TestItemScanLateNote(t *testing.T) {
	for _, pad := range []int{cleanChunk - 400, cleanChunk - 200, cleanChunk - 100} {
		body := "<wp:post_parent>x</wp:post_parent><content:encoded>" + strings.Repeat("a", 300) +
			"caf\xe9</content:encoded><wp:menu_order>y</wp:menu_order>"
		doc := itemScanDoc(itemScanHead, body, "</channel></rss>")
		at := strings.Index(doc, "\n<item><title>T2")
		doc = doc[:at] + "\n<!--" + strings.Repeat("p", pad-at-len("\n<!---->")) + "-->" + doc[at:]
		d, scanned := diffFull([]byte(doc), true)
		if d != "" {
			t.Fatalf("pad %d: %s", pad, d)
		}
		if scanned != 3 {
			t.Errorf("pad %d: the scanner read %d of 3 items", pad, scanned)
		}
	}
}
