#!/usr/bin/env bash
# Dissect every capture in test-captures/ with the built plugin and compare
# each packet's wip fields with tests/expected/NAME.tsv.
# WIP_UPDATE=1 rewrites the expected files instead (review the diff!).
. "$(dirname "$0")/lib.sh"
fail=0; n=0
# Each capture, plus variants: tests/expected/NAME@VARIANT.opts dissects
# NAME.pcap with those options and compares with NAME@VARIANT.tsv.
for item in "$CAPDIR"/*.pcap "$EXPDIR"/*@*.opts; do
    [ -e "$item" ] || continue
    case $item in
        *.pcap) name=$(basename "$item" .pcap); pcap=$item ;;
        *) name=$(basename "$item" .opts); pcap="$CAPDIR/${name%@*}.pcap" ;;
    esac
    exp="$EXPDIR/$name.tsv"
    out=$(wip_dissect_fields "$pcap" "$name" 2>&1) || { echo "FAIL $name: tshark exited non-zero"; echo "$out" | head; fail=1; continue; }
    n=$((n + 1))
    if [ "${WIP_UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$out" > "$exp"; echo "updated $name"; continue
    fi
    if [ ! -f "$exp" ]; then echo "FAIL $name: no expected file $exp"; fail=1; continue; fi
    if ! d=$(diff -u --label "expected/$name.tsv" --label "actual" "$exp" <(printf '%s\n' "$out")); then
        echo "FAIL $name"; echo "$d" | head -40; fail=1
    fi
done
[ "$n" -gt 0 ] || { echo "no captures found"; exit 1; }
[ $fail = 0 ] && echo "OK: $n captures match their expected wip fields"
exit $fail
