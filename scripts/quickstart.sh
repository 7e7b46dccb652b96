#!/usr/bin/env bash
# Install what is missing, build, install the plugin and dissect a bundled
# capture.  As a user the plugin goes to the personal plugin folder
# (~/.local/lib/wireshark/plugins/X.Y/epan); as root to the global one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
wip_install_debs
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
if [ "$(id -u)" = 0 ]; then
    cmake --install build
else
    cmake --build build --target install-personal
fi
echo ">> tshark -G plugins:"
tshark -G plugins 2>/dev/null | grep -w wip
cap=test-captures/scan-nmap-sS-open.pcap
echo ">> $cap, labelled frames:"
tshark -n -r "$cap" -Y wip -T fields -e frame.number -e _ws.col.Protocol -e wip.summary 2>/dev/null
