#!/usr/bin/env bash
# Header inference on the synthetic WIP captures, with -2 (what the whole
# capture taught), checked against their ground truth
# (test-captures/synth-*.truth.json, written by eval/gen-captures.py).
. "$(dirname "$0")/lib.sh"
fail=0
f=(-2 -T fields -E occurrence=a -E aggregator=, -e frame.number)

# UDP, big-endian: magic c0de 01 | length u16 (whole message) | type (reply = request | 0x80) | seq u32 | session u32
out=$(wip_tshark "$CAPDIR/synth-udp-be.pcap" "${f[@]}" -e udp.length -e wip.hdr.magic -e wip.hdr.length \
      -e wip.hdr.type -e wip.hdr.seq -e wip.hdr.session 2>/dev/null)
bad=$(awk -F'\t' '
    { split($3, m, ",") }
    m[1] != "49374" || $4 != $2 - 8 || $5 !~ /^(1|2|3|5|129|130|131|133)$/ || $6 == "" || $7 == "" { print "  frame " $1 ": " $0 }' <<<"$out")
n=$(grep -c . <<<"$out")
if [ -n "$bad" ] || [ "$n" != 60 ]; then
    echo "FAIL synth-udp-be: $n frames; wrong or missing magic/length/type/seq/session on:"; echo "$bad" | head; fail=1
else
    echo "OK synth-udp-be: all 60 messages: magic 0xc0de, length = message length, type, seq, session"
fi

# TCP, little-endian, split and coalesced segments: magic "WI" | length u32 LE (body: +12) | type u16 LE (reply = request + 1) | txid u32
out=$(wip_tshark "$CAPDIR/synth-tcp-le.pcap" "${f[@]}" -e wip.hdr.magic -e wip.hdr.type -e wip.hdr.txid 2>/dev/null)
msgs=$(awk -F'\t' '{ n = split($2, m, ","); for (i = 1; i <= n; i++) if (m[i] == "22345") c++ } END { print c + 0 }' <<<"$out")
badtype=$(awk -F'\t' '{ n = split($3, t, ","); for (i = 1; i <= n; i++) if (t[i] !~ /^(16|17|18|32|33|48|49)$/) print "  frame " $1 ": type " t[i] }' <<<"$out")
txids=$(awk -F'\t' '{ n = split($4, t, ","); c += n } END { print c + 0 }' <<<"$out")
# Floors: conversation 1 is seen before framing is established (first pass
# decides TCP reassembly), so its coalesced segments show one message each.
if [ "$msgs" -lt 64 ] || [ -n "$badtype" ] || [ "$txids" -lt 62 ]; then
    echo "FAIL synth-tcp-le: $msgs of 72 messages with magic 0x5749 (need >= 64), $txids txids (need >= 62)"; echo "$badtype" | head; fail=1
else
    echo "OK synth-tcp-le: $msgs of 72 messages framed with magic 0x5749, every type in the truth's set, $txids txids"
fi
# wip.infer_known: the inferred header also on payload a recogniser claims,
# beside Wireshark's own dissection (default: not).
off=$(wip_tshark "$CAPDIR/proto-smb2.pcap" -Y wip.hdr -T fields -e frame.number 2>/dev/null | grep -c .)
on=$(wip_tshark "$CAPDIR/proto-smb2.pcap" -o wip.infer_known:TRUE -Y wip.hdr -T fields -e frame.number 2>/dev/null | grep -c .)
smb_off=$(wip_tshark "$CAPDIR/proto-smb2.pcap" -Y smb2 -T fields -e frame.number 2>/dev/null | grep -c .)
smb_on=$(wip_tshark "$CAPDIR/proto-smb2.pcap" -o wip.infer_known:TRUE -Y smb2 -T fields -e frame.number 2>/dev/null | grep -c .)
if [ "$off" != 0 ] || [ "$on" -lt 10 ] || [ "$smb_on" != "$smb_off" ] || [ "$smb_off" -lt 10 ]; then
    echo "FAIL infer_known: wip.hdr on $off frames by default (need 0), $on with the preference (need >= 10); smb2 on $smb_off / $smb_on frames (need equal, >= 10)"; fail=1
else
    echo "OK infer_known: no inferred header by default, $on frames with wip.infer_known, smb2 still dissected on all $smb_on"
fi

# Never Malformed, and a note on every unknown-binary message without a
# header (real binary protocols of the corpus, with -2 and in one pass).
for cap in "$CAPDIR"/bin-*.pcap "$CAPDIR"/synth-tcp-le.pcap; do
    name=$(basename "$cap" .pcap)
    for mode in "" -2; do
        bad=$(wip_tshark "$cap" $mode -o wip.infer_known:TRUE -o wip.handoff:FALSE \
              -Y '_ws.expert.group == "Malformed" || _ws.malformed' -T fields -e frame.number 2>/dev/null | grep -c .)
        silent=$(wip_tshark "$cap" $mode -o wip.infer_known:TRUE -o wip.handoff:FALSE \
              -Y 'wip.payload.proto == "unknown" && wip.payload.len > 0 && !wip.hdr && !wip.hdr.none && !tcp.reassembled_in && !tcp.segment_data' \
              -T fields -e frame.number 2>/dev/null | head -5 | tr '\n' ' ')
        if [ "$bad" != 0 ] || [ -n "$silent" ]; then
            echo "FAIL $name ${mode:-1-pass}: $bad malformed frames (need 0); unknown payload with neither header nor note: ${silent:-none}"; fail=1
        fi
    done
done
[ $fail = 0 ] && echo "OK corpus: no Malformed frame, every unknown message without a header has a wip.hdr.none note"

# Issue 16 in the inference core: no function longer than 80 lines, one
# source of the Misra-Gries slot search (scripts/funclen.py lists offenders).
root=$(cd "$(dirname "$0")/.." && pwd)
long=$(python3 "$root/scripts/funclen.py" "$root/plugin/wip_infer.c")
if [ -n "$long" ]; then
    echo "FAIL functions longer than 80 lines in plugin/wip_infer.c:"; echo "$long"; fail=1
else
    echo "OK plugin/wip_infer.c: no function longer than 80 lines"
fi

exit $fail
