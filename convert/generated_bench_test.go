package convert

import (
	"bytes"
	"context"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// BenchmarkConvertGenerated converts the posts of the generated export the
// end-to-end runs use, with its index and a link rewriter for the site's
// own addresses, as the archive does.
func BenchmarkConvertGenerated(b *testing.B) {
	var buf bytes.Buffer
	if err := wxrgen.Generate(&buf, wxrgen.Options{Posts: 500, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	idx := wxr.NewIndex()
	if err := wxr.BuildIndex(ctx, bytes.NewReader(buf.Bytes()), wxr.Options{Name: "generated"}, idx); err != nil {
		b.Fatal(err)
	}
	dec := wxr.NewDecoder(bytes.NewReader(buf.Bytes()), wxr.Options{Name: "generated"})
	var posts []*wxr.Item
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		if it.Type == wxr.TypePost && strings.TrimSpace(it.Content) != "" {
			posts = append(posts, it)
		}
	}
	if len(posts) == 0 {
		b.Fatal("no posts")
	}
	link := func(href string) (string, bool) {
		rest, ok := strings.CutPrefix(href, "https://example.org/")
		if !ok || strings.HasPrefix(rest, "wp-content/") {
			return "", false
		}
		return "../" + rest, true
	}
	c := newTestConverter(b)
	// One op is one post, so allocs/op and B/op are per post.
	b.ReportAllocs()
	i := 0
	cpu := startCPU(b)
	for b.Loop() {
		it := posts[i%len(posts)]
		i++
		if _, err := c.Convert(ctx, Source{HTML: it.Content, ItemID: it.ID, Index: idx, Link: link}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "posts/s")
}

// cpuClock measures the process's CPU time (user and system, GC included)
// over a benchmark loop: on a shared machine it varies far less than wall
// time.
type cpuClock struct {
	b     *testing.B
	start time.Duration
}

func startCPU(b *testing.B) cpuClock { return cpuClock{b, processCPU(b)} }

// report adds the CPU time per post for posts converted since the start.
func (c cpuClock) report(posts int) {
	c.b.ReportMetric(float64(processCPU(c.b)-c.start)/float64(posts), "cpu-ns/post")
}

func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
