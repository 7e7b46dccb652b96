#!/usr/bin/env bash
# Service side: where 3414 is only a client's source port (recorded real
# clients: curl --local-port 3414 to nginx on 80/8080/40080, dig -b ADDR#3414
# to dnsmasq on 53), wip gives a label saying so and nothing else: no
# direction, payload verdict, probe or statistics; Wireshark's own
# dissector for the service port decodes the payload, as without wip.
. "$(dirname "$0")/lib.sh"
fail=0
tree_count() {   # FILE NODE
    wip_tshark "$CAPDIR/$1" -q -z wip,tree 2>/dev/null |
        awk -v n="$2" '{ line=$0; sub(/^ +/, "", line) } index(line, n) == 1 { rest = substr(line, length(n) + 1); if (rest ~ /^ +[0-9]/) { split(rest, a, " "); print a[1]; exit } }'
}
check() {   # WHAT GOT WANT
    if [ "$2" != "$3" ]; then echo "FAIL: $1: got '$2', expected '$3'"; fail=1; fi
}
# client-http: conversations 1 (3414 -> 80) and 2 (3414 -> 8080) are clients,
# conversation 3 (40123 -> 3414, frames 21-30) is the wip-port service.
check "client-http: frames counted in wip,tree" "$(tree_count client-http.pcap 'Packets by direction')" 10
check "client-dns: frames counted in wip,tree" "$(tree_count client-dns.pcap 'Packets by direction')" 0
check "client-unreg: frames counted in wip,tree" "$(tree_count client-unreg.pcap 'Packets by direction')" 0
for f in client-http client-dns client-unreg client-http-midstream; do
    n_client=$(wip_tshark "$CAPDIR/$f.pcap" -Y wip.client_port 2>/dev/null | wc -l)
    bad=$(wip_tshark "$CAPDIR/$f.pcap" -Y 'wip.client_port && (wip.direction || wip.payload.proto || wip.probe || wip.hdr || wip.port)' 2>/dev/null | wc -l)
    check "$f: client-port frames with a direction, verdict, probe or header" "$bad" 0
    case $f in
        client-http) check "$f: client-port frames" "$n_client" 20 ;;
        client-http-midstream) check "$f: client-port frames" "$n_client" 14 ;;
        *) check "$f: client-port frames" "$n_client" "$(capinfos -Mc "$CAPDIR/$f.pcap" | awk '/Number of packets/ {print $NF}')" ;;
    esac
    # The Protocol column is the service's dissector's, never WIP, on client frames.
    wipcol=$(wip_tshark "$CAPDIR/$f.pcap" -Y wip.client_port -T fields -e _ws.col.Protocol 2>/dev/null | grep -c '^WIP$')
    check "$f: client-port frames in the WIP protocol column" "$wipcol" 0
done
# Wireshark's dissector of the service port gets the payload, as without wip.
check "client-http: http requests and responses" "$(wip_tshark "$CAPDIR/client-http.pcap" -Y 'http && wip.client_port' 2>/dev/null | wc -l)" 4
check "client-dns: dns messages" "$(wip_tshark "$CAPDIR/client-dns.pcap" -Y 'dns && wip.client_port' 2>/dev/null | wc -l)" 4
# The service on 3414 in the same capture is still wip's, with its direction.
check "client-http: service frames to 3414" "$(wip_tshark "$CAPDIR/client-http.pcap" -Y 'wip.direction == 1' 2>/dev/null | wc -l)" 6
check "client-http: http verdicts on the service" "$(wip_tshark "$CAPDIR/client-http.pcap" -Y 'wip.payload.proto == "http"' 2>/dev/null | wc -l)" 2
[ $fail = 0 ] && echo "OK: client-port conversations get only the client-port label"
exit $fail
