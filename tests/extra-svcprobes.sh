#!/usr/bin/env bash
# The wip.nmap_service_probes preference: only a regular file of bounded
# size is read; a file that cannot be used is reported (warning on tshark's
# stderr, a row in -z wip,tree) and the built-in probes are used.
. "$(dirname "$0")/lib.sh"
fail=0
cap="$WIP_HOME/svc.pcap"
cp "$CAPDIR/scan-nmap-sV.pcap" "$cap" && chmod a+r "$cap"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "FAIL: /usr/bin/time (Debian package time) is needed"; exit 1; }

# run LABEL PREF_VALUE: tshark -z wip,tree with the preference; sets ERR, OUT, RSS_KB, SECS
run() {
    local errf="$WIP_HOME/err.txt" tf="$WIP_HOME/time.txt"
    OUT=$(timeout 120 "$TIME" -f '%M %e' -o "$tf" "${WIP_AS[@]}" tshark -n -r "$cap" \
          -o "wip.nmap_service_probes:$2" -q -z wip,tree 2>"$errf")
    local rc=$?
    ERR=$(grep -v '^Running as user' "$errf")
    read -r RSS_KB SECS < <(tail -1 "$tf")
    [ $rc = 0 ] || { echo "FAIL: $1: tshark exited $rc"; fail=1; }
}

# the installed file (nmap package) or a small one written here
good="$WIP_HOME/probes-good.txt"
printf 'Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\nrarity 1\nProbe UDP Help q|help\\r\\n\\r\\n|\n' >"$good"
garbled="$WIP_HOME/probes-garbled.txt"
head -c 4096 /dev/urandom | base64 >"$garbled"
chmod a+r "$good" "$garbled"

run good "$good"
base_rss=$RSS_KB
[ -z "$ERR" ] || { echo "FAIL: good file: unexpected stderr: $ERR"; fail=1; }
grep -q "nmap service probes file: 1 probes read + 11 built-in" <<<"$OUT" || { echo "FAIL: good file: no tree row"; echo "$OUT" | tail -5; fail=1; }

# /dev/zero: refused unread, quickly, without growing
run /dev/zero /dev/zero
grep -q "wip.nmap_service_probes: /dev/zero: not a regular file" <<<"$ERR" || { echo "FAIL: /dev/zero: no warning (stderr: $ERR)"; fail=1; }
grep -q "nmap service probes file NOT used (not a regular file, not read)" <<<"$OUT" || { echo "FAIL: /dev/zero: no tree row"; fail=1; }
extra=$(( (RSS_KB - base_rss) / 1024 ))
[ "$extra" -lt 100 ] || { echo "FAIL: /dev/zero: $extra MB more than with a good file"; fail=1; }
awk -v s="$SECS" 'BEGIN { exit !(s < 60) }' || { echo "FAIL: /dev/zero: $SECS s"; fail=1; }
echo "  /dev/zero: ${SECS} s, max RSS ${RSS_KB} kB (good file: ${base_rss} kB)"

# a path that does not exist (a typo): a warning, not silence
run missing "$WIP_HOME/no-such-dir/nmap-service-probes"
grep -q "wip.nmap_service_probes: .*no-such-dir/nmap-service-probes: No such file or directory" <<<"$ERR" || { echo "FAIL: missing: no warning (stderr: $ERR)"; fail=1; }
grep -q "nmap service probes file NOT used" <<<"$OUT" || { echo "FAIL: missing: no tree row"; fail=1; }

# a directory
run directory "$WIP_HOME"
grep -q "not a regular file" <<<"$ERR" || { echo "FAIL: directory: no warning (stderr: $ERR)"; fail=1; }

# a regular file without any Probe line
run garbled "$garbled"
grep -q "no parsable Probe line" <<<"$ERR" || { echo "FAIL: garbled: no warning (stderr: $ERR)"; fail=1; }

# detection still works with the built-ins only: nmap's marked probes
# (TLSSessionReq) in scan-nmap-sV are still flagged
n=$(wip_tshark "$CAPDIR/scan-nmap-sV.pcap" -o "wip.nmap_service_probes:/dev/zero" -Y 'wip.probe.name == "TLSSessionReq"' 2>/dev/null | grep -c .)
[ "$n" = 1 ] || { echo "FAIL: built-in TLSSessionReq not flagged with /dev/zero ($n)"; fail=1; }

[ $fail = 0 ] && echo "OK: service-probes file: regular files only, warnings and tree rows for unusable files"
exit $fail
