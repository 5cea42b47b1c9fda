//go:build !linux

package archive

import "os"

// syncFS flushes f's folder where the platform cannot flush a file system.
func syncFS(f *os.File) error { return f.Sync() }
