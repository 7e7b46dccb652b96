#!/usr/bin/python3
"""Generate a large, deterministic pcap, every packet on port 3414.

Default scenario (mixed traffic, >= --packets packets, sessions interleaved):
  scans      nmap-like SYN (win 1024, MSS only), masscan-like (win 1024, no
             options, IP id = dst^dport^seq), zmap-like (IP id 54321, win
             65535), from many sources; targets answer RST or SYN-ACK
  tls        TCP handshake, ClientHello, ServerHello+CCS, application data, FIN
  http       TCP handshake, GET, 200 OK with body, FIN
  sip        SIP over UDP: INVITE/100/180/200/ACK/BYE/200
  binary     unknown protocol (magic 0xB7C3, u16 length, u8 type, u32 seq),
             over TCP (with handshake) and UDP

Memory scenarios (replace the default mix; both may be given, concatenated):
  --scanners N       N distinct source addresses, one nmap/masscan/zmap-like
                     SYN each to 3414 (no replies)
  --random-convs N   N conversations (half UDP, half TCP with handshake) of
                     random payload

pcap is written directly with struct (Ethernet/IPv4), fixed seed.
Usage: gen-large.py -o FILE [--packets N] [--seed S] [--scanners N] [--random-convs N]
                    [--native-ports]   (TLS/HTTP/SIP on 443/80/5060, same packets otherwise)
"""
import argparse
import random
import struct
import sys

PORT = 3414
# Server port per session kind.  --native-ports moves TLS, HTTP and SIP to
# their registered ports (443, 80, 5060): the same packets otherwise, so
# stock tshark dissects them natively (the baseline for hand-off cost).
SVC_PORT = {"tls": PORT, "http": PORT, "sip": PORT}
ETH = b"\x00\x16\x3e\x11\x22\x33" + b"\x00\x16\x3e\x44\x55\x66" + b"\x08\x00"
ETH_R = b"\x00\x16\x3e\x44\x55\x66" + b"\x00\x16\x3e\x11\x22\x33" + b"\x08\x00"
SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08
OPT_NMAP = b"\x02\x04\x05\xb4"                                   # MSS 1460 only
OPT_LINUX = (b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x00"  # MSS,SACKOK,TS,NOP,WS7
             b"\x00\x00\x00\x00\x01\x03\x03\x07")
OPT_SYNACK = b"\x02\x04\x05\xb4\x01\x01\x04\x02\x01\x03\x03\x07"
_pack_ip = struct.Struct("!BBHHHBBH4s4s").pack
_pack_tcp = struct.Struct("!HHIIBBHHH").pack
_pack_udp = struct.Struct("!HHHH").pack
_unpack10 = struct.Struct("!10H").unpack
_pack_rec = struct.Struct("<IIII").pack


def ip4(n):
    return (n & 0xFFFFFFFF).to_bytes(4, "big")


def ip_header(src, dst, proto, plen, ipid, ttl, df=True):
    h = _pack_ip(0x45, 0, 20 + plen, ipid & 0xFFFF, 0x4000 if df else 0, ttl, proto, 0, src, dst)
    s = sum(_unpack10(h))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return h[:10] + (~s & 0xFFFF).to_bytes(2, "big") + h[12:]


def tcp(src, dst, sport, dport, flags, seq, ack, win, opts=b"", payload=b"", ipid=0, ttl=64, df=True, rev=False):
    hl = 20 + len(opts)
    t = _pack_tcp(sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, (hl // 4) << 4, flags, win, 0, 0)
    seg = t + opts + payload
    return (ETH_R if rev else ETH) + ip_header(src, dst, 6, len(seg), ipid, ttl, df) + seg


def udp(src, dst, sport, dport, payload, ipid=0, ttl=64, rev=False):
    seg = _pack_udp(sport, dport, 8 + len(payload), 0) + payload
    return (ETH_R if rev else ETH) + ip_header(src, dst, 17, len(seg), ipid, ttl, False) + seg


class TcpConv:
    """A client->server TCP connection to PORT with a realistic handshake."""

    def __init__(self, rnd, cli, srv, cport, ttl_c=64, ttl_s=64, sport=PORT):
        self.r = rnd
        self.c, self.s, self.cp, self.sp = cli, srv, cport, sport
        self.cseq = rnd.getrandbits(32)
        self.sseq = rnd.getrandbits(32)
        self.cid = rnd.getrandbits(16)
        self.sid = rnd.getrandbits(16)
        self.ttl_c, self.ttl_s = ttl_c, ttl_s

    def _c(self, flags, payload=b"", opts=b"", win=502):
        self.cid += 1
        p = tcp(self.c, self.s, self.cp, self.sp, flags, self.cseq, self.sseq if flags & ACK else 0,
                win, opts, payload, self.cid, self.ttl_c)
        self.cseq += len(payload) + (1 if flags & (SYN | FIN) else 0)
        return p

    def _s(self, flags, payload=b"", opts=b"", win=509):
        self.sid += 1
        p = tcp(self.s, self.c, self.sp, self.cp, flags, self.sseq, self.cseq, win, opts, payload,
                self.sid, self.ttl_s, rev=True)
        self.sseq += len(payload) + (1 if flags & (SYN | FIN) else 0)
        return p

    def handshake(self):
        yield self._c(SYN, opts=OPT_LINUX, win=64240)
        yield self._s(SYN | ACK, opts=OPT_SYNACK, win=65160)
        yield self._c(ACK)

    def c_data(self, payload):
        yield self._c(PSH | ACK, payload)
        yield self._s(ACK)

    def s_data(self, payload):
        yield self._s(PSH | ACK, payload)
        yield self._c(ACK)

    def close(self):
        yield self._c(FIN | ACK)
        yield self._s(FIN | ACK)
        yield self._c(ACK)


def client_addr(rnd):
    return ip4(0xC0A80000 | rnd.getrandbits(16))        # 192.168.0.0/16


def server_addr(rnd):
    return ip4(0x0A000000 | rnd.randrange(1, 4096))      # 10.0.0.0/20


# ---- sessions (generators of Ethernet frames) ----

def sess_scan(rnd, scanners):
    kind, src, sport, ttl = scanners[rnd.randrange(len(scanners))]
    for _ in range(rnd.randrange(1, 4)):                 # a few targets per burst
        dst_n = 0x0A000000 | rnd.randrange(1, 65536)
        dst = ip4(dst_n)
        seq = rnd.getrandbits(32)
        if kind == "nmap":
            yield tcp(src, dst, sport, PORT, SYN, seq, 0, 1024, OPT_NMAP, b"", rnd.getrandbits(16), ttl, df=False)
        elif kind == "masscan":
            ipid = (dst_n ^ PORT ^ seq) & 0xFFFF
            yield tcp(src, dst, sport, PORT, SYN, seq, 0, 1024, b"", b"", ipid, ttl, df=False)
        else:                                           # zmap
            yield tcp(src, dst, rnd.randrange(32768, 61000), PORT, SYN, seq, 0, 65535, b"", b"", 54321, ttl, df=False)
        x = rnd.random()
        if x < 0.7:
            yield tcp(dst, src, PORT, sport, RST | ACK, 0, seq + 1, 0, b"", b"", 0, 64, rev=True)
        elif x < 0.85:
            sseq = rnd.getrandbits(32)
            yield tcp(dst, src, PORT, sport, SYN | ACK, sseq, seq + 1, 64240, b"\x02\x04\x05\xb4", b"", 0, 64, rev=True)
            yield tcp(src, dst, sport, PORT, RST, seq + 1, 0, 0, b"", b"", rnd.getrandbits(16), ttl, df=False)
        # else: no answer (filtered)


def tls_client_hello(rnd, sni):
    sni_b = sni.encode()
    ext_sni = struct.pack("!HHHBH", 0, len(sni_b) + 5, len(sni_b) + 3, 0, len(sni_b)) + sni_b
    ext_groups = struct.pack("!HHH", 10, 8, 6) + b"\x00\x1d\x00\x17\x00\x18"
    ext_sigs = struct.pack("!HHH", 13, 10, 8) + b"\x04\x03\x08\x04\x04\x01\x05\x01"
    ext_vers = struct.pack("!HHB", 43, 5, 4) + b"\x03\x04\x03\x03"
    ext_ks = struct.pack("!HHHHH", 51, 38, 36, 0x1d, 32) + rnd.randbytes(32)
    exts = ext_sni + ext_groups + ext_sigs + ext_vers + ext_ks
    suites = b"\x13\x01\x13\x02\x13\x03\xc0\x2b\xc0\x2f\xc0\x2c\xc0\x30\x00\xff"
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x20" + rnd.randbytes(32) +
            struct.pack("!H", len(suites)) + suites + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def tls_server_hello(rnd):
    exts = struct.pack("!HHH", 43, 2, 0x0304) + struct.pack("!HHHH", 51, 36, 0x1d, 32) + rnd.randbytes(32)
    body = (b"\x03\x03" + rnd.randbytes(32) + b"\x20" + rnd.randbytes(32) + b"\x13\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = b"\x02" + len(body).to_bytes(3, "big") + body
    rec = b"\x16\x03\x03" + struct.pack("!H", len(hs)) + hs
    rec += b"\x14\x03\x03\x00\x01\x01"                   # ChangeCipherSpec
    enc = rnd.randbytes(rnd.randrange(800, 1300))
    rec += b"\x17\x03\x03" + struct.pack("!H", len(enc)) + enc
    return rec


def app_data(rnd, lo, hi):
    enc = rnd.randbytes(rnd.randrange(lo, hi))
    return b"\x17\x03\x03" + struct.pack("!H", len(enc)) + enc


def sess_tls(rnd):
    c = TcpConv(rnd, client_addr(rnd), server_addr(rnd), rnd.randrange(32768, 61000), sport=SVC_PORT["tls"])
    yield from c.handshake()
    yield from c.c_data(tls_client_hello(rnd, "svc%d.example.net" % rnd.randrange(100)))
    yield from c.s_data(tls_server_hello(rnd))
    yield from c.c_data(b"\x14\x03\x03\x00\x01\x01" + app_data(rnd, 60, 90))
    for _ in range(rnd.randrange(1, 4)):
        yield from c.c_data(app_data(rnd, 40, 400))
        yield from c.s_data(app_data(rnd, 100, 1200))
    yield from c.close()


def sess_http(rnd):
    c = TcpConv(rnd, client_addr(rnd), server_addr(rnd), rnd.randrange(32768, 61000), sport=SVC_PORT["http"])
    yield from c.handshake()
    for _ in range(rnd.randrange(1, 3)):
        path = "/api/v%d/item/%d" % (rnd.randrange(1, 3), rnd.randrange(100000))
        req = ("GET %s HTTP/1.1\r\nHost: 10.0.0.1:3414\r\nUser-Agent: curl/7.88.1\r\n"
               "Accept: */*\r\n\r\n" % path).encode()
        yield from c.c_data(req)
        body = ('{"id":%d,"name":"item%d","ok":true}' % (rnd.randrange(100000), rnd.randrange(1000))).encode()
        resp = ("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/json\r\n"
                "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
        yield from c.s_data(resp)
    yield from c.close()


def sip_msg(first, callid, cseq, method, tag, branch, cli, srv, sdp=False):
    ci = "%d.%d.%d.%d" % tuple(cli)
    si = "%d.%d.%d.%d" % tuple(srv)
    body = ""
    if sdp:
        body = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
                "m=audio 4000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n" % (ci, ci))
    h = ("%s\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s\r\nFrom: <sip:alice@%s>;tag=%s\r\n"
         "To: <sip:bob@%s:3414>\r\nCall-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n"
         "Contact: <sip:alice@%s:5060>\r\n%sContent-Length: %d\r\n\r\n"
         % (first, ci, branch, ci, tag, si, callid, cseq, method, ci,
            "Content-Type: application/sdp\r\n" if sdp else "", len(body)))
    return (h + body).encode()


def sess_sip(rnd):
    cli, srv = client_addr(rnd), server_addr(rnd)
    callid = "%x@%d.%d.%d.%d" % ((rnd.getrandbits(48),) + tuple(cli))
    tag = "%x" % rnd.getrandbits(32)
    br = "%x" % rnd.getrandbits(40)
    su = "sip:bob@%d.%d.%d.%d:3414" % tuple(srv)
    ipid = rnd.getrandbits(16)

    def c(p):
        return udp(cli, srv, 5060, SVC_PORT["sip"], p, ipid)

    def s(p):
        return udp(srv, cli, SVC_PORT["sip"], 5060, p, ipid, rev=True)
    yield c(sip_msg("INVITE %s SIP/2.0" % su, callid, 1, "INVITE", tag, br, cli, srv, sdp=True))
    yield s(sip_msg("SIP/2.0 100 Trying", callid, 1, "INVITE", tag, br, cli, srv))
    yield s(sip_msg("SIP/2.0 180 Ringing", callid, 1, "INVITE", tag, br, cli, srv))
    yield s(sip_msg("SIP/2.0 200 OK", callid, 1, "INVITE", tag, br, cli, srv, sdp=True))
    yield c(sip_msg("ACK %s SIP/2.0" % su, callid, 1, "ACK", tag, br + "a", cli, srv))
    yield c(sip_msg("BYE %s SIP/2.0" % su, callid, 2, "BYE", tag, br + "b", cli, srv))
    yield s(sip_msg("SIP/2.0 200 OK", callid, 2, "BYE", tag, br + "b", cli, srv))


def bin_msg(rnd, mtype, seq, lo, hi):
    body = rnd.randbytes(rnd.randrange(lo, hi))
    return struct.pack("!HHBI", 0xB7C3, 9 + len(body), mtype, seq) + body


def sess_binary(rnd):
    n = rnd.randrange(2, 6)
    if rnd.random() < 0.5:
        c = TcpConv(rnd, client_addr(rnd), server_addr(rnd), rnd.randrange(32768, 61000))
        yield from c.handshake()
        sq = rnd.getrandbits(16)
        for i in range(n):
            yield from c.c_data(bin_msg(rnd, rnd.choice((1, 3, 5)), sq + i, 8, 120))
            yield from c.s_data(bin_msg(rnd, rnd.choice((2, 4, 6)), sq + i, 8, 400))
        yield from c.close()
    else:
        cli, srv = client_addr(rnd), server_addr(rnd)
        cp = rnd.randrange(32768, 61000)
        sq = rnd.getrandbits(16)
        for i in range(n):
            yield udp(cli, srv, cp, PORT, bin_msg(rnd, rnd.choice((1, 3, 5)), sq + i, 8, 120), i)
            yield udp(srv, cli, PORT, cp, bin_msg(rnd, rnd.choice((2, 4, 6)), sq + i, 8, 400), i, rev=True)


def sess_random_conv(rnd, i):
    cli = ip4(0xAC100000 + (i >> 14))                    # 172.16.0.0/12, distinct (ip, port) per i
    cp = 1024 + (i & 0x3FFF)
    srv = server_addr(rnd)
    n = rnd.randrange(1, 3)
    if i & 1:
        for k in range(n):
            yield udp(cli, srv, cp, PORT, rnd.randbytes(rnd.randrange(8, 600)), k)
            yield udp(srv, cli, PORT, cp, rnd.randbytes(rnd.randrange(8, 600)), k, rev=True)
    else:
        c = TcpConv(rnd, cli, srv, cp)
        yield from c.handshake()
        for k in range(n):
            yield from c.c_data(rnd.randbytes(rnd.randrange(8, 600)))
            yield from c.s_data(rnd.randbytes(rnd.randrange(8, 600)))


# ---- writer ----

class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb", buffering=1 << 22)
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t = 1700000000 * 1000000
        self.n = 0
        self.buf = []

    def put(self, frame, dt_us):
        self.t += dt_us
        n = len(frame)
        self.buf.append(_pack_rec(self.t // 1000000, self.t % 1000000, n, n))
        self.buf.append(frame)
        self.n += 1
        if len(self.buf) >= 8192:
            self.f.write(b"".join(self.buf))
            self.buf.clear()

    def close(self):
        self.f.write(b"".join(self.buf))
        self.f.close()


def interleave(w, rnd, new_session, active=64, limit=None):
    """Run up to `active` sessions at once, a random one emitting each step.
    new_session() returns a generator, or None when no more sessions."""
    pool = []
    done = False
    while True:
        while not done and len(pool) < active:
            g = new_session()
            if g is None:
                done = True
                break
            pool.append(g)
        if not pool:
            return
        k = rnd.randrange(len(pool))
        try:
            w.put(next(pool[k]), rnd.randrange(1, 200))
        except StopIteration:
            pool[k] = pool[-1]
            pool.pop()
        if limit is not None and not done and w.n >= limit:
            done = True                                   # finish the open sessions


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--packets", type=int, default=1000000, help="mixed scenario: at least this many packets")
    ap.add_argument("--seed", type=int, default=3414)
    ap.add_argument("--scanners", type=int, default=0, help="N distinct scanner sources, one SYN each")
    ap.add_argument("--random-convs", type=int, default=0, help="N conversations of random payload")
    ap.add_argument("--native-ports", action="store_true",
                    help="TLS, HTTP and SIP sessions on 443, 80, 5060 instead of 3414 (same packets otherwise)")
    a = ap.parse_args()
    if a.native_ports:
        SVC_PORT.update(tls=443, http=80, sip=5060)
    rnd = random.Random(a.seed)
    w = Pcap(a.output)

    if a.scanners or a.random_convs:
        for i in range(a.scanners):
            src = ip4((i * 2654435761 + 0x0B000000) & 0xFFFFFFFF)   # odd multiplier: a bijection
            dst_n = 0x0A000000 | rnd.randrange(1, 65536)
            seq = rnd.getrandbits(32)
            k = i % 3
            if k == 0:
                fr = tcp(src, ip4(dst_n), rnd.randrange(40000, 65000), PORT, SYN, seq, 0, 1024, OPT_NMAP,
                         b"", rnd.getrandbits(16), rnd.randrange(37, 59), df=False)
            elif k == 1:
                fr = tcp(src, ip4(dst_n), 61000, PORT, SYN, seq, 0, 1024, b"", b"",
                         (dst_n ^ PORT ^ seq) & 0xFFFF, 250, df=False)
            else:
                fr = tcp(src, ip4(dst_n), rnd.randrange(32768, 61000), PORT, SYN, seq, 0, 65535, b"", b"",
                         54321, 250, df=False)
            w.put(fr, rnd.randrange(1, 20))
        it = iter(range(a.random_convs))

        def new_rc():
            i = next(it, None)
            return None if i is None else sess_random_conv(rnd, i)
        if a.random_convs:
            interleave(w, rnd, new_rc)
    else:
        scanners = []
        for i in range(2000):
            kind = ("nmap", "masscan", "zmap")[i % 3]
            scanners.append((kind, ip4(0x2D000000 + i * 7919), rnd.randrange(40000, 65000), rnd.randrange(37, 250)))
        kinds = ((0.60, lambda: sess_scan(rnd, scanners)), (0.70, lambda: sess_tls(rnd)),
                 (0.82, lambda: sess_http(rnd)), (0.90, lambda: sess_sip(rnd)),
                 (1.01, lambda: sess_binary(rnd)))

        def new_mixed():
            x = rnd.random()
            for p, f in kinds:
                if x < p:
                    return f()
        interleave(w, rnd, new_mixed, limit=a.packets)
    w.close()
    print("%s: %d packets" % (a.output, w.n), file=sys.stderr)


if __name__ == "__main__":
    main()
