#!/usr/bin/env bash
# .ci/versions.sh [TARGET...]
#
# Build wip and run its ctest suite against every Wireshark we support:
#   host    the host's Wireshark (Debian 12: 4.0), built out of tree
#   trixie  Debian 13 chroot (4.4), via .ci/chroot.sh
#   sid     Debian sid chroot (4.6), via .ci/chroot.sh
# Default targets: host trixie sid (or $WIP_VERSIONS).  Needs root for
# the chroots.  Prints a summary table and exits non-zero if any target
# failed to build or to pass its tests.
#
# All targets build the same snapshot of the working tree (tracked and
# untracked files, no build dirs), taken once at the start, so edits made
# meanwhile do not mix versions.  After ctest, each target also writes what
# its tshark actually shows for every capture (tests/run-captures.sh with
# WIP_UPDATE=1 into a scratch copy), and the summary diffs that against the
# first target (or $WIP_VERSIONS_REF): differences there are version
# differences, not bugs in tests/expected.
#
# Output in $WIP_VERSIONS_LOGDIR (default build-versions/ in the checkout,
# ignored by git): TARGET.log, actual-TARGET/*.tsv, diff-TARGET.txt, src/.
# WIP_VERSIONS_CFLAGS: extra C flags for every target (e.g.
# -Wno-error=incompatible-pointer-types to get past gcc 14's hard errors
# and see the tests anyway).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TREE=$(cd "$HERE/.." && pwd)
LOGDIR=${WIP_VERSIONS_LOGDIR:-$TREE/build-versions}
CACHE_BASE=${WIP_CHROOT_CACHE:-/var/cache/wip-chroots}
if [ $# -gt 0 ]; then targets=("$@"); else read -r -a targets <<<"${WIP_VERSIONS:-host trixie sid}"; fi
[ -f "$TREE/CMakeLists.txt" ] || { echo "versions.sh: no CMakeLists.txt in $TREE" >&2; exit 2; }
mkdir -p "$LOGDIR"

# ---- one snapshot of the tree for every target ---------------------------
SNAP=$LOGDIR/src
if [ "${WIP_VERSIONS_KEEP_SNAPSHOT:-0}" = 1 ] && [ -f "$SNAP/CMakeLists.txt" ]; then
    echo "== reusing the snapshot in $SNAP (WIP_VERSIONS_KEEP_SNAPSHOT=1)" >&2
else
rm -rf --one-file-system "$SNAP"; mkdir -p "$SNAP"
if git -C "$TREE" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$TREE" && git ls-files -z -c -o --exclude-standard --deduplicate) |
        while IFS= read -r -d '' f; do
            case /$f in */build/*|*/build-*/*|*/.git/*) continue ;; esac
            [ -e "$TREE/$f" ] || [ -L "$TREE/$f" ] || continue
            printf '%s\0' "$f"
        done |
        { tar -C "$TREE" --null -T - --warning=no-file-changed -cf - || [ $? = 1 ]; } |
        tar -C "$SNAP" -xf -
    echo "== snapshot of $TREE at $(git -C "$TREE" rev-parse --short HEAD)$(git -C "$TREE" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes'): $SNAP" >&2
else
    tar -C "$TREE" --exclude=.git --exclude=build --exclude='build-*' -cf - . | tar -C "$SNAP" -xf -
fi
fi

# Run in the source dir with $1 = build dir.  Exit 10: configure/build
# failed, 20: ctest failed.  Actual per-capture output: $1/actual/tests/expected.
STAGES='b=$1; src=$PWD
cmake -S . -B "$b" ${WIP_VERSIONS_CFLAGS:+-DCMAKE_C_FLAGS="$WIP_VERSIONS_CFLAGS"} || exit 10
cmake --build "$b" -j2 -- -k || exit 10
echo "== wip: build ok"
chmod 755 "$b"          # tshark runs as nobody with this as its cwd
(cd "$b" && ctest --output-on-failure); rc=$?
rm -rf "$b/actual"; mkdir -p "$b/actual/tests"
cp -r tests/expected tests/fields.txt "$b/actual/tests/"
ln -s "$src/test-captures" "$b/actual/test-captures"
(cd "$b" && WIP_SRC="$b/actual" WIP_SO="$b/wip.so" WIP_UPDATE=1 bash "$src/tests/run-captures.sh" >/dev/null 2>&1)
[ $rc = 0 ] || exit 20'

declare -A res ver warn failed secs actual
for t in "${targets[@]}"; do
    log=$LOGDIR/$t.log
    start=$(date +%s)
    echo "== $t: building and testing (log: $log)" >&2
    case $t in
        host)
            bdir=$LOGDIR/build-host
            rm -rf --one-file-system "$bdir"
            (cd "$SNAP" && WIP_VERSIONS_CFLAGS=${WIP_VERSIONS_CFLAGS:-} bash -c "$STAGES" bash "$bdir") > "$log" 2>&1
            rc=$?
            actual[$t]=$bdir/actual/tests/expected ;;
        *)
            WIP_SRC=$SNAP bash "$HERE/chroot.sh" "$t" \
                env WIP_VERSIONS_CFLAGS="${WIP_VERSIONS_CFLAGS:-}" bash -c "$STAGES" bash /src/build > "$log" 2>&1
            rc=$?
            actual[$t]=$CACHE_BASE/$t/src/build/actual/tests/expected ;;
    esac
    secs[$t]=$(( $(date +%s) - start ))
    ver[$t]=$(sed -n 's/.*Building wip for Wireshark \([0-9.]*\).*/\1/p' "$log" | head -1)
    warn[$t]=$(grep -E ': (warning|error):' "$log" | sort -u | wc -l)
    failed[$t]=$(sed -n '/The following tests FAILED:/,$p' "$log" |
                 sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\) .*/\1/p' | tr '\n' ' ')
    case $rc in
        0)  res[$t]=pass ;;
        10) res[$t]="FAIL (build)" ;;
        20) res[$t]="FAIL (tests)" ;;
        *)  res[$t]="FAIL (setup, rc=$rc)" ;;
    esac
    rm -rf "$LOGDIR/actual-$t"
    if [ -d "${actual[$t]}" ]; then cp -r "${actual[$t]}" "$LOGDIR/actual-$t"; fi
    echo "== $t: ${res[$t]} in ${secs[$t]}s" >&2
done

# ---- cross-version differences of what tshark shows ----------------------
# Reference: WIP_VERSIONS_REF (e.g. host, from an earlier run on the same
# snapshot) or the first target.
ref=${WIP_VERSIONS_REF:-${targets[0]}}
declare -A ndiff
for t in "${targets[@]}"; do
    ndiff[$t]=-
    [ "$t" != "$ref" ] && [ -d "$LOGDIR/actual-$ref" ] && [ -d "$LOGDIR/actual-$t" ] || continue
    diff -r -u "$LOGDIR/actual-$ref" "$LOGDIR/actual-$t" > "$LOGDIR/diff-$t.txt"
    ndiff[$t]=$(grep -c '^+[^+]' "$LOGDIR/diff-$t.txt")
done

overall=0
printf '\n%-8s %-10s %-13s %-6s %-6s %-14s %s\n' target wireshark result diags time "lines-vs-$ref" failed-tests
for t in "${targets[@]}"; do
    printf '%-8s %-10s %-13s %-6s %-6s %-14s %s\n' "$t" "${ver[$t]:-?}" "${res[$t]}" "${warn[$t]}" \
        "${secs[$t]}s" "${ndiff[$t]}" "${failed[$t]:--}"
    case ${res[$t]} in
        pass) ;;
        "FAIL (setup"*)
            # WIP_VERSIONS_SETUP_SOFT=1 (CI): a chroot that could not be
            # created (no mirror, no mount rights) is reported, not fatal;
            # a build or test failure inside one always is.
            if [ "${WIP_VERSIONS_SETUP_SOFT:-0}" = 1 ]; then
                echo "WARNING: $t not tested: chroot setup failed (see $LOGDIR/$t.log)"
            else
                overall=1
            fi ;;
        *) overall=1 ;;
    esac
done
echo "(diags: distinct compiler warnings+errors; lines-vs-$ref: capture output lines that differ, see $LOGDIR/diff-TARGET.txt)"
exit $overall
