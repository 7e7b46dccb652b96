#!/usr/bin/env bash
# wip.so exports only the plugin entry points (-fvisibility=hidden): the
# core's functions and the dissector's own symbols stay inside the plugin,
# so they cannot clash with libwireshark or other plugins.  plugin_describe
# exists from Wireshark 4.2 (plugin/wip_ws_compat.h).
set -u
: "${WIP_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${WIP_SO:=$WIP_SRC/build/wip.so}"
[ -f "$WIP_SO" ] || { echo "plugin not built: $WIP_SO"; exit 1; }
got=$(nm -D --defined-only "$WIP_SO" | awk '{print $3}' | sort | tr '\n' ' ')
want="plugin_register plugin_version plugin_want_major plugin_want_minor "
case $got in *plugin_describe*) want="plugin_describe $want" ;; esac
if [ "$got" != "$want" ]; then
    echo "FAIL: wip.so exports: $got"; echo "      expected:         $want"; exit 1
fi
# The version tshark reports is project(VERSION) of CMakeLists.txt.
ver=$(sed -n 's/^project(wip VERSION \([0-9.]*\).*/\1/p' "$WIP_SRC/CMakeLists.txt")
strings "$WIP_SO" | grep -qx "$ver" || { echo "FAIL: version $ver not in wip.so"; exit 1; }
echo "OK: exports $got; version $ver"
