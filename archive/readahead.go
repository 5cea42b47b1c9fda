package archive

import (
	"errors"
	"io"
	"sync"
)

// readAheadChunk is what the goroutine of readAhead reads at a time.
const readAheadChunk = 64 << 10

var errReadAheadStopped = errors.New("read-ahead stopped")

// readAhead reads src on a goroutine of its own, a chunk ahead of the
// returned reader. The first pass reads and hashes an export there while
// the index's reader cleans and scans the chunk before: nothing else can
// run during that pass, so this work is taken off its one busy goroutine.
// stop ends the goroutine and waits for it; it may be called more than
// once, and must be called before src's state (a hash, a count) is read.
func readAhead(src io.Reader) (r io.Reader, stop func()) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, readAheadChunk)
		for {
			n, err := src.Read(buf)
			// Write returns once the reader has copied all of buf[:n].
			if _, werr := pw.Write(buf[:n]); werr != nil {
				return
			}
			if err != nil {
				_ = pw.CloseWithError(err) // io.EOF reads as the end
				return
			}
		}
	}()
	var once sync.Once
	return pr, func() {
		once.Do(func() {
			_ = pr.CloseWithError(errReadAheadStopped)
			<-done
		})
	}
}
