#!/usr/bin/env bash
# Hand-off equals Decode As: for every capture of a recognised protocol
# (test-captures/proto-*.pcap, seg-*.pcap, text-*.pcap; the protocol from
# their manifests), the fields Wireshark's dissectors produce with wip must be the
# fields they produce with the plugin disabled and a Decode As of the port
# to that protocol (tshark --disable-protocol wip -d tcp.port==3414,PROTO):
# the same field names, each as many times.  wip's own tree and the
# frame/IP/TCP/UDP layers are left out (tests/handoff-fields.py).
# Differences Wireshark itself explains are listed in
# tests/handoff-accepted.tsv (capture, field, reason); any other difference
# fails.  The test also checks that it can fail: with -o wip.handoff:FALSE
# the TLS capture must differ.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ACCEPT="$HERE/handoff-accepted.tsv"
PY=/usr/bin/python3
fail=0; n=0

decode_as() {   # wip protocol name -> Wireshark Decode As name
    case $1 in
        websocket) echo http ;;
        turn) echo stun ;;
        smb) echo nbss ;;
        rdp) echo tpkt ;;
        oci) echo xml ;;
        pop3) echo pop ;;
        modbus) echo mbtcp ;;
        protobuf) echo "" ;;   # no Decode As entry for protobuf on tcp.port: nothing to compare with
        *) echo "$1" ;;
    esac
}
counts() { "$PY" "$HERE/handoff-fields.py"; }

compare() {   # NAME A B -> prints differences not accepted; returns 1 if any
    local name=$1 a=$2 b=$3 bad=0
    while IFS=$'\t' read -r field wa wb; do
        if awk -F'\t' -v c="$name" -v f="$field" '!/^#/ && $1 == c && (f == $2 || (substr($2, length($2)) == "*" && index(f, substr($2, 1, length($2) - 1)) == 1)) { found = 1 } END { exit !found }' "$ACCEPT"; then
            continue
        fi
        echo "  $name: $field: $wa with wip, $wb with Decode As"
        bad=1
    done < <(join -t $'\t' -a1 -a2 -e 0 -o 0,1.2,2.2 <(sort "$a") <(sort "$b") | awk -F'\t' '$2 != $3')
    return $bad
}

summary=""
while IFS=$'\t' read -r file proto transport _; do
    [ "$file" = file ] && continue
    pcap="$CAPDIR/$file"
    [ -f "$pcap" ] || continue
    name=${file%.pcap}
    da=$(decode_as "$proto")
    # h2c by Upgrade starts as HTTP/1.1: Decode As http (which follows the Upgrade), not http2
    [ "$name" = proto-h2c-upgrade ] && da=http
    if [ -z "$da" ]; then summary+="$name: $proto has no Decode As entry on $transport.port, not compared"$'\n'; continue; fi
    a="$WIP_HOME/a.tsv"; b="$WIP_HOME/b.tsv"
    wip_tshark "$pcap" -T pdml 2>/dev/null | counts > "$a"
    wip_tshark "$pcap" --disable-protocol wip -d "$transport.port==3414,$da" -T pdml 2>/dev/null | counts > "$b"
    if [ ! -s "$b" ]; then echo "FAIL $name: Decode As $transport.port==3414,$da gave no fields"; fail=1; continue; fi
    na=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$a"); nb=$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$b")
    summary+="$name ($transport, Decode As $da): $na fields with wip, $nb with Decode As"$'\n'
    n=$((n + 1))
    if ! out=$(compare "$name" "$a" "$b"); then
        echo "FAIL $name: fields differ from Decode As $transport.port==3414,$da"; echo "$out" | head -20; fail=1
    fi
done < <(cat "$CAPDIR"/manifest-protocols.tsv "$CAPDIR"/manifest-segmented.tsv "$CAPDIR"/manifest-text.tsv "$CAPDIR"/manifest-apps.tsv 2>/dev/null)

# The comparison must be able to fail: without the hand-off, TLS is lost.
a="$WIP_HOME/a.tsv"; b="$WIP_HOME/b.tsv"
wip_tshark "$CAPDIR/seg-tls-chain.pcap" -o wip.handoff:FALSE -T pdml 2>/dev/null | counts > "$a"
wip_tshark "$CAPDIR/seg-tls-chain.pcap" --disable-protocol wip -d tcp.port==3414,tls -T pdml 2>/dev/null | counts > "$b"
if compare seg-tls-chain-nohandoff "$a" "$b" >/dev/null; then
    echo "FAIL: with -o wip.handoff:FALSE the comparison found no difference (the test cannot fail)"; fail=1
fi

printf '%s' "$summary"
[ "$n" -ge 20 ] || { echo "FAIL: only $n protocol captures compared"; fail=1; }
[ $fail = 0 ] && echo "OK: $n protocol captures: wip's hand-off gives the fields of Decode As (accepted differences in tests/handoff-accepted.tsv)"
exit $fail
