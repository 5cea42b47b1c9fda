package archive

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wparchive/wparchive/wxr"
)

// Input is where a run's items come from: WXR export files, or pages
// captured from a live site. The run reads it twice: once to index every
// item, once to archive them one at a time.
type Input interface {
	// Index adds an entry for every item to idx and identifies the sources.
	Index(ctx context.Context, idx *wxr.Index) ([]SourceFile, error)
	// Items calls yield for every item, in a stable order, with the site
	// metadata known so far. A yield error stops it and is returned.
	Items(ctx context.Context, warn func(Warning), yield func(*wxr.Item, *wxr.Site) error) error
	// Site returns the site's metadata once Items has returned.
	Site() *wxr.Site
}

// WXRInput reads one or more WXR export files, in order: a site exported in
// several files is one Input.
type WXRInput struct {
	Names []string
	// Open opens a file; nil means os.Open.
	Open func(name string) (io.ReadCloser, error)
	site wxr.Site
	// verbatim holds the files the first pass found to need no cleaning:
	// the second reads them as they are (wxr.Options.Verbatim).
	verbatim map[string]bool
}

// NewWXRInput returns an Input over the export files names.
func NewWXRInput(names ...string) *WXRInput { return &WXRInput{Names: names} }

func (in *WXRInput) open(name string) (io.ReadCloser, error) {
	if in.Open != nil {
		return in.Open(name)
	}
	return os.Open(name)
}

// Index implements Input: the cheap first pass, hashing each file on the way.
func (in *WXRInput) Index(ctx context.Context, idx *wxr.Index) ([]SourceFile, error) {
	var out []SourceFile
	for _, name := range in.Names {
		src, err := in.indexFile(ctx, name, idx)
		if err != nil {
			return out, err
		}
		out = append(out, src)
	}
	return out, nil
}

func (in *WXRInput) indexFile(ctx context.Context, name string, idx *wxr.Index) (SourceFile, error) {
	f, err := in.open(name)
	if err != nil {
		return SourceFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(f, h)}
	// A syntax error is reported by the second pass, at its place; the index
	// keeps what came before it.
	st, ierr := wxr.BuildIndexStats(ctx, cr, wxr.Options{Name: filepath.Base(name)}, idx)
	if ctx.Err() != nil {
		return SourceFile{}, ctx.Err()
	}
	var se *wxr.SyntaxError
	if ierr != nil && !errors.As(ierr, &se) {
		return SourceFile{}, fmt.Errorf("%s: %w", name, ierr)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return SourceFile{}, fmt.Errorf("%s: %w", name, err)
	}
	if st.Verbatim {
		if in.verbatim == nil {
			in.verbatim = map[string]bool{}
		}
		in.verbatim[name] = true
	}
	return SourceFile{Name: filepath.Base(name), Size: cr.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Items implements Input. A file that cannot be parsed to its end stops at
// the syntax error, after its earlier items; the other files are still read,
// and the first error is returned.
func (in *WXRInput) Items(ctx context.Context, warn func(Warning), yield func(*wxr.Item, *wxr.Site) error) error {
	var first error
	for _, name := range in.Names {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := in.readFile(ctx, name, warn, yield)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (in *WXRInput) readFile(ctx context.Context, name string, warn func(Warning), yield func(*wxr.Item, *wxr.Site) error) error {
	f, err := in.open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := wxr.NewDecoder(f, wxr.Options{Name: filepath.Base(name), Verbatim: in.verbatim[name], Warn: func(w wxr.Warning) {
		warn(Warning{Pos: w.Pos, Message: w.Message})
	}})
	defer func() { in.site.Merge(dec.Site()) }()
	for {
		it, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := yield(it, dec.Site()); err != nil {
			return err
		}
	}
}

// Site implements Input.
func (in *WXRInput) Site() *wxr.Site { return &in.site }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
