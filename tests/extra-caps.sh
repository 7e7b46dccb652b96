#!/usr/bin/env bash
# Per-frame evidence past the cap on shared strings (WIP_MAX_INTERNED, 8192):
# one TCP connection to 3414 carrying 8,300 HTTP requests, each with its own
# path, so each frame's evidence is a distinct string.  Every frame must keep
# its own text ("HTTP/1.1 request line: GET /item/N"), the last ones too.
. "$(dirname "$0")/lib.sh"
pcap="$WIP_HOME/caps.pcap"
/usr/bin/python3 - "$pcap" <<'EOF'
import struct, sys
n = 8300
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
cli, srv = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
seq = 1000

def frame(payload, seq, t):
    tcp = struct.pack("!HHIIBBHHH", 40000, 3414, seq, 1, 5 << 4, 0x18, 502, 0, 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), t & 0xffff, 0x4000, 64, 6, 0, cli, srv)
    eth = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
    f = eth + ip + tcp
    out.write(struct.pack("<IIII", 1700000000 + t // 1000, (t % 1000) * 1000, len(f), len(f)) + f)

for i in range(n):
    p = ("GET /item/%d HTTP/1.1\r\nHost: x\r\n\r\n" % i).encode()
    frame(p, seq, i)
    seq += len(p)
out.close()
EOF
chmod 644 "$pcap"
out=$(wip_tshark "$pcap" -T fields -e frame.number -e wip.payload.proto -e wip.payload.evidence 2>/dev/null)
fail=0
n=$(wc -l <<<"$out")
[ "$n" = 8300 ] || { echo "FAIL: $n frames, expected 8300"; fail=1; }
bad=$(grep -c 'not kept' <<<"$out")
[ "$bad" = 0 ] || { echo "FAIL: $bad frames without their evidence text"; fail=1; }
# every frame's evidence names its own path
wrong=$(awk -F'\t' '$3 != "HTTP/1.1 request line: GET /item/" ($1 - 1) { n++ } END { print n + 0 }' <<<"$out")
[ "$wrong" = 0 ] || { echo "FAIL: $wrong frames with another evidence text, e.g.:"; awk -F'\t' '$3 != "HTTP/1.1 request line: GET /item/" ($1 - 1)' <<<"$out" | head -3; fail=1; }
[ $fail = 0 ] && echo "OK: 8300 distinct evidence strings kept per frame"
exit $fail
