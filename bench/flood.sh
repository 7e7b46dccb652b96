#!/bin/bash
# Cost of a one-packet-scanner flood (every packet a SYN from a new source,
# gen-large.py --scanners N) and of the mixed capture, as callgrind
# instruction counts of whole tshark runs, with the plugin and with
# --disable-protocol wip; the startup (a -c 1 run of each) is subtracted,
# so the ratio is per packet.  Prints figures only.
#
# Usage: bench/flood.sh [N]      (default 50000 packets per capture)
# Env:   WIP_SO  another build;  FLOOD_MIXED=0  skip the mixed capture;
#        FLOOD_FLOOD=0  skip the flood capture
# Instruction counts of tshark vary by a few hundred per packet from run to
# run (hash seeds); the postdissector's own inclusive count is steadier.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50000}
command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 1; }
# shellcheck source=../tests/lib.sh
. "$here/tests/lib.sh" 2> >(grep -v 'Running as user' >&2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$WIP_HOME"' EXIT
chmod 777 "$tmp"
/usr/bin/python3 "$here/bench/gen-large.py" -o "$tmp/flood.pcap" --scanners "$n" >/dev/null 2>&1
/usr/bin/python3 "$here/bench/gen-large.py" -o "$tmp/mixed.pcap" --packets "$n" >/dev/null 2>&1
chmod 644 "$tmp"/*.pcap

cg() {   # cg PCAP OUT tshark-args... -> total instructions
    local pcap=$1 out=$2; shift 2
    "${WIP_AS[@]}" valgrind --tool=callgrind --callgrind-out-file="$tmp/$out" \
        tshark -n -r "$pcap" "$@" >/dev/null 2>"$tmp/$out.err" || { cat "$tmp/$out.err" >&2; exit 1; }
    sed -n 's/^summary: *//p; s/^totals: *//p' "$tmp/$out" | head -1
}
one() {   # one NAME PCAP
    local name=$1 pcap=$2 npk on off on1 off1
    npk=$(capinfos -c -M "$pcap" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
    on=$(cg "$pcap" on.cg); off=$(cg "$pcap" off.cg --disable-protocol wip)
    on1=$(cg "$pcap" on1.cg -c 1); off1=$(cg "$pcap" off1.cg -c 1 --disable-protocol wip)
    awk -v n="$name" -v on="$on" -v off="$off" -v on1="$on1" -v off1="$off1" -v p="$npk" 'BEGIN {
        a = (on - on1) / (p - 1); b = (off - off1) / (p - 1)
        printf "%-7s %d packets: %.0f instructions/packet with wip, %.0f without: +%.0f (x%.3f); whole runs x%.3f\n",
            n, p, a, b, a - b, a / b, on / off }'
    echo "  top functions of the wip plugin (inclusive instructions per packet):"
    callgrind_annotate --inclusive=yes --threshold=100 "$tmp/on.cg" 2>/dev/null |
        awk -v p="$npk" '/wip\.so|packet-wip|wip_[a-z_]+\.c/ && $1 ~ /^[0-9,]+$/ && n++ < 12 {
            v = $1; gsub(/,/, "", v); $1 = ""; printf "  %9.0f %s\n", v / p, $0 }' || true
}
[ "${FLOOD_FLOOD:-1}" = 0 ] || one flood "$tmp/flood.pcap"
[ "${FLOOD_MIXED:-1}" = 0 ] || one mixed "$tmp/mixed.pcap"
