// Command wparchive turns a WordPress site into a portable, verifiable archive.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/wparchive/wparchive/cmd"
)

// memoryLimit is the heap size past which the garbage collector works
// harder rather than let the heap grow. It is soft: one huge item still
// gets the memory it needs. Lower, a 50,000-post run spends most of its time
// collecting garbage (the first pass's index of every item stays live);
// GOMEMLIMIT overrides it.
const memoryLimit = 160 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Main(ctx, cmd.System(), os.Args[1:])
	stop()
	os.Exit(code)
}
