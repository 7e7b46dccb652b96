#!/usr/bin/env bash
# Build the libFuzzer harnesses (ASan + UBSan) against the pure C core
# (plugin/wip_*.c + GLib; no Wireshark).
#   fuzz/build.sh [OUT_DIR]        default OUT_DIR: fuzz/build
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
glib_cflags=$(pkg-config --cflags glib-2.0)
glib_libs=$(pkg-config --libs glib-2.0)
CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers ${EXTRA_CFLAGS:-}"

core=("$src"/plugin/wip_*.c)

build() {   # name source [extra flags...]
    local name=$1 file=$2; shift 2
    echo "build: $name"
    # shellcheck disable=SC2086
    $CC $CFLAGS "$@" -I"$src/plugin" $glib_cflags -o "$out/$name" "$file" "${core[@]}" $glib_libs -lm
}

build fuzz_pkt        "$here/fuzz_pkt.c"
build fuzz_recog      "$here/fuzz_recog.c"
build fuzz_probe      "$here/fuzz_probe.c"
build fuzz_probe_load "$here/fuzz_probe.c" -DWIP_FUZZ_PROBE_LOAD
build fuzz_infer      "$here/fuzz_infer.c"
build fuzz_frame      "$here/fuzz_frame.c"
echo "harnesses in $out"
