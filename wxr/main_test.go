package wxr

import "flag"

// update regenerates golden files: go test ./wxr/ -update
var update = flag.Bool("update", false, "rewrite golden files")
