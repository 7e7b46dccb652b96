#!/usr/bin/env bash
# Corruption runs (Wireshark's tools/fuzz-test.sh recipe) with the plugin
# built with ASan + UBSan: every test-captures/*.pcap gets PASSES passes of
# `editcap -E PROB --seed N -o OFF` (fixed seeds; pcap record headers are
# never touched, OFF cycles 0/14/34/54 so later passes keep the Ethernet,
# IP and TCP headers and corrupt payload) and each corrupted file is
# dissected with `tshark -nVxr FILE -z wip,tree` (odd passes also with -2,
# the two-pass/redissection path) as an unprivileged user with the ASan
# plugin in a temporary HOME and libasan preloaded into tshark.
#   fuzz/corrupt.sh [PASSES] [PROB]      default 20 passes, 0.02
# Env: FIRST=n (first pass number, default 0: a later run with FIRST=20
#      uses new seeds), BUILD=dir (default build-asan), JOBS=n (parallel tshark runs,
#      default nproc), OUT=dir (default fuzz/build/corrupt), NO_BUILD=1.
# Fails (exit 1) on a crash (exit status > 2 or a signal), a sanitizer
# report or "Dissector bug" in the output.  Each finding's corrupted file
# and output are kept in $OUT/findings/.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
passes=${1:-20}
prob=${2:-0.02}
first=${FIRST:-0}
build=${BUILD:-$src/build-asan}
out=${OUT:-$here/build/corrupt}
jobs=${JOBS:-$(nproc)}

if [ -z "${NO_BUILD:-}" ]; then
    cmake -S "$src" -B "$build" -DWIP_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
        cmake --build "$build" --target wip -j"$jobs" >/dev/null ||
        { echo "corrupt.sh: ASan build failed" >&2; exit 2; }
fi
so="$build/wip.so"
[ -f "$so" ] || { echo "corrupt.sh: $so missing" >&2; exit 2; }

# The sanitizer runtime matching the compiler that built the plugin.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
cc=${cc:-cc}
asan_rt=$("$cc" -print-file-name=libasan.so)
case $asan_rt in
    /*) ;;
    *) asan_rt=$("$cc" -print-file-name=libclang_rt.asan-x86_64.so) ;;
esac
[ -e "$asan_rt" ] || { echo "corrupt.sh: no ASan runtime for $cc" >&2; exit 2; }
asan_rt=$(readlink -f "$asan_rt")

ws_minor=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
global_so="$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Global Plugins/ {print $2}')/epan/wip.so"
if [ -f "$global_so" ]; then
    echo "corrupt.sh: $global_so is installed globally; it would be loaded instead of the ASan build" >&2
    exit 2
fi

home=$(mktemp -d /tmp/wip-corrupt-home.XXXXXX)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.local/lib/wireshark/plugins/$ws_minor/epan" "$home/work"
cp "$so" "$home/.local/lib/wireshark/plugins/$ws_minor/epan/"
chmod -R a+rX "$home"
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$home"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
else
    as=()
fi
mkdir -p "$out/findings"
rm -f "$out"/findings/*

# Check that tshark really loads the ASan plugin: dissect one capture.
# (Not `tshark -G plugins`: that also runs the extcap helpers, which hang
# with libasan preloaded.)
cp "$src/test-captures/base-udp.pcap" "$home/work/check.pcap" && chmod a+r "$home/work/check.pcap"
if [ "$("${as[@]}" env HOME="$home" LD_PRELOAD="$asan_rt" ASAN_OPTIONS=detect_leaks=0 \
        tshark -n -r "$home/work/check.pcap" -Y wip 2>/dev/null | grep -c WIP)" = 0 ]; then
    echo "corrupt.sh: tshark does not load $so (as uid 65534 with $asan_rt preloaded)" >&2
    exit 2
fi
rm -f "$home/work/check.pcap"

one() {   # pass capture
    local pass=$1 cap=$2
    local name; name=$(basename "$cap" .pcap)
    local offs=(0 14 34 54)
    local off=${offs[$((pass % 4))]}
    local seed=$((pass * 7919 + 1))
    local f="$home/work/$name.p$pass.pcap"
    local log="$home/work/$name.p$pass.log"
    editcap -E "$prob" --seed "$seed" -o "$off" "$cap" "$f" >/dev/null 2>&1 || { echo "EDITCAP-FAILED $name $pass"; return; }
    chmod a+r "$f"
    local two=()
    [ $((pass % 2)) = 1 ] && two=(-2)
    "${as[@]}" env HOME="$home" LD_PRELOAD="$asan_rt" \
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        WIRESHARK_ABORT_ON_DISSECTOR_BUG=1 \
        timeout 300 tshark -nVx "${two[@]}" -r "$f" -z wip,tree >"$log" 2>&1
    local rc=$?
    local why=""
    if [ $rc -gt 2 ]; then why="exit $rc"; fi
    if grep -qE 'ERROR: AddressSanitizer|runtime error:|SUMMARY: (Address|Undefined)|Dissector bug' "$log"; then
        why="${why:+$why, }$(grep -oE 'ERROR: AddressSanitizer: [a-z-]+|runtime error: .{0,60}|Dissector bug[^]]{0,80}' "$log" | head -1)"
    fi
    if [ -n "$why" ]; then
        cp "$f" "$out/findings/"
        cp "$log" "$out/findings/"
        echo "FINDING $name pass $pass (seed $seed, -o $off${two:+, -2}): $why"
    else
        echo "ok $name $pass"
    fi
    rm -f "$f" "$log"
}
export -f one
export home prob asan_rt out
export as_str="${as[*]}"

caps=("$src"/test-captures/*.pcap)
echo "corrupt.sh: ${#caps[@]} captures x $passes passes (from pass $first), -E $prob, $jobs at a time, plugin $so, preload $asan_rt"
for ((p = first; p < first + passes; p++)); do
    for c in "${caps[@]}"; do printf '%s\t%s\n' "$p" "$c"; done
done | xargs -P "$jobs" -L 1 bash -c 'as=($as_str); one "$0" "$1"' 2>&1 | tee "$out/results.txt"
results=$(cat "$out/results.txt")
runs=$(grep -cE '^(ok|FINDING)' <<<"$results")
nfind=$(grep -c '^FINDING' <<<"$results")
nfail=$(grep -c '^EDITCAP-FAILED' <<<"$results")
echo
echo "corrupt.sh: passes $first-$((first + passes - 1)) over ${#caps[@]} captures: $runs tshark runs, $nfind findings, $nfail editcap failures"
grep '^FINDING' <<<"$results" | sort | sed 's/^/  /'
[ "$nfind" -gt 0 ] && echo "  files and outputs: $out/findings/"
[ "$nfind" = 0 ] && [ "$nfail" = 0 ]
