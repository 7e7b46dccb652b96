#!/usr/bin/env bash
# Every capture cut to 60 bytes per frame (editcap -s 60): tshark must exit
# cleanly, print no "Dissector bug" and still label the wip frames.
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp" "$WIP_HOME"' EXIT
fail=0; n=0
for pcap in "$CAPDIR"/*.pcap; do
    name=$(basename "$pcap" .pcap)
    editcap -s 60 "$pcap" "$tmp/$name.pcap" >/dev/null 2>&1 || { echo "FAIL $name: editcap"; fail=1; continue; }
    chmod a+r "$tmp/$name.pcap"
    if ! out=$(wip_tshark "$tmp/$name.pcap" -V 2>&1); then
        echo "FAIL $name: tshark exited non-zero on the truncated capture"; echo "$out" | tail -5; fail=1; continue
    fi
    if grep -q "Dissector bug" <<<"$out"; then
        echo "FAIL $name: Dissector bug"; grep -m3 -B2 "Dissector bug" <<<"$out"; fail=1; continue
    fi
    # ICMP errors quoting a wip datagram are labelled too, but cutting the
    # frame to 60 bytes removes the quoted header: count the rest.
    full=$(wip_tshark "$pcap" -Y 'wip && !icmp && !icmpv6' -T fields -e wip.port | grep -c . || true)
    cut=$(wip_tshark "$tmp/$name.pcap" -Y 'wip && !icmp && !icmpv6' -T fields -e wip.port | grep -c . || true)
    if [ "$full" != "$cut" ]; then
        echo "FAIL $name: $full labelled frames in full capture, $cut when truncated"; fail=1; continue
    fi
    n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "no captures found"; exit 1; }
[ $fail = 0 ] && echo "OK: $n truncated captures dissect cleanly"
exit $fail
