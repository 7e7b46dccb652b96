#!/usr/bin/python3
"""Write the synthetic test captures for the header inference (port 3414).

  test-captures/synth-udp-be.pcap   UDP, big endian, 3 conversations x 20 msgs
  test-captures/synth-tcp-le.pcap   TCP, little endian, 3 conversations x 24 msgs,
                                    some messages split over two segments and
                                    some pairs coalesced into one segment
each with a .truth.json describing the header layout.  Deterministic.
usage: /usr/bin/python3 eval/gen-captures.py [outdir]   (needs python3-scapy)
"""
import json
import os
import random
import struct
import sys

from scapy.all import IP, TCP, UDP, Ether, Raw, wrpcap  # noqa: E402

PORT = 3414
T0 = 1718000000.0


def udp_be(rng):
    """magic C0 DE | version 01 | length u16 BE (whole message) | type u8 |
    seq u32 BE (per direction, step 1) | session u32 (per conversation) | body"""
    fields = [
        ("magic", "magic", 0, 2, "big"), ("version", "field", 2, 1, None),
        ("length", "length", 3, 2, "big"), ("type", "type", 5, 1, None),
        ("seq", "seq", 6, 4, "big"), ("session", "session", 10, 4, "big"),
    ]
    hdr = 14
    pkts, nmsg = [], 0
    t = T0
    for c in range(3):
        cli = "10.1.0.%d" % (10 + c)
        srv = "10.1.0.1"
        sport = 40000 + c * 7
        session = rng.getrandbits(32) | 1
        seq = [rng.randrange(0, 50), rng.randrange(0, 50)]
        for k in range(20):
            d = k & 1
            if d == 0:
                typ = rng.choice([1, 2, 3, 5])
            body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 120)))
            ln = hdr + len(body)
            msg = (b"\xc0\xde\x01" + struct.pack(">HB", ln, typ | (0x80 if d else 0)) +
                   struct.pack(">II", seq[d], session) + body)
            seq[d] += 1
            t += 0.05 + rng.random() * 0.2
            if d == 0:
                p = Ether() / IP(src=cli, dst=srv) / UDP(sport=sport, dport=PORT) / Raw(msg)
            else:
                p = Ether() / IP(src=srv, dst=cli) / UDP(sport=PORT, dport=sport) / Raw(msg)
            p.time = t
            pkts.append(p)
            nmsg += 1
    truth = {
        "transport": "udp", "port": PORT, "byte_order": "big",
        "conversations": 3, "messages": nmsg,
        "fields": [dict(name=n, kind=k, offset=o, width=w, endian=e) for n, k, o, w, e in fields],
        "hdr_len": hdr,
        "length": {"offset": 3, "width": 2, "endian": "big", "adjust": 0, "scale": 1,
                   "counts": "whole message"},
        "magic": "c0de",
        "seq_step": 1,
        "types_request": [1, 2, 3, 5], "type_reply": "request | 0x80",
    }
    return pkts, truth


class TcpConv:
    def __init__(self, cli, srv, sport, rng):
        self.cli, self.srv, self.sport = cli, srv, sport
        self.seq = [rng.getrandbits(32), rng.getrandbits(32)]  # client, server

    def pkt(self, d, flags, payload=b""):
        # Look like an ordinary OS stack (DF, usual SYN options, ack 0 without
        # the ACK flag), not like a raw-packet scanner.
        syn = "S" in flags
        opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)),
                ("NOP", None), ("WScale", 7)] if syn else []
        ack_set = "A" in flags
        if d == 0:
            p = IP(src=self.cli, dst=self.srv, flags="DF", ttl=64) / TCP(
                sport=self.sport, dport=PORT, flags=flags, window=64240, options=opts,
                seq=self.seq[0], ack=self.seq[1] if ack_set else 0)
        else:
            p = IP(src=self.srv, dst=self.cli, flags="DF", ttl=64) / TCP(
                sport=PORT, dport=self.sport, flags=flags, window=65160, options=opts,
                seq=self.seq[1], ack=self.seq[0] if ack_set else 0)
        if payload:
            p = p / Raw(payload)
        n = len(payload) + (1 if "S" in flags or "F" in flags else 0)
        self.seq[d] = (self.seq[d] + n) & 0xFFFFFFFF
        return Ether() / p


def tcp_le(rng):
    """magic 57 49 ('WI') | length u32 LE (body only: adjust 12) | type u16 LE |
    txid u32 LE (request value echoed in the reply) | body"""
    fields = [
        ("magic", "magic", 0, 2, "big"), ("length", "length", 2, 4, "little"),
        ("type", "type", 6, 2, "little"), ("txid", "txid", 8, 4, "little"),
    ]
    hdr = 12
    pkts, nmsg, nsplit, ncoal = [], 0, 0, 0
    t = T0 + 3600
    for c in range(3):
        conv = TcpConv("10.2.0.%d" % (20 + c), "10.2.0.1", 50000 + c * 11, rng)

        def emit(p):
            nonlocal t
            t += 0.01 + rng.random() * 0.1
            p.time = t
            pkts.append(p)

        emit(conv.pkt(0, "S"))
        emit(conv.pkt(1, "SA"))
        emit(conv.pkt(0, "A"))
        msgs = []
        for k in range(24):
            d = k & 1
            if d == 0:
                txid = rng.getrandbits(32)
                typ = rng.choice([0x10, 0x11, 0x20, 0x30])
            body = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 200)))
            msgs.append((d, b"WI" + struct.pack("<IHI", len(body), typ + d, txid) + body))
        # requests and replies alternate; per direction, deliver messages as
        # segments: every 5th message split in two, some pairs coalesced
        # (a request pipelined with the next request after its reply).
        k = 0
        while k < len(msgs):
            d, m = msgs[k]
            nmsg += 1
            if k % 5 == 2 and len(m) > 4:
                cut = rng.randrange(1, len(m))
                emit(conv.pkt(d, "PA", m[:cut]))
                emit(conv.pkt(d, "PA", m[cut:]))
                nsplit += 1
                k += 1
            elif k % 8 == 4 and k + 2 < len(msgs):
                # reply k+1 is sent before the coalesced pair k, k+2 arrives
                d1, m1 = msgs[k + 1]
                d2, m2 = msgs[k + 2]
                emit(conv.pkt(d, "PA", m + m2))
                emit(conv.pkt(d1, "PA", m1))
                nmsg += 2
                ncoal += 1
                k += 3
            else:
                emit(conv.pkt(d, "PA", m))
                k += 1
        emit(conv.pkt(0, "FA"))
        emit(conv.pkt(1, "FA"))
        emit(conv.pkt(0, "A"))
    truth = {
        "transport": "tcp", "port": PORT, "byte_order": "little",
        "conversations": 3, "messages": nmsg,
        "split_messages": nsplit, "coalesced_segments": ncoal,
        "fields": [dict(name=n, kind=k, offset=o, width=w, endian=e) for n, k, o, w, e in fields],
        "hdr_len": hdr,
        "length": {"offset": 2, "width": 4, "endian": "little", "adjust": 12, "scale": 1,
                   "counts": "body only"},
        "magic": "5749",
        "types_request": [0x10, 0x11, 0x20, 0x30], "type_reply": "request + 1",
        "txid": "request value echoed in the reply",
    }
    return pkts, truth


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "test-captures")
    os.makedirs(out, exist_ok=True)
    for name, fn, seed in (("synth-udp-be", udp_be, 3414), ("synth-tcp-le", tcp_le, 4143)):
        rng = random.Random(seed)
        pkts, truth = fn(rng)
        truth["capture"] = name + ".pcap"
        truth["generator"] = "eval/gen-captures.py"
        wrpcap(os.path.join(out, name + ".pcap"), pkts)
        with open(os.path.join(out, name + ".truth.json"), "w") as f:
            json.dump(truth, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s.pcap (%d frames, %d messages)" % (name, len(pkts), truth["messages"]))


if __name__ == "__main__":
    main()
