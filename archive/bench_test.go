package archive_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/wparchive/wparchive/archive"
	"github.com/wparchive/wparchive/convert"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// BenchmarkConvertEndToEnd archives a generated export (2,000 posts, or
// WPARCHIVE_BENCH_POSTS) held in memory into a temporary folder, on all
// cores, without media, and reports posts/s and input MB/s. With
// WPARCHIVE_BENCH_HEAP=FILE it also writes a heap profile when the run
// reaches its finishing phase, to see what a large run holds at its peak.
func BenchmarkConvertEndToEnd(b *testing.B) {
	posts := 2000
	if s := os.Getenv("WPARCHIVE_BENCH_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("WPARCHIVE_BENCH_POSTS: %v", err)
		}
		posts = n
	}
	var buf bytes.Buffer
	if err := wxrgen.Generate(&buf, wxrgen.Options{Posts: posts, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	conv, err := convert.New(convert.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		fsys, err := archive.OpenRootFS(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		in := archive.NewWXRInput("bench.xml")
		in.Open = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
		var rep archive.Reporter = archive.Discard{}
		if f := os.Getenv("WPARCHIVE_BENCH_HEAP"); f != "" {
			rep = &heapAtFinish{b: b, file: f}
		}
		b.StartTimer()
		start := time.Now()
		r, err := archive.Convert(context.Background(), archive.Options{
			Input: in, FS: fsys, Converter: conv, Reporter: rep, Tool: "bench",
			NoMedia: true, Jobs: runtime.GOMAXPROCS(0),
		})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if r.Items.Written == 0 {
			b.Fatal("nothing written")
		}
		b.StopTimer()
		fsys.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(posts)*float64(b.N)/elapsed.Seconds(), "posts/s")
}

// heapAtFinish writes a heap profile when the run starts finishing: the
// conversion is over, and what is still live is what the run holds.
type heapAtFinish struct {
	b    *testing.B
	file string
}

func (h *heapAtFinish) Event(e archive.Event) {
	if e.Kind != archive.EventPhase || e.Phase != "finishing" {
		return
	}
	f, err := os.Create(h.file)
	if err != nil {
		h.b.Error(err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		h.b.Error(err)
	}
}
