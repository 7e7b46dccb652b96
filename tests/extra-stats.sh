#!/usr/bin/env bash
# tshark -q -z wip,tree on a bundled capture: exact counts per node.
. "$(dirname "$0")/lib.sh"
out=$(wip_tshark "$CAPDIR/scan-nmap-sV.pcap" -q -z wip,tree 2>/dev/null)
fail=0
expect() {   # NODE COUNT
    local got; got=$(awk -v n="$1" '{ line=$0; sub(/^ +/, "", line) } index(line, n) == 1 { rest = substr(line, length(n) + 1); if (rest ~ /^ +[0-9]/) { split(rest, a, " "); print a[1]; exit } }' <<<"$out")
    if [ "$got" != "$2" ]; then echo "FAIL: '$1' count '$got', expected $2"; fail=1; fi
}
expect "Packets by direction" 35
expect "Probes by tool" 5
expect "nmap service-probe" 4
expect "nmap syn" 1
expect "Scanning sources (probes)" 5
# Security expert infos reach -z expert without a tree (one-pass tshark).
exp=$(wip_tshark "$CAPDIR/scan-nmap-sV.pcap" -q -z expert,warn 2>/dev/null | awk '$2 == "Security" && $3 == "WIP" { n += $1 } END { print n + 0 }')
[ "$exp" = 5 ] || { echo "FAIL: $exp Security warnings from WIP in -z expert, expected 5"; fail=1; }
# Scanning sources: one node each for the first 10000 (WIP_ST_MAX_SOURCES),
# the rest under one node (stats_tree inserts nodes in linear time).
many="$WIP_HOME/scanners.pcap"
/usr/bin/python3 "$(dirname "$0")/../bench/gen-large.py" -o "$many" --scanners 10050 >/dev/null 2>&1
chmod 644 "$many"
st=$(wip_tshark "$many" -q -z wip,tree 2>/dev/null)
srcs=$(awk '/^Scanning sources/ { on = 1; next } on && /^ / { n++ } on && !/^ / { on = 0 } END { print n + 0 }' <<<"$st")
other=$(awk '$1 == "other" && $2 == "sources" { print $7 }' <<<"$st")
total=$(awk '/^Scanning sources/ { print $4 }' <<<"$st")
[ "$srcs/$other/$total" = "10001/50/10050" ] || { echo "FAIL: 10050 scanners: $srcs source nodes, 'other' $other, total $total; expected 10001/50/10050"; fail=1; }
[ $fail = 0 ] && echo "OK: wip,tree counts, -z expert, source nodes capped" || echo "$out"
exit $fail
