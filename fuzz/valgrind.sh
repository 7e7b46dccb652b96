#!/usr/bin/env bash
# tshark under valgrind memcheck over every test-captures/*.pcap with the
# normal build (build/wip.so), as an unprivileged user with the plugin in a
# temporary HOME (root ignores personal plugins).  Reports the errors
# (invalid reads/writes, uninitialised values, definitely lost blocks)
# whose stack mentions the plugin (packet-wip.c, plugin.c, wip_*.c,
# wip.so); libwireshark's own errors are counted but ignored.
#   fuzz/valgrind.sh [CAPTURE...]     default: every test-captures/*.pcap
# Env: WIP_SO (default build/wip.so), JOBS=n (default nproc),
#      OUT=dir (default fuzz/build/valgrind; logs of captures with wip
#      errors are kept there), TSHARK_ARGS (default "-nV -2 -z wip,tree").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
so=${WIP_SO:-$src/build/wip.so}
out=${OUT:-$here/build/valgrind}
jobs=${JOBS:-$(nproc)}
targs=${TSHARK_ARGS:-"-nV -2 -z wip,tree"}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind not installed" >&2; exit 2; }
[ -f "$so" ] || { echo "valgrind.sh: $so missing (cmake --build build)" >&2; exit 2; }

ws_minor=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
home=$(mktemp -d /tmp/wip-valgrind-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.local/lib/wireshark/plugins/$ws_minor/epan" "$home/work"
global_so="$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Global Plugins/ {print $2}')/epan/wip.so"
if [ -f "$global_so" ]; then
    cmp -s "$global_so" "$so" || { echo "valgrind.sh: a different wip.so is installed in $global_so" >&2; exit 2; }
else
    cp "$so" "$home/.local/lib/wireshark/plugins/$ws_minor/epan/"
fi
chmod -R a+rX "$home"
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    as=()
fi
mkdir -p "$out"
rm -f "$out"/*.log

if [ $# -gt 0 ]; then caps=("$@"); else caps=("$src"/test-captures/*.pcap); fi

one() {
    local cap=$1
    local name; name=$(basename "$cap" .pcap)
    local f="$home/work/$name.pcap" log="$home/work/$name.vg" tlog="$home/work/$name.out"
    cp "$cap" "$f" && chmod a+r "$f"
    # shellcheck disable=SC2086
    "${as[@]}" env HOME="$home" G_SLICE=always-malloc WIRESHARK_DEBUG_WMEM_OVERRIDE=simple \
        valgrind --tool=memcheck --error-exitcode=1 --num-callers=40 \
        --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --track-origins=no --log-file="$log" \
        tshark -r "$f" $targs >"$tlog" 2>&1
    local rc=$?
    # One error record: the lines from a "== <kind>" header to the blank
    # "==PID== " line.  Keep those whose frames mention the plugin.
    local wip_errs
    wip_errs=$(awk '
        /^==[0-9]+== *$/ { if (blk != "" && blk ~ /(packet-wip\.c|plugin\.c|wip_[a-z_]+\.c|wip\.so)/) { n++; print blk "----" } blk = ""; next }
        /^==[0-9]+== / { blk = blk $0 "\n" }
        END { if (blk != "" && blk ~ /(packet-wip\.c|plugin\.c|wip_[a-z_]+\.c|wip\.so)/) print blk "----" }' "$log")
    local total
    total=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    local n=0
    [ -n "$wip_errs" ] && n=$(grep -c '^----' <<<"$wip_errs")
    if [ "$n" -gt 0 ]; then
        cp "$log" "$out/$name.log"
        echo "WIP-ERRORS $name: $n error(s) in the plugin (valgrind total ${total:-?}, rc $rc): $out/$name.log"
        grep -m3 -E '== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in)' <<<"$wip_errs" | sed 's/^/    /'
    elif ! grep -q "ERROR SUMMARY" "$log"; then
        cp "$log" "$out/$name.log"; cp "$tlog" "$out/$name.out"
        echo "FAILED $name: valgrind did not finish (rc $rc): $out/$name.log"
    else
        echo "ok $name (valgrind errors outside the plugin: ${total:-0}, rc $rc)"
    fi
}
export -f one
export home targs out
export as_str="${as[*]}"

echo "valgrind.sh: ${#caps[@]} captures, $jobs at a time, plugin $so, tshark $targs"
t0=$SECONDS
printf '%s\n' "${caps[@]}" | xargs -P "$jobs" -I{} bash -c 'as=($as_str); one "$0"' {} 2>&1 | tee "$out/results.txt"
results=$(cat "$out/results.txt")
nwip=$(grep -c '^WIP-ERRORS' <<<"$results")
nfail=$(grep -c '^FAILED' <<<"$results")
nok=$(grep -c '^ok' <<<"$results")
echo
echo "valgrind.sh: ${#caps[@]} captures in $((SECONDS - t0)) s: $nok clean for wip, $nwip with plugin errors, $nfail did not finish"
grep -E '^(WIP-ERRORS|FAILED)' <<<"$results" | sed 's/^/  /'
[ "$nwip" = 0 ] && [ "$nfail" = 0 ]
