package wxrgen

import "flag"

// update regenerates golden files: go test ./wxr/wxrgen/ -update
var update = flag.Bool("update", false, "rewrite golden files")
