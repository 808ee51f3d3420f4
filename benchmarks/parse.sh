#!/usr/bin/env bash
# Parse-only throughput (issue: parsing must not be the bottleneck of a scan).
# Generates a WhatsApp export of BENCH_BYTES (default 1G) once, then times `chatsieve parse --count-only`, which
# runs the same zero-copy span parser the scan engine uses (UTF-8 check, layout analysis, span iteration).
#   benchmarks/parse.sh                 # builds release, 1 GB corpus
#   BENCH_BYTES=200M benchmarks/parse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BENCH_BYTES:-1G}
BIN=${BENCH_BIN:-.build/release/chatsieve}
[ -n "${BENCH_NO_BUILD:-}" ] || make release >&2
DIR=benchmarks/work/parse-wa-$BYTES-s1
if [ ! -d "$DIR" ]; then "$BIN" generate --format whatsapp --bytes "$BYTES" --seed 1 --out "$DIR" >&2; fi
FILE=$(ls "$DIR"/*.txt | head -1)
echo "# parse-only, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "\$ $BIN parse --count-only '$FILE'"
"$BIN" parse --count-only "$FILE" 2>&1 >/dev/null | tail -1
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 5 -N "$BIN parse --count-only '$FILE'" "wc -l '$FILE'" 2>&1 | grep -E "Time|±|Benchmark"
fi
