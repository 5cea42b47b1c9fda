package convert

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/wparchive/wparchive/wxr"
	"github.com/wparchive/wparchive/wxr/wxrgen"
)

// generatedContents returns the contents of the generated export's posts,
// the input BenchmarkConvertGenerated converts.
func generatedContents(tb testing.TB) []string {
	tb.Helper()
	var buf bytes.Buffer
	if err := wxrgen.Generate(&buf, wxrgen.Options{Posts: 500, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	dec := wxr.NewDecoder(bytes.NewReader(buf.Bytes()), wxr.Options{Name: "generated"})
	var out []string
	for {
		it, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		if it.Type == wxr.TypePost && strings.TrimSpace(it.Content) != "" {
			out = append(out, it.Content)
		}
	}
	return out
}

// BenchmarkPrepare measures the steps before the HTML parse one by one, over
// the generated posts; one op is one post.
func BenchmarkPrepare(b *testing.B) {
	var classic, blocks, expanded []string
	for _, s := range generatedContents(b) {
		if hasBlocks(s) {
			blocks = append(blocks, s)
			x := &expansion{src: &Source{}}
			var unknown []string
			expanded = append(expanded, renderBlocks(x, parseBlocks(s), &unknown))
		} else {
			classic = append(classic, s)
			expanded = append(expanded, wpautop(autoEmbed(s)))
		}
	}
	run := func(name string, in []string, f func(string)) {
		b.Run(name, func(b *testing.B) {
			if len(in) == 0 {
				b.Skip("no input")
			}
			b.ReportAllocs()
			i := 0
			cpu := startCPU(b)
			for b.Loop() {
				f(in[i%len(in)])
				i++
			}
			cpu.report(b.N)
		})
	}
	run("wpautop", classic, func(s string) { wpautop(s) })
	run("parseBlocks", blocks, func(s string) { parseBlocks(s) })
	run("blocks", blocks, func(s string) {
		var unknown []string
		renderBlocks(&expansion{src: &Source{}}, parseBlocks(s), &unknown)
	})
	src := &Source{Index: testIndex()}
	run("expand", expanded, func(s string) { (&expansion{src: src}).expand(s) })
}
