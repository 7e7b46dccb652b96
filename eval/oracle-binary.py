#!/usr/bin/env python3
"""Score the inference MODELS apart from the TCP framing: feed each capture's
true messages (cut from the TCP streams / datagrams at the truth's offsets)
to plugin/wip_infer.c as known message boundaries, in capture order, and
score the fields the glue would show with the whole capture learned (as
with -2) with eval/score-binary.py's definitions.  A development aid: the
product's numbers are score-binary.py's (framing included).

Usage: eval/oracle-binary.py [--split dev|eval|all] [--detail N] [--models] [--one-pass] [proto ...]
Needs tshark and gcc with glib-2.0.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, ".."))
CAPDIR = os.path.join(SRC, "test-captures")
_spec = importlib.util.spec_from_file_location("score_binary", os.path.join(HERE, "score-binary.py"))
sb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sb)


def build(tmp):
    exe = os.path.join(tmp, "oracle_learn")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "glib-2.0"], capture_output=True,
                           text=True, check=True).stdout.split()
    subprocess.run(["gcc", "-O2", "-I", os.path.join(SRC, "plugin"), os.path.join(HERE, "oracle_learn.c"),
                    os.path.join(SRC, "plugin", "wip_frame.c"),
                    os.path.join(SRC, "plugin", "wip_tlv.c")]
                   + flags + ["-lm", "-o", exe], check=True)
    return exe


def payloads(pcap, tcp, port):
    """TCP: {(stream, dir): bytearray of the direction's stream}, and the
    time of each frame; UDP: {frame: bytes}."""
    proto = "tcp" if tcp else "udp"
    cmd = ["tshark", "-n", "-r", pcap, "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields",
           "-E", "separator=\t", "-e", "frame.number", "-e", "frame.time_epoch", "-e", proto + ".stream",
           "-e", proto + ".dstport", "-e", "tcp.seq" if tcp else "frame.len", "-e", proto + ".payload",
           "-Y", "%s.port==%d && !icmp" % (proto, port)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    streams, times, dgrams, fstream = {}, {}, {}, {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 6 or not f[5] or not all(f[:5]):
            continue
        fr, ts, st, dp, seq, hx = int(f[0]), float(f[1]), int(f[2]), int(f[3]), int(f[4]), f[5].replace(":", "")
        times[fr] = ts
        fstream[fr] = st
        data = bytes.fromhex(hx)
        d = "c2s" if dp == port else "s2c"
        if tcp:
            buf = streams.setdefault((st, d), bytearray())
            off = seq - 1
            if len(buf) < off + len(data):
                buf.extend(b"\0" * (off + len(data) - len(buf)))
            buf[off:off + len(data)] = data
        else:
            dgrams[fr] = (data, st, 1 if d == "c2s" else 2)
    # the truth numbers streams by the conversations that carry messages
    # (a connection without payload, e.g. a port probe, has no number):
    # its messages are found by frame, in tshark's tcp.stream
    streams["frame_stream"] = fstream
    return streams, times, dgrams


def run(exe, truth, pcap, verbose):
    tcp = truth["transport"] == "tcp"
    streams, times, dgrams = payloads(pcap, tcp, truth.get("port", 3414))
    msgs = sorted(truth["messages"], key=lambda m: (m["frame"], m["offset"]))
    lines = []
    for m in msgs:
        if tcp:
            st = streams["frame_stream"].get(m["frame"], m["stream"])
            data = bytes(streams[(st, m["dir"])][m["offset"]:m["offset"] + m["len"]])
        else:
            dg, conv, d = dgrams[m["frame"]]
            data = dg[m["offset"]:m["offset"] + m["len"]]
        if tcp:
            conv, d = m["stream"], 1 if m["dir"] == "c2s" else 2
        # UDP: the plugin's conversation and direction (to the port when
        # both ends use it)
        lines.append("%d %d %.6f %s" % (conv, d, times.get(m["frame"], 0), data.hex() or "00"))
    out = subprocess.run([exe] + (["-v"] if verbose else []), input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout
    fields = {}
    has = {}
    for line in out.splitlines():
        if line.startswith("#"):
            print(line)
            continue
        f = line.split()
        if f[0] == "H":
            has[int(f[1])] = f[2] == "1"
        elif f[0] == "M":
            fields.setdefault(int(f[1]), []).append((int(f[2]), int(f[3]), None if f[4] == "-" else f[4],
                                                     None if f[5] == "-" else f[5]))
    headers = []
    for i, m in enumerate(msgs):
        if not has.get(i):
            continue
        off = m["offset"]
        headers.append((m["stream"], m["dir"], off, [(off + s, w, k, o) for s, w, k, o in fields.get(i, [])]))
    return headers


def bounds_table(truth, hdrs):
    """Per direction, offsets 1..47: share of messages with a true boundary
    there, and with an inferred one (T/I in tenths; '.' zero)."""
    inf = {}
    for st, d, start, fields in hdrs:
        b = set()
        for s, w, _k, _o in fields:
            b.add(s - start)
            b.add(s + w - start)
        inf[(st, d, start)] = b
    for d in ("c2s", "s2c"):
        ms = [m for m in truth["messages"] if m["dir"] == d]
        if not ms:
            continue
        tl, il, nl = [], [], []
        for o in range(1, 48):
            have = [m for m in ms if m["len"] > o]
            t = sum(1 for m in have if any(o in (s, s + w) for s, w, *_r in m["fields"]))
            i = sum(1 for m in have if o in inf.get((m["stream"], m["dir"], m["offset"]), ()))
            n = len(have)
            f = lambda v: "." if v == 0 else str(min(9, v * 10 // n)) if n else " "
            tl.append(f(t))
            il.append(f(i))
        print("  %s offs  %s" % (d, "".join(str(o % 10) for o in range(1, 48))))
        print("  %s true  %s" % (d, "".join(tl)))
        print("  %s infer %s" % (d, "".join(il)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--detail", type=int, default=0)
    ap.add_argument("--models", action="store_true")
    ap.add_argument("--bounds", action="store_true", help="per direction and offset: true / inferred boundary shares")
    ap.add_argument("--one-pass", action="store_true",
                    help="fields as one pass shows them, each message right after it is learned")
    ap.add_argument("protos", nargs="*")
    a = ap.parse_args()
    if a.one_pass:
        os.environ["ORACLE_ONEPASS"] = "1"   # read by oracle_learn
    man = sb.read_manifest()
    with tempfile.TemporaryDirectory() as tmp:
        exe = build(tmp)
        rows = []
        for p, row in sorted(man.items()):
            split = row["split"]
            if a.protos and p not in a.protos:
                continue
            if not a.protos and a.split != "all" and split != a.split:
                continue
            tf = os.path.join(CAPDIR, "bin-%s.truth.json" % p)
            if not os.path.exists(tf):
                continue
            truth = json.load(open(tf))
            if a.models:
                print("== %s" % p)
            hdrs = run(exe, truth, os.path.join(CAPDIR, "bin-%s.pcap" % p), a.models)
            if a.detail:
                sb.detail(p, truth, hdrs, a.detail, 48)
            if a.bounds:
                bounds_table(truth, hdrs)
            r = sb.score(truth, hdrs, 48)
            rows.append((p, split, r))
        print("%-9s %-4s | %5s %5s %5s %5s | %5s" % ("proto", "spl", "P48", "R48", "FPR", "F1", "sem"))
        agg = {}
        for p, split, r in rows:
            w = r["w"]
            vals = [w["precision"], w["recall"], w["fpr"], w["f1"], r["semantic"]["accuracy"]]
            print("%-9s %-4s | %s" % (p, split, " ".join(sb.fmt(v) for v in vals)))
            agg.setdefault(split, []).append(vals)
        for split, vs in agg.items():
            mean = [sum(v[i] or 0 for v in vs) / len(vs) for i in range(5)]
            print("%-9s %-4s | %s" % ("MACRO", split, " ".join(sb.fmt(v) for v in mean)))
        kinds = {}
        for p, split, r in rows:
            for k, v in r["semantic"]["per_kind"].items():
                kinds.setdefault(k, []).append(v["accuracy"])
        print("semantic per kind (mean over protocols): " +
              "  ".join("%s %.2f" % (k, sum(v) / len(v)) for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
