#!/usr/bin/env bash
# Records the foundation captures (base-*.pcap) from real programs on the
# loopback of a private network namespace that this script creates and
# deletes.  Nothing leaves the namespace.  Run as root from anywhere:
#   bash test-captures/record.sh
# REQUIRES: iproute2 tcpdump socat python3
set -euo pipefail
cd "$(dirname "$0")"
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)"; exit 1; }
for t in ip tcpdump socat python3; do command -v $t >/dev/null || { echo "missing $t"; exit 1; }; done
PY=/usr/bin/python3; [ -x $PY ] || PY=python3

HERE=$(pwd)
OUT=${WIP_BASE_OUT:-$HERE}
TAG=record CAP_PREFIX=base-
. "$HERE/lib-netns.sh"
netns_init wipbase$$

# start_capture NAME FILTER / stop_capture NAME
start_capture() { CAP_FILTER=$2 cap_start "$1"; sleep 0.8; }
stop_capture() {
    cap_stop
    echo "recorded $OUT/base-$1.pcap ($(tcpdump -r "$OUT/base-$1.pcap" 2>/dev/null | wc -l) packets)"
}

tcp_session() {   # PORT: a listener that answers one line, a client that sends one
    local port=$1
    nsx 10 socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr SYSTEM:'read l; echo "pong $l"; sleep 0.2' &
    local srv=$!; sleep 0.5
    printf 'ping wip\n' | nsx 5 socat - TCP:127.0.0.1:$port,shut-down
    wait $srv 2>/dev/null || true
}

start_capture tcp-session 'port 3414'
tcp_session 3414
stop_capture tcp-session

start_capture tcp-closed 'port 3414'
nsx 5 socat - TCP:127.0.0.1:3414 </dev/null 2>/dev/null || true
stop_capture tcp-closed

start_capture udp 'port 3414'
nsx 10 $PY - <<'PYEOF'
import socket, time
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(("127.0.0.1", 3414)); srv.settimeout(2)
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); cli.bind(("127.0.0.1", 40414))
for payload in (b"hello wip", b"", b"\x00\x01\x02\x03"):
    cli.sendto(payload, ("127.0.0.1", 3414))
    data, peer = srv.recvfrom(2048)
    srv.sendto(b"ack " + data, peer)   # the reply from wip-port
    cli.recvfrom(2048)
    time.sleep(0.05)
PYEOF
stop_capture udp

start_capture port4000 'port 4000'
tcp_session 4000
stop_capture port4000
