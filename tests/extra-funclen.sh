#!/usr/bin/env bash
# Issue 16: no function in plugin/ or packet-wip.c longer than 80 lines,
# except the field registration table (proto_register_wip).
here=$(cd "$(dirname "$0")/.." && pwd)
long=$(python3 "$here/scripts/funclen.py" "$here/packet-wip.c" "$here"/plugin/*.c | grep -v ' void proto_register_wip(void)')
if [ -n "$long" ]; then
    echo "FAIL: functions longer than 80 lines:"; echo "$long"; exit 1
fi
echo "OK: no function longer than 80 lines (proto_register_wip excepted)"
