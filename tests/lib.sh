# tests/lib.sh - shared by the tshark-level tests.  Source it.
# Needs: WIP_SO (built plugin), WIP_WS_MINOR (e.g. 4.0), WIP_SRC (source tree).
set -u
: "${WIP_SRC:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${WIP_SO:=$WIP_SRC/build/wip.so}"
: "${WIP_WS_MINOR:=$(tshark --version | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')}"
CAPDIR="$WIP_SRC/test-captures"
EXPDIR="$WIP_SRC/tests/expected"

[ -f "$WIP_SO" ] || { echo "plugin not built: $WIP_SO" >&2; exit 1; }

# A temporary HOME holding the plugin in its personal plugin folder.
# Root ignores personal plugins, so as root tshark runs as nobody.
WIP_HOME=$(mktemp -d /tmp/wip-test-home.XXXXXX)
trap 'rm -rf "$WIP_HOME"' EXIT
mkdir -p "$WIP_HOME/.local/lib/wireshark/plugins/$WIP_WS_MINOR/epan"
# A wip.so in the global plugin folder (quickstart as root) is loaded too:
# it must be the one just built, and then no personal copy is added.
WIP_GLOBAL_SO="$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Global Plugins/ {print $2}')/epan/wip.so"
if [ -f "$WIP_GLOBAL_SO" ]; then
    cmp -s "$WIP_GLOBAL_SO" "$WIP_SO" || {
        echo "a different wip.so is installed in $WIP_GLOBAL_SO: reinstall it (cmake --install build) or remove it" >&2
        exit 1; }
else
    cp "$WIP_SO" "$WIP_HOME/.local/lib/wireshark/plugins/$WIP_WS_MINOR/epan/"
fi
chmod -R a+rX "$WIP_HOME"
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$WIP_HOME"
    WIP_AS=(setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$WIP_HOME")
else
    WIP_AS=(env HOME="$WIP_HOME")
fi

# wip_tshark FILE [tshark args...]: dissect a copy of FILE placed in the
# temporary HOME, so the unprivileged user needs no access to the checkout
# (and -2 gets the random access that stdin cannot give).
wip_tshark() {
    local f=$1; shift
    local copy="$WIP_HOME/input.pcap"
    cp "$f" "$copy" && chmod a+r "$copy"
    "${WIP_AS[@]}" tshark -n -r "$copy" "$@"
}

# The wip fields every capture's expected file lists, one per line.
wip_fields() { grep -v '^#' "$WIP_SRC/tests/fields.txt"; }

# Fields for one capture: the common list plus tests/expected/NAME.fields.
# Options for one capture: tests/expected/NAME.opts (one argument per line).
wip_dissect_fields() {
    local pcap=$1; shift
    local name; name=$(basename "$pcap" .pcap)
    if [ $# -gt 0 ] && [ "${1%%@*}" = "$name" ]; then name=$1; shift; fi
    local args=(-T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=,)
    local f
    while read -r f; do args+=(-e "$f"); done < <(wip_fields; [ -f "$EXPDIR/$name.fields" ] && grep -v '^#' "$EXPDIR/$name.fields")
    local opts=()
    [ -f "$EXPDIR/$name.opts" ] && mapfile -t opts < <(grep -v '^#' "$EXPDIR/$name.opts")
    # Boolean fields print 1/0 on 4.0 and True/False from 4.2: show 1/0.
    wip_tshark "$pcap" "${opts[@]}" "$@" "${args[@]}" |
        awk 'BEGIN { FS = OFS = "\t" } { for (i = 1; i <= NF; i++) { if ($i == "True") $i = 1; else if ($i == "False") $i = 0 } print }'
}
