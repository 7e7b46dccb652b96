#!/bin/bash
# Benchmark the recognition core alone: ns per payload per protocol sample.
# Usage: bench/bench-recog.sh [iterations-per-sample]   (prints figures, no pass/fail)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gcc -O2 -Wall -Wextra -I "$here/plugin" "$here/bench/bench_recog.c" "$here/plugin/wip_recog.c" \
    $(pkg-config --cflags --libs glib-2.0) -lm -o "$out/bench_recog"
"$out/bench_recog" "${1:-200000}"
