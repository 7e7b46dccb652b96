#!/bin/sh
# Build the evaluation against plugin/wip_infer.c and print the 3/10/100 table.
# usage: eval/run.sh [eval_infer options: -p N -c N -s seed -n msgs -v]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${TMPDIR:-/tmp}/wip_eval_infer.$$
gcc -O2 -Wall -Wextra -I "$root/plugin" -I "$here" "$here/eval_infer.c" "$root/plugin/wip_infer.c" "$root/plugin/wip_frame.c" "$root/plugin/wip_tlv.c" \
    $(pkg-config --cflags --libs glib-2.0) -lm -o "$out"
"$out" "$@"
rc=$?
rm -f "$out"
exit $rc
