#!/bin/sh
# Learn the synthetic captures' headers with wip_infer (payloads via tshark,
# TCP framed by the learned length like the glue) and print the models next
# to the truth files.  usage: eval/check-captures.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${TMPDIR:-/tmp}/wip_pcap_learn.$$
gcc -O2 -Wall -Wextra -I "$root/plugin" "$here/pcap_learn.c" "$root/plugin/wip_infer.c" "$root/plugin/wip_frame.c" "$root/plugin/wip_tlv.c" \
    $(pkg-config --cflags --libs glib-2.0) -lm -o "$out"
for cap in "$root"/test-captures/synth-*.pcap; do
    name=$(basename "$cap" .pcap)
    case "$name" in *tcp*) proto=tcp; f="tcp.stream";; *) proto=udp; f="udp.stream";; esac
    echo "== $name (truth: test-captures/$name.truth.json)"
    /usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))
for x in t["fields"]: print("  truth %-9s offset %2d width %d %s" % (x["kind"], x["offset"], x["width"], x["endian"] or "-"))
print("  truth hdr_len %d, length adjust %d" % (t["hdr_len"], t["length"]["adjust"]))' "$root/test-captures/$name.truth.json"
    tshark -r "$cap" -Y "$proto.payload || data" -T fields -E separator=' ' \
        -e "$f" -e "$proto.dstport" -e frame.time_epoch -e data.data -e "$proto.payload" 2>/dev/null |
    awk '{ hex = ($4 != "") ? $4 : $5; gsub(":", "", hex); if (hex == "") next;
           dir = ($2 == 3414) ? 1 : 2; print $1, dir, $3, hex }' | "$out" "$proto"
done
rm -f "$out"
