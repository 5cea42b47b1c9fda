#!/usr/bin/env bash
# Rewrites cmd/wparchive/default.pgo, the CPU profile 'go build' optimises
# the binary with (profile-guided optimisation):
#
#   bench/pgo.sh
#
# It converts two generated exports of 10,000 posts, one copying the
# WordPress theme unit test export (when ../shared/fixtures holds it), one
# the generator's built-in template, with --no-media and --cpuprofile, and
# merges the two profiles. Run it again when the conversion changes a lot:
# a stale profile still builds, it only helps less.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
wptt=../shared/fixtures/wxr/wptt__themeunittestdata.wordpress.xml

go build -o "$out/wparchive" ./cmd/wparchive
go build -o "$out/wxrgen" ./cmd/wxrgen
profiles=()
for tmpl in "$wptt" builtin; do
	if [ "$tmpl" != builtin ] && [ ! -s "$tmpl" ]; then
		echo "$tmpl not found: profiling the built-in template only" >&2
		continue
	fi
	name=${tmpl##*/}
	file="$out/pgo-$name.xml"
	if [ "$tmpl" = builtin ]; then
		"$out/wxrgen" -posts 10000 -o "$file"
	else
		"$out/wxrgen" -posts 10000 -template "$tmpl" -o "$file"
	fi
	rm -rf "$out/pgo-archive"
	"$out/wparchive" convert "$file" -o "$out/pgo-archive" -q --no-media --cpuprofile "$out/pgo-$name.prof"
	profiles+=("$out/pgo-$name.prof")
	rm -rf "$out/pgo-archive" "$file"
done
go tool pprof -proto "${profiles[@]}" >cmd/wparchive/default.pgo
rm -f "${profiles[@]}"
echo "wrote cmd/wparchive/default.pgo from ${#profiles[@]} profiles" >&2
