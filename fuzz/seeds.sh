#!/usr/bin/env bash
# Build seed corpora for the fuzz harnesses from test-captures/*.pcap
# (generated, not committed).
#   fuzz/seeds.sh [OUT_DIR]     default OUT_DIR: fuzz/build/seeds
# Creates OUT_DIR/{fuzz_pkt,fuzz_recog,fuzz_probe,fuzz_probe_load,fuzz_infer,fuzz_frame}/.
# Payloads come from tshark (tcp.payload / udp.payload), whole frames from a
# small pcap reader (python3).  nmap-service-probes is used for
# fuzz_probe_load when installed (split into small chunks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:-$here/build/seeds}
mkdir -p "$out"
command -v tshark >/dev/null || { echo "seeds.sh: tshark not found" >&2; exit 1; }
exec python3 - "$src" "$out" <<'PY'
import glob, hashlib, os, struct, subprocess, sys

src, out = sys.argv[1], sys.argv[2]
H = ["fuzz_pkt", "fuzz_recog", "fuzz_probe", "fuzz_probe_load", "fuzz_infer", "fuzz_frame"]
for h in H:
    os.makedirs(os.path.join(out, h), exist_ok=True)
count = {h: 0 for h in H}

def save(h, data, tag=""):
    if not data:
        return
    name = hashlib.sha1(data).hexdigest()[:16] + (("-" + tag) if tag else "")
    p = os.path.join(out, h, name)
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(data)
        count[h] += 1

SERVER_PORTS = {3414, 4000}
FIELDS = ["frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl",
          "ipv6.hlim", "ip.id", "ip.flags.df", "tcp.srcport", "tcp.dstport", "udp.srcport",
          "udp.dstport", "tcp.flags", "tcp.window_size_value", "tcp.seq_raw", "tcp.ack_raw",
          "tcp.options", "tcp.payload", "udp.payload", "tcp.stream", "udp.stream"]

def tshark_rows(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in r.stdout.splitlines():
        v = line.split("\t")
        v += [""] * (len(FIELDS) - len(v))
        yield dict(zip(FIELDS, v))

def num(s, base=10, d=0):
    try:
        return int(s, 0) if s.startswith("0x") else int(s, base)
    except ValueError:
        return d

def pcap_frames(pcap):
    with open(pcap, "rb") as f:
        d = f.read()
    if len(d) < 24:
        return
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return                       # pcapng: frames only via tshark payloads
    off = 24
    while off + 16 <= len(d):
        _, _, incl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        off += 16
        yield d[off:off + incl]
        off += incl

def frame_seeds(frame):
    """fuzz_pkt seeds: explicit addresses/ports and self-consistent mode."""
    if len(frame) < 14:
        return
    et = struct.unpack(">H", frame[12:14])[0]
    o = 14
    if et == 0x8100 and len(frame) >= 18:
        et = struct.unpack(">H", frame[16:18])[0]
        o = 18
    if et == 0x0800 and len(frame) >= o + 20:
        ihl = (frame[o] & 15) * 4
        proto = frame[o + 9]
        a, b = frame[o + 12:o + 16], frame[o + 16:o + 20]
        l4 = o + ihl
        v6 = 0
    elif et == 0x86DD and len(frame) >= o + 40:
        proto = frame[o + 6]
        a, b = frame[o + 8:o + 24], frame[o + 24:o + 40]
        l4 = o + 40
        v6 = 1
    else:
        return
    if proto not in (6, 17) or len(frame) < l4 + 4:
        return
    cfg = (1 if proto == 6 else 0) | (v6 << 1)
    ports = frame[l4:l4 + 4]
    save("fuzz_pkt", bytes([cfg, o]) + a + b + ports + frame, "x")
    save("fuzz_pkt", bytes([cfg | 4, o]) + frame, "s")
    # truncated copies: header-only and cut inside the transport header
    save("fuzz_pkt", bytes([cfg, o]) + a + b + ports + frame[:l4 + 10], "t")

def server_dir(sp, dp):
    if dp in SERVER_PORTS:
        return 1
    if sp in SERVER_PORTS:
        return 2
    return 1 if dp < sp else 2

pcaps = sorted(glob.glob(os.path.join(src, "test-captures", "*.pcap")) +
               glob.glob(os.path.join(src, "test-captures", "*.pcapng")))
for pcap in pcaps:
    base = os.path.basename(pcap).rsplit(".", 1)[0]
    for fr in pcap_frames(pcap):
        frame_seeds(fr)
    rows = list(tshark_rows(pcap))
    if not rows:
        continue
    addrs = {}
    def sel(a):
        if a not in addrs:
            addrs[a] = len(addrs) & 0xff
        return addrs[a]
    recog = {1: bytearray([1 | 2]), 0: bytearray([2])}   # per transport: tcp / udp
    infer = {}
    probe = bytearray([0, 0, 0])
    t0 = None
    for r in rows:
        tcp = r["tcp.srcport"] != ""
        if tcp:
            sp, dp = num(r["tcp.srcport"]), num(r["tcp.dstport"])
            pay = bytes.fromhex(r["tcp.payload"]) if r["tcp.payload"] else b""
            stream = num(r["tcp.stream"])
        elif r["udp.srcport"] != "":
            sp, dp = num(r["udp.srcport"]), num(r["udp.dstport"])
            pay = bytes.fromhex(r["udp.payload"]) if r["udp.payload"] else b""
            stream = num(r["udp.stream"])
        else:
            continue
        d = server_dir(sp, dp)
        v6 = r["ipv6.src"] != ""
        s_addr = r["ipv6.src"] if v6 else r["ip.src"]
        d_addr = r["ipv6.dst"] if v6 else r["ip.dst"]
        # ---- fuzz_recog: one payload per seed, plus the sequence per capture
        if pay:
            save("fuzz_recog", bytes([(1 if tcp else 0) | 2, (d - 1), len(pay) & 0xff]) + pay[:255])
            pl = pay[:65535]
            rec = recog[1 if tcp else 0]
            rec += bytes([(d - 1) | 4 | ((stream & 1) << 1)]) + struct.pack(">H", len(pl)) + pl
        # ---- fuzz_infer: raw mode records
        if pay:
            key = 1 if tcp else 0
            if key not in infer:
                infer[key] = bytearray([0x08, 0, 0, 0, 0, 0])
            pl = pay[:65535]
            infer[key] += bytes([(d - 1) | ((stream % 63 + 1) << 1) | 0x80]) + struct.pack(">H", len(pl)) + pl
        # ---- fuzz_probe: packet records
        ctrl = (0 if tcp else 1) | (2 if d == 2 else 0)
        if r["ip.flags.df"] in ("1", "True"):
            ctrl |= 4
        ctrl2 = 1 if v6 else 0
        cli, srv = (s_addr, d_addr) if d == 1 else (d_addr, s_addr)
        cport = sp if d == 1 else dp
        sport = dp if d == 1 else sp
        if sport != 3414:
            ctrl2 |= 4
            cport = sport ^ 0x5a5a   # harness: server port = cport ^ 0x5a5a
        ttl = num(r["ipv6.hlim"] if v6 else r["ip.ttl"])
        opts = bytes.fromhex(r["tcp.options"]) if r["tcp.options"] else b""
        if opts:
            ctrl |= 32
        if pay:
            ctrl |= 64
        rec = bytes([ctrl, ctrl2, sel(cli), sel(srv)]) + struct.pack(
            ">HHHBH", cport & 0xffff, num(r["tcp.flags"], 16) & 0xfff,
            num(r["tcp.window_size_value"]) & 0xffff, ttl & 0xff, num(r["ip.id"], 16) & 0xffff)
        rec += struct.pack(">II", num(r["tcp.seq_raw"]) & 0xffffffff, num(r["tcp.ack_raw"]) & 0xffffffff)
        if opts:
            rec += bytes([len(opts[:40])]) + opts[:40]
        if pay:
            rec += bytes([len(pay[:255])]) + pay[:255]
        probe += rec
        save("fuzz_probe", bytes([0, 0, 0]) + rec)
    save("fuzz_probe", bytes(probe), base)
    save("fuzz_probe", bytes([2, 0, 0]) + bytes(probe[3:]), base + "-bi")
    for k, v in recog.items():
        if len(v) > 1:
            save("fuzz_recog", bytes(v), base)
    for k, v in infer.items():
        save("fuzz_infer", bytes(v), base)
        save("fuzz_infer", bytes([0x00 | 0x10]) + bytes(v[1:]), base + "-nomodel")
        # fuzz_frame: the same bytes as a stream under a few framing rules
        for rule in (bytes([2, 1, 1, 4, 0] + [0] * 8 + [1, 1, 255]),      # 2-byte BE length at 2, +4
                     bytes([3, 3, 0, 8, 1, 0] + [0] * 7 + [1, 1, 255]),   # 4-byte LE at 3, +8, a constant
                     bytes([0, 0, 0, 0, 0] + [0] * 8 + [0, 0, 64])):      # BER
            save("fuzz_frame", rule + bytes(v[6:]), base)

# fuzz_infer synthetic mode: a few hand-made parameter sets
for n, loff, lwf, adj, soff, tmpl in [
        (40, 0, 0x01, 0, 2, b"\x00\x00\x00\x00\xca\xfe\x01\x00"),
        (60, 2, 0x05, -4, 6, b"WP\x00\x00\x00\x00\x00\x00\x11\x22\x33\x44"),
        (30, 4, 0x02, 8, 0, b"\x00\x00\x00\x00\x00\x00\x00\x00"),
        (50, 1, 0x0d, 0, 8, b"\x7e\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02")]:
    hdr = bytes([0x09, 0x01, 0x02, 0x03, 0x04, 0x05, n, loff, lwf, adj & 0xff, soff, len(tmpl)]) + tmpl
    msgs = b"".join(bytes([(i & 1) | ((i % 3) << 1) | ((i % 4) << 4), 10 + (i * 7) % 50]) for i in range(n))
    save("fuzz_infer", hdr + msgs + bytes(range(256)), "synth")

# fuzz_probe_load: small hand-written file, plus chunks of nmap's file
sample = (b"# nmap-service-probes sample\nExclude T:9100-9107\n"
          b"Probe TCP NULL q||\ntotalwaitms 6000\n"
          b"Probe TCP GenericLines q|\\r\\n\\r\\n|\nrarity 1\nports 1-65535\n"
          b"Probe TCP GetRequest q|GET / HTTP/1.0\\r\\n\\r\\n|\n"
          b"Probe UDP DNSVersionBindReq q|\\0\\x06\\x01\\0\\0\\x01\\0\\0\\0\\0\\0\\0\\x07version\\x04bind\\0\\0\\x10\\0\\x03|\n"
          b"match http m|^HTTP/1\\.[01] \\d\\d\\d| p/http/\n"
          b"Probe TCP X11Probe q|l\\0\\x0b\\0\\0\\0\\0\\0\\0\\0\\0\\0| no-payload\n"
          b"Probe TCP Odd q#\\xzz# \nProbe UDP Unterminated q|abc\nProbe SCTP Other q|x|\n")
save("fuzz_probe_load", sample, "sample")
for cand in ("/usr/share/nmap/nmap-service-probes", "/usr/local/share/nmap/nmap-service-probes"):
    if os.path.exists(cand):
        with open(cand, "rb") as f:
            lines = f.read().split(b"\n")
        probes = [l for l in lines if l.startswith(b"Probe ")]
        # every Probe line in chunks of 8, plus a few chunks of the raw file
        for i in range(0, len(probes), 8):
            save("fuzz_probe_load", b"\n".join(probes[i:i + 8]) + b"\n", "probes")
        chunk, size, k = [], 0, 0
        for l in lines:
            chunk.append(l)
            size += len(l) + 1
            if size > 3000:
                if k % 25 == 0:
                    save("fuzz_probe_load", b"\n".join(chunk) + b"\n", "file")
                chunk, size, k = [], 0, k + 1
        break

# reproducers of fixed findings (fuzz/crashes/<harness>-*, see README) are
# seeds too, so every fuzz run replays them first; the known unfixed one is
# left out (fuzz_infer-ts-float-cast-overflow: see README)
UNFIXED = {"fuzz_infer-ts-float-cast-overflow"}
for p in sorted(glob.glob(os.path.join(src, "fuzz", "crashes", "fuzz_*"))):
    name = os.path.basename(p)
    h = next((x for x in H if name.startswith(x + "-")), None)
    if h and name not in UNFIXED:
        save(h, open(p, "rb").read(), "regression")

for h in H:
    print("seeds: %-16s %5d files in %s" % (h, count[h], os.path.join(out, h)))
PY
