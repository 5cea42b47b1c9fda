package wxr

import (
	"io"
	"sync"
)

// cleanAhead cleans r on a goroutine of its own and returns the cleaned
// stream, for a Decoder whose cleaner passes it through (cleaner.passthrough).
// BuildIndex reads this way when nobody takes its warnings: the cleaning,
// a third of the reading, then runs beside the scanning instead of before
// it, and nothing else runs during that pass. The stream is the one the
// Decoder's own cleaner would give, so items, errors and their positions
// are too; only the cleaner's notes are lost, as nobody takes them. stop
// ends the goroutine and waits for it; it may be called more than once.
// verbatim, once stop has returned, says whether the whole of r was read
// and needed no cleaning.
func cleanAhead(r io.Reader, name string) (cleaned io.Reader, stop func(), verbatim func() bool) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	whole := false
	c := newCleaner(r, name, nil)
	go func() {
		defer close(done)
		for {
			b, err := c.takeChunk()
			if err != nil {
				whole = err == io.EOF
				_ = pw.CloseWithError(err) // io.EOF reads as the end
				return
			}
			// Write returns once the reader has copied all of b.
			if _, err := pw.Write(b); err != nil {
				return
			}
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			_ = pr.CloseWithError(io.ErrClosedPipe)
			<-done
		})
	}
	return pr, stop, func() bool { return whole && !c.changed }
}
