#!/usr/bin/env bash
# REQUIRES: iproute2 iptables ethtool tcpdump tshark nmap masscan zmap hping3 ncat socat curl python3 coreutils sipvicious memcached
#
# record-scans.sh - record the port-3414 scanner-probe corpus and benign sessions
#
# Re-creates test-captures/scan-*.pcap, test-captures/benign-*.pcap and
# test-captures/manifest-scans.tsv (the truth of each capture).
#
# SAFETY: every packet is sent inside two network namespaces that this script
# creates and deletes itself (trap on EXIT): scanner 10.34.14.1 and target
# 10.34.14.2, joined by one veth pair. No other address is ever used. Every
# scan is limited to one target and port 3414 (nmap -O also needs closed port
# 3415), with a bounded rate and a timeout on every command.
#
# Usage (as root):  test-captures/record-scans.sh            # record all
#                   test-captures/record-scans.sh NAME...    # re-record some
#                   test-captures/record-scans.sh --list     # list names
# Debian 12: apt-get install --no-install-recommends iproute2 iptables ethtool \
#   tcpdump tshark nmap masscan zmap hping3 ncat socat curl python3 sipvicious memcached
set -uo pipefail
export LC_ALL=C

OUT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MANIFEST=$OUT/manifest-scans.tsv

ALL=(
  scan-nmap-sS-open scan-nmap-sS-closed scan-nmap-sT-open scan-nmap-sT-closed
  scan-nmap-sN scan-nmap-sF scan-nmap-sX scan-nmap-sA scan-nmap-sW scan-nmap-sM
  scan-nmap-sU-open scan-nmap-sU-closed scan-nmap-sV scan-nmap-sV-banner scan-nmap-O
  scan-masscan-syn scan-masscan-banner scan-masscan-hello-http
  scan-zmap-syn scan-zmap-udp
  scan-hping3-S scan-hping3-F scan-hping3-X scan-hping3-Y scan-hping3-udp
  scan-ncat-connect scan-socat-connect
  benign-tcp-session benign-tcp-retrans benign-ecn benign-udp-exchange benign-curl-http
  scan-nmap-http-title scan-hping3-udp-data scan-zmap-udp-text scan-masscan-udp scan-sipvicious-svmap
  benign-memcached-stats benign-ajp-cping benign-http10-get benign-connect-burst benign-both-ports
)

die() { echo "record-scans: ERROR: $*" >&2; exit 1; }
log() { echo "record-scans: $*" >&2; }

if [ "${1:-}" = "--list" ]; then printf '%s\n' "${ALL[@]}"; exit 0; fi

# ---------------------------------------------------------------- requirements
[ "$(id -u)" = 0 ] || die "must run as root (network namespaces, raw sockets)"
missing=()
for pair in ip:iproute2 iptables:iptables ethtool:ethtool tcpdump:tcpdump \
            tshark:tshark nmap:nmap masscan:masscan zmap:zmap hping3:hping3 \
            ncat:ncat socat:socat curl:curl python3:python3 timeout:coreutils \
            svmap:sipvicious memcached:memcached; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  die "missing Debian packages: ${missing[*]}
  install with: apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
fi
PY=/usr/bin/python3; [ -x $PY ] || PY=$(command -v python3)

if [ $# -gt 0 ]; then
  for n in "$@"; do
    printf '%s\n' "${ALL[@]}" | grep -qx -- "$n" || die "unknown capture '$n' (see --list)"
  done
  TODO=("$@")
else
  TODO=("${ALL[@]}")
fi

# ---------------------------------------------------------------- topology
NA=wipscanA$$            # scanner namespace
NB=wipscanB$$            # target namespace
IA=veth-scan             # interface names inside the namespaces (stable for the manifest)
IB=veth-tgt
MACA=02:34:14:00:00:01   # fixed, locally administered
MACB=02:34:14:00:00:02
IPA=10.34.14.1
IPB=10.34.14.2
PORT=3414
FILTER="port $PORT or icmp"
TMPA=wipa$$; TMPB=wipb$$ # temporary names in the root namespace
WORK=$(mktemp -d /tmp/wip-record.XXXXXX)
BGPIDS=()

cleanup() {
  local rc=$? p ns
  trap - EXIT INT TERM
  for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; done
  for ns in "$NA" "$NB"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
    fi
  done
  sleep 0.3
  for ns in "$NA" "$NB"; do
    if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
      ip netns del "$ns" 2>/dev/null
    fi
  done
  ip link del "$TMPA" 2>/dev/null
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }

setup() {
  ip netns add "$NA" || die "ip netns add $NA"
  ip netns add "$NB" || die "ip netns add $NB"
  ip link add "$TMPA" address $MACA type veth peer name "$TMPB" address $MACB || die "veth"
  ip link set "$TMPA" netns "$NA" && ip link set "$TMPB" netns "$NB" || die "veth move"
  ip -n "$NA" link set "$TMPA" name $IA && ip -n "$NB" link set "$TMPB" name $IB || die "rename"
  ip -n "$NA" addr add $IPA/24 dev $IA && ip -n "$NB" addr add $IPB/24 dev $IB || die "addr"
  for ns in "$NA" "$NB"; do
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip -n "$NA" link set $IA up && ip -n "$NB" link set $IB up || die "link up"
  # 'gateway' of the scanner is the target itself (masscan/zmap want a router MAC)
  ip -n "$NA" route add default via $IPB dev $IA || die "route"
  # static neighbours: no ARP at all during the captures
  ip -n "$NA" neigh replace $IPB lladdr $MACB dev $IA nud permanent
  ip -n "$NB" neigh replace $IPA lladdr $MACA dev $IB nud permanent
  # full checksums and real-size segments in the capture (veth offloads off)
  inA ethtool -K $IA tx off rx off tso off gso off gro off >/dev/null 2>&1 || log "warning: ethtool -K on $IA failed"
  inB ethtool -K $IB tx off rx off tso off gso off gro off >/dev/null 2>&1 || log "warning: ethtool -K on $IB failed"
  inA sysctl -qw net.ipv4.tcp_ecn=2     # Linux default (ECN only when asked)
  sleep 1
}

# ---------------------------------------------------------------- helpers
cat >"$WORK/srv.py" <<'PYEOF'
# tiny target-side servers for the captures: srv.py MODE
import socket, sys, threading, time
mode = sys.argv[1]
HOST, PORT = "10.34.14.2", 3414
BANNER = b"HTTP/1.0 200 OK\r\nServer: wip-test/1.0\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nwip\n"
SSH = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"

def serve_tcp(handler):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, PORT)); s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()

def drain(c, limit=120):
    c.settimeout(limit)
    try:
        while c.recv(4096): pass
    except OSError: pass
    c.close()

def silent(c): drain(c)                       # accepts, reads, never sends
def banner(c):                                # speaks first (HTTP-ish), then reads
    try: c.sendall(BANNER)
    except OSError: pass
    drain(c, 10)
def ssh(c):
    try: c.sendall(SSH)
    except OSError: pass
    drain(c, 10)
def lines(c):                                 # line protocol: 'OK <line>' per line
    f = c.makefile("rb")
    try:
        for ln in f:
            c.sendall(b"OK " + ln.strip() + b"\r\n")
    except OSError: pass
    c.close()
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((HOST, PORT))
    while True:
        d, a = s.recvfrom(65535)
        s.sendto(b"PONG " + d.strip() + b"\n", a)
def ajp(c):                                   # AJP13: CPing (12 34 00 01 0a) -> CPong (41 42 00 01 09)
    try:
        while True:
            d = c.recv(4096)
            if not d: break
            if d[:5] == b"\x12\x34\x00\x01\x0a": c.sendall(b"AB\x00\x01\x09")
    except OSError: pass
    c.close()
def sip():                                    # minimal SIP UA: 200 OK to every request (RFC 3261 headers copied)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((HOST, PORT))
    while True:
        d, a = s.recvfrom(65535)
        try: lines = d.decode("latin-1").split("\r\n")
        except Exception: continue
        if not lines or " SIP/2.0" not in lines[0] or lines[0].startswith("SIP/2.0"): continue
        keep = [l for l in lines[1:] if l.split(":")[0].strip().lower() in ("via", "from", "to", "call-id", "cseq")]
        r = "SIP/2.0 200 OK\r\n" + "\r\n".join(keep) + "\r\nServer: wip-test-ua/1.0\r\nAllow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\nContent-Length: 0\r\n\r\n"
        s.sendto(r.encode("latin-1"), a)
def lines_on(port):                           # the line server on another port (both-ports capture)
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((HOST, port)); s.listen(64)
    while True:
        c, _ = s.accept()
        threading.Thread(target=lines, args=(c,), daemon=True).start()

{"silent": lambda: serve_tcp(silent), "banner": lambda: serve_tcp(banner),
 "ssh": lambda: serve_tcp(ssh), "lines": lambda: serve_tcp(lines), "udp": udp,
 "ajp": lambda: serve_tcp(ajp), "sip": sip}[mode]()
PYEOF
mkdir -p "$WORK/www"
printf 'wip test page\n' >"$WORK/www/index.html"

# start_server MODE : a listener on 10.34.14.2:3414 in the target namespace
start_server() {
  local mode=$1
  case $mode in
    http) ip netns exec "$NB" timeout 300 $PY -m http.server $PORT --bind $IPB --directory "$WORK/www" >"$WORK/srv.log" 2>&1 & ;;
    memcached) ip netns exec "$NB" timeout 300 memcached -u nobody -l $IPB -p $PORT -U 0 -m 16 >"$WORK/srv.log" 2>&1 & ;;
    *)    ip netns exec "$NB" timeout 300 $PY "$WORK/srv.py" "$mode" >"$WORK/srv.log" 2>&1 & ;;
  esac
  SRVPID=$!; BGPIDS+=("$SRVPID")
  local proto=tcp; case $mode in udp|sip) proto=udp;; esac
  for _ in $(seq 50); do
    if [ $proto = tcp ]; then inB ss -Hltn "sport = :$PORT" | grep -q . && return 0
    else inB ss -Hlun "sport = :$PORT" | grep -q . && return 0; fi
    sleep 0.1
  done
  die "server '$mode' did not start: $(cat "$WORK/srv.log")"
}
stop_server() {
  [ -n "${SRVPID:-}" ] || return 0
  kill "$SRVPID" 2>/dev/null; wait "$SRVPID" 2>/dev/null; SRVPID=
  for p in $(ip netns pids "$NB"); do kill "$p" 2>/dev/null; done  # nothing else should remain in the target ns
  sleep 0.2
}

# masscan 1.3.2's receive thread blocks in pcap on a quiet link, so its timers
# (hello-timeout, end of --wait) only run when some packet arrives (masscan
# issue #144). The ticker sends a UDP broadcast to port 9 from the target every
# 200 ms while masscan runs; the capture filter leaves it out of the pcap.
start_ticker() {
  ip netns exec "$NB" timeout 120 $PY -c 'import socket,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.setsockopt(socket.SOL_SOCKET,socket.SO_BROADCAST,1)
while True: s.sendto(b"tick",("10.34.14.255",9)); time.sleep(0.2)' >/dev/null 2>&1 &
  TICKPID=$!; BGPIDS+=("$TICKPID")
}
stop_ticker() { kill "$TICKPID" 2>/dev/null; wait "$TICKPID" 2>/dev/null; }

# cap_start NAME : tcpdump on the target-side veth inside the target namespace
cap_start() {
  CUR=$1; CMDS=""; TSTATE=""
  rm -f "$WORK/$CUR.pcap" "$WORK/td.err"
  # (no shell function here: $! must be the timeout process itself)
  ip netns exec "$NB" timeout 600 tcpdump -Z root -i $IB -U -s 0 -n -w "$WORK/$CUR.pcap" "$FILTER" 2>"$WORK/td.err" &
  TDPID=$!; BGPIDS+=("$TDPID")
  for _ in $(seq 50); do grep -q "listening on" "$WORK/td.err" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$WORK/td.err" || die "tcpdump did not start: $(cat "$WORK/td.err")"
  sleep 0.5
}
cap_stop() {
  sleep 1.5                                   # trailing RSTs / retransmissions
  kill -TERM "$TDPID" 2>/dev/null; wait "$TDPID" 2>/dev/null   # timeout passes TERM on; tcpdump flushes
  mv -f "$WORK/$CUR.pcap" "$OUT/$CUR.pcap"
}

# run SECONDS 'command' : run a command in the scanner namespace; it is recorded
# verbatim in the manifest's command column
run() {
  local t=$1; shift
  CMDS="${CMDS:+$CMDS ; }$*"
  log "  [$CUR] $*"
  inA timeout --kill-after=5 "$t" bash -c "$*" >>"$WORK/$CUR.out" 2>&1
  local rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    case $* in
      *masscan*) log "  [$CUR] masscan stopped by timeout after ${t}s (masscan 1.3.2 can keep 'waiting -N-secs' after --wait, masscan issue #144)";;
      *) log "  [$CUR] command timed out after ${t}s";;
    esac
  fi
  return 0
}

# frames FILTER : frame numbers matching a display filter, as ranges '1-3,7'
frames() {
  tshark -r "$OUT/$CUR.pcap" -Y "$1" -T fields -e frame.number 2>/dev/null | awk '
    { if (s=="") {s=$1;e=$1} else if ($1==e+1) {e=$1} else {out=out sep (s==e?s:s"-"e); sep=","; s=$1; e=$1} }
    END { if (s!="") out=out sep (s==e?s:s"-"e); print (out==""?"none":out) }'
}

# finish TOOL TECHNIQUE TARGET_STATE PROBE_FILTER RESP_FILTER DESCRIPTION
#   {P} / {R} in DESCRIPTION become the frames matching PROBE_FILTER / RESP_FILTER,
#   {N} the packet count. A capture without any probe frame is a failure.
FAILED=()
finish() {
  local tool=$1 tech=$2 state=$3 pf=$4 rf=$5 desc=$6 p r n
  CMDS=${CMDS//$WORK/\$TMP}
  n=$(tshark -r "$OUT/$CUR.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
  p=$(frames "$pf")
  r=none; [ -n "$rf" ] && r=$(frames "$rf")
  desc=${desc//\{P\}/$p}; desc=${desc//\{R\}/$r}; desc=${desc//\{N\}/$n}
  if [ "$p" = none ] || { [ -n "$rf" ] && [ "$r" = none ]; }; then
    FAILED+=("$CUR"); log "  [$CUR] FAILED: probe frames '$p', response frames '$r' ($n packets); tool output:"
    sed 's/^/      /' "$WORK/$CUR.out" >&2 2>/dev/null
  else
    log "  [$CUR] ok: $n packets, probe frames $p, response frames $r"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$CUR.pcap" "$tool" "$tech" "$state" "$CMDS" "$desc" >>"$WORK/rows.tsv"
}

# display-filter building blocks
FROM_S="!icmp && ip.src==$IPA && ip.dst==$IPB"
FROM_T="!icmp && ip.src==$IPB && ip.dst==$IPA"
TO3414="$FROM_S && tcp.dstport==$PORT"
U3414="$FROM_S && udp.dstport==$PORT"
SYNACK="$FROM_T && tcp.srcport==$PORT && tcp.flags==0x012"
RSTT="$FROM_T && tcp.srcport==$PORT && tcp.flags.reset==1"
NM="nmap -n -Pn --disable-arp-ping --max-retries 1 -e $IA"   # common nmap options

# ---------------------------------------------------------------- captures
c_scan-nmap-sS-open() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sS -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap syn open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. nmap -sS SYN probe(s) in frame(s) {P}: window 1024, only option MSS 1460, DF clear, random TTL 37-59 and IP ID. SYN/ACK from the open port in {R}. The RST that follows comes from the scanner's kernel (DF set, TTL 64, window 0), not from nmap"
}
c_scan-nmap-sS-closed() {
  cap_start "$1"
  run 60 "$NM -sS -p $PORT $IPB"
  cap_stop
  finish nmap syn closed "$TO3414 && tcp.flags==0x002" "$RSTT" \
    "{N} packets. nmap -sS SYN probe in frame(s) {P} (window 1024, MSS 1460 only, DF clear, TTL 37-59); RST/ACK from the closed port in {R} (target's answer, not a probe)"
}
c_scan-nmap-sT-open() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sT -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap connect open "$TO3414 && tcp.flags==0x002" "$TO3414 && tcp.flags.reset==1" \
    "{N} packets. nmap -sT connect(): ordinary Linux SYN in frame(s) {P} (DF set, TTL 64, window 64240, MSS/SACK/TS/WS options); full handshake, no data; the scanner closes at once with RST/ACK (SO_LINGER 0) in {R}"
}
c_scan-nmap-sT-closed() {
  cap_start "$1"
  run 60 "$NM -sT -p $PORT $IPB"
  cap_stop
  finish nmap connect closed "$TO3414 && tcp.flags==0x002" "$RSTT" \
    "{N} packets. nmap -sT connect(): ordinary Linux SYN in frame(s) {P} (DF, normal options); RST/ACK from the closed port in {R}"
}
c_scan-nmap-sN() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sN -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap null open "$TO3414 && tcp.flags==0x000" "" \
    "{N} packets. nmap -sN NULL probes (no TCP flags, window 1024, no options, DF clear, TTL 37-59) in frame(s) {P}; the open (listening) port stays silent so nmap retries once (--max-retries 1) ~1 s later from source port +2 with a new random TTL/IP ID; result open|filtered"
}
c_scan-nmap-sF() {
  cap_start "$1"
  run 60 "$NM -sF -p $PORT $IPB"
  cap_stop
  finish nmap fin closed "$TO3414 && tcp.flags==0x001" "$RSTT" \
    "{N} packets. nmap -sF FIN probe (FIN only, window 1024, no options, DF clear, TTL 37-59) in frame(s) {P}; RST/ACK from the closed port in {R}"
}
c_scan-nmap-sX() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sX -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap xmas open "$TO3414 && tcp.flags==0x029" "" \
    "{N} packets. nmap -sX Xmas probes (FIN+PSH+URG, window 1024, no options, DF clear, TTL 37-59) in frame(s) {P}; open port silent, one retry ~1 s later from source port +2; result open|filtered"
}
c_scan-nmap-sA() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sA -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap ack open "$TO3414 && tcp.flags==0x010" "$RSTT" \
    "{N} packets. nmap -sA ACK probe (ACK only, raw seq 0 with a nonzero ack, window 1024, no options, DF clear, TTL 37-59) in frame(s) {P}; the listening port answers RST (window 0) in {R}; result unfiltered"
}
c_scan-nmap-sW() {
  cap_start "$1"
  run 60 "$NM -sW -p $PORT $IPB"
  cap_stop
  finish nmap window closed "$TO3414 && tcp.flags==0x010" "$RSTT" \
    "{N} packets. nmap -sW window-scan ACK probe (same packet as -sA: ACK, raw seq 0, nonzero ack, window 1024, no options) in frame(s) {P}; RST with window 0 from the closed port in {R} (nmap reads 'closed' from the zero window)"
}
c_scan-nmap-sM() {
  start_server silent; cap_start "$1"
  run 60 "$NM -sM -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap maimon open "$TO3414 && tcp.flags==0x011" "$RSTT" \
    "{N} packets. nmap -sM Maimon probe (FIN+ACK, raw seq 0, nonzero ack, window 1024, no options, DF clear, TTL 37-59) in frame(s) {P}; Linux answers RST even from the listening port ({R}), so nmap reports closed"
}
c_scan-nmap-sU-open() {
  start_server udp; cap_start "$1"
  run 60 "$NM -sU -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap udp open "$U3414" "$FROM_T && udp.srcport==$PORT" \
    "{N} packets. nmap -sU empty UDP probe (UDP length 8, DF clear, TTL 37-59) in frame(s) {P}; the UDP responder on 3414 replies in {R} ('PONG'), result open. The scanner kernel then answers that reply with ICMP port unreachable (nmap listens on a raw socket, no UDP socket is bound)"
}
c_scan-nmap-sU-closed() {
  cap_start "$1"
  run 60 "$NM -sU -p $PORT $IPB"
  cap_stop
  finish nmap udp closed "$U3414" "ip.src==$IPB && icmp.type==3 && icmp.code==3" \
    "{N} packets. nmap -sU empty UDP probe (UDP length 8, DF clear, TTL 37-59) in frame(s) {P}; ICMP port unreachable from the target in {R}, result closed"
}
c_scan-nmap-sV() {
  start_server silent; cap_start "$1"
  run 150 "$NM -sV --version-intensity 2 -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap service-probe open "$TO3414 && tcp.len>0" "$TO3414 && tcp.flags==0x002 && tcp.window_size_value==1024" \
    "{N} packets. Silent listener (accepts, never sends). Port discovery first: raw -sS SYN probe (window 1024, MSS 1460 only, DF clear, TTL 37-59) in {R}, reset by the scanner kernel. Then ordinary Linux connect() sessions (DF, TTL 64, full options): the NULL probe (connect, 6 s of silence, no data), and the payload probes of rarity <= 2 in frame(s) {P}, one per connection and in file order: GenericLines '\\r\\n\\r\\n' (4 bytes), GetRequest 'GET / HTTP/1.0\\r\\n\\r\\n' (18), SSLSessionReq (SSLv3 ClientHello, 88), TLSSessionReq (TLS ClientHello with 'random1random2random3random4', 110); each connection closed by nmap with FIN after ~5 s"
}
c_scan-nmap-sV-banner() {
  start_server ssh; cap_start "$1"
  run 90 "$NM -sV --version-intensity 2 -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap service-probe open "$TO3414 && tcp.flags==0x002 && tcp.window_size_value!=1024" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. Listener sends an SSH banner at once. Raw -sS SYN probe (window 1024, MSS only) first, then the NULL-probe connection (ordinary Linux SYN in {P}); the banner in {R} matches 'ssh' so nmap sends no payload probe and closes with FIN"
}
c_scan-nmap-O() {
  start_server silent; cap_start "$1"
  run 120 "$NM -O --max-os-tries 1 -p T:$PORT,3415 $IPB"
  cap_stop; stop_server
  finish nmap os-detect open+closed "$TO3414 && tcp.flags.reset==0 && tcp.hdr_len>24" "ip.src==$IPA && icmp.type==8" \
    "{N} packets; capture filter 'port 3414 or icmp', so the -sS SYN to 3415, the T5-T7 probes to closed port 3415, the U1 UDP probe and the answers to them are NOT in this file, except the target's ICMP port unreachable that quotes U1 (inner IP ID 0x1042, UDP length 308). Frame 1: -sS SYN probe (window 1024, MSS only) to 3414. OS-detection probes to open port 3414 (all with options, TTL 37-59) in frame(s) {P}: six SEQ SYNs windows 1,63,4,4,16,512 ~100 ms apart (each SYN/ACK reset by the scanner kernel), ECN SYN (SYN+ECE+CWR+reserved bit, window 3), T2 (no flags, window 128, DF) and T3 (SYN+FIN+PSH+URG, window 256) each sent 3 more times because the open port stays silent, T4 (ACK, window 1024, DF) answered by RST; ICMP echo probes IE1/IE2 (DF on the first) in {R}"
}
MASSCAN="masscan --adapter $IA --adapter-ip $IPA --adapter-mac $MACA --router-mac $MACB --rate 100"
c_scan-masscan-syn() {
  start_server silent; cap_start "$1"
  start_ticker
  run 15 "$MASSCAN -p$PORT $IPB --wait 3"
  stop_ticker
  cap_stop; stop_server
  finish masscan syn open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. masscan SYN probe in frame(s) {P}: window 1024, no options (IP length 40), TTL 255, DF clear, IP ID = (dst_ip ^ dst_port ^ seq) & 0xffff; SYN/ACK in {R}; then two RSTs: at once the scanner kernel's (TTL 64, DF, window 0) and ~100 ms later masscan's own (RST only, window 1200, TTL 255, IP ID by the same rule with seq+1)"
}
c_scan-masscan-banner() {
  start_server banner; cap_start "$1"
  inA iptables -A INPUT -p tcp --dport 61000 -j DROP
  CMDS="iptables -A INPUT -p tcp --dport 61000 -j DROP"
  start_ticker
  run 20 "$MASSCAN -p$PORT $IPB --banners --source-port 61000 --wait 5"
  stop_ticker
  inA iptables -D INPUT -p tcp --dport 61000 -j DROP
  cap_stop; stop_server
  finish masscan banner-grab open "$TO3414 && tcp.flags==0x002" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. masscan --banners with its own user-space TCP stack (source port 61000; the scanner kernel is kept quiet by an iptables DROP on that port): SYN probe in frame(s) {P} (window 1024, no options, TTL 255, DF clear, IP ID = masscan rule); masscan's handshake ACK ~100 ms later (window 1200, TTL 255; the IP ID rule holds for every masscan packet, using that packet's own seq); the listener's HTTP-ish banner in {R}; masscan ACKs it twice (duplicate ACK, same IP ID) and exits without closing the connection"
}
c_scan-masscan-hello-http() {
  start_server http; cap_start "$1"
  inA iptables -A INPUT -p tcp --dport 61000 -j DROP
  CMDS="iptables -A INPUT -p tcp --dport 61000 -j DROP"
  start_ticker
  run 20 "$MASSCAN -p$PORT $IPB --banners --hello=http --source-port 61000 --wait 5"
  stop_ticker
  inA iptables -D INPUT -p tcp --dport 61000 -j DROP
  cap_stop; stop_server
  finish masscan banner-grab open "$TO3414 && tcp.len>0" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. masscan --banners --hello=http against python http.server (source port 61000, iptables DROP as for scan-masscan-banner): SYN probe (window 1024, TTL 255, no options, DF clear), handshake ACK (window 1200), then after masscan's 2-s hello timeout its request in frame(s) {P}: 'GET / HTTP/1.0' with 'User-Agent: masscan/1.3 (https://github.com/robertdavidgraham/masscan)' and 'Accept: */*'; the server's HTTP reply in {R}; masscan ACKs each reply segment (often twice: duplicate ACKs with the same IP ID) and closes with FIN; depending on timing the server's FIN is retransmitted and, once masscan has exited, reset by the scanner kernel (TTL 64)"
}
c_scan-zmap-syn() {
  start_server silent; cap_start "$1"
  echo "$IPB/32" >"$WORK/zmap-allow.txt"; : >"$WORK/zmap-deny.txt"
  run 40 "zmap -p $PORT -i $IA -G $MACB -S $IPA -r 100 -B 1M -c 2 -n 1 -w $WORK/zmap-allow.txt -b $WORK/zmap-deny.txt -o /dev/null $IPB/32"
  cap_stop; stop_server
  finish zmap syn open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. zmap 2.1.1 SYN probe in frame(s) {P}: IP ID 54321, TTL 255, window 65535, no options, DF clear, source port in 32768-61000; SYN/ACK in {R}; the RST that follows is the scanner kernel's (zmap sends none). zmap's default blacklist covers 10/8, so an explicit allow-list/empty deny-list is used"
}
c_scan-zmap-udp() {
  start_server udp; cap_start "$1"
  echo "$IPB/32" >"$WORK/zmap-allow.txt"; : >"$WORK/zmap-deny.txt"
  run 40 "zmap -M udp -p $PORT -i $IA -G $MACB -S $IPA -r 100 -B 1M -c 2 -n 1 -w $WORK/zmap-allow.txt -b $WORK/zmap-deny.txt -o /dev/null $IPB/32"
  cap_stop; stop_server
  finish zmap udp open "$U3414" "$FROM_T && udp.srcport==$PORT" \
    "{N} packets. zmap 2.1.1 -M udp probe in frame(s) {P}: default payload 'GET / HTTP/1.1\\r\\nHost: www\\r\\n\\r\\n' (29 bytes, UDP length 37), UDP checksum 0 (not computed), TTL 255, IP ID 54321, DF clear; the UDP responder's reply in {R}; the scanner kernel answers it with ICMP port unreachable"
}
HP="hping3 -I $IA -c 3 -p $PORT"
c_scan-hping3-S() {
  start_server silent; cap_start "$1"
  run 20 "$HP -S $IPB"
  cap_stop; stop_server
  finish hping3 syn open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. hping3 -S: 3 SYN probes 1 s apart in frame(s) {P} (window 512, no options, TTL 64, DF clear, source port +1 per packet); SYN/ACKs in {R}, each reset by the scanner kernel"
}
c_scan-hping3-F() {
  cap_start "$1"
  run 20 "$HP -F $IPB"
  cap_stop
  finish hping3 fin closed "$TO3414 && tcp.flags==0x001" "$RSTT" \
    "{N} packets. hping3 -F: 3 FIN-only probes in frame(s) {P} (window 512, no options, TTL 64, DF clear, nonzero ack without ACK flag); RST/ACK from the closed port in {R}"
}
c_scan-hping3-X() {
  start_server silent; cap_start "$1"
  run 20 "$HP -X $IPB"
  cap_stop; stop_server
  finish hping3 xmas open "$TO3414 && tcp.flags==0x040" "" \
    "{N} packets. hping3 -X (--xmas) sets only the 'X' bit 0x40 = ECE, NOT nmap's FIN+PSH+URG Xmas: 3 ECE-only probes in frame(s) {P} (window 512, no options, TTL 64, DF clear); the listening port drops them silently (no SYN/ACK/RST)"
}
c_scan-hping3-Y() {
  cap_start "$1"
  run 20 "$HP -Y $IPB"
  cap_stop
  finish hping3 xmas closed "$TO3414 && tcp.flags==0x080" "$RSTT" \
    "{N} packets. hping3 -Y (--ymas) sets only the 'Y' bit 0x80 = CWR: 3 CWR-only probes in frame(s) {P} (window 512, no options, TTL 64, DF clear); the closed port answers RST/ACK in {R}. Technique column 'xmas' because hping3 calls it --ymas; it is not an nmap Xmas"
}
c_scan-hping3-udp() {
  cap_start "$1"
  run 20 "hping3 -I $IA -c 3 -p $PORT --udp $IPB"
  cap_stop
  finish hping3 udp closed "$U3414" "ip.src==$IPB && icmp.type==3 && icmp.code==3" \
    "{N} packets. hping3 --udp: 3 empty UDP datagrams (UDP length 8, TTL 64, DF clear, source port +1 per packet) in frame(s) {P}; ICMP port unreachable in {R}"
}
c_scan-ncat-connect() {
  start_server silent; cap_start "$1"
  run 10 "ncat -z $IPB $PORT"
  run 10 "sleep 0.5; ncat -z $IPB $PORT"
  run 10 "sleep 0.5; ncat -z $IPB $PORT"
  cap_stop; stop_server
  finish ncat connect open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. 3 x ncat -z (connect-only): ordinary Linux SYNs (DF, TTL 64, window 64240, MSS/SACK/TS/WS) in frame(s) {P}; SYN/ACKs in {R}; each connection carries no data and is closed by the client with FIN right after the handshake"
}
c_scan-socat-connect() {
  start_server silent; cap_start "$1"
  run 10 "socat -u /dev/null TCP:$IPB:$PORT"
  run 10 "sleep 0.5; socat -u /dev/null TCP:$IPB:$PORT"
  run 10 "sleep 0.5; socat -u /dev/null TCP:$IPB:$PORT"
  cap_stop; stop_server
  finish socat connect open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. 3 x socat connect-and-close (no data): ordinary Linux SYNs in frame(s) {P}; SYN/ACKs in {R}; each closed by the client with FIN right after the handshake"
}
SESSION="{ printf 'HELLO wip-client\\n'; sleep 0.3; printf 'STATUS\\n'; sleep 0.3; printf 'QUIT\\n'; sleep 0.5; } | socat -t 2 - TCP:$IPB:$PORT"
c_benign-tcp-session() {
  start_server lines; cap_start "$1"
  run 15 "$SESSION"
  cap_stop; stop_server
  finish socat none open "$TO3414 && tcp.len>0" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. Benign line session: ordinary Linux handshake, client lines HELLO/STATUS/QUIT in frame(s) {P}, server 'OK ...' replies in {R}; client closes with FIN, server FIN follows. No probe"
}
c_benign-tcp-retrans() {
  start_server lines; cap_start "$1"
  inB iptables -I INPUT -p tcp --dport $PORT --syn -j DROP
  CMDS="(target ns: iptables -I INPUT -p tcp --dport $PORT --syn -j DROP for 1.5 s)"
  ( sleep 1.5; ip netns exec "$NB" iptables -D INPUT -p tcp --dport $PORT --syn -j DROP ) &
  run 20 "$SESSION"
  wait $! 2>/dev/null
  cap_stop; stop_server
  finish socat none open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. Benign client whose first SYNs are dropped by the target's iptables for 1.5 s (tcpdump sees them before netfilter): SYN and retransmissions in frame(s) {P} with the SAME source port and ISN, 1 s then 2 s apart, ordinary Linux options, DF, TTL 64; then SYN/ACK in {R} and a normal line session (the three queued lines go out in one segment) closed with FIN. Retransmissions are not probes"
}
c_benign-ecn() {
  start_server lines; cap_start "$1"
  inA sysctl -qw net.ipv4.tcp_ecn=1
  CMDS="sysctl -w net.ipv4.tcp_ecn=1"
  run 15 "$SESSION"
  inA sysctl -qw net.ipv4.tcp_ecn=2
  cap_stop; stop_server
  finish socat none open "$TO3414 && tcp.flags==0x0c2" "$FROM_T && tcp.flags==0x052" \
    "{N} packets. Benign ECN-capable connection (tcp_ecn=1): the SYN in frame(s) {P} carries ECE+CWR (flags 0x0c2) with ordinary Linux options, DF, TTL 64 - a normal ECN SYN, not nmap's ECN probe (no reserved bit, no urgent pointer, window not 3); SYN/ACK+ECE in {R}; normal line session, FIN close"
}
c_benign-udp-exchange() {
  start_server udp; cap_start "$1"
  run 5 "echo 'PING 1' | socat -t 1 - UDP:$IPB:$PORT"
  run 5 "echo 'PING 2' | socat -t 1 - UDP:$IPB:$PORT"
  run 5 "echo 'PING 3' | socat -t 1 - UDP:$IPB:$PORT"
  cap_stop; stop_server
  finish socat none open "$U3414" "$FROM_T && udp.srcport==$PORT" \
    "{N} packets. Benign UDP request/reply: client datagrams 'PING n' (non-empty, DF set, TTL 64) in frame(s) {P}, replies 'PONG PING n' in {R}. No probe"
}
c_benign-curl-http() {
  start_server http; cap_start "$1"
  run 10 "curl -sS -o /dev/null http://$IPB:$PORT/index.html"
  cap_stop; stop_server
  finish curl none open "$TO3414 && http.request" "$FROM_T && http.response" \
    "{N} packets. Benign HTTP: curl GET /index.html (User-Agent curl/7.88.1) in frame(s) {P} to python http.server, reply in {R}; ordinary handshake and FIN close. No probe"
}

# ---- issue 13: payload probes, UDP and SIP scanners, benign look-alikes
c_scan-nmap-http-title() {
  start_server http; cap_start "$1"
  run 150 "$NM -sV --script http-title -p $PORT $IPB"
  cap_stop; stop_server
  finish nmap script open "$TO3414 && http.user_agent contains \"Nmap Scripting Engine\"" "$TO3414 && tcp.len>0" \
    "{N} packets. nmap -sV --script http-title against python http.server: raw -sS SYN probe first, then the NULL probe connection and the GetRequest service probe ('GET / HTTP/1.0\\r\\n\\r\\n', matched by the server's reply), then NSE HTTP requests whose User-Agent is 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)' in frame(s) {P} (http-title and the version scan's own NSE scripts); all client payloads in {R}"
}
c_scan-hping3-udp-data() {
  cap_start "$1"
  run 20 "hping3 -I $IA -c 3 -p $PORT --udp -d 64 $IPB"
  cap_stop
  finish hping3 udp closed "$U3414" "ip.src==$IPB && icmp.type==3 && icmp.code==3" \
    "{N} packets. hping3 --udp -d 64: 3 UDP datagrams with 64 bytes of hping3's padding in frame(s) {P} (TTL 64, DF clear, source port +1 per packet); ICMP port unreachable in {R}"
}
c_scan-zmap-udp-text() {
  start_server udp; cap_start "$1"
  echo "$IPB/32" >"$WORK/zmap-allow.txt"; : >"$WORK/zmap-deny.txt"
  run 40 "zmap -M udp --probe-args=text:wip-probe-payload -p $PORT -i $IA -G $MACB -S $IPA -r 100 -B 1M -c 2 -n 1 -w $WORK/zmap-allow.txt -b $WORK/zmap-deny.txt -o /dev/null $IPB/32"
  cap_stop; stop_server
  finish zmap udp open "$U3414" "$FROM_T && udp.srcport==$PORT" \
    "{N} packets. zmap 2.1.1 -M udp --probe-args=text:wip-probe-payload: probe in frame(s) {P} with the user's payload 'wip-probe-payload' (17 bytes), IP ID 54321, TTL 255, DF clear, UDP checksum 0; the responder's reply in {R}; the scanner kernel answers it with ICMP port unreachable"
}
c_scan-masscan-udp() {
  start_server udp; cap_start "$1"
  start_ticker
  run 15 "$MASSCAN -pU:$PORT $IPB --wait 3"
  stop_ticker
  cap_stop; stop_server
  finish masscan udp open "$U3414" "" \
    "{N} packets. masscan -pU:3414: UDP probe(s) in frame(s) {P} (TTL 255, DF clear, IP ID by masscan's rule); the responder's reply, if any, and the scanner kernel's ICMP port unreachable follow"
}
c_scan-sipvicious-svmap() {
  start_server sip; cap_start "$1"
  run 60 "svmap -p $PORT -t 0.2 $IPB"
  run 60 "sleep 0.5; svmap -p $PORT -t 0.2 $IPB"
  cap_stop; stop_server
  finish sipvicious sip-scan open "$U3414 && sip.Method==\"OPTIONS\"" "$FROM_T && udp.srcport==$PORT" \
    "{N} packets. Two runs of SIPVicious svmap (OPTIONS sweep, default method): SIP OPTIONS requests in frame(s) {P} with 'User-Agent: friendly-scanner', From/To 'sipvicious', Call-ID and tag from svmap's generators, source port 5060 (svmap binds its default port); the python SIP responder's '200 OK' in {R}"
}
c_benign-memcached-stats() {
  start_server memcached; cap_start "$1"
  run 10 "printf 'stats\\r\\n' | socat -t 1 - TCP:$IPB:$PORT"
  run 10 "sleep 0.5; printf 'stats\\r\\n' | socat -t 1 - TCP:$IPB:$PORT"
  run 10 "sleep 0.5; $PY -c 'import socket;s=socket.create_connection((\"$IPB\",$PORT));s.sendall(b\"stats\\r\\n\");print(s.recv(65536)[:20]);s.sendall(b\"set k 0 0 1\\r\\nv\\r\\n\");s.recv(100);s.sendall(b\"get k\\r\\n\");s.recv(100);s.close()'"
  cap_stop; stop_server
  finish memcached none open "$TO3414 && tcp.len>0" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. Benign memcached monitoring: a real memcached 1.6 on 3414 polled three times from one client with 'stats\\r\\n' (the exact bytes of nmap's Memcache service probe): twice by socat, once by a python client that then sets and gets a key; client payloads in {P}, memcached's answers in {R}. No probe"
}
c_benign-ajp-cping() {
  start_server ajp; cap_start "$1"
  run 10 "$PY -c 'import socket,time
for i in range(3):
    s=socket.create_connection((\"$IPB\",$PORT)); s.sendall(bytes.fromhex(\"123400010a\")); s.recv(16); s.close(); time.sleep(0.3)'"
  cap_stop; stop_server
  finish python3 none open "$TO3414 && tcp.len>0" "$FROM_T && tcp.srcport==$PORT && tcp.len>0" \
    "{N} packets. Benign AJP13 health checks (what mod_jk / mod_proxy_ajp send): three connections from one python client, each sending a CPing (12 34 00 01 0a, the exact bytes of nmap's ajp service probe) in {P} and reading the CPong (41 42 00 01 09) in {R}. No probe"
}
c_benign-http10-get() {
  start_server http; cap_start "$1"
  run 10 "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socat -t 2 - TCP:$IPB:$PORT"
  run 10 "sleep 0.5; curl -sS -o /dev/null http://$IPB:$PORT/"
  run 10 "sleep 0.5; $PY -c 'import urllib.request;urllib.request.urlopen(\"http://$IPB:$PORT/\").read()'"
  cap_stop; stop_server
  finish http-clients none open "$TO3414 && tcp.len>0" "$FROM_T && http.response" \
    "{N} packets. Benign HTTP clients to python http.server: socat sends 'GET / HTTP/1.0\\r\\n\\r\\n' (the exact bytes of nmap's GetRequest probe), then curl 'GET /' and python urllib 'GET /'; requests in {P}, replies in {R}. No probe"
}
c_benign-connect-burst() {
  start_server lines; cap_start "$1"
  run 30 "$PY -c 'import socket,threading
def one(i):
    s=socket.create_connection((\"$IPB\",$PORT)); s.sendall(b\"PING %d\\n\" % i); s.recv(64); s.close()
ts=[threading.Thread(target=one,args=(i,)) for i in range(40)]
[t.start() for t in ts]; [t.join() for t in ts]'"
  cap_stop; stop_server
  finish python3 none open "$TO3414 && tcp.flags==0x002" "$SYNACK" \
    "{N} packets. Benign burst of 40 parallel connections from one python client through the Linux stack (a load test / connection flood of normal connects): ordinary SYNs (DF, TTL 64, full options, random IP IDs) in {P}, SYN/ACKs in {R}; each connection sends 'PING n', reads the reply and closes. No probe"
}
c_benign-both-ports() {
  start_server lines; cap_start "$1"
  run 15 "{ printf 'HELLO wip-client\\n'; sleep 0.3; printf 'QUIT\\n'; sleep 0.5; } | socat -t 2 - TCP:$IPB:$PORT,sourceport=3415,reuseaddr"
  run 15 "sleep 0.5; { printf 'HELLO again\\n'; sleep 0.3; printf 'QUIT\\n'; sleep 0.5; } | socat -t 2 - TCP:$IPB:$PORT,sourceport=3415,reuseaddr"
  cap_stop; stop_server
  finish socat none open "$TO3414 && tcp.flags.fin==1" "$FROM_T && tcp.flags.fin==1" \
    "{N} packets. Benign line sessions whose client port is 3415 (inside a 3414-3415 port range both ends are wip ports): ordinary handshakes, data, and ordinary FIN/ACK closes from the client in {P} and from the server in {R}. No probe (an ordinary FIN/ACK is not a Maimon probe)"
}

# ---------------------------------------------------------------- main
setup
log "namespaces $NA (scanner $IPA, $IA $MACA) and $NB (target $IPB, $IB $MACB)"
: >"$WORK/rows.tsv"
for name in "${TODO[@]}"; do
  log "recording $name"
  : >"$WORK/$name.out"
  "c_$name" "$name"
done

# RECORD_LOGDIR=dir keeps each tool's output (dir/NAME.out) for debugging
if [ -n "${RECORD_LOGDIR:-}" ]; then mkdir -p "$RECORD_LOGDIR" && cp "$WORK"/*.out "$RECORD_LOGDIR"/; fi

# manifest: merge new rows into the existing manifest, in the canonical order
HEADER=$'file\ttool\ttechnique\ttarget_state\tcommand\twhat_it_shows'
{
  echo "$HEADER"
  for name in "${ALL[@]}"; do
    row=$(awk -F'\t' -v f="$name.pcap" '$1==f' "$WORK/rows.tsv")
    [ -z "$row" ] && [ -f "$MANIFEST" ] && row=$(awk -F'\t' -v f="$name.pcap" 'NR>1 && $1==f' "$MANIFEST")
    [ -n "$row" ] && printf '%s\n' "$row"
  done
} >"$WORK/manifest.tsv"
mv -f "$WORK/manifest.tsv" "$MANIFEST"
log "wrote $MANIFEST"

if [ ${#FAILED[@]} -gt 0 ]; then
  log "FAILED captures (no expected probe/response frames): ${FAILED[*]}"
  exit 1
fi
log "all ${#TODO[@]} captures recorded"
