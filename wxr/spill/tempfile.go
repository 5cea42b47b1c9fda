package spill

import "os"

// TempFile creates a file in dir ("" for the system's temporary folder),
// named after pattern as os.CreateTemp names it, and unlinks it at once
// where the system allows it: nothing is left behind, even after a kill.
// Where it does not, remove the file by its name after closing it.
func TempFile(dir, pattern string) (*os.File, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	_ = os.Remove(f.Name())
	return f, nil
}
