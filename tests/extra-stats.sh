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
[ $fail = 0 ] && echo "OK: wip,tree counts and -z expert" || echo "$out"
exit $fail
