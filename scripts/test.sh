#!/usr/bin/env bash
# Build and run the whole test suite (unit tests of the core and the tshark
# capture tests).  Needs the packages scripts/quickstart.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
missing=$(wip_missing_debs)
[ -z "$missing" ] || { echo "missing Debian packages:$missing (run scripts/quickstart.sh first)"; exit 1; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
# After a quickstart as root the plugin sits in the global folder, where
# tshark loads it next to the tests' copy: keep it the one just built.
global_so="$(tshark -G folders 2>/dev/null | awk -F'\t' '/^Global Plugins/ {print $2}')/epan/wip.so"
if [ -f "$global_so" ] && ! cmp -s "$global_so" build/wip.so; then
    if [ -w "$(dirname "$global_so")" ]; then cmake --install build >/dev/null
    else echo "a different wip.so is installed in $global_so: reinstall it (sudo cmake --install build) or remove it"; exit 1; fi
fi
cd build && ctest --output-on-failure "$@"
