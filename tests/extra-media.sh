#!/usr/bin/env bash
# Multiplexed media (RFC 7983 / RFC 5761): a real WebRTC flow (GStreamer
# webrtcbin: ICE STUN checks, DTLS-SRTP, SRTP and SRTCP on one 5-tuple with
# UDP 3414 on one side, test-captures/media-webrtc.pcap).  Every packet's
# wip.payload.proto must be what Wireshark itself says the packet is
# (plugin disabled, its RTP heuristic on: stun, dtls, rtp; the SRTCP packets
# it leaves as data are RTCP by their clear header, PT 200/201), and no
# packet may be named by an earlier packet's protocol ("more of the ... connection recognised earlier").
. "$(dirname "$0")/lib.sh"
fail=0
f="$CAPDIR/media-webrtc.pcap"
truth="$WIP_HOME/truth.tsv"; got="$WIP_HOME/got.tsv"
wip_tshark "$f" --disable-protocol wip --enable-heuristic rtp_udp -T fields -e frame.number -e frame.protocols -e data.data 2>/dev/null |
    awk -F'\t' '{ n = split($2, p, ":"); last = p[n]; if (last == "x509sat") last = "dtls";
                  if (last == "data") last = (substr($3, 3, 2) == "c8" || substr($3, 3, 2) == "c9") ? "rtcp" : "data";
                  print $1 "\t" last }' > "$truth"
wip_tshark "$f" -T fields -e frame.number -e wip.payload.proto -e wip.payload.evidence 2>/dev/null > "$got"
n=$(wc -l < "$truth")
bad=$(join -t $'\t' "$truth" "$got" | awk -F'\t' '$2 != $3 { print "  frame " $1 ": wireshark " $2 ", wip " $3 }')
[ -z "$bad" ] || { echo "FAIL: packets named otherwise than Wireshark names them:"; echo "$bad" | head; fail=1; }
cont=$(awk -F'\t' 'index($3, "recognised earlier") { c++ } END { print c + 0 }' "$got")
[ "$cont" = 0 ] || { echo "FAIL: $cont packets named by an earlier packet's protocol"; fail=1; }
# every kind is there (the capture is what the manifest says)
for k in stun dtls rtp rtcp; do
    c=$(awk -F'\t' -v k="$k" '$2 == k { c++ } END { print c + 0 }' "$truth")
    [ "$c" -gt 0 ] || { echo "FAIL: no $k packet in the truth"; fail=1; }
done
[ "$n" -ge 100 ] || { echo "FAIL: only $n packets"; fail=1; }
# Classic STUN (RFC 3489, Vovida stund/stun): every packet stun, handed to
# Wireshark's classicstun dissector (which names them as stock tshark does).
c="$CAPDIR/media-stun-classic.pcap"
got=$(wip_tshark "$c" -T fields -e wip.payload.proto -e frame.protocols 2>/dev/null | awk -F'\t' '$1 == "stun" && $2 ~ /classicstun$/ { k++ } END { print k + 0 }')
all=$(capinfos -Mc "$c" | awk '/Number of packets/ { print $NF }')
[ "$got" = "$all" ] && [ "$all" -ge 6 ] || { echo "FAIL: classic STUN: $got of $all packets stun and handed to classicstun"; fail=1; }
[ $fail = 0 ] && echo "OK: $n multiplexed media packets each named as Wireshark names it, none by conversation memory; classic STUN $all/$all"
exit $fail
