#!/usr/bin/env bash
# Build the harnesses, make seed corpora, fuzz each harness for SECONDS.
#   fuzz/run.sh [SECONDS]          default 60 per harness
# Env:
#   OUT=dir        build/seed/corpus/log dir (default fuzz/build)
#   JOBS=n         harnesses run at once (default 1)
#   HARNESSES="fuzz_pkt fuzz_infer"   subset (default: all seven; fuzz_dissector
#                                     is skipped with a warning when it cannot be
#                                     built, e.g. without wireshark-dev)
#   FUZZ_ARGS="-jobs=..."             extra libFuzzer flags
#   NO_BUILD=1 / NO_SEEDS=1           reuse existing binaries / seeds
# Exits nonzero if any harness reports a crash, leak, timeout, OOM or
# sanitizer error.  Reproducers: $OUT/artifacts/<harness>-crash-*.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-60}
out=${OUT:-$here/build}
jobs=${JOBS:-1}
harnesses=${HARNESSES:-"fuzz_pkt fuzz_recog fuzz_probe fuzz_probe_load fuzz_infer fuzz_frame fuzz_dissector"}
explicit=${HARNESSES:+1}
has() { case " $harnesses " in *" $1 "*) return 0;; esac; return 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -z "${NO_BUILD:-}" ]; then
    "$here/build.sh" "$out" || { echo "run.sh: build failed" >&2; exit 2; }
    if has fuzz_dissector && ! "$here/build-dissector.sh" "$out"; then
        if [ -n "$explicit" ]; then echo "run.sh: fuzz_dissector build failed" >&2; exit 2; fi
        echo "run.sh: warning: fuzz_dissector not built (wireshark-dev missing?), skipped" >&2
        harnesses=$(echo " $harnesses " | sed 's/ fuzz_dissector / /')
    fi
fi
if [ -z "${NO_SEEDS:-}" ]; then
    "$here/seeds.sh" "$out/seeds" || { echo "run.sh: seeds failed" >&2; exit 2; }
    if has fuzz_dissector; then
        "$here/seeds-dissector.sh" "$out/seeds/fuzz_dissector" || { echo "run.sh: dissector seeds failed" >&2; exit 2; }
    fi
fi
mkdir -p "$out/artifacts" "$out/logs"

run_one() {
    local h=$1
    mkdir -p "$out/corpus/$h" "$out/seeds/$h"
    local log="$out/logs/$h.log"
    local t0=$SECONDS
    # fuzz_dissector: libwireshark keeps session state across inputs on
    # purpose (and leaks per epan session), so no leak checking; inputs are
    # frame sequences of up to ~10 kB; more memory.
    local asan="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}" extra=(-rss_limit_mb=2048)
    if [ "$h" = fuzz_dissector ]; then
        asan="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:symbolize=1}"
        extra=(-rss_limit_mb=4096 -detect_leaks=0 -max_len=10000)
    fi
    # shellcheck disable=SC2086
    ASAN_OPTIONS="$asan" \
    UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
    "$out/$h" -max_total_time="$secs" "${extra[@]}" -timeout=25 \
        -print_final_stats=1 -artifact_prefix="$out/artifacts/$h-" ${FUZZ_ARGS:-} \
        "$out/corpus/$h" "$out/seeds/$h" >"$log" 2>&1
    echo $? >"$out/logs/$h.rc"
    echo $((SECONDS - t0)) >"$out/logs/$h.secs"
}

rm -f "$out"/logs/*.rc
running=0
for h in $harnesses; do
    [ -x "$out/$h" ] || { echo "run.sh: missing $out/$h" >&2; exit 2; }
    echo "run: $h for ${secs}s"
    run_one "$h" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

fail=0
printf '\n%-16s %12s %9s %7s %6s  %s\n' harness execs exec/s corpus cov result
for h in $harnesses; do
    log="$out/logs/$h.log"
    rc=$(cat "$out/logs/$h.rc" 2>/dev/null || echo 99)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    el=$(cat "$out/logs/$h.secs" 2>/dev/null || echo 1)
    [ "$el" -gt 0 ] || el=1
    rate=$(( ${execs:-0} / el ))
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
    corp=$(ls "$out/corpus/$h" | wc -l)
    res=ok
    if [ "$rc" != 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant failed|SUMMARY: ' "$log"; then
        res="FINDING (rc=$rc)"
        fail=1
    fi
    printf '%-16s %12s %9s %7s %6s  %s\n' "$h" "${execs:-?}" "$rate" "$corp" "${cov:-?}" "$res"
    if [ "$res" != ok ]; then
        grep -E 'runtime error:|ERROR: |SUMMARY: |invariant failed' "$log" | head -3 | sed 's/^/    /'
        grep -E '^ *#[0-9]+ 0x.* in ' "$log" | head -6 | sed 's/^/    /'
        grep -o "Test unit written to .*" "$log" | sed 's/^/    /'
    fi
done
echo "logs: $out/logs  artifacts: $out/artifacts"
exit $fail
