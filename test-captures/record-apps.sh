#!/bin/bash
# record-apps.sh - record real applications' protocols on port 3414:
#   app-tds.pcap          FreeTDS tsql (real client) against tds-responder.py
#                         (a small documented stand-in: Debian has no MS SQL Server)
#   app-openvpn-udp.pcap  OpenVPN 2.6, TLS mode, UDP, between two namespaces
#   app-openvpn-tcp.pcap  the same over TCP
#   app-mysql.pcap        MariaDB server + mariadb client
#   app-irc.pcap          ngIRCd + a python socket IRC client
#   app-modbus.pcap       pymodbus server + client
#
# REQUIRES (Debian 12): iproute2 tcpdump openssl freetds-bin openvpn
#   mariadb-server mariadb-client ngircd python3-pymodbus
#
# Usage (as root):  test-captures/record-apps.sh [SCENARIO...]   (default: all)
#
# Every scenario runs inside network namespaces this script creates
# (wipap<PID>a, wipap<PID>b) and deletes on exit; only their loopbacks and
# one veth pair between them (10.77.0.1 <-> 10.77.0.2) exist, so no packet
# leaves them.  Every program runs under `timeout`.  Truth: manifest-apps.tsv.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_APPS_OUT:-$HERE}
A=wipap$$a; B=wipap$$b
TAG=record-apps
. "$HERE/lib-netns.sh"
netns_init

# two namespaces, a veth pair between them, loopbacks up
ns_up() {
    netns_add "$A" "$B"
    ip link add wipapa netns "$A" type veth peer name wipapb netns "$B" || exit 1
    ip -n "$A" addr add 10.77.0.1/24 dev wipapa; ip -n "$B" addr add 10.77.0.2/24 dev wipapb
    ip -n "$A" link set wipapa up; ip -n "$B" link set wipapb up
}
ns_down() { netns_kill "$A"; netns_kill "$B"; }

# capture_start NS IFACE FILE / capture_stop
capture_start() { CAP_NS=$1 CAP_IF=$2 cap_start "$(basename "$3" .pcap)"; }
capture_stop() { cap_stop; }
wait_listen() { wait_listen_in "$1" "$2" "$PORT"; }   # NS tcp|udp

rec_tds() {
    ns_up
    ip netns exec "$A" timeout 20 python3 "$HERE/tds-responder.py" 127.0.0.1 $PORT 10 &
    wait_listen "$A" tcp
    capture_start "$A" lo "$OUT/app-tds.pcap"
    printf 'select 1 as one\ngo\nexit\n' | TDSVER=7.4 ip netns exec "$A" timeout 10 tsql -H 127.0.0.1 -p $PORT -U sa -P wip >/dev/null 2>&1
    capture_stop app-tds
    ns_down
}

ovpn_certs() {
    [ -f "$TMP/ca.crt" ] && return
    (cd "$TMP" &&
     openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 30 -subj /CN=wip-ca &&
     for n in server client; do
         openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $n.key -out $n.csr -subj /CN=wip-$n &&
         openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 30
     done) >/dev/null 2>&1 || exit 1
}

rec_openvpn() {   # udp|tcp
    local t=$1 sp=udp cp=udp
    [ "$t" = tcp ] && { sp=tcp-server; cp=tcp-client; }
    ovpn_certs
    ns_up
    capture_start "$A" wipapa "$OUT/app-openvpn-$t.pcap"
    (cd "$TMP" && ip netns exec "$A" timeout 15 openvpn --dev tun --proto $sp --lport $PORT --tls-server --dh none \
        --ca ca.crt --cert server.crt --key server.key --ifconfig 10.8.0.1 10.8.0.2 --verb 0 >"$TMP/s.log" 2>&1 &)
    wait_listen "$A" "$t"
    (cd "$TMP" && ip netns exec "$B" timeout 12 openvpn --dev tun --proto $cp --nobind --remote 10.77.0.1 $PORT --tls-client \
        --ca ca.crt --cert client.crt --key client.key --ifconfig 10.8.0.2 10.8.0.1 --verb 0 >"$TMP/c.log" 2>&1 &)
    for _ in $(seq 100); do ip -n "$B" addr show 2>/dev/null | grep -q 10.8.0.2 && break; sleep 0.1; done
    sleep 2
    # a few datagrams through the tunnel (to the discard port; nothing needs to answer)
    for i in 1 2 3; do ip netns exec "$B" bash -c "echo wip-tunnel-$i > /dev/udp/10.8.0.1/9" 2>/dev/null; sleep 0.3; done
    capture_stop "app-openvpn-$t"
    ns_down
}

rec_mysql() {
    ns_up
    chmod 755 "$TMP"; mkdir -p "$TMP/db"; chown mysql "$TMP/db"
    timeout 120 mariadb-install-db --user=mysql --datadir="$TMP/db" --auth-root-authentication-method=normal \
        --skip-test-db >"$TMP/db-install.log" 2>&1 || { echo "mariadb-install-db failed" >&2; exit 1; }
    ip netns exec "$A" timeout 40 mariadbd --no-defaults --user=mysql --datadir="$TMP/db" --socket="$TMP/db/db.sock" \
        --pid-file="$TMP/db/db.pid" --port=$PORT --bind-address=127.0.0.1 --skip-ssl --log-error="$TMP/db/db.err" &
    wait_listen "$A" tcp
    capture_start "$A" lo "$OUT/app-mysql.pcap"
    ip netns exec "$A" timeout 10 mariadb --no-defaults -h 127.0.0.1 -P $PORT -u root --skip-ssl -e \
        "create database wip; use wip; create table t (id int primary key, name varchar(20)); insert into t values (1, 'one'), (2, 'two'); select * from t; select version();" >/dev/null
    capture_stop app-mysql
    ns_down
}

rec_irc() {
    ns_up
    chmod 755 "$TMP"
    cat >"$TMP/ngircd.conf" <<EOC
[Global]
Name = irc.wip.test
Info = wip test server
Listen = 127.0.0.1
Ports = $PORT
PidFile = $TMP/ngircd.pid
ServerUID = nobody
ServerGID = nogroup
MotdPhrase = wip test server
[Options]
DNS = no
Ident = no
PAM = no
EOC
    ip netns exec "$A" timeout 20 ngircd -n -f "$TMP/ngircd.conf" >"$TMP/ngircd.log" 2>&1 &
    wait_listen "$A" tcp
    capture_start "$A" lo "$OUT/app-irc.pcap"
    ip netns exec "$A" timeout 10 /usr/bin/python3 "$HERE/irc-client.py" 127.0.0.1 $PORT
    capture_stop app-irc
    ns_down
}

rec_modbus() {
    ns_up
    ip netns exec "$A" timeout 20 /usr/bin/python3 "$HERE/modbus-session.py" server 127.0.0.1 $PORT 12 >"$TMP/mb.log" 2>&1 &
    wait_listen "$A" tcp
    capture_start "$A" lo "$OUT/app-modbus.pcap"
    ip netns exec "$A" timeout 10 /usr/bin/python3 "$HERE/modbus-session.py" client 127.0.0.1 $PORT
    capture_stop app-modbus
    ns_down
}

[ $# -gt 0 ] || set -- tds openvpn-udp openvpn-tcp mysql irc modbus
for s in "$@"; do
    case $s in
        tds) rec_tds ;;
        openvpn-udp) rec_openvpn udp ;;
        openvpn-tcp) rec_openvpn tcp ;;
        mysql) rec_mysql ;;
        irc) rec_irc ;;
        modbus) rec_modbus ;;
        *) echo "unknown scenario $s" >&2; exit 2 ;;
    esac
done
