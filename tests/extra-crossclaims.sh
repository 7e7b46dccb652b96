#!/usr/bin/env bash
# No known-protocol claim at confidence >= 50 names a protocol the capture
# does not carry.  Protocol captures (proto-*, seg-*, text-*) may name the
# protocol of their manifest; tests/claims-allowed.tsv lists the captures
# that carry more than one protocol and the others (with the reason).  A capture neither in a
# manifest nor in that list fails: every capture must be judged.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
fail=0; n=0
declare -A allowed
while IFS=$'\t' read -r file proto _; do
    [ "$file" = file ] && continue
    allowed[${file%.pcap}]=$proto
done < <(cat "$CAPDIR"/manifest-protocols.tsv "$CAPDIR"/manifest-segmented.tsv "$CAPDIR"/manifest-text.tsv "$CAPDIR"/manifest-apps.tsv 2>/dev/null)
for f in "$CAPDIR"/*.pcap; do
    name=$(basename "$f" .pcap)
    # a row of claims-allowed.tsv for this very capture, else its manifest, else a glob row
    ok=$(awk -F'\t' -v n="$name" '!/^#/ && $1 == n { print $2; found = 1; exit } END { if (!found) print "?" }' "$HERE/claims-allowed.tsv")
    if [ "$ok" = "?" ] && [ -n "${allowed[$name]+x}" ]; then
        ok=${allowed[$name]}
    elif [ "$ok" = "?" ]; then
        ok=$(awk -F'\t' -v n="$name" '!/^#/ { pat = $1; gsub(/\*/, ".*", pat); if (n ~ ("^" pat "$")) { print $2; found = 1; exit } } END { if (!found) print "?" }' "$HERE/claims-allowed.tsv")
    fi
    if [ "$ok" = "?" ]; then echo "FAIL $name: no truth (manifest or tests/claims-allowed.tsv)"; fail=1; continue; fi
    bad=$(wip_tshark "$f" -T fields -e frame.number -e wip.payload.proto -e wip.payload.confidence 2>/dev/null |
          awk -F'\t' -v ok=",$ok," '$2 != "" && $2 != "text" && $2 != "unknown" && $3 >= 50 && index(ok, "," $2 ",") == 0 { print "  frame " $1 ": " $2 " " $3 }')
    n=$((n + 1))
    [ -z "$bad" ] || { echo "FAIL $name (may name: ${ok:-nothing}):"; echo "$bad" | head -5; fail=1; }
done
[ $fail = 0 ] && echo "OK: $n captures, no claim >= 50 names a protocol the capture does not carry"
exit $fail
