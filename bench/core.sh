#!/bin/bash
# Per-module core benchmarks, one line each (ns per call), and optionally
# callgrind instructions per packet for a whole tshark run.
#
# Usage: bench/core.sh                  the three core benches (recog, probe, infer)
#        bench/core.sh --callgrind [N]  also: tshark under callgrind on an N-packet
#                                       mixed capture (default 20000), with the plugin
#                                       and with --disable-protocol wip, and stock
#                                       tshark on the same packets with TLS/HTTP/SIP
#                                       on their own ports (native); prints
#                                       instructions per packet and the top wip functions
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" ${WIP_HOME:+"$WIP_HOME"}' EXIT

bash "$here/bench/bench-recog.sh" >"$tmp/recog" 2>&1 || { cat "$tmp/recog" >&2; exit 1; }
bash "$here/bench/bench-probe.sh" >"$tmp/probe" 2>&1 || { cat "$tmp/probe" >&2; exit 1; }
bash "$here/bench/bench-infer.sh" >"$tmp/infer" 2>&1 || { cat "$tmp/infer" >&2; exit 1; }

echo "== core modules (gcc -O2, one thread)"
awk '/^overall/ { for (i = 1; i <= NF; i++) if ($i ~ /ns\/payload/) v = $(i-1) }
     /^random-1400/ { r = $(NF) } /^text / { t = $(NF) }
     END { printf "wip_recog   %7.1f ns/payload (all samples; worst: text 540 B %.1f, random 1400 B %.1f)\n", v, t, r }' "$tmp/recog"
awk '/^all mixed/ { for (i = 1; i <= NF; i++) if ($i == "ns/packet") v = $(i-1) }
     /^1M distinct/ { for (i = 1; i <= NF; i++) if ($i == "ns/packet") d = $(i-1) }
     /^tracker:/ { sub(/^tracker: /, ""); tr = $0 }
     END { printf "wip_probe   %7.1f ns/packet (mixed scans+sessions; 1M distinct sources %.1f; %s)\n", v, d, tr }' "$tmp/probe"
awk '/^learn / { l = $2 } /^model / { m = $2 } /^learner size/ { s = $3 }
     END { printf "wip_infer   %7.1f ns/learn call, %.1f ns/model call (every %d messages per learner: ~%.0f ns/message; learner %d bytes)\n", l, m, 8, l + m / 8, s }' "$tmp/infer"

[ "${1:-}" = "--callgrind" ] || exit 0
n=${2:-20000}
command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 1; }
so=$here/build/wip.so
if [ -z "${WIP_SO:-}" ] && { [ ! -f "$so" ] || [ -n "$(find "$here/packet-wip.c" "$here/plugin" -newer "$so" -name '*.[ch]' 2>/dev/null | head -1)" ]; }; then
    [ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" >/dev/null
    cmake --build "$here/build" -j"$(nproc)" >/dev/null
fi
# shellcheck source=../tests/lib.sh
. "$here/tests/lib.sh" 2> >(grep -v 'Running as user' >&2)
trap 'rm -rf "$tmp" "$WIP_HOME"' EXIT
chmod 777 "$tmp"
/usr/bin/python3 "$here/bench/gen-large.py" -o "$tmp/small.pcap" --packets "$n" 2>/dev/null
/usr/bin/python3 "$here/bench/gen-large.py" -o "$tmp/native.pcap" --packets "$n" --native-ports 2>/dev/null
chmod 644 "$tmp/small.pcap" "$tmp/native.pcap"
npk=$(capinfos -c -M "$tmp/small.pcap" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')

cg() {   # cg OUT tshark-args... -> total instructions   (env CG_PCAP: another capture)
    local out=$1; shift
    "${WIP_AS[@]}" valgrind --tool=callgrind --callgrind-out-file="$tmp/$out" \
        tshark -n -r "${CG_PCAP:-$tmp/small.pcap}" "$@" >/dev/null 2>"$tmp/$out.err" || { cat "$tmp/$out.err" >&2; exit 1; }
    sed -n 's/^summary: *//p; s/^totals: *//p' "$tmp/$out" | head -1
}
echo "== callgrind: tshark -n -r (mixed capture, $npk packets)"
on=$(cg on.cg); off=$(cg off.cg --disable-protocol wip)
on1=$(cg on1.cg -c 1); off1=$(cg off1.cg -c 1 --disable-protocol wip)
nat=$(CG_PCAP=$tmp/native.pcap cg nat.cg --disable-protocol wip)
nat1=$(CG_PCAP=$tmp/native.pcap cg nat1.cg -c 1 --disable-protocol wip)
awk -v on="$on" -v off="$off" -v on1="$on1" -v off1="$off1" -v nat="$nat" -v nat1="$nat1" -v p="$npk" 'BEGIN {
    a = (on - on1) / (p - 1); b = (off - off1) / (p - 1); c = (nat - nat1) / (p - 1)
    printf "instructions/packet (startup subtracted): %.0f with wip, %.0f without: +%.0f (x%.3f); startup +%.1f M\n",
        a, b, a - b, a / b, (on1 - off1) / 1e6
    printf "native baseline (same packets, TLS/HTTP/SIP on 443/80/5060, stock): %.0f: wip +%.0f (x%.3f)\n",
        c, a - c, a / c }'
echo "top functions of the wip plugin (inclusive instructions per packet):"
callgrind_annotate --inclusive=yes --threshold=100 "$tmp/on.cg" 2>/dev/null |
    awk -v p="$npk" '/wip\.so|packet-wip|wip_[a-z_]+\.c/ && $1 ~ /^[0-9,]+$/ {
        v = $1; gsub(/,/, "", v); $1 = ""; printf "  %9.0f %s\n", v / p, $0 }' | head -20
