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
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
TAG=record-db CAP_PREFIX=db-
. "$HERE/lib-netns.sh"
netns_init wipdb$$
chown postgres "$TMP"
runuser -u postgres -- timeout 60 "$PGBIN/initdb" -D "$TMP/data" -A trust -U postgres >/dev/null || exit 1
ip netns exec "$NS" runuser -u postgres -- timeout 30 "$PGBIN/postgres" -D "$TMP/data" -p $PORT \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$TMP" -c ssl=off >"$TMP/pg.log" 2>&1 &
wait_listen tcp || exit 1
cap_start pgsql
# sslmode=prefer: SSLRequest, the server's 'N', then the StartupMessage; a query; a table
ip netns exec "$NS" runuser -u postgres -- timeout 10 psql "host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=prefer" \
    -c "select 1 as one, 'wip' as name" >/dev/null
ip netns exec "$NS" runuser -u postgres -- timeout 10 psql "host=127.0.0.1 port=$PORT user=postgres dbname=postgres sslmode=disable" \
    -c "create table wip(id int, t text); insert into wip values (1, 'a'), (2, 'b'); select * from wip;" >/dev/null
cap_stop
