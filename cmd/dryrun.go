package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wparchive/wparchive/archive"
)

// output is the folder a run writes into, opened and locked. In a dry run
// nothing is opened, created or locked: the files go to an
// archive.DiscardFS, through a writer that counts them.
type output struct {
	// FS is the folder, or an archive.DiscardFS in a dry run.
	FS archive.FS
	// Root is the real folder; nil in a dry run.
	Root *archive.RootFS

	dir   string
	dry   *archive.Writer // the dry run's writer
	close func()
}

// openOutput opens and locks dir, or for a dry run prepares to write nowhere.
func openOutput(dir string, dryRun bool) (*output, error) {
	if dryRun {
		w := archive.NewWriter(archive.DiscardFS{}, nil)
		return &output{FS: archive.DiscardFS{}, dir: dir, dry: w, close: func() { w.Close() }}, nil
	}
	fsys, err := archive.OpenRootFS(dir)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	unlock, err := archive.Lock(dir)
	if err != nil {
		fsys.Close()
		return nil, err
	}
	return &output{FS: fsys, Root: fsys, dir: dir, close: func() { unlock(); fsys.Close() }}, nil
}

// Close unlocks and releases the folder.
func (o *output) Close() { o.close() }

// RunWriter is the writer archive.Options needs: the counting one in a dry
// run, nil (the run's own) otherwise.
func (o *output) RunWriter() *archive.Writer { return o.dry }

// Writer returns the writer of a run that makes its own: the counting one
// in a dry run.
func (o *output) Writer(previous *archive.Manifest) *archive.Writer {
	if o.dry != nil {
		return o.dry
	}
	return archive.NewWriter(o.FS, previous)
}

// Summary prints the end-of-run summary; a dry run's says that nothing was
// written and what a real run would write.
func (o *output) Summary(w io.Writer, rep *archive.Report, elapsed time.Duration) {
	if o.dry == nil {
		writeSummary(w, rep, o.dir, elapsed)
		return
	}
	var b bytes.Buffer
	writeSummary(&b, rep, o.dir, elapsed)
	table := strings.TrimSuffix(b.String(), "\n")
	if i := strings.LastIndexByte(table, '\n'); i >= 0 {
		table = table[:i+1] // the last line says where the archive was written
	}
	fmt.Fprint(w, strings.Replace(table, "not downloaded (--no-media)", "not downloaded (dry run)", 1))
	files, size := o.planned()
	if !rep.Complete {
		fmt.Fprintf(w, "dry run: nothing written; the run stopped early: %s\n", rep.Error)
	} else {
		fmt.Fprintln(w, "dry run: nothing written; media not downloaded")
	}
	noun := "files"
	if files == 1 {
		noun = "file"
	}
	fmt.Fprintf(w, "would write %d %s (%s) to %s\n", files, noun, byteSize(size), o.dir)
}

// Event prints, in a dry run, the files a real run would write as a JSON
// event (before the summary, which stays the last).
func (o *output) Event(w io.Writer) {
	if o.dry == nil {
		return
	}
	files, size := o.planned()
	_ = json.NewEncoder(w).Encode(struct {
		Event string `json:"event"`
		Files int    `json:"files"`
		Bytes int64  `json:"bytes"`
	}{"dry_run", files, size})
}

// planned counts the files the dry run would have written, and their bytes.
// An error of the writer's checksums has failed the run already: the
// counts are then what could be read.
func (o *output) planned() (int, int64) {
	files, size := 0, int64(0)
	_ = o.dry.EachWritten(func(_ string, s archive.Sum) error {
		files++
		size += s.Size
		return nil
	})
	return files, size
}

// byteSize is a size for people.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
