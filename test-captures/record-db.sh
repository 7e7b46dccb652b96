#!/bin/bash
# record-db.sh - record a real PostgreSQL session on TCP 3414.
#
# REQUIRES (Debian 12): iproute2 tcpdump postgresql-15 postgresql-client-15
#
# Usage (as root):  test-captures/record-db.sh
#
# A throwaway cluster (initdb into a temp dir, trust authentication) runs as
# user postgres inside a network namespace this script creates (wipdb<PID>)
# and deletes on exit; only its loopback is up, the server listens on
# 127.0.0.1:3414; tcpdump -i lo writes db-pgsql.pcap with 'port 3414'.
# Truth in manifest-text.tsv.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_DB_OUT:-$HERE}
NS=wipdb$$
PORT=3414
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
TMP=$(mktemp -d /tmp/wipdb.XXXXXX)
chown postgres "$TMP"
[ "$(id -u)" = 0 ] || { echo "must run as root (ip netns, tcpdump)" >&2; exit 1; }
cleanup() {
    local p
    if ip netns list 2>/dev/null | grep -qw "$NS"; then
        for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null; done
        sleep 0.5
        for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
        ip netns del "$NS"
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS" || exit 1
ip netns exec "$NS" ip link set lo up || exit 1
runuser -u postgres -- timeout 60 "$PGBIN/initdb" -D "$TMP/data" -A trust -U postgres >/dev/null || exit 1
ip netns exec "$NS" runuser -u postgres -- timeout 30 "$PGBIN/postgres" -D "$TMP/data" -p $PORT \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$TMP" -c ssl=off >"$TMP/pg.log" 2>&1 &
for _ in $(seq 100); do ip netns exec "$NS" ss -H -ltn "sport = :$PORT" | grep -q . && break; sleep 0.1; done
f="$OUT/db-pgsql.pcap"; rm -f "$f"
ip netns exec "$NS" timeout 30 tcpdump -Z root --immediate-mode -i lo -U -s 0 -w "$f" "port $PORT" >"$TMP/tcpdump.log" 2>&1 &
cap=$!
for _ in $(seq 100); do grep -q 'listening on' "$TMP/tcpdump.log" && break; sleep 0.05; done
sleep 0.2
# sslmode=prefer: SSLRequest, the server's 'N', then the StartupMessage; a query; a table
ip netns exec "$NS" runuser -u postgres -- timeout 10 psql "host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=prefer" \
    -c "select 1 as one, 'wip' as name" >/dev/null
ip netns exec "$NS" runuser -u postgres -- timeout 10 psql "host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=disable" \
    -c "create table wip(id int, t text); insert into wip values (1, 'a'), (2, 'b'); select * from wip;" >/dev/null
sleep 0.5
kill -INT "$cap"; wait "$cap" 2>/dev/null
grep 'packets captured' "$TMP/tcpdump.log" >&2
