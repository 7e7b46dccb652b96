#!/usr/bin/env bash
# The probe tracker's limit made visible: 20,000 SYNs from distinct sources
# (nmap-like: window 1024, MSS only) overflow its 16,384 source slots, and
# exactly one frame, the first whose judgement replaced a tracked source,
# carries the note wip.cap.sources, in one pass and with -2.  A
# capture of 2,000 such sources (well inside the caps) carries none.
. "$(dirname "$0")/lib.sh"
gen() {   # gen N FILE
    /usr/bin/python3 - "$1" "$2" <<'PY'
import struct, sys
n, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
srv = bytes([10, 0, 0, 2])
for i in range(n):
    cli = struct.pack("!I", 0x0B000000 + i)
    tcp = struct.pack("!HHIIBBHHH", 40000 + i % 20000, 3414, 1000 + i, 0, 6 << 4, 0x02, 1024, 0, 0) + b"\x02\x04\x05\xb4"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), i & 0xffff, 0, 45, 6, 0, cli, srv)
    f = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00" + ip + tcp
    out.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(f), len(f)) + f)
out.close()
PY
    chmod 644 "$2"
}
fail=0
big="$WIP_HOME/flood.pcap"; small="$WIP_HOME/small.pcap"
gen 20000 "$big"; gen 2000 "$small"
for pass in "" "-2"; do
    frames=$(wip_tshark "$big" $pass -Y wip.cap.sources -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
    set -- $frames
    if [ $# -ne 1 ] || [ "$1" -le 1000 ]; then
        echo "FAIL ($pass): expected one wip.cap.sources note after frame 1000, got: '$frames'"; fail=1
    fi
done
n=$(wip_tshark "$small" -Y "wip.cap.sources || wip.cap.flows" -T fields -e frame.number 2>/dev/null | wc -l)
[ "$n" = 0 ] || { echo "FAIL: $n wip.cap.sources notes on 2,000 sources"; fail=1; }
[ $fail = 0 ] && echo "OK (frame $frames): one wip.cap.sources note on the frame that first overflowed the probe tracker, none within its caps"
exit $fail
