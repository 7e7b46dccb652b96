#!/usr/bin/env bash
# Build the Debian package with CPack, install it with dpkg, check that
# tshark loads the plugin from the global folder and labels a capture, then
# remove the package again.  Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "package-check needs root (dpkg -i)"; exit 1; }
cmake -S . -B build >/dev/null
cmake --build build -j"$(nproc)" --target wip >/dev/null
(cd build && rm -f ./*.deb && cpack -G DEB >/dev/null)
deb=$(ls build/*.deb)
echo ">> $deb"; dpkg-deb -f "$deb" Package Version Depends
trap 'dpkg -r wireshark-plugin-wip >/dev/null 2>&1 || true' EXIT
dpkg -i "$deb" >/dev/null
line=$(tshark -G plugins 2>/dev/null | grep -w '^wip.so') || { echo "FAIL: tshark -G plugins does not list wip.so"; exit 1; }
echo "$line"
case "$line" in *dissector*"$(dpkg -L wireshark-plugin-wip | grep 'wip.so$')"*) ;; *) echo "FAIL: not loaded as a dissector from the package's path"; exit 1 ;; esac
got=$(tshark -n -r test-captures/scan-nmap-sS-open.pcap -Y wip.probe -T fields -e wip.probe.tool -e wip.probe.technique 2>/dev/null)
[ "$got" = "nmap	syn" ] || { echo "FAIL: installed plugin gave '$got' on scan-nmap-sS-open.pcap"; exit 1; }
echo "OK: package installs, tshark loads wip from it and flags nmap syn"
