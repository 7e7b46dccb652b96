#!/usr/bin/env bash
# The Protocol and Info columns as users see them (text output, after the
# postdissector ran): WIP where no other protocol claims the payload, the
# payload's protocol where it was handed off, Info starting with a short
# prefix that adds only what the transport's Info does not say (the payload
# verdict, the probe verdict), then the transport's own Info unchanged.
. "$(dirname "$0")/lib.sh"
cols=(-o 'gui.column.format:"No.","%m","Protocol","%p","Info","%i"')
fail=0
check() {   # CAPTURE FRAME PROTOCOL INFO-PREFIX
    local line
    line=$(wip_tshark "$CAPDIR/$1.pcap" "${cols[@]}" 2>/dev/null | awk -v n="$2" '$1 == n')
    local proto; proto=$(awk '{print $2}' <<<"$line")
    local info; info=$(sed -E 's/^ *[0-9]+ +[^ ]+ +//' <<<"$line")
    if [ "$proto" != "$3" ] || [[ "$info" != "$4"* ]]; then
        echo "FAIL $1 frame $2: got protocol '$proto' info '$info'; expected '$3' and info starting '$4'"; fail=1
    fi
}
check base-tcp-session 1 WIP "WIP | 58164 → 3414 [SYN] Seq=0"
check base-tcp-session 2 WIP "WIP | 3414 → 58164 [SYN, ACK]"
check base-tcp-session 4 WIP "WIP text | 58164 → 3414 [PSH, ACK]"
check base-tcp-closed 2 WIP "WIP | 3414 → 58168 [RST, ACK]"
check base-udp 3 WIP "WIP | 40414 → 3414 Len=0"
check proto-dns-udp 1 DNS "WIP dns | Standard query "
check scan-nmap-sS-open 1 WIP "WIP: likely nmap syn probe (65%) | 58793 → 3414 [SYN]"
[ $fail = 0 ] && echo "OK: Protocol and Info columns"
exit $fail
