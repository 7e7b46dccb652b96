#!/bin/bash
# record-binary.sh - record the real binary protocol corpus (issue 12) for the
# header inference: real programs talking on port 3414, one pcap per protocol
# (test-captures/bin-<proto>.pcap), truth in manifest-binary.tsv and, from
# Wireshark's own dissectors, bin-<proto>.truth.json (eval/truth-binary.py).
#
# REQUIRES (Debian 12, apt-get install --no-install-recommends):
#   iproute2 tcpdump socat python3 gearman-job-server gearman-tools slapd
#   ldap-utils krb5-kdc krb5-user rpcbind xvfb x11-utils x11-apps xdotool
#   x11vnc bird2 python3-thrift openipmi ipmitool freediameter xl2tpd
#   rabbitmq-server python3-pika
# (service start-up on install is not needed: the script starts its own.)
#
# Usage (as root):  test-captures/record-binary.sh [proto ...]
#   no argument = every protocol; a protocol is the pcap name without the
#   "bin-" prefix and ".pcap" suffix (e.g. gearman ldap).
#
# Traffic: two network namespaces created here (wipbs<PID> = server,
# wipbc<PID> = client) joined by one veth pair with private addresses
# 10.214.0.1 (server) and 10.214.0.2 (client) and no route anywhere else;
# both are deleted on exit (trap), with everything still running inside.
# tcpdump captures the server's veth with the filter 'port 3414'.  A server
# that cannot listen on 3414 listens on its own port and socat relays 3414 to
# it inside the server namespace (and, for clients that cannot be pointed at
# 3414, a socat in the client namespace relays their usual port to the
# server's 3414): the capture holds the programs' own bytes, only the port
# differs.  Every command is bounded by timeout(1).

set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_BIN_OUT:-$HERE}
PY=/usr/bin/python3
SNS=wipbs$$
CNS=wipbc$$
SVETH=wbs$$
CVETH=wbc$$
SIP=10.214.0.1
CIP=10.214.0.2
PORT=3414
TMP=$(mktemp -d /tmp/wipbin.XXXXXX)
chmod 755 "$TMP"
PIDS=()

if [ "$(id -u)" != 0 ]; then echo "must run as root (ip netns, tcpdump)" >&2; exit 1; fi

log() { echo "[record-binary] $*" >&2; }

kill_ns() {
    local ns=$1 p
    ip netns list 2>/dev/null | grep -qw "$ns" || return 0
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
    sleep 0.5
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
}
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        [ "$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')" = "$$" ] && kill "$p" 2>/dev/null
    done
    kill_ns "$CNS"; kill_ns "$SNS"
    ip netns del "$CNS" 2>/dev/null
    ip netns del "$SNS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$SNS" || exit 1
ip netns add "$CNS" || exit 1
ip link add "$SVETH" type veth peer name "$CVETH" || exit 1
ip link set "$SVETH" netns "$SNS" && ip link set "$CVETH" netns "$CNS" || exit 1
ip -n "$SNS" addr add $SIP/24 dev "$SVETH" && ip -n "$CNS" addr add $CIP/24 dev "$CVETH" || exit 1
for ns in "$SNS" "$CNS"; do ip -n "$ns" link set lo up; done
ip -n "$SNS" link set "$SVETH" up && ip -n "$CNS" link set "$CVETH" up || exit 1
# no offloads: the capture shows the segments as sent on the wire
ip netns exec "$SNS" ethtool -K "$SVETH" tso off gso off gro off >/dev/null 2>&1
ip netns exec "$CNS" ethtool -K "$CVETH" tso off gso off gro off >/dev/null 2>&1

# sx/cx T CMD...: run a bounded command in the server / client namespace
sx() { local t=$1; shift; ip netns exec "$SNS" timeout "$t" "$@"; }
cx() { local t=$1; shift; ip netns exec "$CNS" timeout "$t" "$@"; }
# sbg/cbg T LOG CMD...: same in the background; sets BGPID
sbg() { local t=$1 l=$2; shift 2; ip netns exec "$SNS" timeout "$t" "$@" >"$l" 2>&1 </dev/null & BGPID=$!; PIDS+=("$BGPID"); }
cbg() { local t=$1 l=$2; shift 2; ip netns exec "$CNS" timeout "$t" "$@" >"$l" 2>&1 </dev/null & BGPID=$!; PIDS+=("$BGPID"); }

# wait_listen NS tcp|udp PORT
wait_listen() {
    local ns=$1 proto=$2 port=$3 flag=-ltn
    [ "$proto" = udp ] && flag=-lun
    for _ in $(seq 300); do
        ip netns exec "$ns" ss -H $flag "sport = :$port" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    log "nothing listens on $proto/$port in $ns"
    return 1
}

stop() {
    local p=$1 sig=${2:-TERM}
    kill -"$sig" "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    return 0
}

# relays: tcp|udp LISTENPORT TARGETHOST TARGETPORT
srelay() {
    local pr=$1 lp=$2 th=$3 tp=$4 L=TCP-LISTEN T=TCP
    [ "$pr" = udp ] && { L=UDP-LISTEN; T=UDP; }
    sbg 300 "$TMP/srelay-$lp.log" socat "$L:$lp,bind=$SIP,reuseaddr,fork" "$T:$th:$tp"
}
crelay() {
    local pr=$1 lp=$2 th=$3 tp=$4 L=TCP-LISTEN T=TCP
    [ "$pr" = udp ] && { L=UDP-LISTEN; T=UDP; }
    cbg 300 "$TMP/crelay-$lp.log" socat "$L:$lp,bind=127.0.0.1,reuseaddr,fork" "$T:$th:$tp"
}

CAPPID=
cap_start() {
    local f="$OUT/bin-$1.pcap"
    rm -f "$f"
    ip netns exec "$SNS" timeout 300 tcpdump -Z root --immediate-mode -i "$SVETH" -U -s 0 -w "$f" "port $PORT" \
        >"$TMP/tcpdump.log" 2>&1 &
    CAPPID=$!
    PIDS+=("$CAPPID")
    for _ in $(seq 100); do grep -q 'listening on' "$TMP/tcpdump.log" && break; sleep 0.05; done
    sleep 0.3
}
cap_stop() {
    sleep 0.8
    stop "$CAPPID" INT
    log "$(grep -E 'packets captured' "$TMP/tcpdump.log")"
}
# stop everything a scenario left running in both namespaces
ns_reset() { kill_ns "$CNS"; kill_ns "$SNS"; sleep 0.2; }

# ---------------------------------------------------------------- gearman
# gearmand on 3414; one worker (reverses its job data, 6 jobs) and clients
# with foreground, background, high-priority and unique-id jobs of several
# sizes, each a conversation of its own.
sc_gearman() {
    sbg 120 "$TMP/gearmand.log" gearmand -L $SIP -p $PORT --log-file=stderr -q builtin --threads=1
    wait_listen "$SNS" tcp $PORT || return 1
    cap_start gearman
    cbg 60 "$TMP/gworker.log" gearman -h $SIP -p $PORT -w -f rev -c 6 -- rev
    sleep 0.5
    cx 10 gearman -h $SIP -p $PORT -f rev "hello gearman" >/dev/null
    cx 10 gearman -h $SIP -p $PORT -f rev -u job-unique-0001 "a somewhat longer job payload for the worker to reverse, with digits 0123456789" >/dev/null
    cx 10 gearman -h $SIP -p $PORT -I -f rev "urgent" >/dev/null
    cx 10 gearman -h $SIP -p $PORT -b -f rev "background job" >/dev/null
    head -c 600 /usr/share/common-licenses/GPL-3 | cx 10 gearman -h $SIP -p $PORT -f rev >/dev/null
    cx 10 gearman -h $SIP -p $PORT -f rev x >/dev/null
    sleep 0.5
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- ldap
# slapd (mdb) on 3414; ldap-utils: root DSE, bind + add, searches, modify,
# compare, whoami, delete; each tool its own connection.
sc_ldap() {
    mkdir -p "$TMP/ldapdb"
    cat >"$TMP/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $TMP/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "dc=wip,dc=test"
rootdn "cn=admin,dc=wip,dc=test"
rootpw secret
directory $TMP/ldapdb
EOF
    cat >"$TMP/add.ldif" <<EOF
dn: dc=wip,dc=test
objectClass: dcObject
objectClass: organization
o: WIP test
dc: wip

dn: ou=people,dc=wip,dc=test
objectClass: organizationalUnit
ou: people

dn: uid=alice,ou=people,dc=wip,dc=test
objectClass: inetOrgPerson
uid: alice
cn: Alice Example
sn: Example
mail: alice@wip.test
description: first test user with a longer description attribute

dn: uid=bob,ou=people,dc=wip,dc=test
objectClass: inetOrgPerson
uid: bob
cn: Bob
sn: B
EOF
    cat >"$TMP/mod.ldif" <<EOF
dn: uid=bob,ou=people,dc=wip,dc=test
changetype: modify
replace: mail
mail: bob@wip.test
-
add: telephoneNumber
telephoneNumber: +1 555 0100
EOF
    sbg 120 "$TMP/slapd.log" slapd -d 0 -h "ldap://$SIP:$PORT/" -f "$TMP/slapd.conf"
    wait_listen "$SNS" tcp $PORT || return 1
    local H="ldap://$SIP:$PORT" D="cn=admin,dc=wip,dc=test"
    cap_start ldap
    cx 10 ldapsearch -x -H "$H" -b "" -s base '+' >/dev/null
    cx 10 ldapadd -x -H "$H" -D "$D" -w secret -f "$TMP/add.ldif" >/dev/null
    cx 10 ldapsearch -x -H "$H" -b "dc=wip,dc=test" '(objectClass=*)' >/dev/null
    cx 10 ldapmodify -x -H "$H" -D "$D" -w secret -f "$TMP/mod.ldif" >/dev/null
    cx 10 ldapsearch -x -H "$H" -D "$D" -w secret -b "ou=people,dc=wip,dc=test" '(uid=b*)' cn mail >/dev/null
    cx 10 ldapcompare -x -H "$H" -D "$D" -w secret "uid=alice,ou=people,dc=wip,dc=test" "sn:Example" >/dev/null
    cx 10 ldapwhoami -x -H "$H" -D "$D" -w secret >/dev/null
    cx 10 ldapdelete -x -H "$H" -D "$D" -w secret "uid=bob,ou=people,dc=wip,dc=test" >/dev/null
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- kerberos
# MIT krb5kdc on 3414 (TCP only: udp_preference_limit = 1); kinit from a
# keytab (AS-REQ, KRB-ERROR preauth required, AS-REQ with PA, AS-REP), kvno
# for service tickets (TGS), a wrong principal (error); one TCP connection
# per request.
sc_kerberos() {
    local K="$TMP/krb"
    mkdir -p "$K"
    cat >"$K/kdc.conf" <<EOF
[kdcdefaults]
 kdc_ports = $PORT
 kdc_tcp_ports = $PORT
[realms]
 WIP.TEST = {
  database_name = $K/principal
  key_stash_file = $K/stash
  acl_file = $K/kadm5.acl
  kdc_ports = $PORT
  kdc_tcp_ports = $PORT
  max_life = 10h 0m 0s
 }
[logging]
 kdc = FILE:$K/kdc.log
EOF
    cat >"$K/krb5.conf" <<EOF
[libdefaults]
 default_realm = WIP.TEST
 udp_preference_limit = 1
 dns_lookup_kdc = false
 dns_lookup_realm = false
 rdns = false
[realms]
 WIP.TEST = {
  kdc = $SIP:$PORT
 }
EOF
    : >"$K/kadm5.acl"
    export KRB5_KDC_PROFILE="$K/kdc.conf" KRB5_CONFIG="$K/krb5.conf" KRB5CCNAME="FILE:$K/ccache"
    timeout 30 kdb5_util -r WIP.TEST create -s -P masterpw-wip >/dev/null 2>&1 || { log "kdb5_util failed"; return 1; }
    local pr
    for pr in "+requires_preauth -pw alicepw alice" "-pw bobpw bob" "-randkey host/srv.wip.test" "-randkey ldap/dir.wip.test"; do
        timeout 30 kadmin.local -r WIP.TEST -q "addprinc $pr" >/dev/null 2>&1
    done
    timeout 30 kadmin.local -r WIP.TEST -q "ktadd -k $K/user.keytab -norandkey alice bob" >/dev/null 2>&1
    sbg 120 "$TMP/kdc.log" krb5kdc -n -r WIP.TEST
    wait_listen "$SNS" tcp $PORT || return 1
    cap_start kerberos
    cx 10 kinit -k -t "$K/user.keytab" alice >/dev/null 2>&1
    cx 10 kvno host/srv.wip.test >/dev/null 2>&1
    cx 10 kvno ldap/dir.wip.test >/dev/null 2>&1
    cx 10 kinit -k -t "$K/user.keytab" bob >/dev/null 2>&1
    cx 10 kvno host/srv.wip.test >/dev/null 2>&1
    cx 10 kvno nosuch/svc.wip.test >/dev/null 2>&1
    cx 10 kinit -k -t "$K/user.keytab" -l 1h -r 2h -f alice >/dev/null 2>&1
    cap_stop
    unset KRB5_KDC_PROFILE KRB5_CONFIG KRB5CCNAME
    ns_reset
}

# ---------------------------------------------------------------- onc rpc
# rpcbind on its port 111, relayed from 3414 (server side) and from 111 on
# the client's loopback (client side); rpcinfo over TCP: portmapper v2 DUMP,
# rpcbind v3/v4 DUMP, NULL pings of v2-v4, GETADDRLIST, statistics.
sc_rpc() {
    mkdir -p /run/rpcbind
    sbg 120 "$TMP/rpcbind.log" rpcbind -f -w
    wait_listen "$SNS" tcp 111 || return 1
    srelay tcp $PORT 127.0.0.1 111
    wait_listen "$SNS" tcp $PORT || return 1
    crelay tcp 111 $SIP $PORT
    wait_listen "$CNS" tcp 111 || return 1
    cap_start rpc
    cx 10 rpcinfo -p 127.0.0.1 >/dev/null
    cx 10 rpcinfo -T tcp 127.0.0.1 >/dev/null
    cx 10 rpcinfo -t 127.0.0.1 100000 2 >/dev/null
    cx 10 rpcinfo -T tcp 127.0.0.1 100000 4 >/dev/null
    cx 10 rpcinfo -l -T tcp 127.0.0.1 100000 4 >/dev/null
    cx 10 rpcinfo -m -T tcp 127.0.0.1 >/dev/null
    cx 10 rpcinfo -s -T tcp 127.0.0.1 >/dev/null
    cap_stop
    ns_reset
}

ALL="gearman ldap kerberos rpc"
todo=${*:-$ALL}
rc=0
for p in $todo; do
    log "=== $p"
    if ! "sc_$p"; then log "FAILED: $p"; rc=1; ns_reset; fi
done
exit $rc
