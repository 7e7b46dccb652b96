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
NS=wipcli$$
TMP=$(mktemp -d /tmp/wipcli.XXXXXX)
chmod 755 "$TMP"
PIDS=()

if [ "$(id -u)" != 0 ]; then echo "must run as root (ip netns, tcpdump, ports below 1024)" >&2; exit 1; fi
log() { echo "[record-clients] $*" >&2; }

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        [ "$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')" = "$$" ] && kill "$p" 2>/dev/null
    done
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null; done
        sleep 0.3
        for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS" || exit 1
ip netns exec "$NS" ip link set lo up || exit 1
nsx() { local t=$1; shift; ip netns exec "$NS" timeout "$t" "$@"; }
bgrun() {
    local t=$1 logf=$2; shift 2
    ip netns exec "$NS" timeout "$t" "$@" >"$logf" 2>&1 &
    BGPID=$!
    PIDS+=("$BGPID")
}
wait_port() {   # proto port
    local flag=-ltn; [ "$1" = udp ] && flag=-lun
    for _ in $(seq 100); do
        ip netns exec "$NS" ss -H $flag "sport = :$2" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    log "nothing listens on $1/$2"; return 1
}
CAPPID=
cap_start() {
    rm -f "$OUT/$1.pcap"
    ip netns exec "$NS" timeout 60 tcpdump -Z root --immediate-mode -i lo -U -s 0 -w "$OUT/$1.pcap" "port 3414" \
        >"$TMP/tcpdump.log" 2>&1 &
    CAPPID=$!
    PIDS+=("$CAPPID")
    for _ in $(seq 100); do grep -q 'listening on' "$TMP/tcpdump.log" && break; sleep 0.05; done
    sleep 0.2
}
cap_stop() {
    sleep 0.5
    kill -INT "$CAPPID" 2>/dev/null; wait "$CAPPID" 2>/dev/null
    grep -E 'packets captured' "$TMP/tcpdump.log" >&2
}

# ---- servers: nginx on 80, 8080, 40080 (an unregistered port) and 3414 (the wip-port service)
mkdir -p "$TMP/www" "$TMP/nginx"
echo "hello from nginx" > "$TMP/www/index.html"
cat > "$TMP/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:80; listen 127.0.0.1:8080; listen 127.0.0.1:40080; listen 127.0.0.1:3414;
        root $TMP/www;
    }
}
CONF
bgrun 60 "$TMP/nginx.log" nginx -c "$TMP/nginx.conf"
wait_port tcp 80 && wait_port tcp 3414 || exit 1
printf 'example.test A\n' >/dev/null
bgrun 60 "$TMP/dnsmasq.log" dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=127.0.0.1 \
    --bind-interfaces -p 53 --address=/example.test/127.0.0.2 --user=root --pid-file="$TMP/dnsmasq.pid"
wait_port udp 53 || exit 1

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
