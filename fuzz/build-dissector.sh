#!/usr/bin/env bash
# Build fuzz_dissector: the whole plugin (packet-wip.c + plugin/plugin.c +
# plugin/wip_*.c) with ASan + UBSan + libFuzzer, linked against the installed
# libwireshark / libwiretap / libwsutil (wireshark-dev, libwireshark-dev,
# libwiretap-dev packages).  Only the plugin is instrumented; libwireshark
# is the distribution's build.
#   fuzz/build-dissector.sh [OUT_DIR]     default OUT_DIR: fuzz/build
# Env: CC (default clang, else clang-14), EXTRA_CFLAGS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:-$here/build}
mkdir -p "$out"
out=$(cd "$out" && pwd)

CC=${CC:-}
if [ -z "$CC" ]; then
    if command -v clang >/dev/null; then CC=clang; else CC=clang-14; fi
fi
if pkg-config --exists wireshark; then
    ws_cflags=$(pkg-config --cflags wireshark)
    ws_libs=$(pkg-config --libs wireshark)
else
    ws_cflags="-I/usr/include/wireshark $(pkg-config --cflags glib-2.0 gmodule-2.0)"
    ws_libs="-lwireshark -lwsutil $(pkg-config --libs glib-2.0 gmodule-2.0)"
fi
[ -f /usr/include/wireshark/epan/epan.h ] || { echo "build-dissector.sh: Wireshark headers missing (apt-get install wireshark-dev)" >&2; exit 1; }
CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers ${EXTRA_CFLAGS:-}"

ver=$(sed -n 's/^project(wip VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
echo "build: fuzz_dissector"
# shellcheck disable=SC2086
$CC $CFLAGS -DWIP_VERSION="\"$ver\"" -I"$src/plugin" $ws_cflags -o "$out/fuzz_dissector" \
    "$here/fuzz_dissector.c" "$src/packet-wip.c" "$src/plugin/plugin.c" "$src"/plugin/wip_*.c \
    $ws_libs -lwiretap -lwsutil -lm
echo "harness in $out/fuzz_dissector"
