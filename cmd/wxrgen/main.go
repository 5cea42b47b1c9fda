// Command wxrgen writes a synthetic WordPress export for benchmarks:
//
//	go run ./cmd/wxrgen -posts 50000 [-template export.xml] [-seed 1] -o out.xml
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wparchive/wparchive/wxr/wxrgen"
)

func main() {
	posts := flag.Int("posts", 1000, "number of posts to generate")
	seed := flag.Int64("seed", 1, "seed for the dates")
	tmpl := flag.String("template", "", "export whose posts are copied (default: built-in)")
	out := flag.String("o", "", "output file (default: stdout)")
	flag.Parse()
	if err := run(*posts, *seed, *tmpl, *out); err != nil {
		fmt.Fprintln(os.Stderr, "wxrgen:", err)
		os.Exit(1)
	}
}

func run(posts int, seed int64, tmpl, out string) error {
	opts := wxrgen.Options{Posts: posts, Seed: seed}
	if tmpl != "" {
		f, err := os.Open(tmpl)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.Template = f
	}
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if err := wxrgen.Generate(w, opts); err != nil {
			return err
		}
		return f.Close()
	}
	return wxrgen.Generate(w, opts)
}
