#!/bin/bash
# Whole-plugin speed: tshark on a >= 1M-packet capture, all on port 3414,
# WITH the plugin and with --disable-protocol wip, alternating runs.
# Prints the median CPU time (user+sys) of each, with the wall time, the
# ratio (target <= 1.05) and the peak RSS difference.  Prints figures only; never fails on a threshold.
#
# Usage: bench/speed.sh [runs]           (default 5 runs of each variant)
# Env:   WIP_BENCH_CACHE  where the generated capture is kept (default /var/tmp/wip-bench)
#        WIP_BENCH_PACKETS  packets in the capture (default 1000000)
#        WIP_BENCH_FIELDS=0  skip the second figure (-T fields -e wip.summary)
#        WIP_BENCH_NATIVE=0  skip the "native" figure (baseline: the same packets
#                            with TLS/HTTP/SIP on their registered ports)
#        WIP_BENCH_NOHANDOFF=0  skip the last (plugin with -o wip.handoff:FALSE)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
packets=${WIP_BENCH_PACKETS:-1000000}
cache=${WIP_BENCH_CACHE:-/var/tmp/wip-bench}

# build if needed (no wip.so, or a source newer than it)
so=$here/build/wip.so
if [ -z "${WIP_SO:-}" ] && { [ ! -f "$so" ] || [ -n "$(find "$here/packet-wip.c" "$here/plugin" -newer "$so" -name '*.[ch]' 2>/dev/null | head -1)" ]; }; then
    echo "building $so" >&2
    [ -f "$here/build/CMakeCache.txt" ] || cmake -S "$here" -B "$here/build" >/dev/null
    cmake --build "$here/build" -j"$(nproc)" >/dev/null
fi
[ -x /usr/bin/time ] || { echo "installing 'time'" >&2; apt-get install -y time >/dev/null; }

# shellcheck source=../tests/lib.sh
. "$here/tests/lib.sh" 2> >(grep -v 'Running as user' >&2)      

# the capture: cached, named after the generator's checksum
mkdir -p "$cache"; chmod 755 "$cache"
gen_sum=$(md5sum "$here/bench/gen-large.py" | cut -c1-8)
pcap=$cache/large-$packets-$gen_sum.pcap
if [ ! -f "$pcap" ]; then
    echo "generating $pcap" >&2
    /usr/bin/python3 "$here/bench/gen-large.py" -o "$pcap.tmp" --packets "$packets"
    mv "$pcap.tmp" "$pcap"
fi
chmod 644 "$pcap"
# the same packets with TLS/HTTP/SIP on 443/80/5060 (the "native" baseline)
native=$cache/large-$packets-$gen_sum-native.pcap
if [ "${WIP_BENCH_NATIVE:-1}" != 0 ] && [ ! -f "$native" ]; then
    echo "generating $native" >&2
    /usr/bin/python3 "$here/bench/gen-large.py" -o "$native.tmp" --packets "$packets" --native-ports
    mv "$native.tmp" "$native"
fi
[ -f "$native" ] && chmod 644 "$native"
npk=$(capinfos -c -M "$pcap" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
echo "capture: $pcap ($npk packets, $(du -m "$pcap" | cut -f1) MB); tshark $(tshark --version 2>/dev/null | sed -n '1s/.*(Wireshark) \([^ ]*\).*/\1/p'); $runs runs each"

tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp" "$WIP_HOME"' EXIT

# one timed run: run_one LABEL FILE tshark-args... ; appends "cpu_s rss_kb wall_s" to $tmp/LABEL
# (cpu = user + sys: far less sensitive than wall time to other jobs on a shared machine)
run_one() {
    local label=$1 file=$2; shift 2
    /usr/bin/time -f '%U %S %M %e' -o "$tmp/t" "${WIP_AS[@]}" tshark -n -r "$file" "$@" >/dev/null 2>"$tmp/err" \
        || { echo "tshark failed ($label):" >&2; cat "$tmp/err" >&2; exit 1; }
    awk '{ printf "%.2f %d %.2f\n", $1 + $2, $3, $4 }' "$tmp/t" >>"$tmp/$label"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# sanity: the plugin is loaded and sees the traffic
n_wip=$("${WIP_AS[@]}" tshark -n -r "$pcap" -c 2000 -Y wip 2>/dev/null | wc -l)
[ "$n_wip" -gt 0 ] || { echo "plugin not active (no wip frames in the first 2000)" >&2; exit 1; }

bench() {   # bench NAME extra-args...   (env OFF_PCAP: the capture for the run without wip)
    local name=$1; shift
    local off_pcap=${OFF_PCAP:-$pcap}
    : >"$tmp/$name.on"; : >"$tmp/$name.off"
    for i in $(seq "$runs"); do
        if [ $((i % 2)) = 1 ]; then
            run_one "$name.on" "$pcap" "$@"; run_one "$name.off" "$off_pcap" --disable-protocol wip "$@"
        else
            run_one "$name.off" "$off_pcap" --disable-protocol wip "$@"; run_one "$name.on" "$pcap" "$@"
        fi
    done
    local on off rss_on rss_off won woff
    on=$(cut -d' ' -f1 "$tmp/$name.on" | median); off=$(cut -d' ' -f1 "$tmp/$name.off" | median)
    rss_on=$(cut -d' ' -f2 "$tmp/$name.on" | median); rss_off=$(cut -d' ' -f2 "$tmp/$name.off" | median)
    won=$(cut -d' ' -f3 "$tmp/$name.on" | median); woff=$(cut -d' ' -f3 "$tmp/$name.off" | median)
    awk -v n="$name" -v on="$on" -v off="$off" -v ron="$rss_on" -v roff="$rss_off" -v p="$npk" -v won="$won" -v woff="$woff" \
        -v ton="$(cut -d' ' -f1 "$tmp/$name.on" | tr '\n' ' ')" -v toff="$(cut -d' ' -f1 "$tmp/$name.off" | tr '\n' ' ')" 'BEGIN {
        printf "%-7s with wip: median %6.2f s cpu (runs: %s) wall %.2f s\n", n, on, ton, won
        printf "%-7s without : median %6.2f s cpu (runs: %s) wall %.2f s\n", n, off, toff, woff
        printf "%-7s ratio %.3f cpu (target <= 1.05; wall %.3f), +%.2f us/packet; peak RSS %.0f MB vs %.0f MB: +%.1f MB (+%.0f bytes/packet)\n",
            n, on / off, won / woff, (on - off) * 1e6 / p, ron / 1024, roff / 1024, (ron - roff) / 1024, (ron - roff) * 1024 / p
    }'
}

echo "== plain: tshark -n -r FILE"
bench plain
if [ "${WIP_BENCH_NATIVE:-1}" != 0 ]; then
    # Stock tshark leaves TLS/HTTP/SIP on 3414 as data, so "plain" also
    # counts Wireshark's own dissection of them after the hand-off.  Here the
    # run without wip reads the same packets with those sessions on their
    # registered ports, where stock tshark dissects them itself: the ratio
    # is what wip costs over Wireshark's own cost for the same content.
    echo "== native: wip on FILE vs stock tshark on FILE with TLS/HTTP/SIP on 443/80/5060"
    OFF_PCAP=$native bench native
fi
if [ "${WIP_BENCH_FIELDS:-1}" != 0 ]; then
    echo "== fields: tshark -n -r FILE -T fields -e wip.summary"
    bench fields -T fields -e wip.summary
fi
if [ "${WIP_BENCH_NOHANDOFF:-1}" != 0 ]; then
    # The plugin's own cost without Wireshark's dissectors of the protocols
    # it recognises (TLS, HTTP, SIP, ...), which stock tshark leaves as data
    # on this port: the rest of the plain figure is that extra dissection.
    echo "== plain, hand-off off: tshark -n -r FILE -o wip.handoff:FALSE"
    bench nohand -o wip.handoff:FALSE
fi
