#!/usr/bin/env bash
# A long fuzz_dissector run: WORKERS processes share one corpus, half of
# them with wmem's "simple" allocator (one malloc per wmem allocation: ASan
# sees overflows of wmem memory), half with "block" (about 2x faster).
# They run at nice 19, so the machine stays usable (benchmarks then measure
# CPU time with one core shared; run them after).
#
#   fuzz/long.sh SECONDS            (default 3600)
# Each worker restarts its fuzzer every CHUNK seconds (default 1800): the
# process's RSS grows by ~10 KB per input with "simple" (~2 KB with
# "block") also with the wip protocol disabled (WIP_FUZZ_DISABLE_WIP=1:
# libwireshark 4.0 / allocator, not wip), and would reach the 4 GB
# -rss_limit_mb after about an hour.
# The unit timeout is 120 s (TIMEOUT): at nice 19 on a busy machine a
# session reset (every WIP_FUZZ_SESSION_INPUTS inputs: 2000 "simple", 10000
# "block") once took 33 s; the input itself ran in 0.2 s alone.
# Ctrl-C / SIGTERM stops the workers and still records the run.
# Env: WORKERS (default: number of CPUs), OUT (default fuzz/build),
#      CHUNK, TIMEOUT, NO_BUILD=1 (reuse $OUT/fuzz_dissector), NO_SEEDS=1.
# Appends one line per run to $OUT/logs/long-runs.tsv (date, commit,
# seconds, workers, executions, corpus, coverage, result) and prints the
# total over all runs recorded there.  Exits nonzero on a finding
# (sanitizer report, crash, timeout, OOM, "Dissector bug" in WIP).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-3600}
chunk=${CHUNK:-1800}
out=${OUT:-$here/build}
workers=${WORKERS:-$(nproc)}
mkdir -p "$out/logs" "$out/artifacts" "$out/corpus/fuzz_dissector"
out=$(cd "$out" && pwd)

if [ -z "${NO_BUILD:-}" ]; then
    "$here/build-dissector.sh" "$out" >/dev/null || { echo "long.sh: build failed" >&2; exit 2; }
fi
if [ -z "${NO_SEEDS:-}" ] || [ ! -d "$out/seeds/fuzz_dissector" ]; then
    "$here/seeds-dissector.sh" "$out/seeds/fuzz_dissector" >/dev/null || { echo "long.sh: seeds failed" >&2; exit 2; }
fi

stamp=$(date -u +%Y%m%dT%H%M%S)
commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
start=$(date +%s)
stopfile=$out/logs/long-$stamp.stop
rm -f "$stopfile"

# One worker: fuzzer processes of at most $chunk seconds until $secs have
# passed, a finding, or a stop.  Returns nonzero on a finding.
worker() {
    local w=$1 alloc=$2 sess=$3 c=0 left t rc
    # A signal to the worker (Ctrl-C reaches the whole process group) ends
    # the run: the fuzzer prints its final stats and exits.
    trap 'touch "$stopfile"' INT TERM
    while [ ! -e "$stopfile" ]; do
        left=$((start + secs - $(date +%s)))
        [ "$left" -ge 10 ] || break
        t=$((left < chunk ? left : chunk))
        c=$((c + 1))
        WIP_FUZZ_SESSION_INPUTS=${WIP_FUZZ_SESSION_INPUTS:-$sess} \
        WIRESHARK_DEBUG_WMEM_OVERRIDE=$alloc \
        ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        nice -n 19 "$out/fuzz_dissector" -max_total_time="$t" -rss_limit_mb=4096 -detect_leaks=0 \
            -max_len=10000 -timeout="${TIMEOUT:-120}" -print_final_stats=1 \
            -artifact_prefix="$out/artifacts/fuzz_dissector-long-$stamp-$w-" \
            "$out/corpus/fuzz_dissector" "$out/seeds/fuzz_dissector" \
            >"$out/logs/long-$stamp-$w-$alloc-$c.log" 2>&1
        rc=$?
        # Interrupted by a signal that did not reach this shell (e.g. one
        # started in the background, where SIGINT is ignored): a stop too.
        grep -q 'libFuzzer: run interrupted' "$out/logs/long-$stamp-$w-$alloc-$c.log" && touch "$stopfile"
        if [ "$rc" != 0 ] && [ ! -e "$stopfile" ]; then
            return 1
        fi
    done
    return 0
}

pids=()
for w in $(seq "$workers"); do
    alloc=simple
    [ $((w % 2)) = 0 ] && alloc=block
    # "simple" frees every allocation one by one when the epan session is
    # recreated: fewer inputs per session keep that short.
    sess=10000
    [ "$alloc" = simple ] && sess=2000
    worker "$w" "$alloc" "$sess" &
    pids+=($!)
done
stop() {
    touch "$stopfile"
    pkill -INT -f -- "-artifact_prefix=$out/artifacts/fuzz_dissector-long-$stamp-" 2>/dev/null
}
trap stop INT TERM
echo "long.sh: $workers workers for ${secs}s (restarted every ${chunk}s), logs $out/logs/long-$stamp-*.log"
fail=0
for p in "${pids[@]}"; do
    # wait returns early (>128) when a trapped signal arrives: wait again.
    while :; do
        wait "$p"
        rc=$?
        [ "$rc" -gt 128 ] && kill -0 "$p" 2>/dev/null && continue
        break
    done
    [ "$rc" = 0 ] || fail=1
done
trap - INT TERM
elapsed=$(($(date +%s) - start))
stopped=
[ -e "$stopfile" ] && { stopped=" (stopped after ${elapsed}s)"; rm -f "$stopfile"; }

execs=0
for log in "$out"/logs/long-"$stamp"-*.log; do
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$e" ] || e=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    execs=$((execs + ${e:-0}))
    if grep -qE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|SUMMARY: |^fuzz_dissector: Dissector bug' "$log"; then
        fail=1
        echo "FINDING in $log:" >&2
        grep -E 'runtime error:|ERROR: |SUMMARY: |Test unit written' "$log" | head -5 | sed 's/^/    /' >&2
    fi
done
cov=$(grep -ho 'cov: [0-9]*' "$out"/logs/long-"$stamp"-*.log | awk '{print $2}' | sort -n | tail -1)
corp=$(ls "$out/corpus/fuzz_dissector" | wc -l)
others=$(grep -ho 'not wip (Wireshark bug, continuing): .*' "$out"/logs/long-"$stamp"-*.log | sed 's/, in packet [0-9]*//' | sort -u)
res=$([ "$fail" = 0 ] && echo ok || echo FINDING)
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$commit" "$elapsed" "$workers" "$execs" "$corp" "${cov:-?}" "$res" \
    >>"$out/logs/long-runs.tsv"
echo "this run: $execs executions in ${elapsed}s$stopped ($workers workers), corpus $corp, coverage ${cov:-?}: $res"
[ -n "$others" ] && { echo "Wireshark (not wip) dissector bugs reached through the hand-off:"; echo "$others" | sed 's/^/  /'; }
awk -F'\t' '{n += $5; s += $3; if ($8 != "ok") f++} END {
    printf "all recorded runs (%s): %d executions, %.1f h, %d with findings\n", FILENAME, n, s / 3600, f }' \
    "$out/logs/long-runs.tsv"
exit $fail
