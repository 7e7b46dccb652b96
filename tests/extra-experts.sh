#!/usr/bin/env bash
# Issue 14: WIP expert infos keep a constant summary per kind (numbers,
# tool and protocol names are in fields and in the items' own text), so
# -z expert and the GUI's Expert Information group them into a handful of
# rows.  Over every bundled capture, every WIP summary in -z expert must be
# one of the summaries registered in packet-wip.c (hence at most one row per
# kind); -Y wip makes tshark build the trees the header notes hang on.
. "$(dirname "$0")/lib.sh"
registered=$(grep -A2 '{ &ei_wip' "$WIP_SRC/packet-wip.c" | grep -o '^ *"[^"]*", EXPFILL' | sed 's/^ *"//; s/", EXPFILL$//' | sort -u)
nreg=$(grep -c . <<<"$registered")
[ "$nreg" -ge 10 ] || { echo "FAIL: only $nreg registered WIP expert summaries found in packet-wip.c"; exit 1; }
seen=$(for f in "$CAPDIR"/*.pcap; do
    wip_tshark "$f" -q -Y wip -z expert 2>/dev/null | awk '$3 == "WIP" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print }'
done | sort | uniq -c)
fail=0
while read -r n summary; do
    grep -qxF "$summary" <<<"$registered" || { echo "FAIL: WIP expert summary not constant per kind: '$summary' ($n captures)"; fail=1; }
done <<<"$seen"
kinds=$(grep -c . <<<"$seen")
[ "$kinds" -ge 5 ] || { echo "FAIL: only $kinds WIP expert kinds seen over the captures"; fail=1; }
[ $fail = 0 ] && echo "OK: $kinds distinct WIP expert summaries over all captures, each a registered constant:" && sed 's/^/  /' <<<"$seen"
exit $fail
