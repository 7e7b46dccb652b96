#!/bin/bash
# Memory under the two adversarial scenarios, plugin vs --disable-protocol wip:
#   scanners: 1,000,000 distinct source addresses, one SYN probe each to 3414
#   convs:    100,000 UDP/TCP conversations of random payload
# Prints peak RSS (/usr/bin/time %M) of each, the extra MB and extra bytes
# per packet, next to the caps packet-wip.c documents.  Figures only.
#
# Usage: bench/memory.sh [runs]      (default 1 run of each variant; medians if more)
# Env:   WIP_BENCH_CACHE (default /var/tmp/wip-bench), WIP_BENCH_SCANNERS (1000000),
#        WIP_BENCH_CONVS (100000)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1}
cache=${WIP_BENCH_CACHE:-/var/tmp/wip-bench}
nscan=${WIP_BENCH_SCANNERS:-1000000}
nconv=${WIP_BENCH_CONVS:-100000}

so=$here/build/wip.so
if [ -z "${WIP_SO:-}" ] && { [ ! -f "$so" ] || [ -n "$(find "$here/packet-wip.c" "$here/plugin" -newer "$so" -name '*.[ch]' 2>/dev/null | head -1)" ]; }; then
    echo "building $so" >&2
    [ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" >/dev/null
    cmake --build "$here/build" -j"$(nproc)" >/dev/null
fi
[ -x /usr/bin/time ] || { echo "installing 'time'" >&2; apt-get install -y time >/dev/null; }
# shellcheck source=../tests/lib.sh
. "$here/tests/lib.sh" 2> >(grep -v 'Running as user' >&2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$WIP_HOME"' EXIT

mkdir -p "$cache"; chmod 755 "$cache"
gen_sum=$(md5sum "$here/bench/gen-large.py" | cut -c1-8)
capture() {   # capture NAME gen-args... -> path
    local f=$cache/$1-$gen_sum.pcap; shift
    if [ ! -f "$f" ]; then
        /usr/bin/python3 "$here/bench/gen-large.py" -o "$f.tmp" "$@" >&2
        mv "$f.tmp" "$f"
    fi
    chmod 644 "$f"
    echo "$f"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
peak() {      # peak FILE tshark-args... -> "secs kb" medians over $runs
    local f=$1; shift
    : >"$tmp/r"
    for _ in $(seq "$runs"); do
        /usr/bin/time -f '%U %S %M' -o "$tmp/t" "${WIP_AS[@]}" tshark -n -r "$f" "$@" >/dev/null 2>"$tmp/err" \
            || { echo "tshark failed:" >&2; cat "$tmp/err" >&2; exit 1; }
        awk '{ printf "%.2f %d\n", $1 + $2, $3 }' "$tmp/t" >>"$tmp/r"
    done
    echo "$(cut -d' ' -f1 "$tmp/r" | median) $(cut -d' ' -f2 "$tmp/r" | median)"
}

# caps, as documented in packet-wip.c / plugin/wip_probe.h
cap_convs=$(sed -n 's/^#define WIP_MAX_CONVS *\([0-9]*\).*/\1/p' "$here/packet-wip.c")
cap_src=$(sed -n 's/^#define WIP_PROBE_DEFAULT_MAX_SOURCES *\([0-9]*\).*/\1/p' "$here/plugin/wip_probe.h")
cap_flows=$(sed -n 's/^#define WIP_PROBE_DEFAULT_MAX_FLOWS *\([0-9]*\).*/\1/p' "$here/plugin/wip_probe.h")
cap_learn=$(sed -n 's/^#define WIP_MAX_LEARNERS *\([0-9]*\).*/\1/p' "$here/packet-wip.c")
echo "caps: $cap_convs conversations with recognition memory; probe tracker $cap_src sources + $cap_flows flows (one 3.5 MiB block); $cap_learn header learners x 900 KiB; 8192 interned strings"

scenario() {  # scenario LABEL FILE
    local label=$1 f=$2 npk on off
    npk=$(capinfos -c -M "$f" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    on=$(peak "$f"); off=$(peak "$f" --disable-protocol wip)
    awk -v l="$label" -v p="$npk" -v on="$on" -v off="$off" 'BEGIN {
        split(on, a, " "); split(off, b, " ")
        printf "%-9s %8d packets: peak RSS %7.1f MB with wip, %7.1f MB without: +%.1f MB, +%.0f bytes/packet (cpu %.1f s vs %.1f s)\n",
            l, p, a[2] / 1024, b[2] / 1024, (a[2] - b[2]) / 1024, (a[2] - b[2]) * 1024 / p, a[1], b[1]
    }'
}

scen=$(capture "scanners-$nscan" --scanners "$nscan")
scenario scanners "$scen"
conv=$(capture "convs-$nconv" --random-convs "$nconv")
scenario convs "$conv"
cat <<EOF
reading: per-packet wip state that is not capped is one probe verdict (wip_probe_store_t
+ evidence pointers + proto-data entry) per probe frame and one payload verdict per payload
frame (file scope, needed for the second pass); capped state is the tracker block, the
learners, the conversation records (<= $cap_convs) and the interned strings.
EOF
