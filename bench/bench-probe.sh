#!/bin/sh
# ns per classified packet for the probe core (wip_probe.c).
set -e
cd "$(dirname "$0")/.."
out=${TMPDIR:-/tmp}/bench_probe.$$
extra=""
[ -f plugin/wip_pkt.c ] && extra=plugin/wip_pkt.c
gcc -O2 -Wall -Wextra -I plugin bench/bench_probe.c plugin/wip_probe.c $extra \
    $(pkg-config --cflags --libs glib-2.0) -o "$out"
"$out"
rm -f "$out"
