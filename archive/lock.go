package archive

import "errors"

// ErrLocked is returned when another run holds the output folder.
var ErrLocked = errors.New("output folder is in use by another wparchive run")
