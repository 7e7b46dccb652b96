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

NS=wipbase$$
pids=()
cleanup() {
    for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
    ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
nsx() { ip netns exec "$NS" "$@"; }

# start_capture FILE FILTER / stop_capture
start_capture() {
    # started directly (not through a function) so $! is tcpdump itself;
    # background jobs of a script ignore SIGINT, so stop it with SIGTERM
    ip netns exec "$NS" tcpdump -i lo -U --immediate-mode -s 0 -Z root -w "$1.tmp" "$2" 2>>/tmp/wip-record-tcpdump.log &
    cap_pid=$!; sleep 1
}
stop_capture() {
    sleep 0.5; kill -TERM $cap_pid; wait $cap_pid 2>/dev/null || true
    mv "$1.tmp" "$1"; echo "recorded $1 ($(tcpdump -r "$1" 2>/dev/null | wc -l) packets)"
}

tcp_session() {   # PORT: a listener that answers one line, a client that sends one
    local port=$1
    nsx timeout 10 socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr SYSTEM:'read l; echo "pong $l"; sleep 0.2' &
    local srv=$!; sleep 0.5
    printf 'ping wip\n' | nsx timeout 5 socat - TCP:127.0.0.1:$port,shut-down
    wait $srv 2>/dev/null || true
}

start_capture base-tcp-session.pcap 'port 3414'
tcp_session 3414
stop_capture base-tcp-session.pcap

start_capture base-tcp-closed.pcap 'port 3414'
nsx timeout 5 socat - TCP:127.0.0.1:3414 </dev/null 2>/dev/null || true
stop_capture base-tcp-closed.pcap

start_capture base-udp.pcap 'port 3414'
nsx timeout 10 $PY - <<'PYEOF'
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
stop_capture base-udp.pcap

start_capture base-port4000.pcap 'port 4000'
tcp_session 4000
stop_capture base-port4000.pcap
