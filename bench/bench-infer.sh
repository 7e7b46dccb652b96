#!/bin/sh
# Build and run the wip_infer micro-benchmark (ns per learn / model call).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${TMPDIR:-/tmp}/wip_bench_infer.$$
gcc -O2 -Wall -Wextra -I "$root/plugin" "$here/bench_infer.c" "$root/plugin/wip_infer.c" "$root/plugin/wip_frame.c" "$root/plugin/wip_tlv.c" \
    $(pkg-config --cflags --libs glib-2.0) -lm -o "$out"
"$out" "$@"
rc=$?
rm -f "$out"
exit $rc
