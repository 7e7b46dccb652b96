#!/usr/bin/env bash
# Scores the probe verdicts over the recorded scanner corpus against the
# truth in test-captures/manifest-scans.tsv: per capture whether a frame is
# flagged with the manifest's tool and technique, and false flags on the
# benign captures.  Needs a built plugin (build/wip.so).
. "$(dirname "$0")/../tests/lib.sh"
man="$CAPDIR/manifest-scans.tsv"
n=0; detected=0; attributed=0; tech_ok=0; benign=0; false_flags=0
printf '%-30s %-10s %-14s %-7s %s\n' capture tool technique flagged verdicts
while IFS=$'\t' read -r file tool tech _rest; do
    [ "$file" = file ] && continue
    out=$(wip_tshark "$CAPDIR/$file" -Y wip.probe -T fields -e wip.probe.tool -e wip.probe.technique 2>/dev/null)
    flagged=$(grep -c . <<<"$out" || true)
    verdicts=$(grep . <<<"$out" | sort | uniq -c | awk '{printf "%s/%s x%s ", $2, $3, $1}')
    printf '%-30s %-10s %-14s %-7s %s\n' "${file%.pcap}" "$tool" "$tech" "$flagged" "$verdicts"
    if [ "$tech" = none ]; then
        benign=$((benign + 1)); false_flags=$((false_flags + flagged))
        # the same capture with the options of its test variants
        # (tests/expected/NAME@VARIANT.opts, e.g. a port range)
        for o in "$EXPDIR/${file%.pcap}"@*.opts; do
            [ -e "$o" ] || continue
            mapfile -t opts < <(grep -v '^#' "$o")
            vf=$(wip_tshark "$CAPDIR/$file" "${opts[@]}" -Y wip.probe -T fields -e wip.probe.tool 2>/dev/null | grep -c . || true)
            printf '%-30s %-10s %-14s %-7s %s\n' "  @$(basename "$o" .opts | sed 's/.*@//')" "" "" "$vf" "${opts[*]}"
            false_flags=$((false_flags + vf))
        done
        continue
    fi
    n=$((n + 1))
    [ "$flagged" -gt 0 ] && detected=$((detected + 1))
    grep -q "^$tool	" <<<"$out" && attributed=$((attributed + 1))
    tsel=$tech; [ "$tech" = window ] && tsel=ack   # -sW and -sA are identical on the wire
    grep -q "	$tsel\$" <<<"$out" && tech_ok=$((tech_ok + 1))
done < "$man"
echo
echo "scanner captures: $n; detected (any frame flagged): $detected/$n"
echo "right tool on a flagged frame: $attributed/$n; right technique: $tech_ok/$n"
echo "benign captures: $benign; frames flagged in them: $false_flags"
