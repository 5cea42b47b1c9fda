// Command wparchive turns a WordPress site into a portable, verifiable archive.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/wparchive/wparchive/cmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		keepHeapFloor(ctx) // GOGC or GOMEMLIMIT leave Go's own pacing, as set
	}
	code := cmd.Main(ctx, cmd.System(), os.Args[1:])
	stop()
	os.Exit(code)
}
