#!/bin/bash
# record-segmented.sh - record real protocol sessions on port 3414 whose
# messages span several TCP segments (Ethernet-sized: the namespace's
# loopback gets MTU 1500 and no segmentation offload), for the hand-off
# test (tests/extra-handoff.sh): Wireshark's own reassembly must see every
# byte after wip's hand-off, as with Decode As.
#
# REQUIRES (Debian 12): iproute2 tcpdump openssl openssh-server openssh-client
#   dnsmasq-base dnsutils redis-server redis-tools
#
# Usage (as root):  test-captures/record-segmented.sh [scenario ...]
#   scenarios: tls-chain ssh dns-tcp resp (default: all)
#
# Every byte stays inside a network namespace this script creates
# (wipseg<PID>) and deletes on exit; only its loopback is up, servers listen
# on 127.0.0.1:3414, tcpdump -i lo writes one classic pcap per scenario
# (seg-NAME.pcap) with the filter 'port 3414'.  Every command is bounded by
# timeout.  The truth of each pcap is in manifest-segmented.tsv.
set -u
export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${WIP_SEG_OUT:-$HERE}
TAG=record-segmented CAP_PREFIX=seg-
. "$HERE/lib-netns.sh"
netns_init wipseg$$
# Ethernet-sized segments on the loopback: MTU 1500, and no GSO (tcpdump on
# lo would otherwise see the unsegmented 64 KiB super-packets).
ip netns exec "$NS" ip link set lo up mtu 1500 || exit 1
ip netns exec "$NS" ip link set dev lo gso_max_size 1500 gso_max_segs 1 || exit 1

# TLS 1.2 with a 4096-bit RSA leaf and its CA in the chain: the Certificate
# message (~2.7 KB) spans segments.  Throwaway keys made here.
sc_tls-chain() {
    openssl req -x509 -newkey rsa:4096 -nodes -keyout "$TMP/ca.key" -out "$TMP/ca.pem" -days 30 \
        -subj "/CN=WIP Test Root CA" >/dev/null 2>&1
    openssl req -newkey rsa:4096 -nodes -keyout "$TMP/leaf.key" -out "$TMP/leaf.csr" \
        -subj "/CN=wip.example.test" >/dev/null 2>&1
    openssl x509 -req -in "$TMP/leaf.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" -CAcreateserial \
        -out "$TMP/leaf.pem" -days 30 >/dev/null 2>&1
    cap_start tls-chain
    bgrun 10 "$TMP/srv.log" openssl s_server -accept 127.0.0.1:$PORT -naccept 1 -tls1_2 \
        -cert "$TMP/leaf.pem" -key "$TMP/leaf.key" -cert_chain "$TMP/ca.pem" \
        < <(sleep 1.5; echo "hello from s_server"; sleep 2)
    local srv=$BGPID
    wait_listen tcp || return 1
    (sleep 0.6; echo "hello from s_client"; sleep 1.5) |
        nsx 6 openssl s_client -connect 127.0.0.1:$PORT -tls1_2 -CAfile "$TMP/ca.pem" >/dev/null 2>&1
    stop "$srv"
    cap_stop
}

# OpenSSH: banners, KEXINIT (~1.1-1.5 KB each) and the key exchange in
# Ethernet-sized segments, public-key auth, one command.
sc_ssh() {
    ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey"
    ssh-keygen -q -t ed25519 -N '' -f "$TMP/userkey"
    mkdir -p "$TMP/home/.ssh"
    cp "$TMP/userkey.pub" "$TMP/authorized_keys"
    chmod 600 "$TMP/authorized_keys"
    mkdir -p /run/sshd
    cat > "$TMP/sshd_config" <<CONF
ListenAddress 127.0.0.1:$PORT
HostKey $TMP/hostkey
AuthorizedKeysFile $TMP/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
StrictModes no
PidFile $TMP/sshd.pid
CONF
    cap_start ssh
    bgrun 15 "$TMP/sshd.log" /usr/sbin/sshd -D -e -f "$TMP/sshd_config"
    local srv=$BGPID
    wait_listen tcp || return 1
    nsx 10 ssh -F /dev/null -i "$TMP/userkey" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o KexAlgorithms=curve25519-sha256 -o BatchMode=yes -p $PORT root@127.0.0.1 'echo hello from sshd' \
        >/dev/null 2>&1
    stop "$srv"
    cap_stop
}

# DNS over TCP with an answer of ~3 KB (many TXT strings): the message spans segments.
sc_dns-tcp() {
    local txt="" i
    for i in $(seq 1 12); do txt="$txt,wip-segmented-answer-$i-$(printf '%0200d' 0)"; done
    cap_start dns-tcp
    bgrun 15 "$TMP/dnsmasq.log" dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=127.0.0.1 \
        --bind-interfaces -p $PORT --user=root --pid-file="$TMP/dnsmasq.pid" \
        --txt-record="big.example.test${txt}" --address=/example.test/127.0.0.2
    local srv=$BGPID
    wait_listen tcp || return 1
    nsx 10 dig +tcp +tries=1 +time=3 @127.0.0.1 -p $PORT big.example.test TXT >/dev/null
    nsx 10 dig +tcp +tries=1 +time=3 @127.0.0.1 -p $PORT www.example.test A >/dev/null
    stop "$srv"
    cap_stop
}

# Redis: a 6 KB value set and read back, a list of 200 elements read back
# in one reply: bulk strings and arrays cut anywhere by segment boundaries.
sc_resp() {
    cap_start resp
    bgrun 20 "$TMP/redis.log" redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no \
        --dir "$TMP" --protected-mode no
    local srv=$BGPID
    wait_listen tcp || return 1
    local big; big=$(head -c 4500 /dev/zero | base64 -w0)
    {
        printf 'SET wip:big %s\n' "$big"
        printf 'GET wip:big\n'
        printf 'RPUSH wip:list'; for i in $(seq 1 200); do printf ' element-%03d-of-the-wip-list' "$i"; done; printf '\n'
        printf 'LRANGE wip:list 0 -1\n'
    } | nsx 10 redis-cli -h 127.0.0.1 -p $PORT >/dev/null
    stop "$srv"
    cap_stop
}

SCEN=("$@")
[ ${#SCEN[@]} -gt 0 ] || SCEN=(tls-chain ssh dns-tcp resp)
for s in "${SCEN[@]}"; do
    log "scenario $s"
    "sc_$s" || log "scenario $s FAILED"
done
