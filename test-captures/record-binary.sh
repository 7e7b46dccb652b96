#!/bin/bash
# record-binary.sh - record the real binary protocol corpus (issue 12) for the
# header inference: real programs talking on port 3414, one pcap per protocol
# (test-captures/bin-<proto>.pcap), truth in manifest-binary.tsv and, from
# Wireshark's own dissectors, bin-<proto>.truth.json (eval/truth-binary.py).
#
# REQUIRES (Debian 12, apt-get install --no-install-recommends):
#   iproute2 ethtool tcpdump socat python3 gearman-job-server gearman-tools
#   slapd ldap-utils krb5-kdc krb5-admin-server krb5-user rpcbind xvfb
#   x11-utils x11-apps xdotool x11vnc bird2 python3-thrift openipmi ipmitool
#   xl2tpd freediameterd freediameter-extensions rabbitmq-server python3-pika
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
TAG=record-binary CAP_PREFIX=bin- CAP_IF=$SVETH CAP_TIMEOUT=300 CAP_SETTLE=0.8 WAIT_TRIES=300
NETNS_KEEP=${WIP_BIN_KEEP:-}   # WIP_BIN_KEEP=DIR keeps the programs' logs and configs for debugging
. "$HERE/lib-netns.sh"
netns_init "$SNS" "$CNS"
ip link add "$SVETH" type veth peer name "$CVETH" || exit 1
ip link set "$SVETH" netns "$SNS" && ip link set "$CVETH" netns "$CNS" || exit 1
ip -n "$SNS" addr add $SIP/24 dev "$SVETH" && ip -n "$CNS" addr add $CIP/24 dev "$CVETH" || exit 1
ip -n "$SNS" link set "$SVETH" up && ip -n "$CNS" link set "$CVETH" up || exit 1
# no offloads: the capture shows the segments as sent on the wire
ip netns exec "$SNS" ethtool -K "$SVETH" tso off gso off gro off >/dev/null 2>&1
ip netns exec "$CNS" ethtool -K "$CVETH" tso off gso off gro off >/dev/null 2>&1

# sx/cx T CMD...: run a bounded command in the server / client namespace
sx() { nsx "$@"; }
cx() { local t=$1; shift; ip netns exec "$CNS" timeout "$t" "$@"; }
# sbg/cbg T LOG CMD...: same in the background; sets BGPID
sbg() { local t=$1 l=$2; shift 2; ip netns exec "$SNS" timeout "$t" "$@" >"$l" 2>&1 </dev/null & BGPID=$!; PIDS+=("$BGPID"); }
cbg() { local t=$1 l=$2; shift 2; ip netns exec "$CNS" timeout "$t" "$@" >"$l" 2>&1 </dev/null & BGPID=$!; PIDS+=("$BGPID"); }

wait_listen() { wait_listen_in "$@"; }   # wait_listen NS tcp|udp PORT

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

# stop everything a scenario left running in both namespaces
ns_reset() { netns_stop "$CNS"; netns_stop "$SNS"; sleep 0.2; }

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

# ---------------------------------------------------------------- x11
# Xvfb :5 listens on TCP 6005, relayed from 3414; the clients reach it as
# DISPLAY=127.0.0.1:5 through a relay of 6005 in the client namespace.
# xdpyinfo, xwininfo, xprop, xdotool, xlsfonts, xeyes: one connection each.
sc_x11() {
    sbg 120 "$TMP/xvfb.log" Xvfb :5 -listen tcp -ac -nolisten unix -screen 0 320x200x24
    wait_listen "$SNS" tcp 6005 || return 1
    srelay tcp $PORT 127.0.0.1 6005
    wait_listen "$SNS" tcp $PORT || return 1
    crelay tcp 6005 $SIP $PORT
    wait_listen "$CNS" tcp 6005 || return 1
    cap_start x11
    local d=127.0.0.1:5
    cx 10 env DISPLAY=$d xdpyinfo -queryExtensions >/dev/null 2>&1
    cx 10 env DISPLAY=$d xwininfo -root -tree >/dev/null 2>&1
    cx 10 env DISPLAY=$d xprop -root >/dev/null 2>&1
    cx 10 env DISPLAY=$d xdotool getmouselocation mousemove 40 30 getmouselocation >/dev/null 2>&1
    cx 10 env DISPLAY=$d xlsfonts -fn '*-fixed-*' >/dev/null 2>&1
    cx 3 env DISPLAY=$d xeyes -geometry 60x40+10+10 >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- rfb
# x11vnc on 3414 serving a small Xvfb; a Python RFB 3.8 client (stdlib
# sockets, the protocol written out by hand) does the handshake, pixel
# format, encodings, framebuffer update requests, key / pointer events and
# cut text; three connections doing different things.
sc_rfb() {
    sbg 120 "$TMP/xvfb.log" Xvfb :6 -ac -screen 0 96x64x24
    for _ in $(seq 50); do [ -e /tmp/.X11-unix/X6 ] && break; sleep 0.1; done
    sbg 120 "$TMP/x11vnc.log" x11vnc -display :6 -rfbport $PORT -listen $SIP -nopw -forever -shared \
        -norc -nolookup -noxdamage -noshm -quiet -nocursor -nowf
    wait_listen "$SNS" tcp $PORT || return 1
    cat >"$TMP/rfbcli.py" <<'EOF'
import socket, struct, sys, time
host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.create_connection((host, port), timeout=5)
def rd(n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError
        b += c
    return b
ver = rd(12)
s.sendall(b"RFB 003.008\n")
n = rd(1)[0]
types = rd(n)
s.sendall(bytes([1]))                       # security: None
rd(4)                                       # SecurityResult
s.sendall(bytes([1]))                       # ClientInit: shared
w, h = struct.unpack(">HH", rd(4)); rd(16); nl = struct.unpack(">I", rd(4))[0]; rd(nl)
bpp = 8 if mode != "b" else 16
# SetPixelFormat: 8 or 16 bpp true colour
s.sendall(struct.pack(">B3xBBBBHHHBBB3x", 0, bpp, bpp if bpp == 8 else 16, 0, 1,
                      7 if bpp == 8 else 31, 7 if bpp == 8 else 63, 3 if bpp == 8 else 31,
                      0 if bpp == 8 else 11, 3 if bpp == 8 else 5, 6 if bpp == 8 else 0))
encs = [0, 1]
s.sendall(struct.pack(">BxH", 2, len(encs)) + b"".join(struct.pack(">i", e) for e in encs))
def update(x, y, ww, hh, inc):
    s.sendall(struct.pack(">BBHHHH", 3, inc, x, y, ww, hh))
    try:
        t, _, nr = struct.unpack(">BBH", rd(4))
    except socket.timeout:      # an incremental request with nothing changed
        return
    for _ in range(nr):
        rx, ry, rw, rh, enc = struct.unpack(">HHHHi", rd(12))
        if enc == 0:
            rd(rw * rh * bpp // 8)
        elif enc == 1:
            rd(4)
def drain(t=0.3):
    s.settimeout(t)
    try:
        while s.recv(65536):
            pass
    except (socket.timeout, OSError):
        pass
    s.settimeout(5)
update(0, 0, min(w, 32), min(h, 16), 0)
if mode == "a":
    for k in (0x61, 0x62, 0xff0d):
        s.sendall(struct.pack(">BBxxI", 4, 1, k)); s.sendall(struct.pack(">BBxxI", 4, 0, k))
    for i in range(4):
        s.sendall(struct.pack(">BBHH", 5, i & 1, 10 + 7 * i, 5 + 3 * i))
    update(8, 8, 16, 8, 0)
elif mode == "b":
    txt = b"clipboard text from the rfb client"
    s.sendall(struct.pack(">B3xI", 6, len(txt)) + txt)
    update(0, 0, 24, 24, 0)
    update(0, 0, 24, 24, 1)
else:
    for i in range(3):
        update(4 * i, 2 * i, 8 + 4 * i, 4 + 2 * i, 0)
        s.sendall(struct.pack(">BBHH", 5, 1, 20 + i, 20 + i))
drain()
s.close()
EOF
    cap_start rfb
    cx 10 $PY "$TMP/rfbcli.py" $SIP $PORT a
    cx 10 $PY "$TMP/rfbcli.py" $SIP $PORT b
    cx 10 $PY "$TMP/rfbcli.py" $SIP $PORT c
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- bgp
# Two BIRD speakers, both on port 3414 (the server one passive): OPEN,
# KEEPALIVE, UPDATEs (IPv4 and multiprotocol IPv6, communities, several
# prefix counts), NOTIFICATION (Cease) when the client disables the session;
# three sessions.
bird_conf() {   # ID LOCALAS PEERIP PEERAS PASSIVE NET3RD
    cat <<EOF
router id $1;
log stderr all;
protocol device {}
protocol static s4 { ipv4; route 198.51.$6.0/24 blackhole; route 203.0.$6.0/25 blackhole;
  route 203.0.$6.128/26 blackhole { bgp_community.add((65000, $6)); bgp_med = 50; }; }
protocol static s6 { ipv6; route 2001:db8:$6::/48 blackhole; route 2001:db8:$6:1::/64 blackhole; }
protocol bgp peer {
  local port $PORT as $2;
  neighbor $3 port $PORT as $4;
  passive $5;
  hold time 6; keepalive time 1; connect delay time 1; connect retry time 1; error wait time 1, 2;
  ipv4 { import all; export all; };
  ipv6 { import all; export all; };
}
EOF
}
sc_bgp() {
    bird_conf $SIP 65001 $CIP 65002 on 1 >"$TMP/birdS.conf"
    bird_conf $CIP 65002 $SIP 65001 off 2 >"$TMP/birdC.conf"
    sbg 120 "$TMP/birdS.log" bird -f -c "$TMP/birdS.conf" -s "$TMP/birdS.ctl" -P "$TMP/birdS.pid"
    wait_listen "$SNS" tcp $PORT || return 1
    cap_start bgp
    cbg 120 "$TMP/birdC.log" bird -f -c "$TMP/birdC.conf" -s "$TMP/birdC.ctl" -P "$TMP/birdC.pid"
    sleep 3.5
    cx 5 birdc -s "$TMP/birdC.ctl" disable peer >/dev/null
    sleep 1
    cx 5 birdc -s "$TMP/birdC.ctl" enable peer >/dev/null
    sleep 3
    cx 5 birdc -s "$TMP/birdC.ctl" restart peer >/dev/null
    sleep 3
    cx 5 birdc -s "$TMP/birdC.ctl" down >/dev/null
    sleep 0.5
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- thrift
# Apache Thrift (python3-thrift): TBinaryProtocol (strict) over
# TFramedTransport, a server and a client written against the library's
# protocol API (no generated code): calls with i32/i64/double/string/
# binary/list/map/struct arguments, replies, an exception, a oneway call;
# three connections.
sc_thrift() {
    cat >"$TMP/thr.py" <<'EOF'
import sys, socket, threading
from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol
from thrift.Thrift import TType, TMessageType, TApplicationException
role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
def read_any(p, t):
    if t == TType.STRUCT:
        p.readStructBegin(); out = {}
        while True:
            _, ft, fid = p.readFieldBegin()
            if ft == TType.STOP: break
            out[fid] = read_any(p, ft); p.readFieldEnd()
        p.readStructEnd(); return out
    if t == TType.LIST:
        et, n = p.readListBegin(); v = [read_any(p, et) for _ in range(n)]; p.readListEnd(); return v
    if t == TType.MAP:
        kt, vt, n = p.readMapBegin(); v = {read_any(p, kt): read_any(p, vt) for _ in range(n)}; p.readMapEnd(); return v
    return {TType.BOOL: p.readBool, TType.BYTE: p.readByte, TType.I16: p.readI16, TType.I32: p.readI32,
            TType.I64: p.readI64, TType.DOUBLE: p.readDouble, TType.STRING: p.readBinary}[t]()
def serve_one(client):
    tr = TTransport.TFramedTransport(client); p = TBinaryProtocol.TBinaryProtocol(tr)
    try:
        while True:
            name, mt, seq = p.readMessageBegin(); args = read_any(p, TType.STRUCT); p.readMessageEnd()
            if mt == TMessageType.ONEWAY: continue
            if name == "fail":
                p.writeMessageBegin(name, TMessageType.EXCEPTION, seq)
                TApplicationException(TApplicationException.UNKNOWN_METHOD, "no such method: fail").write(p)
            else:
                p.writeMessageBegin(name, TMessageType.REPLY, seq)
                p.writeStructBegin(name + "_result")
                if name == "add":
                    p.writeFieldBegin("success", TType.I64, 0); p.writeI64(args[1] + args[2]); p.writeFieldEnd()
                elif name == "echo":
                    p.writeFieldBegin("success", TType.STRING, 0); p.writeBinary(args[1] if isinstance(args[1], bytes) else b"ok"); p.writeFieldEnd()
                elif name == "stats":
                    p.writeFieldBegin("success", TType.MAP, 0); p.writeMapBegin(TType.STRING, TType.DOUBLE, 3)
                    for k, v in (("mean", 1.5), ("max", 99.25), ("count", 12.0)): p.writeString(k); p.writeDouble(v)
                    p.writeMapEnd(); p.writeFieldEnd()
                p.writeFieldStop(); p.writeStructEnd()
            p.writeMessageEnd(); tr.flush()
    except (TTransport.TTransportException, EOFError):
        pass
    client.close()
if role == "server":
    srv = TSocket.TServerSocket(host=host, port=port); srv.listen()
    while True:
        c = srv.accept()
        threading.Thread(target=serve_one, args=(c,), daemon=True).start()
sock = TSocket.TSocket(host, port); tr = TTransport.TFramedTransport(sock); tr.open()
p = TBinaryProtocol.TBinaryProtocol(tr)
seq = [0]
def call(name, fields, oneway=False):
    seq[0] += 1
    p.writeMessageBegin(name, TMessageType.ONEWAY if oneway else TMessageType.CALL, seq[0])
    p.writeStructBegin(name + "_args")
    for fid, (ft, wr) in enumerate(fields, 1):
        p.writeFieldBegin("f%d" % fid, ft, fid); wr(); p.writeFieldEnd()
    p.writeFieldStop(); p.writeStructEnd(); p.writeMessageEnd(); tr.flush()
    if oneway: return
    name, mt, s = p.readMessageBegin(); read_any(p, TType.STRUCT); p.readMessageEnd()
mode = sys.argv[4]
if mode == "a":
    call("ping", [])
    call("add", [(TType.I32, lambda: p.writeI32(40)), (TType.I32, lambda: p.writeI32(2))])
    call("echo", [(TType.STRING, lambda: p.writeString("hello thrift"))])
    call("add", [(TType.I32, lambda: p.writeI32(-7)), (TType.I32, lambda: p.writeI32(123456))])
elif mode == "b":
    def lst():
        p.writeListBegin(TType.I64, 5)
        for v in (1, 2, 3, 1 << 40, -1): p.writeI64(v)
        p.writeListEnd()
    call("stats", [(TType.LIST, lst), (TType.DOUBLE, lambda: p.writeDouble(0.25))])
    call("log", [(TType.STRING, lambda: p.writeString("a oneway log line " * 3))], oneway=True)
    call("echo", [(TType.STRING, lambda: p.writeString("x" * 300))])
    call("fail", [(TType.BOOL, lambda: p.writeBool(True))])
else:
    def st():
        p.writeStructBegin("Item"); p.writeFieldBegin("id", TType.I16, 1); p.writeI16(7); p.writeFieldEnd()
        p.writeFieldBegin("tag", TType.BYTE, 2); p.writeByte(3); p.writeFieldEnd()
        p.writeFieldBegin("name", TType.STRING, 3); p.writeString("item seven"); p.writeFieldEnd()
        p.writeFieldStop(); p.writeStructEnd()
    call("echo", [(TType.STRUCT, st)])
    for i in range(3):
        call("add", [(TType.I32, lambda: p.writeI32(i)), (TType.I32, lambda: p.writeI32(i * 1000))])
tr.close()
EOF
    sbg 120 "$TMP/thrs.log" $PY "$TMP/thr.py" server $SIP $PORT
    wait_listen "$SNS" tcp $PORT || return 1
    cap_start thrift
    cx 10 $PY "$TMP/thr.py" client $SIP $PORT a
    cx 10 $PY "$TMP/thr.py" client $SIP $PORT b
    cx 10 $PY "$TMP/thr.py" client $SIP $PORT c
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- ipmi
# OpenIPMI's simulated BMC (ipmi_sim) with its LAN interface on UDP 3414;
# ipmitool over IPMI 1.5 (-I lan: RMCP presence ping, session setup with MD5
# and none authentication, commands) and IPMI 2.0 (-I lanplus: RMCP+ open
# session, RAKP, encrypted commands); one client port per run.
sc_ipmi() {
    cat >"$TMP/lan.conf" <<EOF
name "wipsim"
set_working_mc 0x20
  startlan 1
    addr $SIP $PORT
    priv_limit admin
    allowed_auths_callback none md2 md5 straight
    allowed_auths_user none md2 md5 straight
    allowed_auths_operator none md2 md5 straight
    allowed_auths_admin none md2 md5 straight
    guid a123456789abcdefa123456789abcdef
  endlan
  user 1 true  ""      "test" user  10 none md2 md5 straight
  user 2 true  "admin" "wippw" admin 10 none md2 md5 straight
EOF
    cat >"$TMP/ipmi.emu" <<EOF
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
sensor_add 0x20 0 1 0x01 0x01
mc_enable 0x20
EOF
    mkdir -p "$TMP/ipmistate"
    sbg 120 "$TMP/ipmisim.log" ipmi_sim -c "$TMP/lan.conf" -f "$TMP/ipmi.emu" -s "$TMP/ipmistate" -n -d
    wait_listen "$SNS" udp $PORT || return 1
    cap_start ipmi
    local I="ipmitool -H $SIP -p $PORT -U admin -P wippw -N 1 -R 2"
    cx 10 $I -I lan -A MD5 mc info >/dev/null 2>&1
    cx 10 $I -I lan -A NONE chassis status >/dev/null 2>&1
    cx 10 $I -I lan -A MD5 sel info >/dev/null 2>&1
    cx 10 $I -I lanplus -C 3 mc guid >/dev/null 2>&1
    cx 10 $I -I lanplus -C 0 chassis status >/dev/null 2>&1
    cx 10 $I -I lan -A PASSWORD sdr list >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- l2tp
# xl2tpd as LNS on UDP 3414 and as LAC (also on 3414) from three client
# addresses: control connection (SCCRQ, SCCRP, SCCCN, ZLB acks), incoming
# call (ICRQ, ICRP, ICCN), HELLO, then CDN / StopCCN when the LAC goes away.
sc_l2tp() {
    local i a
    for a in 3 4; do ip -n "$CNS" addr add 10.214.0.$a/24 dev "$CVETH"; done
    cat >"$TMP/lns.conf" <<EOF
[global]
listen-addr = $SIP
port = $PORT
auth file = /dev/null
[lns default]
ip range = 10.99.0.10-10.99.0.20
local ip = 10.99.0.1
require authentication = no
refuse pap = yes
refuse chap = yes
hidden bit = no
length bit = yes
name = wip-lns
pppoptfile = $TMP/ppp.opts
EOF
    printf 'noauth\nnodetach\nnodefaultroute\nlcp-max-configure 2\n' >"$TMP/ppp.opts"
    sbg 120 "$TMP/lns.log" xl2tpd -D -c "$TMP/lns.conf" -p "$TMP/lns.pid" -C "$TMP/lns.ctl"
    wait_listen "$SNS" udp $PORT || return 1
    cap_start l2tp
    for i in 2 3 4; do
        cat >"$TMP/lac$i.conf" <<EOF
[global]
listen-addr = 10.214.0.$i
port = $PORT
[lac wip]
lns = $SIP:$PORT
redial = no
autodial = yes
length bit = yes
hidden bit = no
name = wip-lac-$i
pppoptfile = $TMP/ppp.opts
EOF
        cbg 30 "$TMP/lac$i.log" xl2tpd -D -c "$TMP/lac$i.conf" -p "$TMP/lac$i.pid" -C "$TMP/lac$i.ctl"
        local lac=$BGPID
        sleep $((i + 1))
        stop "$lac" TERM
        sleep 0.5
    done
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- diameter
# Two freeDiameterd (server on 3414, no TLS, client whitelisted by acl_wl);
# each client run: CER/CEA (applications from the dictionary extensions it
# loads), DWR/DWA (Tw 6 s, first run only), DPR/DPA when it stops.
sc_diameter() {
    local D="$TMP/dia" i
    mkdir -p "$D"
    for i in srv cli1 cli2 cli3; do    # each identity needs a certificate of its name
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/$i.key" -out "$D/$i.pem" -days 30 \
            -subj "/CN=$i.wip.test" >/dev/null 2>&1
    done
    echo "ALLOW_IPSEC *.wip.test" >"$D/acl.conf"
    cat >"$D/srv.conf" <<EOF
Identity = "srv.wip.test";
Realm = "wip.test";
Port = $PORT;
SecPort = 0;
No_SCTP;
No_IPv6;
ListenOn = "$SIP";
TwTimer = 6;
TLS_Cred = "$D/srv.pem", "$D/srv.key";
TLS_CA = "$D/srv.pem";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$D/acl.conf";
LoadExtension = "/usr/lib/freeDiameter/dict_nasreq.fdx";
LoadExtension = "/usr/lib/freeDiameter/dict_eap.fdx";
LoadExtension = "/usr/lib/freeDiameter/dict_dcca.fdx";
EOF
    sbg 120 "$D/srv.log" freeDiameterd -c "$D/srv.conf"
    wait_listen "$SNS" tcp $PORT || return 1
    cap_start diameter
    for i in 1 2 3; do
        cat >"$D/cli$i.conf" <<EOF
Identity = "cli$i.wip.test";
Realm = "wip.test";
Port = 3868;
SecPort = 0;
No_SCTP;
No_IPv6;
ListenOn = "$CIP";
TwTimer = 6;
TcTimer = 30;
TLS_Cred = "$D/cli$i.pem", "$D/cli$i.key";
TLS_CA = "$D/cli$i.pem";
ConnectPeer = "srv.wip.test" { ConnectTo = "$SIP"; Port = $PORT; No_TLS; };
EOF
        [ $i -ge 2 ] && echo 'LoadExtension = "/usr/lib/freeDiameter/dict_nasreq.fdx";' >>"$D/cli$i.conf"
        [ $i -ge 3 ] && echo 'LoadExtension = "/usr/lib/freeDiameter/dict_dcca.fdx";' >>"$D/cli$i.conf"
        cbg 30 "$D/cli$i.log" freeDiameterd -c "$D/cli$i.conf"
        local cli=$BGPID
        sleep $((5 + 2 * i))     # past TwTimer (6 s): a device watchdog exchange in each run
        stop "$cli" TERM
        sleep 0.5
    done
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- amqp
# RabbitMQ (AMQP 0-9-1) on 3414 (its own node, mnesia and logs in the
# temporary directory, guest allowed from the client address); python3-pika
# clients: publish with properties, basic.get / ack / purge, fanout
# exchange + bind + publisher confirms + consume / cancel / delete.
sc_amqp() {
    local R="$TMP/rmq"
    mkdir -p "$R/mnesia" "$R/log"
    printf 'loopback_users = none\nlisteners.tcp.default = %s:%s\n' "$SIP" "$PORT" >"$R/rabbitmq.conf"
    echo '[].' >"$R/enabled_plugins"
    sbg 180 "$R/server.log" env HOME="$R" RABBITMQ_NODENAME=wip@localhost RABBITMQ_NODE_PORT=$PORT \
        RABBITMQ_NODE_IP_ADDRESS=$SIP RABBITMQ_DIST_PORT=25699 RABBITMQ_MNESIA_BASE="$R/mnesia" \
        RABBITMQ_LOG_BASE="$R/log" RABBITMQ_CONFIG_FILE="$R/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$R/enabled_plugins" RABBITMQ_PID_FILE="$R/pid" \
        /usr/lib/rabbitmq/bin/rabbitmq-server
    local n
    for n in 1 2 3; do wait_listen "$SNS" tcp $PORT && break; done
    ip netns exec "$SNS" ss -H -ltn "sport = :$PORT" | grep -q . || return 1
    sleep 2
    cat >"$TMP/amqp.py" <<'EOF'
import sys, pika
host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
par = pika.ConnectionParameters(host=host, port=port, credentials=pika.PlainCredentials("guest", "guest"),
                                heartbeat=0, connection_attempts=2)
c = pika.BlockingConnection(par)
ch = c.channel()
if mode == "a":
    ch.queue_declare("wip.q", durable=False)
    for i, body in enumerate([b"x", b"hello amqp", b"A" * 200, bytes(range(256)) * 3, b'{"k": 1, "v": [1, 2, 3]}']):
        props = pika.BasicProperties(content_type="application/octet-stream" if i % 2 else "text/plain",
                                     headers={"n": i, "src": "wip"}, correlation_id="c-%d" % i,
                                     message_id="m-%04d" % i, timestamp=1700000000 + i, delivery_mode=1 + i % 2)
        ch.basic_publish("", "wip.q", body, props)
elif mode == "b":
    while True:
        m, p, b = ch.basic_get("wip.q")
        if m is None:
            break
        ch.basic_ack(m.delivery_tag)
    ch.queue_purge("wip.q")
else:
    ch.exchange_declare("wip.fan", exchange_type="fanout")
    q = ch.queue_declare("", exclusive=True).method.queue
    ch.queue_bind(q, "wip.fan")
    ch.confirm_delivery()
    for i in range(3):
        ch.basic_publish("wip.fan", "", b"fanout message %d " % i * (i + 1))
    got = []
    for m, p, b in ch.consume(q, inactivity_timeout=1):
        if m is None:
            break
        ch.basic_ack(m.delivery_tag)
        got.append(b)
        if len(got) == 3:
            break
    ch.cancel()
    ch.queue_delete(q)
    ch.exchange_delete("wip.fan")
c.close()
EOF
    cap_start amqp
    cx 20 $PY "$TMP/amqp.py" $SIP $PORT a
    cx 20 $PY "$TMP/amqp.py" $SIP $PORT b
    cx 20 $PY "$TMP/amqp.py" $SIP $PORT c
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- ntp
# chronyd as an NTP server (local stratum 8, clock untouched) on UDP 3414;
# clients: ntpdig (ntpsec-ntpdig; it only asks port 123, relayed by socat
# on the client's loopback, one relay port per request) with several
# samples, and chronyd -Q (client mode, basic and interleaved) straight to
# 3414; each request from its own client port.
sc_ntp() {
    cat >"$TMP/chrony-srv.conf" <<EOF
port $PORT
bindaddress $SIP
cmdport 0
allow all
local stratum 8
driftfile $TMP/chrony-srv.drift
pidfile $TMP/chrony-srv.pid
EOF
    sbg 120 "$TMP/chronyd-srv.log" chronyd -d -x -u root -f "$TMP/chrony-srv.conf"
    wait_listen "$SNS" udp $PORT || return 1
    crelay udp 123 $SIP $PORT
    wait_listen "$CNS" udp 123 || return 1
    sleep 1
    cap_start ntp
    cx 15 ntpdig -p 4 -g 300 -t 2 127.0.0.1 >/dev/null 2>&1
    cx 15 ntpdig -p 2 -g 300 -t 2 127.0.0.1 >/dev/null 2>&1
    local m
    for m in "iburst maxsamples 4" "iburst xleave maxsamples 4" "minpoll -2 maxpoll -2 maxsamples 3"; do
        cx 20 chronyd -Q -u root "server $SIP port $PORT $m" "pidfile $TMP/chrony-cli.pid" "cmdport 0" >/dev/null 2>&1
    done
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- mysql
# MariaDB server (its own data directory, initialised here) on 3414, no TLS;
# mariadb / mariadb-admin / mariadb-dump clients: handshake and
# authentication (one with a wrong password), queries with result sets of
# several column types, DDL/DML (OK packets), errors, ping/status, a dump.
sc_mysql() {
    local M="$TMP/my"
    mkdir -p "$M/data"
    timeout 120 mariadb-install-db --no-defaults --datadir="$M/data" --user=root \
        --auth-root-authentication-method=normal --skip-test-db >"$M/install.log" 2>&1 || { log "mariadb-install-db failed"; return 1; }
    sbg 180 "$M/server.log" mariadbd --no-defaults --datadir="$M/data" --user=root --port=$PORT \
        --bind-address=$SIP --socket="$M/sock" --pid-file="$M/pid" --skip-name-resolve \
        --innodb-buffer-pool-size=16M --skip-log-bin --ssl=0
    wait_listen "$SNS" tcp $PORT || return 1
    sx 20 mariadb --no-defaults -S "$M/sock" -u root -e \
        "CREATE DATABASE wipdb; CREATE USER 'wip'@'%' IDENTIFIED BY 'wippw'; GRANT ALL ON wipdb.* TO 'wip'@'%';" || return 1
    local C="--no-defaults --skip-ssl -h $SIP -P $PORT -u wip"
    cap_start mysql
    cx 10 mariadb $C -pwippw wipdb -e "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(40), v DOUBLE, ts DATETIME, b BLOB);
        INSERT INTO t VALUES (1,'alpha',1.5,'2024-01-02 03:04:05',x'00ff10'),(2,'beta',NULL,NOW(),NULL),(3,REPEAT('z',40),-2.25,NOW(),REPEAT('b',300));
        SELECT * FROM t; UPDATE t SET v = v * 2 WHERE id < 3; SELECT id, v FROM t ORDER BY id DESC;" >/dev/null 2>&1
    cx 10 mariadb $C -pwippw -e "SELECT VERSION(), @@port, 1+1; SHOW DATABASES; SELECT * FROM wipdb.nosuch;" >/dev/null 2>&1
    cx 10 mariadb $C -pwrongpw -e "SELECT 1" >/dev/null 2>&1
    cx 10 mariadb-admin $C -pwippw ping status >/dev/null 2>&1
    cx 20 mariadb-dump $C -pwippw wipdb >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- smb2
# smbd (samba) on 3414 (smb ports), a guest share and a user; smbclient -p
# 3414: share listing (IPC$, srvsvc), guest and user sessions with SMB
# 3.1.1 and 2.1, ls / get / put / mkdir / rmdir / allinfo; NetBIOS session
# length + SMB2 header (session id, message id, credits) + commands.
sc_smb2() {
    local S="$TMP/smb"
    mkdir -p "$S"/priv "$S"/lock "$S"/state "$S"/cache "$S"/pid "$S"/share "$S"/log "$S"/ncalrpc
    echo "hello smb2 share file" >"$S/share/hello.txt"
    head -c 70000 /usr/share/common-licenses/GPL-3 >"$S/share/gpl.txt"
    head -c 3000 /usr/share/common-licenses/GPL-2 >"$TMP/up.txt"
    chmod -R 777 "$S/share"
    cat >"$S/smb.conf" <<EOF
[global]
  smb ports = $PORT
  interfaces = $SIP/24
  bind interfaces only = yes
  disable netbios = yes
  server role = standalone server
  workgroup = WIPTEST
  map to guest = Bad User
  private dir = $S/priv
  lock directory = $S/lock
  state directory = $S/state
  cache directory = $S/cache
  pid directory = $S/pid
  ncalrpc dir = $S/ncalrpc
  log file = $S/log/%m.log
  passdb backend = tdbsam:$S/priv/passdb.tdb
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  server min protocol = SMB2_02
  client min protocol = SMB2_02
[pub]
  path = $S/share
  guest ok = yes
  read only = no
  force user = root
EOF
    printf 'wippw\nwippw\n' | timeout 20 smbpasswd -c "$S/smb.conf" -s -a root >/dev/null 2>&1
    sbg 120 "$S/smbd.log" smbd -F --debug-stdout --no-process-group -s "$S/smb.conf"
    wait_listen "$SNS" tcp $PORT || return 1
    local K="-s $S/smb.conf -p $PORT"
    cap_start smb2
    cx 15 smbclient $K -N -L $SIP >/dev/null 2>&1
    cx 15 smbclient $K -N //$SIP/pub -c "ls; get hello.txt /dev/null; allinfo hello.txt" >/dev/null 2>&1
    cx 15 smbclient $K -U root%wippw //$SIP/pub -c "mkdir sub; put $TMP/up.txt sub/up.txt; ls sub/*; del sub/up.txt; rmdir sub" >/dev/null 2>&1
    cx 15 smbclient $K -N -m SMB2_10 //$SIP/pub -c "get gpl.txt /dev/null; ls" >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- tftp
# tftpd-hpa on UDP 69 with its transfer port fixed to 3500 (-R); TFTP
# answers from a new port per transfer, which a relay cannot follow, so a
# stateless nftables table in the server namespace rewrites the ports
# instead: requests (opcode 1 RRQ, 2 WRQ) to 3414 go to 69, the rest of a
# transfer to 3414 goes to 3500, and 3500's datagrams leave from 3414; the
# capture (the veth, outside that rewriting) holds the programs' own bytes
# with 3414 as the server port throughout.  tftp-hpa client: octet and
# netascii reads of several sizes (one a multiple of 512: an empty last
# block), a write, a missing file (ERROR); one client port per transfer.
sc_tftp() {
    local T="$TMP/tftp"
    mkdir -p "$T"
    echo "a short tftp file" >"$T/small.txt"
    head -c 3000 /usr/share/common-licenses/GPL-3 >"$T/gpl3000.txt"
    head -c 1024 /usr/share/common-licenses/GPL-2 >"$T/exact1024.bin"
    head -c 1500 /usr/share/common-licenses/Apache-2.0 >"$TMP/up.txt"
    chmod -R 777 "$T"
    sx 10 nft -f - <<EOF || return 1
table ip wiptftp {
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    udp dport $PORT notrack
    udp dport $PORT @th,64,16 { 1, 2 } udp dport set 69
    udp dport $PORT udp dport set 3500
  }
  chain out {
    type filter hook output priority -300; policy accept;
    udp sport 3500 notrack
    udp sport 3500 udp sport set $PORT
  }
}
EOF
    sbg 120 "$TMP/tftpd.log" in.tftpd -L -a $SIP:69 -R 3500:3500 -s -c -u root "$T"
    wait_listen "$SNS" udp 69 || return 1
    cap_start tftp
    cx 10 tftp -m binary $SIP $PORT -c get small.txt "$TMP/got1" >/dev/null 2>&1
    cx 10 tftp -m binary $SIP $PORT -c get gpl3000.txt "$TMP/got2" >/dev/null 2>&1
    cx 10 tftp -m binary $SIP $PORT -c get exact1024.bin "$TMP/got3" >/dev/null 2>&1
    cx 10 tftp -m ascii $SIP $PORT -c get small.txt "$TMP/got4" >/dev/null 2>&1
    ( cd "$TMP" && cx 10 tftp -m binary $SIP $PORT -c put up.txt uploaded.txt >/dev/null 2>&1 )
    cx 10 tftp -m binary $SIP $PORT -c get nosuch.txt "$TMP/got5" >/dev/null 2>&1
    cap_stop
    sx 10 nft delete table ip wiptftp
    ns_reset
}

# ---------------------------------------------------------------- radius
# FreeRADIUS 3 (a copy of the packaged configuration, its first listen
# section auth+acct on 3414) and radclient (freeradius-utils): PAP accept,
# wrong password (reject), CHAP, Message-Authenticator, Status-Server;
# several requests per radclient run, each run its own client port.
# (Accounting requests to the auth+acct listener got no answer in our
# runs, so there are none.)
sc_radius() {
    local R="$TMP/raddb"
    cp -rL /etc/freeradius/3.0 "$R" || return 1
    sed -i -e "0,/^\ttype = auth$/s//\ttype = auth+acct/" -e "0,/^\tipaddr = \*$/s//\tipaddr = $SIP/" \
        -e "0,/^\tport = 0$/s//\tport = $PORT/" "$R/sites-enabled/default"
    cat >>"$R/clients.conf" <<EOF
client wipc {
	ipaddr = 10.214.0.0/24
	secret = wipsecret
}
EOF
    { printf 'alice Cleartext-Password := "alicepw"\n\tReply-Message := "Hello, %%{User-Name}", Session-Timeout := 3600\n'
      printf 'bob Cleartext-Password := "bobpw"\n\tFramed-IP-Address := 10.99.0.7, Framed-MTU := 1400\n'
      cat "$R/mods-config/files/authorize"; } >"$R/users.new"
    mv "$R/users.new" "$R/mods-config/files/authorize"
    chown -R freerad:freerad "$R"
    sbg 120 "$TMP/radiusd.log" freeradius -X -d "$R"
    wait_listen "$SNS" udp $PORT || return 1
    local Q="-r 1 -t 2 $SIP:$PORT"
    cap_start radius
    printf 'User-Name = "alice", User-Password = "alicepw", NAS-IP-Address = 10.214.0.2, NAS-Port = 1\n\nUser-Name = "alice", User-Password = "wrong"\n\nUser-Name = "bob", CHAP-Password = "bobpw", NAS-Identifier = "wip-nas"\n' \
        | cx 10 radclient $Q auth wipsecret >/dev/null 2>&1
    printf 'Message-Authenticator = 0x00\n' | cx 10 radclient $Q status wipsecret >/dev/null 2>&1
    printf 'User-Name = "alice", User-Password = "alicepw", NAS-Port-Type = Ethernet, Calling-Station-Id = "02-00-00-00-00-01", Called-Station-Id = "wip-ap"\n\nUser-Name = "bob", CHAP-Password = "nope"\n\nUser-Name = "alice", CHAP-Password = "alicepw", Framed-Protocol = PPP\n\nUser-Name = "bob", User-Password = "bobpw", Message-Authenticator = 0x00\n' \
        | cx 10 radclient $Q auth wipsecret >/dev/null 2>&1
    printf 'User-Name = "bob", User-Password = "bobpw", Service-Type = Framed-User\n' | cx 10 radclient -c 3 $Q auth wipsecret >/dev/null 2>&1
    printf 'User-Name = "nobody", User-Password = "x"\n' | cx 10 radclient $Q auth wipsecret >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- memcached
# memcached on TCP 3414 (UDP off); libmemcached-tools with --binary: the
# binary protocol (24-byte header: magic, opcode, key length, extras
# length, total body length, opaque, CAS): set, get, exist, touch, delete,
# stats, flush, version/noop; one connection per tool run.
sc_memcached() {
    local F="$TMP/mc"
    mkdir -p "$F"
    echo "small value" >"$F/key-one"
    head -c 2500 /usr/share/common-licenses/GPL-3 >"$F/key-two"
    printf '%s' "x" >"$F/k3"
    sbg 120 "$TMP/memcached.log" memcached -u root -l $SIP -p $PORT -U 0 -m 16 -t 1
    wait_listen "$SNS" tcp $PORT || return 1
    local S="--binary --servers=$SIP:$PORT"
    cap_start memcached
    ( cd "$F" && cx 10 memccp $S key-one key-two k3 >/dev/null 2>&1 )
    cx 10 memccat $S key-one key-two nosuch >/dev/null 2>&1
    cx 10 memcexist $S key-one >/dev/null 2>&1
    cx 10 memctouch $S --expire=600 key-two >/dev/null 2>&1
    cx 10 memcrm $S k3 nosuch >/dev/null 2>&1
    cx 10 memcstat $S >/dev/null 2>&1
    cx 10 memcping $S >/dev/null 2>&1
    cx 10 memcflush $S >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- coap
# libcoap's example server (coap-server-notls) on UDP 3414; coap-client:
# GET of /.well-known/core (block-wise), /time, PUT / GET / DELETE of
# /example_data, a NON request, an observe of /time, a missing resource
# (4.04); one client port per run.
sc_coap() {
    sbg 120 "$TMP/coap-server.log" coap-server-notls -A $SIP -p $PORT -v 3
    wait_listen "$SNS" udp $PORT || return 1
    local U="coap://$SIP:$PORT"
    cap_start coap
    cx 10 coap-client-notls -m get -b 64 "$U/.well-known/core" >/dev/null 2>&1
    cx 10 coap-client-notls -m get "$U/time" >/dev/null 2>&1
    cx 10 coap-client-notls -m put -e "wip coap payload 0123456789" "$U/example_data" >/dev/null 2>&1
    cx 10 coap-client-notls -m get -T 4a1b "$U/example_data" >/dev/null 2>&1
    cx 10 coap-client-notls -N -m get "$U/example_data" >/dev/null 2>&1
    cx 10 coap-client-notls -m get -s 4 "$U/time" >/dev/null 2>&1
    cx 10 coap-client-notls -m delete "$U/example_data" >/dev/null 2>&1
    cx 10 coap-client-notls -m get "$U/nosuch" >/dev/null 2>&1
    cap_stop
    ns_reset
}

# ---------------------------------------------------------------- dns
# dnsmasq as an authoritative-style server for wip.test on port 3414 (no
# upstream); dig (bind9-dnsutils) over UDP (dns) and TCP (dnstcp, 2-byte
# length prefix, several queries per connection with +keepopen): A, AAAA,
# MX, TXT, SRV, CNAME, PTR, NXDOMAIN, EDNS with cookies.
dns_server() {
    cat >"$TMP/hosts" <<EOF
10.99.0.1 www.wip.test www
10.99.0.2 mail.wip.test mail
2001:db8::7 www.wip.test
EOF
    sbg 120 "$TMP/dnsmasq.log" dnsmasq --keep-in-foreground --log-facility=- --conf-file=/dev/null \
        --port=$PORT --listen-address=$SIP --bind-interfaces --no-resolv --no-hosts --user=root \
        --pid-file="$TMP/dnsmasq.pid" --addn-hosts="$TMP/hosts" --domain=wip.test --local=/wip.test/ \
        --mx-host=wip.test,mail.wip.test,10 --txt-record=wip.test,"v=wip1 a test text record" \
        --srv-host=_ldap._tcp.wip.test,www.wip.test,389,0,100 --cname=alias.wip.test,www.wip.test
    wait_listen "$SNS" udp $PORT
}
dns_queries() {   # T: extra dig options
    local D="dig @$SIP -p $PORT +tries=1 +time=2 $1"
    cx 10 $D www.wip.test A >/dev/null 2>&1
    cx 10 $D www.wip.test AAAA +nocookie >/dev/null 2>&1
    cx 10 $D wip.test MX >/dev/null 2>&1
    cx 10 $D wip.test TXT +noedns >/dev/null 2>&1
    cx 10 $D _ldap._tcp.wip.test SRV >/dev/null 2>&1
    cx 10 $D -x 10.99.0.2 >/dev/null 2>&1
    printf 'alias.wip.test A\nnosuch.wip.test A\nmail.wip.test A +dnssec\nwww.wip.test A +norec +bufsize=512\nwip.test NS\nwip.test SOA +nsid\n' >"$TMP/dig.batch"
    cx 10 $D -f "$TMP/dig.batch" >/dev/null 2>&1
    cx 10 $D -x 10.99.0.1 +noedns >/dev/null 2>&1
}
sc_dns() {
    dns_server || return 1
    cap_start dns
    dns_queries ""
    cap_stop
    ns_reset
}
sc_dnstcp() {
    dns_server || return 1
    cap_start dnstcp
    dns_queries "+tcp"
    printf 'www.wip.test A\nwip.test MX\nwip.test TXT\n1.0.99.10.in-addr.arpa PTR\nnosuch.wip.test AAAA\nmail.wip.test ANY\n' >"$TMP/dig.batch2"
    cx 10 dig @$SIP -p $PORT +tries=1 +time=2 +tcp +keepopen -f "$TMP/dig.batch2" >/dev/null 2>&1
    cap_stop
    ns_reset
}

ALL="gearman ldap kerberos rpc x11 rfb bgp thrift ipmi l2tp diameter amqp ntp mysql smb2 tftp radius memcached coap dns dnstcp"
todo=${*:-$ALL}
rc=0
for p in $todo; do
    log "=== $p"
    if ! "sc_$p"; then log "FAILED: $p"; rc=1; ns_reset; fi
done
exit $rc
