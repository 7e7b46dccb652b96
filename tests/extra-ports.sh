#!/usr/bin/env bash
# The range preferences wip.tcp.port / wip.udp.port set the ports wip owns:
# a changed range takes effect and the old ports are given back (Wireshark
# 4.0 kept the old ones in the port table: -o wip.tcp.port:4000 still
# labelled 3414).
. "$(dirname "$0")/lib.sh"
fail=0
# the summary line's columns (from 4.2 on, -T fields -e _ws.col.* does not
# show what a postdissector wrote, so the summary line is read instead)
proto_of() {   # CAPTURE OPTS...: the Protocol column of frame 1 and its wip.port
    local f=$1; shift
    wip_tshark "$CAPDIR/$f" "$@" -c 1 -o 'gui.column.format:"P","%p","W","%Cus:wip.port:0:R"' 2>/dev/null |
        awk '{ print ($2 == "" ? $1 : $1 " " $2) }'
}
check() {      # WANT CAPTURE OPTS...
    local want=$1; shift
    local got; got=$(proto_of "$@")
    if [ "$got" = "$want" ]; then echo "ok: $* -> $got"; else echo "FAIL: $* -> '$got', expected '$want'"; fail=1; fi
}
check "WIP 3414" base-tcp-session.pcap
check "TCP" base-port4000.pcap
check "TCP" base-tcp-session.pcap -o wip.tcp.port:4000
check "WIP 4000" base-port4000.pcap -o wip.tcp.port:4000
check "WIP 3414" base-tcp-session.pcap -o wip.tcp.port:3414,4000
check "WIP 4000" base-port4000.pcap -o wip.tcp.port:3414,4000
check "UDP" base-udp.pcap -o wip.udp.port:4000
check "WIP 3414" base-udp.pcap -o wip.tcp.port:4000
check "WIP 4000" base-port4000.pcap -d tcp.port==4000,wip
exit $fail
