//go:build linux

package archive

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncFS flushes the whole file system holding f: one call instead of an
// fsync per file.
func syncFS(f *os.File) error { return unix.Syncfs(int(f.Fd())) }
