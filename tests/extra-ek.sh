#!/usr/bin/env bash
# Issue 14: -T ek and -T json output that scripts and Elasticsearch accept.
# Over every bundled capture (with its test options, one pass and -2) and
# with the inference shown on known protocols too, tests/ek-check.py parses
# the output with a strict parser and fails on any duplicate key inside a
# wip layer, and on any EK wip value that the index built from
# `tshark -G elastic-mapping` would reject (hex strings in numeric fields,
# numbers out of the declared type's range).
. "$(dirname "$0")/lib.sh"
out=$(mktemp -d /tmp/wip-ek.XXXXXX)
trap 'rm -rf "$WIP_HOME"; [ -n "${WIP_KEEP:-}" ] || rm -rf "$out"' EXIT
"${WIP_AS[@]}" tshark -G elastic-mapping --elastic-mapping-filter wip > "$out/mapping" 2>/dev/null
"${WIP_AS[@]}" tshark -G fields > "$out/fields" 2>/dev/null
grep -q '"wip_wip_hdr_length"' "$out/mapping" || { echo "FAIL: no wip fields in the elastic mapping"; exit 1; }
# The checker itself must fail on what it is there to catch.
printf '%s\n' '{"index":{}}' \
    '{"layers":{"wip":{"wip_wip_hdr_length":"0x0000000000000010","_ws_expert":{},"_ws_expert":{}}}}' > "$out/bad.ekj"
if python3 "$WIP_SRC/tests/ek-check.py" --fields "$out/fields" "$out/mapping" "$out/bad.ekj" > "$out/bad.txt"; then
    echo "FAIL: ek-check.py accepted a hex string and a duplicate key"; cat "$out/bad.txt"; exit 1
fi
grep -q 'duplicate key in wip layer: _ws_expert' "$out/bad.txt" && grep -q 'rejected by the mapping: wip_wip_hdr_length' "$out/bad.txt" ||
    { echo "FAIL: ek-check.py did not name both problems"; cat "$out/bad.txt"; exit 1; }
i=0
for f in "$CAPDIR"/*.pcap; do
    name=$(basename "$f" .pcap)
    opts=()
    [ -f "$EXPDIR/$name.opts" ] && mapfile -t opts < <(grep -v '^#' "$EXPDIR/$name.opts")
    i=$((i + 1))
    wip_tshark "$f" "${opts[@]}" -T ek -J wip > "$out/$i.ek" 2>/dev/null
    wip_tshark "$f" "${opts[@]}" -2 -o wip.infer_known:TRUE -T ek -J wip > "$out/$i-2.ek" 2>/dev/null
    wip_tshark "$f" "${opts[@]}" -T json --no-duplicate-keys -J wip > "$out/$i.json" 2>/dev/null
done
# Against the mapping fixed for 64-bit fields (ek-check.py --fix, the one
# docs/elasticsearch.md says to load): no problem at all.
python3 "$WIP_SRC/tests/ek-check.py" --fields "$out/fields" "$out/mapping" "$out"/*.ek "$out"/*.json
