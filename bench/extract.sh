#!/usr/bin/env bash
# Article extraction side by side: convert/page against go-trafilatura and
# go-readability on the saved pages of the fixtures (html/ and seed/), as
# saved and with every class and id attribute stripped. Prints token
# P/R/F1 against the gold text, the trafilatura with/without fragments and
# the WordPress boilerplate left, as Markdown tables.
#
#   bench/extract.sh [-fixtures DIR] [-v] [-dump PAGE]
#
# bench/extract is a module of its own so that the extractors compared
# against, and their dependencies, stay out of wparchive's go.mod.
set -euo pipefail
cd "$(dirname "$0")/extract"
exec go run . "$@"
