#!/usr/bin/env bash
# Seed corpus for fuzz_dissector from test-captures/*.pcap (generated, not
# committed).  Each capture is cut into chunks of up to 32 frames; every
# chunk becomes one seed in the structured record format of
# fuzz/fuzz_dissector.c (addresses mapped to client/server indices, the
# wip-side port to 3414) and one seed of raw IP records (the packets
# verbatim), plus single-frame seeds of each capture's first frames.
#   fuzz/seeds-dissector.sh [OUT_DIR]    default fuzz/build/seeds/fuzz_dissector
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:-$here/build/seeds/fuzz_dissector}
mkdir -p "$out"
exec python3 - "$src" "$out" <<'PY'
import glob, hashlib, os, struct, sys

src, out = sys.argv[1], sys.argv[2]
SERVER_PORTS = {3414, 4000}
MAX_FRAMES = 32
MAX_SEED = 8000          # bytes; a chunk is closed before it grows past this
count = 0

def save(data, tag):
    global count
    name = hashlib.sha1(data).hexdigest()[:16] + "-" + tag
    p = os.path.join(out, name)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
        count += 1

def pcap_frames(path):
    with open(path, "rb") as f:
        d = f.read()
    if len(d) < 24:
        return
    m = d[:4]
    if m in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif m in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    nano = m in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    if struct.unpack(e + "I", d[20:24])[0] != 1:      # Ethernet only
        return
    off = 24
    while off + 16 <= len(d):
        sec, frac, incl, orig = struct.unpack(e + "IIII", d[off:off + 16])
        off += 16
        yield sec + frac / (1e9 if nano else 1e6), d[off:off + incl], orig
        off += incl

def parse(fr, orig):
    """-> dict describing the frame, or None."""
    if len(fr) < 14:
        return None
    o = 12
    vlan = False
    et = struct.unpack(">H", fr[o:o + 2])[0]
    if et == 0x8100 and len(fr) >= 18:
        vlan = True
        o += 4
        et = struct.unpack(">H", fr[o:o + 2])[0]
    o += 2
    r = {"vlan": vlan, "l3": fr[o:], "trunc": len(fr) < orig, "caplen": len(fr), "len": orig}
    if et == 0x0800 and len(fr) >= o + 20:
        ihl = (fr[o] & 15) * 4
        r.update(v6=False, tos=fr[o + 1], ipid=struct.unpack(">H", fr[o + 4:o + 6])[0],
                 frag=struct.unpack(">H", fr[o + 6:o + 8])[0], ttl=fr[o + 8], proto=fr[o + 9],
                 src=fr[o + 12:o + 16], dst=fr[o + 16:o + 20], l4=o + ihl)
    elif et == 0x86DD and len(fr) >= o + 40:
        r.update(v6=True, tos=((fr[o] & 15) << 4) | (fr[o + 1] >> 4),
                 ipid=struct.unpack(">H", fr[o + 2:o + 4])[0] & 0xffff, frag=0, ttl=fr[o + 7],
                 proto=fr[o + 6], src=fr[o + 8:o + 24], dst=fr[o + 24:o + 40], l4=o + 40)
    else:
        r["v6"] = et == 0x86DD
        return r
    l4 = r["l4"]
    if r["proto"] == 6 and len(fr) >= l4 + 20:
        doff = (fr[l4 + 12] >> 4) * 4
        r.update(tcp=True, sp=struct.unpack(">H", fr[l4:l4 + 2])[0],
                 dp=struct.unpack(">H", fr[l4 + 2:l4 + 4])[0],
                 seq=struct.unpack(">I", fr[l4 + 4:l4 + 8])[0],
                 ack=struct.unpack(">I", fr[l4 + 8:l4 + 12])[0],
                 flags=((fr[l4 + 12] & 15) << 8) | fr[l4 + 13],
                 win=struct.unpack(">H", fr[l4 + 14:l4 + 16])[0],
                 opts=fr[l4 + 20:l4 + doff], pay=fr[l4 + doff:])
    elif r["proto"] == 17 and len(fr) >= l4 + 8:
        r.update(tcp=False, sp=struct.unpack(">H", fr[l4:l4 + 2])[0],
                 dp=struct.unpack(">H", fr[l4 + 2:l4 + 4])[0], seq=0, ack=0, flags=0, win=0,
                 opts=b"", pay=fr[l4 + 8:])
    return r

def raw_record(p):
    c = 4 if p.get("v6") else 0
    l3 = p["l3"][:0xffff]
    return bytes([c, 0x80]) + struct.pack(">H", len(l3)) + l3

def structured(p, cli_idx, srv_idx):
    if "sp" not in p or (p["sp"] not in SERVER_PORTS and p["dp"] not in SERVER_PORTS):
        return raw_record(p)
    frm = p["sp"] in SERVER_PORTS and p["dp"] not in SERVER_PORTS
    cli_a, srv_a = (p["dst"], p["src"]) if frm else (p["src"], p["dst"])
    cport = p["dp"] if frm else p["sp"]
    ci = cli_idx.setdefault(cli_a, len(cli_idx) % 8)
    si = srv_idx.setdefault(srv_a, len(srv_idx) % 4)
    both = p["sp"] in SERVER_PORTS and p["dp"] in SERVER_PORTS
    c = (0 if p["tcp"] else 1) | (2 if frm else 0) | (4 if p["v6"] else 0) | (ci << 3)
    if p["opts"]:
        c |= 0x40
    if p["pay"]:
        c |= 0x80
    c2 = si | (4 if p["vlan"] else 0) | (8 if p["trunc"] else 0) | (0x20 if both else 0)
    flags = p["flags"] & 0xfff
    if not p["v6"] and p["frag"] & 0x4000:
        flags |= 0x1000
    if not p["v6"] and p["frag"] & 0x3fff:
        c2 |= 0x10
    rec = bytes([c, c2]) + struct.pack(">HHHBBHII", cport, flags, p["win"], p["ttl"], p["tos"],
                                         p["ipid"], p["seq"], p["ack"])
    if p["opts"]:
        o = p["opts"][:40]
        rec += bytes([len(o)]) + o
    if p["pay"]:
        pl = p["pay"][:9000]
        rec += struct.pack(">H", len(pl)) + pl
    if p["trunc"]:
        rec += bytes([min(255, max(0, (p["caplen"] - 14) * 256 // max(1, p["len"] - 14)))])
    return rec

def header(t0, gaps):
    gaps = sorted(g for g in gaps if g >= 0)
    med = gaps[len(gaps) // 2] if gaps else 0.0
    step = min(31, int(round(med * 1000 / 37)))
    ts = int(t0) & 0xffffffffff
    return bytes([step << 3]) + ts.to_bytes(5, "big")

pcaps = sorted(glob.glob(os.path.join(src, "test-captures", "*.pcap")))
for pcap in pcaps:
    base = os.path.basename(pcap)[:-5]
    frames = [(t, parse(fr, orig)) for t, fr, orig in pcap_frames(pcap)]
    frames = [(t, p) for t, p in frames if p is not None]
    chunks, cur, size = [], [], 0
    for t, p in frames:
        est = len(p["l3"]) + 40
        if cur and (len(cur) >= MAX_FRAMES or size + est > MAX_SEED):
            chunks.append(cur)
            cur, size = [], 0
        cur.append((t, p))
        size += est
    if cur:
        chunks.append(cur)
    for k, ch in enumerate(chunks):
        cli, srv = {}, {}
        gaps = [ch[i + 1][0] - ch[i][0] for i in range(len(ch) - 1)]
        h = header(ch[0][0], gaps)
        s = h + b"".join(structured(p, cli, srv) for _, p in ch)
        save(s[:MAX_SEED + 2000], "%s-%d" % (base, k))
        r = h + b"".join(raw_record(p) for _, p in ch)
        save(r[:MAX_SEED + 2000], "%s-%d-raw" % (base, k))
    for i, (t, p) in enumerate(frames[:4]):
        save(header(t, []) + structured(p, {}, {}), "%s-f%d" % (base, i))
print("seeds: %-16s %5d files in %s" % ("fuzz_dissector", count, out))
PY
