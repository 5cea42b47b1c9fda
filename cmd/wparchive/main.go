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
// harder rather than let the heap grow: it keeps a 50,000-post run as small
// as a 1,000-post one, and yields (it is a soft limit) to one huge item.
// GOMEMLIMIT overrides it.
const memoryLimit = 80 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cmd.Main(ctx, cmd.System(), os.Args[1:])
	stop()
	os.Exit(code)
}
