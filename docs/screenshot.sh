#!/usr/bin/env bash
# docs/screenshot.sh: take docs/wip-gui.png, the real Wireshark GUI with the
# wip plugin and the "wip" profile (profiles/wip) on a bundled capture, the
# selected frame a flagged probe with its "BroadCloud WIP Port" tree expanded.
#
#   bash docs/screenshot.sh                      # scan-nmap-sV.pcap, frame 21
#   WIP_SHOT_CAPTURE=test-captures/scan-nmap-O.pcap WIP_SHOT_FRAME=27 bash docs/screenshot.sh
#
# Re-runnable. Builds the plugin if needed (cmake -S . -B build, or
# $WIP_BUILD_DIR), installs it and the profile into a temporary HOME, runs
# Wireshark under Xvfb (as nobody when run as root: root ignores personal
# plugins), expands the tree with xdotool and grabs the window with
# ImageMagick's import. Everything it starts is stopped on exit.
#
# Needs (Debian 12): wireshark-qt xvfb xauth xdotool imagemagick, plus the
# build dependencies of the plugin (scripts/deps.sh). As root, missing
# packages are installed with apt-get --no-install-recommends.
#
# Environment: WIP_SHOT_CAPTURE (capture), WIP_SHOT_FRAME (frame to select),
# WIP_SHOT_KEYS (xdotool keys that walk the details tree from its first row),
# WIP_SHOT_OUT (PNG, default docs/wip-gui.png), WIP_BUILD_DIR (default build),
# WIP_SHOT_KEEP=1 keeps the temporary HOME (its path is printed),
# WIP_SHOT_SIZE (screen and window size, default 1366x768, a common laptop
# screen: the profile's columns must fit there), WIP_SHOT_PANE (height of
# the packet list in pixels, default 300).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
capture=${WIP_SHOT_CAPTURE:-$here/test-captures/scan-nmap-sV.pcap}
frame=${WIP_SHOT_FRAME:-21}
keys=${WIP_SHOT_KEYS:-Home Down Down Down Down Right Down Down Down Down Down Down Down Down shift+Right}
out=${WIP_SHOT_OUT:-$here/docs/wip-gui.png}
build=${WIP_BUILD_DIR:-$here/build}
case $capture in /*) ;; *) capture=$PWD/$capture ;; esac
case $out in /*) ;; *) out=$PWD/$out ;; esac
case $build in /*) ;; *) build=$PWD/$build ;; esac
[ -r "$capture" ] || { echo "screenshot.sh: no capture $capture" >&2; exit 1; }

# --- packages ---------------------------------------------------------------
need=()
command -v wireshark >/dev/null || need+=(wireshark-qt)
command -v xvfb-run >/dev/null || need+=(xvfb)
command -v xauth >/dev/null || need+=(xauth)
command -v xdotool >/dev/null || need+=(xdotool)
[ -x /usr/bin/import ] && [ -x /usr/bin/convert ] || need+=(imagemagick)
command -v tshark >/dev/null || need+=(tshark)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
    else
        echo "screenshot.sh: missing packages: sudo apt-get install --no-install-recommends ${need[*]}" >&2
        exit 1
    fi
fi
# ImageMagick's own convert, not whatever else is called convert on the PATH
# (the session runs with PATH=/usr/bin:/bin, so its import is ImageMagick's)
IM_CONVERT=/usr/bin/convert

# --- plugin -------------------------------------------------------------------
so=$build/wip.so
if [ ! -f "$so" ] || [ -n "$(find "$here/packet-wip.c" "$here/plugin" "$here/CMakeLists.txt" -newer "$so" -print -quit)" ]; then
    cmake -S "$here" -B "$build" >/dev/null
    cmake --build "$build" --target wip -j"$(nproc)"
fi
# the plugin folder is named after Wireshark's major.minor version
wsver=$(tshark -v 2>/dev/null | sed -n '1s/^[^0-9]*\([0-9][0-9]*\.[0-9][0-9]*\)\..*/\1/p')
[ -n "$wsver" ] || { echo "screenshot.sh: cannot tell the Wireshark version" >&2; exit 1; }

# --- temporary HOME -------------------------------------------------------------
tmp=$(mktemp -d /tmp/wip-shot.XXXXXX)
cleanup() {
    # the GUI session is a process group of its own: stop exactly that
    if [ -n "${session_pid:-}" ] && kill -0 "$session_pid" 2>/dev/null; then
        kill -- -"$session_pid" 2>/dev/null || true
    fi
    if [ "${WIP_SHOT_KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
chmod 755 "$tmp"
plugdir=$tmp/.local/lib/wireshark/plugins/$wsver/epan
confdir=$tmp/.config/wireshark
mkdir -p "$plugdir" "$confdir/profiles"
cp "$so" "$plugdir/"
cp -r "$here/profiles/wip" "$confdir/profiles/wip"
cp "$capture" "$tmp/"
cap=$tmp/$(basename "$capture")

# Window geometry and pane sizes for the picture only (recent_common is
# Wireshark's memory of the last session, not part of the profile): the
# window fills the screen, bytes pane hidden to give the tree room.  The
# column widths are the profile's own (profiles/wip/recent), as a user who
# installs the profile gets them.
size=${WIP_SHOT_SIZE:-1366x768}
width=${size%x*} height=${size#*x}
pane=${WIP_SHOT_PANE:-300}
cat >"$confdir/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $width
gui.geometry_main_height: $height
gui.geometry_main_maximized: FALSE
EOF
{ [ -f "$here/profiles/wip/recent" ] && grep -v '^gui\.byte_view_show\|^gui\.geometry_main_upper_pane' "$here/profiles/wip/recent"
  echo "gui.byte_view_show: FALSE"; echo "gui.geometry_main_upper_pane: $pane"; } >"$confdir/profiles/wip/recent"

# --- the GUI session (runs inside Xvfb) ---------------------------------------------
cat >"$tmp/session.sh" <<'EOF'
set -u
# $1 capture, $2 frame, $3 key walk in the details tree, $4 output PNG (raw), $5 log
export XDG_RUNTIME_DIR=$HOME/.run; mkdir -p -m 700 "$XDG_RUNTIME_DIR"
wireshark -C wip -r "$1" -g "$2" >"$5" 2>&1 &
ws=$!
trap 'kill $ws 2>/dev/null; wait $ws 2>/dev/null' EXIT
# wait for the main window (titled with the capture's name) to be mapped
name=$(basename "$1")
wid=
for _ in $(seq 60); do
    wid=$(xdotool search --onlyvisible --name "^${name}" 2>/dev/null | head -1) || true
    [ -n "$wid" ] && break
    sleep 0.5
done
[ -n "$wid" ] || { echo "no Wireshark window" >&2; exit 1; }
sleep 4                          # file read, packet selected
xdotool windowfocus --sync "$wid" 2>/dev/null || xdotool windowfocus "$wid"
sleep 0.5
# Go to packet (Ctrl+G) once more, now that the panes have their final
# sizes: selects the frame again and scrolls the packet list to it.
xdotool key --delay 200 ctrl+g
sleep 0.5
xdotool type --delay 100 "$2"
xdotool key --delay 200 Return Escape
sleep 1
# Click the details tree's first row (Frame; the packet list pane is 300
# pixels high, see recent), then walk it with the keyboard (typed letters
# would go to the display filter): down to the WIP tree, the fifth top-level
# item (Frame, Ethernet, IP, TCP/UDP, WIP), open it one level, down to
# "[Probe: True ...]" (after wip-port, Direction, Transport, Payload length,
# Registration, Payload protocol and its expert info for the default frame;
# WIP_SHOT_KEYS overrides the walk for other frames) and expand all of it.
xdotool mousemove --window "$wid" 300 $((WIP_PANE + 105)) click 1
sleep 0.5
xdotool key --delay 150 $3
xdotool mousemove --window "$wid" $((WIP_W - 10)) $((WIP_H - 10))
sleep 2
import -window "$wid" "$4"
EOF

run() {
    if [ "$(id -u)" = 0 ]; then
        chown -R 65534:65534 "$tmp"
        setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME="$tmp" "$@"
    else
        env -i PATH=/usr/bin:/bin HOME="$tmp" "$@"
    fi
}
set -m   # own process group for the session, so cleanup can stop all of it
run env WIP_PANE="$pane" WIP_W="$width" WIP_H="$height" xvfb-run -a -s "-screen 0 ${width}x${height}x24" bash "$tmp/session.sh" "$cap" "$frame" "$keys" "$tmp/raw.png" "$tmp/wireshark.log" &
session_pid=$!
set +m
if ! wait "$session_pid"; then
    echo "screenshot.sh: the GUI session failed; Wireshark's log:" >&2
    cat "$tmp/wireshark.log" >&2 || true
    exit 1
fi
session_pid=
[ -s "$tmp/raw.png" ] || { echo "screenshot.sh: no screenshot taken" >&2; exit 1; }

# --- the PNG ------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
"$IM_CONVERT" "$tmp/raw.png" -strip -colors 256 PNG8:"$out"
echo "$out: $(/usr/bin/identify -format '%wx%h' "$out" 2>/dev/null || true), $(stat -c %s "$out") bytes"
