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
cd build && ctest --output-on-failure "$@"
