#!/usr/bin/env bash
# A long fuzz_dissector run: WORKERS processes share one corpus, half of
# them with wmem's "simple" allocator (one malloc per wmem allocation: ASan
# sees overflows of wmem memory), half with "block" (about 2x faster).
# They run at nice 19, so the machine stays usable (benchmarks then measure
# CPU time with one core shared; run them after).
#
#   fuzz/long.sh SECONDS            (default 3600)
# The unit timeout is 120 s (TIMEOUT): at nice 19 on a busy machine a
# session reset (every WIP_FUZZ_SESSION_INPUTS inputs: 2000 "simple", 10000
# "block") once took 33 s; the input itself ran in 0.2 s alone.
# Env: WORKERS (default: number of CPUs), OUT (default fuzz/build),
#      NO_BUILD=1 (reuse $OUT/fuzz_dissector), NO_SEEDS=1.
# Appends one line per run to $OUT/logs/long-runs.tsv (date, commit,
# seconds, workers, executions, corpus, coverage, result) and prints the
# total over all runs recorded there.  Exits nonzero on a finding
# (sanitizer report, crash, timeout, OOM, "Dissector bug" in WIP).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-3600}
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
pids=()
for w in $(seq "$workers"); do
    alloc=simple
    [ $((w % 2)) = 0 ] && alloc=block
    log=$out/logs/long-$stamp-$w-$alloc.log
    # "simple" frees every allocation one by one when the epan session is
    # recreated: fewer inputs per session keep that short.
    sess=10000
    [ "$alloc" = simple ] && sess=2000
    WIP_FUZZ_SESSION_INPUTS=${WIP_FUZZ_SESSION_INPUTS:-$sess} \
    WIRESHARK_DEBUG_WMEM_OVERRIDE=$alloc \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:symbolize=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n 19 "$out/fuzz_dissector" -max_total_time="$secs" -rss_limit_mb=4096 -detect_leaks=0 \
        -max_len=10000 -timeout="${TIMEOUT:-120}" -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/fuzz_dissector-long-$stamp-$w-" \
        "$out/corpus/fuzz_dissector" "$out/seeds/fuzz_dissector" >"$log" 2>&1 &
    pids+=($!)
done
echo "long.sh: $workers workers for ${secs}s, logs $out/logs/long-$stamp-*.log"
fail=0
for p in "${pids[@]}"; do
    wait "$p" || fail=1
done

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
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$commit" "$secs" "$workers" "$execs" "$corp" "${cov:-?}" "$res" \
    >>"$out/logs/long-runs.tsv"
echo "this run: $execs executions in ${secs}s ($workers workers), corpus $corp, coverage ${cov:-?}: $res"
[ -n "$others" ] && { echo "Wireshark (not wip) dissector bugs reached through the hand-off:"; echo "$others" | sed 's/^/  /'; }
awk -F'\t' '{n += $5; s += $3; if ($8 != "ok") f++} END {
    printf "all recorded runs (%s): %d executions, %.1f h, %d with findings\n", FILENAME, n, s / 3600, f }' \
    "$out/logs/long-runs.tsv"
exit $fail
