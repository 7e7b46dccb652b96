# lib-netns.sh - namespace plumbing shared by the record-*.sh scripts.
#
# Source it from a recording script (as root) after setting
#   TAG   the script's name for log lines, e.g. record-text
#   OUT   the folder the pcaps go to
# and optionally
#   PORT        the port recorded (default 3414)
#   CAP_PREFIX  prepended to the name given to cap_start (e.g. "text-")
#   CAP_FILTER  tcpdump filter (default "port $PORT")
#   CAP_IF, CAP_NS, CAP_TIMEOUT, CAP_SETTLE  interface (lo), namespace ($NS),
#               tcpdump's time bound (60 s), wait before stopping it (0.5 s)
#   WAIT_TRIES  tenths of a second wait_listen waits (100)
#   NETNS_KEEP  a folder: keep a copy of $TMP (logs, configs) there on exit
# then call `netns_init NAME...`.  It creates each network namespace (the
# first becomes $NS), brings up its loopback, makes $TMP (mode 755), and
# installs an EXIT trap that kills what the script started (its own
# children and anything still inside the namespaces), deletes the
# namespaces and removes $TMP.  Every command below is bounded by timeout.
# The functions also work under `set -e`.  Nothing here sends a packet: the scripts only talk inside namespaces they
# created themselves.

export LC_ALL=C
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
: "${PORT:=3414}"
: "${CAP_PREFIX:=}"
PIDS=()
NETNS_LIST=()
CAPPID=
BGPID=

log() { echo "[$TAG] $*" >&2; }

# kill every process inside namespace $1
netns_stop() {
    local ns=$1 p
    ip netns list 2>/dev/null | grep -qw "$ns" || return 1
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    sleep 0.5
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    return 0
}

# kill every process inside namespace $1, then delete it
netns_kill() { netns_stop "$1" && ip netns del "$1"; }

netns_cleanup() {
    local p ns
    # only our own still-running children (a reaped pid may have been reused)
    for p in "${PIDS[@]}"; do
        [ "$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')" = "$$" ] && kill "$p" 2>/dev/null
    done
    for ns in "${NETNS_LIST[@]}"; do netns_kill "$ns"; done
    [ -n "${NETNS_KEEP:-}" ] && { rm -rf "$NETNS_KEEP"; cp -r "$TMP" "$NETNS_KEEP"; }
    [ -n "${TMP:-}" ] && rm -rf "$TMP"
    return 0
}

# create namespaces (again, after netns_kill), loopback up, deleted on exit
netns_add() {
    local ns
    for ns in "$@"; do
        ip netns add "$ns" || exit 1
        [[ " ${NETNS_LIST[*]} " == *" $ns "* ]] || NETNS_LIST+=("$ns")
        ip netns exec "$ns" ip link set lo up || exit 1
    done
}

# netns_init [NAME...]: root check, $TMP, the EXIT trap, the namespaces
netns_init() {
    if [ "$(id -u)" != 0 ]; then echo "$TAG must run as root (ip netns, tcpdump)" >&2; exit 1; fi
    TMP=$(mktemp -d "/tmp/$TAG.XXXXXX")
    chmod 755 "$TMP"
    trap netns_cleanup EXIT
    trap 'exit 130' INT TERM
    NS=${1:-}
    netns_add "$@"
}

# run a bounded command inside namespace $NS (foreground): nsx SECONDS CMD...
nsx() { local t=$1; shift; ip netns exec "$NS" timeout "$t" "$@"; }

# start a bounded background command inside $NS, output to a log; sets BGPID.
# stdin is the caller's, so `bgrun ... < <(...)` feeds the command.
bgrun() {
    local t=$1 logf=$2; shift 2
    ip netns exec "$NS" timeout "$t" "$@" <&0 >"$logf" 2>&1 &
    BGPID=$!
    PIDS+=("$BGPID")
}

# wait until something listens in namespace NS: wait_listen_in NS tcp|udp PORT
wait_listen_in() {
    local ns=$1 proto=$2 port=$3 flag=-ltn
    [ "$proto" = udp ] && flag=-lun
    for _ in $(seq "${WAIT_TRIES:-100}"); do
        ip netns exec "$ns" ss -H $flag "sport = :$port" 2>/dev/null | grep -q . && return 0
        sleep 0.1
    done
    log "nothing listens on $proto/$port in $ns"
    return 1
}

# the same in $NS: wait_listen [tcp|udp] [port]
wait_listen() { wait_listen_in "$NS" "${1:-tcp}" "${2:-$PORT}"; }

# stop a background pid politely, then wait for it: stop PID [SIGNAL]
stop() {
    local p=$1 sig=${2:-TERM}
    kill -"$sig" "$p" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    return 0
}

# record $CAP_IF of $CAP_NS into $OUT/$CAP_PREFIX$1.pcap
cap_start() {
    local f="$OUT/$CAP_PREFIX$1.pcap"
    rm -f "$f"
    ip netns exec "${CAP_NS:-$NS}" timeout "${CAP_TIMEOUT:-60}" \
        tcpdump -Z root --immediate-mode -i "${CAP_IF:-lo}" -U -s 0 -w "$f" \
        "${CAP_FILTER:-port $PORT}" >"$TMP/tcpdump.log" 2>&1 &
    CAPPID=$!
    PIDS+=("$CAPPID")
    for _ in $(seq 100); do grep -qs 'listening on' "$TMP/tcpdump.log" && break; sleep 0.05; done
    sleep 0.2
}

cap_stop() {
    sleep "${CAP_SETTLE:-0.5}"      # let the last segments reach the capture
    # SIGINT reaches tcpdump through timeout(1), which forwards it
    stop "$CAPPID" INT
    { grep -E 'packets (captured|received by filter)' "$TMP/tcpdump.log" || true; } | tr '\n' ' ' >&2
    echo >&2
}

# nginx_head CONNECTIONS: the start of an nginx.conf that keeps every file
# nginx writes inside $TMP/nginx; the caller writes the rest of the http block.
nginx_head() {
    mkdir -p "$TMP/nginx"
    cat <<EOF
daemon off;
worker_processes 1;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections $1; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
EOF
}
