#!/bin/bash
# record-clients.sh - record real clients whose SOURCE port is 3414, next to
# real traffic of a service on 3414, for the service-side decision of wip
# (which endpoint of a conversation is the wip-port service).
#
# REQUIRES (Debian 12): iproute2 tcpdump curl nginx-light dnsmasq-base dnsutils wireshark-common (editcap)
#
# Usage (as root):  test-captures/record-clients.sh
#
# Clients with source port 3414 bind 127.0.0.3-6 (nginx holds 127.0.0.1:3414,
# and a closed connection keeps its address:port in TIME_WAIT).
# Every byte stays inside a network namespace this script creates
# (wipcli<PID>) and deletes on exit; only its loopback is up.  Servers
# listen on 127.0.0.1; tcpdump -i lo writes one classic pcap per scenario
# with the filter 'port 3414'.  Every command is bounded by timeout.
# The truth of each pcap is in manifest-clients.tsv next to this script.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_CLIENT_OUT:-$HERE}
TAG=record-clients
. "$HERE/lib-netns.sh"
netns_init wipcli$$

# ---- servers: nginx on 80, 8080, 40080 (an unregistered port) and 3414 (the wip-port service)
mkdir -p "$TMP/www" "$TMP/nginx"
echo "hello from nginx" > "$TMP/www/index.html"
{ nginx_head 64; cat <<CONF
    server {
        listen 127.0.0.1:80; listen 127.0.0.1:8080; listen 127.0.0.1:40080; listen 127.0.0.1:3414;
        root $TMP/www;
    }
}
CONF
} > "$TMP/nginx.conf"
bgrun 60 "$TMP/nginx.log" nginx -c "$TMP/nginx.conf"
wait_listen tcp 80 && wait_listen tcp 3414 || exit 1
printf 'example.test A\n' >/dev/null
bgrun 60 "$TMP/dnsmasq.log" dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=127.0.0.1 \
    --bind-interfaces -p 53 --address=/example.test/127.0.0.2 --user=root --pid-file="$TMP/dnsmasq.pid"
wait_listen udp 53 || exit 1

# ---- client-http: curl from source port 3414 to 80 and to 8080, then an
# ordinary client (ephemeral port) of the service on 3414
cap_start client-http
nsx 10 curl -s -o /dev/null --http1.1 --interface 127.0.0.3 --local-port 3414 http://127.0.0.1:80/index.html
sleep 0.3
nsx 10 curl -s -o /dev/null --http1.1 --interface 127.0.0.4 --local-port 3414 http://127.0.0.1:8080/index.html
sleep 0.3
nsx 10 curl -s -o /dev/null --http1.1 --local-port 40123 http://127.0.0.1:3414/index.html
cap_stop

# ---- client-unreg: curl from source port 3414 to a server on 40080 (no
# dissector there: only the SYN tells who the client is)
cap_start client-unreg
nsx 10 curl -s -o /dev/null --http1.1 --interface 127.0.0.5 --local-port 3414 http://127.0.0.1:40080/index.html
cap_stop

# ---- client-dns: dig from source port 3414 to dnsmasq on 53, UDP then TCP
cap_start client-dns
nsx 10 dig +notcp +tries=1 +time=2 -b 127.0.0.3#3414 @127.0.0.1 -p 53 example.test A >/dev/null
sleep 0.3
nsx 10 dig +tcp +tries=1 +time=2 -b 127.0.0.6#3414 @127.0.0.1 -p 53 www.example.test A >/dev/null
cap_stop

# ---- client-http-midstream: client-http's three connections without
# their handshakes, as a capture started mid-connection sees them: only the
# ports can tell
editcap -r "$OUT/client-http.pcap" "$OUT/client-http-midstream.pcap" 4-10 14-20 24-30 >/dev/null
log "done: $(ls "$OUT"/client-*.pcap | tr '\n' ' ')"
