#!/usr/bin/env bash
# Builds lab-incident.pcap, the final capture of the packet-analysis lab
# (docs/lab/), from three committed captures of real programs, without
# sending any traffic: editcap shifts the second and third in time so that
# they follow the first, mergecap joins the three in time order.
#   bash test-captures/make-lab-incident.sh            # rebuilds lab-incident.pcap
# Variants (docs/lab/instructor.md): choose other parts and another name,
#   LAB_SCAN=scan-masscan-syn.pcap LAB_PROTO=proto-tls12.pcap LAB_BIN=bin-rpc.pcap \
#   LAB_OUT=lab-incident-b.pcap bash test-captures/make-lab-incident.sh
# LAB_GAP: seconds of silence between the parts (default 30).
# The truth of the default capture is its row in manifest-lab.tsv.
# REQUIRES: wireshark-common (editcap, mergecap, capinfos)
set -euo pipefail
cd "$(dirname "$0")"
for t in editcap mergecap capinfos; do command -v $t >/dev/null || { echo "missing $t (Debian: wireshark-common)"; exit 1; }; done
SCAN=${LAB_SCAN:-scan-nmap-sV.pcap}
PROTO=${LAB_PROTO:-proto-ssh.pcap}
BIN=${LAB_BIN:-bin-gearman.pcap}
OUT=${LAB_OUT:-lab-incident.pcap}
GAP=${LAB_GAP:-30}
tmp=$(mktemp -d /tmp/wip-lab-incident.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# first and last packet time, epoch seconds
t_first() { capinfos -a -S -T -r "$1" | awk -F'\t' '{ print $2 }'; }
t_last()  { capinfos -e -S -T -r "$1" | awk -F'\t' '{ print $2 }'; }

# shift FILE so that it starts GAP seconds after time AFTER; prints its new end
place() {
    local in=$1 after=$2 out=$3 delta
    delta=$(awk -v a="$after" -v f="$(t_first "$in")" -v g="$GAP" 'BEGIN { printf "%.6f", a + g - f }')
    editcap -F pcap -t "$delta" "$in" "$out"
    t_last "$out"
}
cp "$SCAN" "$tmp/1.pcap"
end=$(t_last "$tmp/1.pcap")
end=$(place "$PROTO" "$end" "$tmp/2.pcap")
place "$BIN" "$end" "$tmp/3.pcap" >/dev/null
mergecap -F pcap -w "$OUT" "$tmp/1.pcap" "$tmp/2.pcap" "$tmp/3.pcap"
echo "$OUT: $(capinfos -c -T -r "$OUT" | awk -F'\t' '{ print $2 }') packets ($SCAN, then $PROTO, then $BIN, $GAP s apart)"
