#!/bin/bash
# record-protocols.sh - record the "known protocols on port 3414" capture corpus
# for the wip dissector, from real programs wherever one exists.
#
# REQUIRES (Debian 12, apt-get install --no-install-recommends):
#   iproute2 tcpdump tshark openssl curl nginx-light nghttp2-server python3
#   python3-websockets python3-h2 python3-scapy python3-protobuf python3-impacket
#   openssh-server openssh-client sip-tester dnsmasq-base dnsutils
#   mosquitto mosquitto-clients redis-server redis-tools coturn smbclient
#   gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
#
# Usage (as root):  test-captures/record-protocols.sh [scenario ...]
#   no argument = every scenario; a scenario is a pcap name without the
#   "proto-" prefix and ".pcap" suffix (e.g. tls12 ssh dns-udp).
#
# Every byte of traffic stays inside a network namespace that this script
# creates (wipproto<PID>) and deletes on exit: only its loopback is up, servers
# listen on 127.0.0.1:3414, and tcpdump -i lo writes one classic pcap per
# scenario with the filter 'port 3414'.  Every command is bounded by timeout.
# The truth about each pcap is in manifest-protocols.tsv next to this script.

set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_PROTO_OUT:-$HERE}
PY=/usr/bin/python3
GEN="$HERE/gen-protocols.py"
FAILED=()
TAG=record-protocols CAP_PREFIX=proto-
. "$HERE/lib-netns.sh"
netns_init wipproto$$

# ---------------------------------------------------------------- keys
mkkeys() {
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 30 \
        -subj "/CN=wip.example.test" >/dev/null 2>&1
}

# ---------------------------------------------------------------- scenarios
# openssl s_server/s_client: handshake, one line each way, close_notify
tls_common() {
    local name=$1 ver=$2
    cap_start "$name"
    bgrun 10 "$TMP/srv.log" openssl s_server -accept 127.0.0.1:$PORT -naccept 1 "$ver" \
        -cert "$TMP/cert.pem" -key "$TMP/key.pem" \
        < <(sleep 1.2; echo "hello from s_server ($ver)"; sleep 3)
    local srv=$BGPID
    wait_listen tcp || return 1
    (sleep 0.6; echo "hello from s_client ($ver)"; sleep 1.5) |
        nsx 10 openssl s_client -connect 127.0.0.1:$PORT "$ver" -servername wip.example.test \
            -quiet -no_ign_eof >"$TMP/cli.log" 2>&1
    wait "$srv" 2>/dev/null
    cap_stop
}
sc_tls12() { tls_common tls12 -tls1_2; }
sc_tls13() { tls_common tls13 -tls1_3; }

sc_dtls() {
    cap_start dtls
    bgrun 10 "$TMP/srv.log" openssl s_server -dtls1_2 -accept 127.0.0.1:$PORT -naccept 1 \
        -cert "$TMP/cert.pem" -key "$TMP/key.pem" \
        < <(sleep 1.2; echo "hello from s_server (dtls1.2)"; sleep 3)
    local srv=$BGPID
    wait_listen udp || return 1
    (sleep 0.6; echo "hello from s_client (dtls1.2)"; sleep 1.5) |
        nsx 10 openssl s_client -dtls1_2 -connect 127.0.0.1:$PORT -quiet -no_ign_eof \
            >"$TMP/cli.log" 2>&1
    wait "$srv" 2>/dev/null
    cap_stop
}

nginx_conf() {   # $1 = listen suffix ("" or " http2")
    mkdir -p "$TMP/www" "$TMP/nginx"
    printf 'hello from nginx on port 3414\n' >"$TMP/www/index.html"
    printf '{"service":"wip","port":3414}\n' >"$TMP/www/status.json"
    { echo "master_process off;"; nginx_head 16; cat <<EOF
    types { text/html html; application/json json; }
    server {
        listen 127.0.0.1:$PORT$1;
        server_name wip.example.test;
        root $TMP/www;
    }
}
EOF
    } >"$TMP/nginx/nginx.conf"
}

sc_http11() {
    nginx_conf ""
    bgrun 15 "$TMP/srv.log" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start http11
    nsx 10 curl -sS --http1.1 -o /dev/null -o /dev/null \
        "http://127.0.0.1:$PORT/index.html" "http://127.0.0.1:$PORT/status.json" >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

# HTTP/2 prior knowledge (h2c): nghttpd without TLS, curl --http2-prior-knowledge
sc_http2() {
    mkdir -p "$TMP/www"
    printf 'hello from nghttpd on port 3414\n' >"$TMP/www/index.html"
    bgrun 15 "$TMP/srv.log" nghttpd --no-tls -a 127.0.0.1 -d "$TMP/www" $PORT
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start http2
    nsx 10 curl -sS --http2-prior-knowledge -o /dev/null "http://127.0.0.1:$PORT/index.html" \
        >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

# HTTP/1.1 Upgrade: h2c then HTTP/2 on the same connection (curl --http2 on
# http://).  nghttpd does not do the Upgrade, so the server is python3-h2.
sc_h2c-upgrade() {
    bgrun 15 "$TMP/srv.log" $PY "$GEN" h2c-server
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start h2c-upgrade
    nsx 10 curl -sS --http2 -o /dev/null "http://127.0.0.1:$PORT/index.html" >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

sc_websocket() {
    bgrun 15 "$TMP/srv.log" $PY "$GEN" ws-server
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start websocket
    nsx 10 $PY "$GEN" ws-client >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

sc_ssh() {
    mkdir -p /run/sshd "$TMP/ssh"
    ssh-keygen -q -t ed25519 -N '' -C wip-hostkey -f "$TMP/ssh/host_ed25519" </dev/null
    ssh-keygen -q -t ed25519 -N '' -C wip-client -f "$TMP/ssh/client_ed25519" </dev/null
    cp "$TMP/ssh/client_ed25519.pub" "$TMP/ssh/authorized_keys"
    cat >"$TMP/ssh/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $TMP/ssh/host_ed25519
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $TMP/ssh/authorized_keys
PrintMotd no
PrintLastLog no
EOF
    bgrun 15 "$TMP/srv.log" /usr/sbin/sshd -D -e -f "$TMP/ssh/sshd_config"
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start ssh
    nsx 10 ssh -F /dev/null -p $PORT -i "$TMP/ssh/client_ed25519" -o IdentitiesOnly=yes \
        -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes \
        -o LogLevel=ERROR -o KexAlgorithms=curve25519-sha256 root@127.0.0.1 'echo hello from sshd on port 3414' >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

sc_sip-udp() {
    cd "$TMP" || return 1
    bgrun 20 "$TMP/srv.log" sipp -sn uas -i 127.0.0.1 -p $PORT -t u1 -nostdin -m 1
    local srv=$BGPID
    wait_listen udp || return 1
    cap_start sip-udp
    nsx 15 sipp -sn uac -i 127.0.0.1 -p 5060 -t u1 -nostdin -m 1 -s wip 127.0.0.1:$PORT \
        >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
    cd "$HERE" || return 1
}
sc_sip-tcp() {
    cd "$TMP" || return 1
    bgrun 20 "$TMP/srv.log" sipp -sn uas -i 127.0.0.1 -p $PORT -t t1 -nostdin -m 1
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start sip-tcp
    nsx 15 sipp -sn uac -i 127.0.0.1 -p 5060 -t t1 -nostdin -m 1 -s wip 127.0.0.1:$PORT \
        >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
    cd "$HERE" || return 1
}

# RTP: GStreamer, 20 x 20 ms G.711 u-law packets, fixed SSRC/seq/timestamp base
sc_rtp() {
    bgrun 15 "$TMP/srv.log" gst-launch-1.0 -q udpsrc address=127.0.0.1 port=$PORT ! fakesink
    local srv=$BGPID
    wait_listen udp || return 1
    cap_start rtp
    nsx 10 gst-launch-1.0 -q audiotestsrc is-live=true num-buffers=20 samplesperbuffer=160 \
        ! audio/x-raw,rate=8000,channels=1 ! mulawenc \
        ! rtppcmupay ssrc=0x57495031 seqnum-offset=1000 timestamp-offset=160000 \
        ! udpsink host=127.0.0.1 port=$PORT bind-address=127.0.0.1 bind-port=40000 \
        >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

# RTCP: GStreamer rtpbin sender; its RTCP (SR+SDES compounds, SR+SDES+BYE at
# the end) goes to 3414, the RTP itself to 3416 (not captured)
sc_rtcp() {
    bgrun 20 "$TMP/srv.log" gst-launch-1.0 -q udpsrc address=127.0.0.1 port=$PORT ! fakesink
    local srv=$BGPID
    bgrun 20 "$TMP/srv2.log" gst-launch-1.0 -q udpsrc address=127.0.0.1 port=3416 ! fakesink
    local srv2=$BGPID
    wait_listen udp || return 1
    cap_start rtcp
    nsx 16 gst-launch-1.0 -q -e rtpbin name=rb \
        'sdes=application/x-rtp-source-sdes,cname=(string)"wip@127.0.0.1",tool=(string)"gstreamer-rtpbin"' \
        audiotestsrc is-live=true num-buffers=500 samplesperbuffer=160 \
        ! audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay ssrc=0x57495032 \
        ! rb.send_rtp_sink_0 \
        rb.send_rtp_src_0 ! udpsink host=127.0.0.1 port=3416 bind-address=127.0.0.1 bind-port=40002 \
        rb.send_rtcp_src_0 ! udpsink host=127.0.0.1 port=$PORT bind-address=127.0.0.1 \
            bind-port=40003 sync=false async=false \
        >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"; stop "$srv2"
}

turn_server() {
    bgrun 20 "$TMP/srv.log" turnserver -n --listening-port $PORT -L 127.0.0.1 --relay-ip 127.0.0.1 \
        --no-tls --no-dtls --no-cli --allow-loopback-peers --lt-cred-mech --user wip:wippass \
        --realm example.test --min-port 49200 --max-port 49210 --log-file stdout \
        --pidfile "$TMP/turnserver.pid" --userdb "$TMP/turndb" --no-rfc5780 --fingerprint
    TURNPID=$BGPID
    wait_listen udp
}
# STUN: coturn turnserver + turnutils_stunclient (Binding request/response)
sc_stun() {
    turn_server || return 1
    cap_start stun
    nsx 5 turnutils_stunclient -p $PORT 127.0.0.1 >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$TURNPID"
}
# TURN: coturn turnserver + turnutils_uclient (Allocate with 401/long-term
# credentials, Refresh, CreatePermission, ChannelBind, ChannelData, Refresh 0)
sc_turn() {
    turn_server || return 1
    bgrun 20 "$TMP/peer.log" turnutils_peer -L 127.0.0.1 -p 3480
    local peer=$BGPID
    sleep 0.3
    cap_start turn
    nsx 10 turnutils_uclient -u wip -w wippass -p $PORT -e 127.0.0.1 -r 3480 -n 3 -m 1 -l 40 \
        -c -X 127.0.0.1 >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$TURNPID"; stop "$peer"
}

dns_common() {   # $1 name, $2.. extra dig options
    local name=$1; shift
    bgrun 15 "$TMP/srv.log" dnsmasq -C /dev/null -k -p $PORT --no-resolv --no-hosts \
        --address=/example.test/127.0.0.2 --listen-address=127.0.0.1 --bind-interfaces \
        --pid-file= --log-queries --log-facility=-
    local srv=$BGPID
    wait_listen udp || return 1
    wait_listen tcp || return 1
    cap_start "$name"
    nsx 5 dig -p $PORT @127.0.0.1 example.test A +tries=1 +time=2 "$@" >"$TMP/cli.log" 2>&1
    nsx 5 dig -p $PORT @127.0.0.1 www.example.test A +tries=1 +time=2 "$@" >>"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}
sc_dns-udp() { dns_common dns-udp +notcp; }
sc_dns-tcp() { dns_common dns-tcp +tcp; }

sc_mqtt() {
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' $PORT \
        >"$TMP/mosquitto.conf"
    bgrun 15 "$TMP/srv.log" mosquitto -c "$TMP/mosquitto.conf"
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start mqtt
    nsx 8 mosquitto_sub -h 127.0.0.1 -p $PORT -i wip-sub -t wip/test -q 1 -C 1 >"$TMP/cli.log" 2>&1 &
    local sub=$!
    PIDS+=("$sub")
    sleep 0.5
    nsx 5 mosquitto_pub -h 127.0.0.1 -p $PORT -i wip-pub -t wip/test -q 1 \
        -m 'hello from mosquitto_pub on port 3414' >>"$TMP/cli.log" 2>&1
    wait "$sub"
    cap_stop
    stop "$srv"
}

sc_resp() {
    bgrun 15 "$TMP/srv.log" redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$TMP" --daemonize no --protected-mode yes
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start resp
    # one redis-cli per command: with commands on stdin redis-cli would start
    # its REPL and fetch COMMAND DOCS (170 KB) first
    local c
    while IFS= read -r c; do
        eval "nsx 5 redis-cli -h 127.0.0.1 -p $PORT $c" >>"$TMP/cli.log" 2>&1
    done <<'EOF'
PING
SET wip:greeting "hello from redis-cli"
GET wip:missing
RPUSH wip:list a b c
LRANGE wip:list 0 -1
EOF
    cap_stop
    stop "$srv"
}

# SMB2: smbclient (Samba 4.17) against the impacket SimpleSMBServer
sc_smb2() {
    mkdir -p "$TMP/share"
    printf 'hello from the wip smb share\n' >"$TMP/share/hello.txt"
    bgrun 20 "$TMP/srv.log" $PY "$GEN" smb-server "$TMP/share"
    local srv=$BGPID
    wait_listen tcp || return 1
    cap_start smb2
    nsx 10 smbclient //127.0.0.1/WIP -p $PORT -N -m SMB2 -c 'ls' >"$TMP/cli.log" 2>&1
    cap_stop
    stop "$srv"
}

gen_tcp() {  # hand-built exchange in gen-protocols.py: $1 pcap name, $2.. generator args
    local name=$1; shift
    cap_start "$name"
    nsx 15 $PY "$GEN" "$@" >"$TMP/cli.log" 2>&1
    local rc=$?
    cap_stop
    [ $rc = 0 ] || { cat "$TMP/cli.log" >&2; return 1; }
}
sc_rdp()       { gen_tcp rdp rdp "$TMP/cert.pem" "$TMP/key.pem"; }
sc_tpkt-q931() { gen_tcp tpkt-q931 tpkt-q931; }
sc_xmpp()      { gen_tcp xmpp xmpp; }
sc_mgcp()      { gen_tcp mgcp mgcp; }
sc_oci()       { gen_tcp oci oci; }
sc_json()      { gen_tcp json json; }
sc_protobuf()  { gen_tcp protobuf protobuf; }

# ---------------------------------------------------------------- main
ALL="tls12 tls13 dtls http11 http2 h2c-upgrade websocket ssh sip-udp sip-tcp
     rtp rtcp stun turn dns-udp dns-tcp mqtt resp smb2 tpkt-q931 rdp xmpp mgcp oci
     json protobuf"
SEL=${*:-$ALL}
mkkeys
for s in $SEL; do
    if ! declare -F "sc_$s" >/dev/null; then log "unknown scenario $s"; FAILED+=("$s"); continue; fi
    log "=== $s"
    cd "$HERE" || exit 1
    if ! "sc_$s"; then log "FAILED: $s"; FAILED+=("$s"); fi
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null; done
    sleep 0.2
done
for s in $SEL; do
    f="$OUT/proto-$s.pcap"
    [ -f "$f" ] && log "$(printf '%-24s %4d packets %6d bytes' "proto-$s.pcap" \
        "$(timeout 10 tcpdump -r "$f" 2>/dev/null | wc -l)" "$(stat -c %s "$f")")"
done
if [ ${#FAILED[@]} -gt 0 ]; then log "failed scenarios: ${FAILED[*]}"; exit 1; fi
log "all done"
exit 0
