#!/usr/bin/env bash
# One-pass and two-pass (-2) dissection give the same wip fields on every
# capture.  wip.hdr.* is excluded: in one pass it shows what was learned so
# far, with -2 what the whole capture taught (documented in README).
. "$(dirname "$0")/lib.sh"
# frame.number and the wip.* fields of the common list (columns belong to
# Wireshark's own dissectors, which may label differently per pass).
args=(-T fields -E header=y -E occurrence=a -E aggregator=, -e frame.number)
while read -r f; do case $f in wip.hdr*) ;; wip*) args+=(-e "$f") ;; esac; done < <(wip_fields)
fail=0; n=0
for pcap in "$CAPDIR"/*.pcap; do
    name=$(basename "$pcap" .pcap)
    one=$(wip_tshark "$pcap" "${args[@]}" 2>&1) || { echo "FAIL $name: one-pass tshark failed"; fail=1; continue; }
    two=$(wip_tshark "$pcap" -2 "${args[@]}" 2>&1) || { echo "FAIL $name: two-pass tshark failed"; fail=1; continue; }
    n=$((n + 1))
    if ! d=$(diff -u --label one-pass --label two-pass <(printf '%s\n' "$one") <(printf '%s\n' "$two")); then
        echo "FAIL $name: one-pass and two-pass differ"; echo "$d" | head -30; fail=1
    fi
done
[ "$n" -gt 0 ] || { echo "no captures found"; exit 1; }
[ $fail = 0 ] && echo "OK: $n captures dissect identically in one and two passes"
exit $fail
