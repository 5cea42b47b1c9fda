#!/usr/bin/env bash
# End-to-end benchmark of 'wparchive convert' on generated exports.
#
#   bench/run.sh [--peer] [POSTS...]     (default sizes: 1000 10000 50000)
#
# Builds the binary, generates the exports once into bench/out/ (cached,
# keyed by the generator's build), converts each with --no-media under GNU
# time and prints posts, export MB, wall s, posts/s, MB/s and peak RSS MB.
# The posts, pages, comments and terms copied are those of the WordPress
# theme unit test export in ../shared/fixtures when it is there, else the
# generator's built-in template; TEMPLATE=export.xml copies that export's,
# TEMPLATE=builtin the built-in template's. --peer also runs
# wordpress-export-to-markdown (npm) on the exports of at most PEER_MAX
# posts (default 10000: it needs minutes at 50k).
# OUTDIR=/dev/shm writes the archives there (default bench/out), to take the
# disk out of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"

peer=0
sizes=()
for a in "$@"; do
	case $a in
	--peer) peer=1 ;;
	*[!0-9]* | '') echo "usage: bench/run.sh [--peer] [POSTS...]" >&2; exit 2 ;;
	*) sizes+=("$a") ;;
	esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)

if ! /usr/bin/time -v true >/dev/null 2>&1; then
	apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

wptt=../shared/fixtures/wxr/wptt__themeunittestdata.wordpress.xml
if [ -z "${TEMPLATE:-}" ] && [ -s "$wptt" ]; then
	TEMPLATE=$wptt
fi
[ "${TEMPLATE:-}" != builtin ] || TEMPLATE=
echo "template: ${TEMPLATE:-built-in}" >&2

go build -o "$out/wparchive" ./cmd/wparchive
go build -o "$out/wxrgen" ./cmd/wxrgen
key=$(cat "$out/wxrgen" ${TEMPLATE:+"$TEMPLATE"} | sha256sum | cut -c1-10)

if [ $peer = 1 ] && [ ! -x "$out/node_modules/.bin/wordpress-export-to-markdown" ]; then
	(cd "$out" && npm install --no-audit --no-fund --silent wordpress-export-to-markdown)
fi

# measure NAME POSTS FILE CMD...: runs CMD under GNU time, prints a row.
measure() {
	local name=$1 posts=$2 file=$3
	shift 3
	local log="$out/time-$name-$posts.txt"
	if ! /usr/bin/time -v -o "$log" "$@" >"$out/run-$name-$posts.log" 2>&1; then
		echo "$name $posts: failed, see $out/run-$name-$posts.log" >&2
	fi
	awk -v name="$name" -v posts="$posts" -v bytes="$(stat -c %s "$file")" '
		/Elapsed \(wall clock\)/ {
			n = split($NF, p, ":"); s = 0
			for (i = 1; i <= n; i++) s = s * 60 + p[i]
		}
		/Maximum resident set size/ { rss = $NF / 1024 }
		/Exit status/ { code = $NF }
		END {
			mb = bytes / 1e6
			printf "%-10s %7d %9.1f %8.2f %9.0f %7.1f %9.1f %5s\n", name, posts, mb, s, posts / s, mb / s, rss, code
		}' "$log"
}

printf "%-10s %7s %9s %8s %9s %7s %9s %5s\n" tool posts export_MB wall_s posts/s MB/s peak_MB exit
for n in "${sizes[@]}"; do
	file="$out/export-$n-$key.xml"
	if [ ! -s "$file" ]; then
		"$out/wxrgen" -posts "$n" ${TEMPLATE:+-template "$TEMPLATE"} -o "$file.tmp"
		mv "$file.tmp" "$file"
	fi
	dir="${OUTDIR:-$out}/archive-$n"
	rm -rf "$dir"
	measure wparchive "$n" "$file" "$out/wparchive" convert "$file" -o "$dir" -q --no-media
	if [ $peer = 1 ] && [ "$n" -le "${PEER_MAX:-10000}" ]; then
		rm -rf "${OUTDIR:-$out}/peer-$n"
		measure wetm "$n" "$file" node "$out/node_modules/wordpress-export-to-markdown/index.js" \
			--wizard false --input "$file" --output "${OUTDIR:-$out}/peer-$n" \
			--save-attached-images false --save-scraped-images false
	fi
	rm -rf "$dir" "${OUTDIR:-$out}/peer-$n"
done
