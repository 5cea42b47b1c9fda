package live

import (
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc"
)

// capture writes every HTTP exchange of a run to one gzipped WARC file, a
// member per record so that readers can seek to any record. It is safe for
// concurrent use; records are written in the order calls arrive.
type capture struct {
	name string
	now  func() time.Time
	open func(name string) (io.WriteCloser, error)

	mu      sync.Mutex
	w       io.WriteCloser // nil until the first record
	seq     int
	records int
	err     error // the first write error: later records are dropped
	info    string
}

// warcWriter is what a capture writes to: the archive's atomic file.
type warcWriter interface {
	io.WriteCloser
	Abort(error)
}

// exchange is one request and its response as received.
type exchange struct {
	URL     string
	Request *http.Request
	Status  string // "200 OK"
	Proto   string // "HTTP/1.1"
	Header  http.Header
	Body    []byte
}

// record writes a request and a response record for x.
func (c *capture) record(x exchange) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if c.w == nil {
		w, err := c.open(c.name)
		if err != nil {
			c.err = fmt.Errorf("warc %s: %w", c.name, err)
			return c.err
		}
		c.w = w
		if err := c.write(gowarc.Warcinfo, "", "application/warc-fields", []byte(c.info), "", ""); err != nil {
			return err
		}
	}
	date := c.now().UTC()
	respID := c.recordID(x.URL, "response", date)
	if err := c.write(gowarc.Response, x.URL, "application/http;msgtype=response", responseBlock(x), respID, ""); err != nil {
		return err
	}
	if x.Request != nil {
		if err := c.write(gowarc.Request, x.URL, "application/http;msgtype=request", requestBlock(x), "", respID); err != nil {
			return err
		}
	}
	return nil
}

// write builds one record and appends it as its own gzip member. id is
// derived when empty; concurrent is the id of the response a request record
// belongs to.
func (c *capture) write(typ gowarc.RecordType, uri, contentType string, block []byte, id, concurrent string) error {
	date := c.now().UTC()
	if id == "" {
		id = c.recordID(uri, typ.String(), date)
	}
	b := gowarc.NewRecordBuilder(typ,
		gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithDefaultDigestEncoding(gowarc.Base16),
		gowarc.WithVersion(gowarc.V1_1),
		gowarc.WithBufferMaxMemBytes(64<<20),
	)
	b.AddWarcHeader(gowarc.WarcRecordID, "<"+id+">")
	b.AddWarcHeaderTime(gowarc.WarcDate, date)
	b.AddWarcHeader(gowarc.ContentType, contentType)
	if uri != "" {
		b.AddWarcHeader(gowarc.WarcTargetURI, uri)
	}
	if concurrent != "" {
		b.AddWarcHeader(gowarc.WarcConcurrentTo, "<"+concurrent+">")
	}
	if typ == gowarc.Warcinfo {
		b.AddWarcHeader(gowarc.WarcFilename, c.name[strings.LastIndex(c.name, "/")+1:])
	}
	if _, err := b.Write(block); err != nil {
		b.Close()
		return c.fail(err)
	}
	rec, _, err := b.Build()
	if err != nil {
		b.Close()
		return c.fail(err)
	}
	defer rec.Close()
	gz := gzip.NewWriter(c.w)
	if _, _, err := gowarc.NewMarshaler().Marshal(gz, rec, 0); err != nil {
		return c.fail(err)
	}
	if err := gz.Close(); err != nil {
		return c.fail(err)
	}
	c.records++
	return nil
}

func (c *capture) fail(err error) error {
	c.err = fmt.Errorf("warc %s: %w", c.name, err)
	return c.err
}

// recordID is a urn:uuid derived from the file, a sequence number, the
// record's target and the injected clock, rather than random: unique within
// the file and across runs (each run writes a new file name), and the same
// for the same sequence of exchanges.
func (c *capture) recordID(uri, kind string, date time.Time) string {
	c.seq++
	h := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%s", c.name, c.seq, kind, uri, date.Format(time.RFC3339Nano))))
	h[6] = h[6]&0x0f | 0x50 // version 5 (name-based, SHA)
	h[8] = h[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// close finishes the file. A capture that recorded nothing writes no file.
func (c *capture) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.w == nil {
		return c.err
	}
	if c.err != nil {
		if a, ok := c.w.(warcWriter); ok {
			a.Abort(c.err)
		} else {
			c.w.Close()
		}
		return c.err
	}
	if err := c.w.Close(); err != nil {
		return fmt.Errorf("warc %s: %w", c.name, err)
	}
	return nil
}

// responseBlock is the HTTP response as received, with the body as
// delivered (decoded when the transport decompressed it) and framing
// headers that describe those bytes.
func responseBlock(x exchange) []byte {
	var b strings.Builder
	proto := x.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	fmt.Fprintf(&b, "%s %s\r\n", proto, x.Status)
	h := x.Header.Clone()
	h.Del("Transfer-Encoding")
	h.Del("Content-Encoding")
	h.Set("Content-Length", fmt.Sprint(len(x.Body)))
	writeHeader(&b, h)
	b.WriteString("\r\n")
	b.Write(x.Body)
	return []byte(b.String())
}

// requestBlock is the request as sent, reconstructed from what the client
// recorded of it.
func requestBlock(x exchange) []byte {
	var b strings.Builder
	r := x.Request
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", r.Method, r.URL.RequestURI())
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Host", r.URL.Host)
	writeHeader(&b, h)
	b.WriteString("\r\n")
	return []byte(b.String())
}

func writeHeader(b *strings.Builder, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			// Header values never hold line breaks in a parsed response, but
			// a record must not be split by a hostile one either.
			v = strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
			fmt.Fprintf(b, "%s: %s\r\n", k, v)
		}
	}
}

// warcinfo is the body of the file's first record.
func warcinfo(software, userAgent string) string {
	return "software: " + software + "\r\n" +
		"format: WARC File Format 1.1\r\n" +
		"conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n" +
		"http-header-user-agent: " + userAgent + "\r\n"
}
