#!/usr/bin/env bash
# Caps on file-scope memory are visible (issue 16): past a cap the analysis
# degrades, and -z wip,tree counts it under "Limits reached" while the first
# frame that hits each cap carries an expert note (wip.cap.*), the same in
# one pass and -2.  Three generated captures:
#   conv:    262,200 one-datagram conversations (cap 262,144): 56 frames
#            without recognition memory, the note on frame 262,145;
#   learner: unknown binary datagrams on 9 ports of the range 4000-4008
#            (8 learners): the 3 frames of the ninth port, note on frame 25;
#   flood:   17,000 one-packet SYN scanners (tracker: 16,384 sources):
#            at least 616 sources forgotten, one note.
. "$(dirname "$0")/lib.sh"
fail=0
gen() {   # gen FILE KIND N: raw-IPv4 pcap
    /usr/bin/python3 - "$@" <<'PY'
import struct, sys
path, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = open(path, "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
srv = bytes([10, 0, 0, 2])
def udp(i, cli, dport, payload):
    u = struct.pack("!HHHH", 40000, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), i & 0xffff, 0, 64, 17, 0, cli, srv)
    pk = ip + u
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(pk), len(pk)) + pk)
if kind == "conv":
    for i in range(n):
        udp(i, bytes([10, 1 + (i >> 16), (i >> 8) & 255, i & 255]), 3414, b"\x00\x01\x02\x03wip")
else:   # learner: ports 4000.. in turn, 3 rounds; a binary header (magic, length, type, seq)
    i = 0
    for r in range(3):
        for p in range(n):
            body = bytes([p, r]) * 6
            udp(i, bytes([10, 1, 0, 1]), 4000 + p, struct.pack("!IHBB", 0xC0DE0001, len(body), 1 + r % 2, r) + body)
            i += 1
PY
}
row() {   # row TREE-OUTPUT TEXT: the count of the -z wip,tree row that starts with TEXT
    awk -v t="$2" 'index($0, t) { sub(/^ */, ""); s = substr($0, length(t) + 1); split(s, a, " "); print a[1]; exit }' <<<"$1"
}
check() {  # check WHAT GOT WANT
    if [ "$2" = "$3" ]; then echo "ok: $1 = $2"; else echo "FAIL: $1 = '$2', expected '$3'"; fail=1; fi
}

gen "$WIP_HOME/conv.pcap" conv 262200
gen "$WIP_HOME/learner.pcap" learner 9
/usr/bin/python3 "$WIP_SRC/bench/gen-large.py" -o "$WIP_HOME/flood.pcap" --scanners 17000 >/dev/null 2>&1
chmod 644 "$WIP_HOME"/*.pcap

# one run per capture and pass: the frames that carry a note (-Y, first
# lines) and the -z wip,tree rows (taps see every frame, -Y or not)
run() {   # run CAPTURE NOTE-FIELD tshark-args...
    local f=$1 ei=$2; shift 2
    wip_tshark "$f" "$@" -Y "$ei" -T fields -e frame.number -e udp.dstport -z wip,tree 2>/dev/null
}
notes() { grep -E '^[0-9]+(	|$)' <<<"$1" | tr '	
' ': '; }
for pass in "" -2; do
    out=$(run "$WIP_HOME/conv.pcap" wip.cap.conversations $pass)
    check "conv$pass: frames without recognition memory" "$(row "$out" " frames of conversations without recognition memory (cap 262144)")" 56
    check "conv$pass: note frames" "$(notes "$out")" "262145:3414 "

    opts=(-o wip.udp.port:4000-4008)
    out=$(run "$WIP_HOME/learner.pcap" wip.cap.learners $pass "${opts[@]}")
    check "learner$pass: frames without a learner" "$(row "$out" " frames of ports without a header learner (cap 8)")" 3
    check "learner$pass: note frames" "$(notes "$out")" "9:4008 "
    check "learner$pass: port 4008 has no inferred header" "$(wip_tshark "$WIP_HOME/learner.pcap" $pass "${opts[@]}" -Y "udp.dstport==4008 && wip.hdr" 2>/dev/null | wc -l)" 0

    out=$(run "$WIP_HOME/flood.pcap" wip.cap.sources $pass)
    n=$(row "$out" " probe tracker: sources forgotten (oldest first)")
    check "flood$pass: at least 616 sources forgotten" "$([ "${n:-0}" -ge 616 ] && [ "${n:-0}" -le 17000 ] && echo yes)" yes
    check "flood$pass: one note" "$(grep -cE '^[0-9]+' <<<"$out")" 1
done
# no row and no note below the caps
out=$(wip_tshark "$CAPDIR/scan-nmap-sS-open.pcap" -z wip,tree -Y "wip.cap.conversations || wip.cap.learners || wip.cap.sources || wip.cap.flows" 2>/dev/null)
check "scan-nmap-sS-open: Probes row present" "$(grep -c '^Probes by tool  ' <<<"$out")" 1
check "scan-nmap-sS-open: no Limits row, no note" "$(grep -c 'Limits reached' <<<"$out")" 0
exit $fail
