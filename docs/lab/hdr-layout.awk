# hdr-layout.awk: the layout of wip's inferred header, from tshark's PDML.
#   tshark -2 -r CAPTURE -Y 'frame.number == N' -T pdml | awk -f docs/lab/hdr-layout.awk
# prints, for each message of the frame, one line per inferred field:
#   OFFSET WIDTH KIND [BYTE-ORDER]   (offset in bytes from the message start)
# KIND is the wip.hdr.* field name without "wip.hdr." (magic, length, type,
# seq, txid, session, timestamp, field, body).
/<field name="wip\.hdr"/ {
    match($0, /pos="[0-9]+"/); base = substr($0, RSTART + 5, RLENGTH - 6) + 0
    print "message"; next
}
/<field name="wip\.hdr\.[a-z_]+"/ {
    match($0, /name="wip\.hdr\.[a-z_]+"/); kind = substr($0, RSTART + 14, RLENGTH - 15)
    if (kind == "confidence" || kind == "messages" || kind == "conversations") next
    match($0, /pos="[0-9]+"/); pos = substr($0, RSTART + 5, RLENGTH - 6) + 0
    match($0, /size="[0-9]+"/); size = substr($0, RSTART + 6, RLENGTH - 7) + 0
    order = ""
    if (match($0, /(big|little)-endian/)) order = " " substr($0, RSTART, RLENGTH)
    print pos - base, size, kind order
}
