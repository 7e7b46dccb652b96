#!/usr/bin/env python3
"""Score the inferred headers (wip.hdr.*) on the real binary protocol corpus.

For every test-captures/bin-<proto>.pcap with a bin-<proto>.truth.json
(eval/truth-binary.py) and a row in test-captures/manifest-binary.tsv, run
tshark with the built plugin (WIP_SO, default build/wip.so of this tree;
temporary HOME, as user nobody when root, as tests/lib.sh does) once in one
pass and once with -2, take every wip.hdr item from the PDML and score it
against the truth with the definitions of eval/README.md (BinaryInferno's
boundary precision / recall / FPR, in the first 48 bytes and over the whole
message; semantic accuracy per kind; TCP framing).

Usage: eval/score-binary.py [--json FILE] [--window N] [--detail N [--one-pass]] [proto ...]
  --detail N  also print, for the first N messages of each protocol, the true
              fields next to the inferred ones (-2), to see what goes wrong
  --one-pass  the inferred ones of --detail from one pass instead of -2
Python 3 standard library only; tshark on PATH.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import binpdml  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, ".."))
CAPDIR = os.path.join(SRC, "test-captures")
MANIFEST = os.path.join(CAPDIR, "manifest-binary.tsv")

KIND = {"wip.hdr.magic": "const", "wip.hdr.length": "length", "wip.hdr.type": "type",
        "wip.hdr.seq": "seq", "wip.hdr.txid": "id", "wip.hdr.session": "session",
        "wip.hdr.timestamp": "timestamp", "wip.hdr.field": None, "wip.hdr.arg": None,
        "wip.hdr.span": None}
KINDS = ["length", "type", "id", "seq", "session", "timestamp", "const"]


# ------------------------------------------------------------ running tshark
class Runner:
    """tshark with the plugin in a temporary HOME (see tests/lib.sh)."""

    def __init__(self, so):
        self.home = tempfile.mkdtemp(prefix="wip-score-home.")
        minor = re.search(r"(\d+\.\d+)\.", subprocess.run(["tshark", "--version"], capture_output=True,
                                                           text=True).stdout.splitlines()[0]).group(1)
        pdir = os.path.join(self.home, ".local/lib/wireshark/plugins", minor, "epan")
        os.makedirs(pdir)
        shutil.copy(so, pdir)
        self.env = dict(os.environ, HOME=self.home)
        self.run_as = []
        for root, dirs, files in os.walk(self.home):
            for n in dirs + files:
                os.chmod(os.path.join(root, n), 0o755)
        os.chmod(self.home, 0o755)
        if os.geteuid() == 0:
            for root, dirs, files in os.walk(self.home):
                for n in dirs + files:
                    os.chown(os.path.join(root, n), 65534, 65534)
            os.chown(self.home, 65534, 65534)
            self.run_as = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "env", "HOME=" + self.home]
        prefs = subprocess.run(self.run_as + ["tshark", "-G", "defaultprefs"], capture_output=True,
                               text=True, env=self.env).stdout
        if "wip.infer" not in prefs:
            raise SystemExit("the plugin did not load (no wip preferences in tshark -G defaultprefs): %s" % so)
        self.opts = []
        self.infer_known = bool(re.search(r"^#?\s*wip\.infer_known:", prefs, re.M))
        if self.infer_known:
            self.opts += ["-o", "wip.infer_known:TRUE"]
        if re.search(r"^#?\s*wip\.handoff:", prefs, re.M):
            self.opts += ["-o", "wip.handoff:FALSE"]

    def copy(self, pcap):
        dst = os.path.join(self.home, "input.pcap")
        shutil.copy(pcap, dst)
        os.chmod(dst, 0o644)
        return dst

    def close(self):
        shutil.rmtree(self.home, ignore_errors=True)


def inferred_headers(runner, pcap, two_pass):
    """[(stream, dir, start, [(abs_start, width, kind, order)])] of every wip.hdr."""
    args = list(runner.opts) + (["-2"] if two_pass else [])
    out = []
    for pk in binpdml.pdml_packets(runner.copy(pcap), args, env=runner.env, run_as=runner.run_as):
        if pk.transport is None:
            continue
        for p in pk.protos:
            if p.get("name") != "wip":
                continue
            for h in p.iter("field"):
                if h.get("name") != "wip.hdr":
                    continue
                hpos = binpdml._int(h.get("pos"), 0)
                reasm = pk.in_reassembly(hpos)
                start = pk.offset(hpos, reasm)
                fields = []
                for f in h.findall("field"):
                    n = f.get("name")
                    if n not in KIND:
                        continue
                    fpos, size = binpdml._int(f.get("pos"), 0), binpdml._int(f.get("size"), 0)
                    sn = f.get("showname", "")
                    order = "be" if "big-endian" in sn else "le" if "little-endian" in sn else None
                    fields.append((start + fpos - hpos, size, KIND[n], order))
                out.append((pk.stream, pk.dir, start, fields))
    return out


# ------------------------------------------------------------------ scoring
def _ratio(a, b):
    return a / b if b else None


def score(truth, headers, window):
    tcp = truth["transport"] == "tcp"
    # inferred boundaries and typed fields, by unit (stream, dir)
    bounds, typed, starts = {}, {}, {}
    for stream, d, start, fields in headers:
        u = (stream, d)
        b = bounds.setdefault(u, set())
        b.add(start)
        starts.setdefault(u, set()).add(start)
        for s, w, k, o in fields:
            b.add(s)
            b.add(s + w)
            if k:
                typed.setdefault(u, {})[(s, w)] = (k, o)
    res = {}
    for lim_name, lim in (("w", window), ("all", None)):
        tp = fp = fn = neg = 0
        for m in truth["messages"]:
            u, off, ln = (m["stream"], m["dir"]), m["offset"], m["len"]
            top = ln if lim is None else min(lim, ln)
            tb = set()
            for s, w, _k, _o, _n in m["fields"]:
                for b in (s, s + w):
                    if 0 < b < top:
                        tb.add(b)
            ib = {b - off for b in bounds.get(u, ()) if 0 < b - off < top}
            tp += len(tb & ib)
            fp += len(ib - tb)
            fn += len(tb - ib)
            neg += (top - 1) - len(tb)
        p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
        res[lim_name] = {"precision": p, "recall": r, "fpr": _ratio(fp, neg), "f1": f1,
                         "tp": tp, "fp": fp, "fn": fn}
    # semantics: labelled truth fields starting in the window
    per = {k: [0, 0] for k in KINDS}
    claims = claims_ok = 0
    for m in truth["messages"]:
        u, off, ln = (m["stream"], m["dir"]), m["offset"], m["len"]
        lab = {}
        for s, w, k, o, _n in m["fields"]:
            if k and s < window:
                lab[(off + s, w)] = (k, o)
                per[k][1] += 1
                got = typed.get(u, {}).get((off + s, w))
                if got and got[0] == k and (w == 1 or o is None or got[1] is None or got[1] == o):
                    per[k][0] += 1
        # inferred typed fields inside this message's window: right or not
        for (s, w), (k, o) in typed.get(u, {}).items():
            if off <= s < off + min(ln, window):
                claims += 1
                t = lab.get((s, w))
                if t and t[0] == k and (w == 1 or t[1] is None or o is None or t[1] == o):
                    claims_ok += 1
    right = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    res["semantic"] = {"accuracy": _ratio(right, total), "right": right, "labelled": total,
                       "per_kind": {k: {"right": v[0], "labelled": v[1], "accuracy": _ratio(v[0], v[1])}
                                    for k, v in per.items() if v[1]},
                       "claims": claims, "claims_right": claims_ok, "claim_precision": _ratio(claims_ok, claims)}
    # framing: a header starting at each true message start (TCP)
    if tcp:
        hit = tot = 0
        units = {}
        for m in truth["messages"]:
            u = (m["stream"], m["dir"])
            ok = m["offset"] in starts.get(u, ())
            units.setdefault(u, []).append((m["offset"], ok))
            hit += ok
            tot += 1
        lost = none = 0
        for u, seq in units.items():
            seq.sort()
            flags = [ok for _o, ok in seq]
            if not any(flags):
                none += 1
                continue
            tail = 0
            for ok in reversed(flags):
                if ok:
                    break
                tail += 1
            if tail >= 3:
                lost += 1
        res["framing"] = {"accuracy": _ratio(hit, tot), "starts": tot, "framed": hit,
                          "directions": len(units), "lost_for_good": lost, "never_framed": none}
    else:
        hit = sum(1 for m in truth["messages"] if m["offset"] in starts.get((m["stream"], m["dir"]), ()))
        res["framing"] = {"accuracy": _ratio(hit, len(truth["messages"])), "starts": len(truth["messages"]),
                          "framed": hit}
    res["headers"] = len(headers)
    res["messages"] = len(truth["messages"])
    return res


def detail(proto, truth, headers, n, window, mode="-2"):
    """The first n messages: true fields (start:width[:kind]) and inferred ones."""
    by_unit = {}
    for stream, d, start, fields in headers:
        by_unit.setdefault((stream, d), []).append((start, fields))
    print("--- %s: first %d messages, true | inferred (%s), offsets in the message, window %d" % (proto, n, mode, window))
    for m in truth["messages"][:n]:
        off, ln = m["offset"], m["len"]
        tf = " ".join("%d:%d%s" % (s, w, ":" + k if k else "") for s, w, k, _o, _n in m["fields"] if s < window)
        inf = []
        for start, fields in by_unit.get((m["stream"], m["dir"]), ()):
            if off <= start < off + ln:
                inf.append("@%d" % (start - off) + "".join(
                    " %d:%d%s%s" % (a - off, w, ":" + k if k else "", "/" + o if o else "")
                    for a, w, k, o in fields if a - off < window))
        print("  frame %-5s %s off %-6d len %-5d | %s | %s" % (m["frame"], m["dir"], off, ln, tf,
                                                            " ".join(inf) or "(no header)"))


def read_manifest():
    rows = {}
    with open(MANIFEST) as fh:
        head = None
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if head is None:
                head = cols
                continue
            r = dict(zip(head, cols))
            rows[r["protocol"]] = r
    return rows


def fmt(v, w=5):
    return ("%*.2f" % (w, v)) if isinstance(v, float) else ("%*s" % (w, "-"))


def macro(results, key, sub):
    vals = [r[key][sub] for r in results if r[key].get(sub) is not None]
    return sum(vals) / len(vals) if vals else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("protos", nargs="*")
    ap.add_argument("--json", help="write all numbers to this file")
    ap.add_argument("--window", type=int, default=48)
    ap.add_argument("--detail", type=int, default=0, metavar="N")
    ap.add_argument("--one-pass", action="store_true", help="--detail shows the one-pass headers")
    ap.add_argument("--so", default=os.environ.get("WIP_SO", os.path.join(SRC, "build", "wip.so")))
    a = ap.parse_args()
    if not os.path.exists(a.so):
        raise SystemExit("plugin not built: %s" % a.so)
    man = read_manifest()
    protos = a.protos or sorted(man)
    runner = Runner(a.so)
    out = {"plugin": a.so, "window": a.window, "options": runner.opts, "protocols": {}}
    try:
        for p in protos:
            tj = os.path.join(CAPDIR, "bin-%s.truth.json" % p)
            pcap = os.path.join(CAPDIR, "bin-%s.pcap" % p)
            if p not in man or not os.path.exists(tj) or not os.path.exists(pcap):
                print("skip %s: no manifest row, truth or pcap" % p, file=sys.stderr)
                continue
            truth = json.load(open(tj))
            row = {"split": man[p]["split"], "transport": truth["transport"]}
            for mode, two in (("1pass", False), ("2pass", True)):
                hdrs = inferred_headers(runner, pcap, two)
                row[mode] = score(truth, hdrs, a.window)
                if a.detail and two != a.one_pass:
                    detail(p, truth, hdrs, a.detail, a.window, "-2" if two else "one pass")
            out["protocols"][p] = row
    finally:
        runner.close()

    W = a.window
    hdr = ("%-9s %-4s %-4s %5s %5s | %5s %5s %5s %5s | %5s %5s %5s %5s | %5s %5s | %5s %4s"
           % ("protocol", "spl", "mode", "msgs", "hdrs", "P%d" % W, "R%d" % W, "FPR", "F1",
              "P", "R", "FPR", "F1", "sem", "claim", "frame", "lost"))
    print("options: %s" % (" ".join(runner.opts) or "(none)"))
    print(hdr)
    print("-" * len(hdr))
    for p, row in out["protocols"].items():
        for mode in ("1pass", "2pass"):
            r = row[mode]
            fr = r["framing"]
            print("%-9s %-4s %-4s %5d %5d | %s %s %s %s | %s %s %s %s | %s %s | %s %4s"
                  % (p, row["split"], mode[0] + "p", r["messages"], r["headers"],
                     fmt(r["w"]["precision"]), fmt(r["w"]["recall"]), fmt(r["w"]["fpr"]), fmt(r["w"]["f1"]),
                     fmt(r["all"]["precision"]), fmt(r["all"]["recall"]), fmt(r["all"]["fpr"]),
                     fmt(r["all"]["f1"]), fmt(r["semantic"]["accuracy"]), fmt(r["semantic"]["claim_precision"]),
                     fmt(fr["accuracy"]), fr.get("lost_for_good", "-")))
    print("-" * len(hdr))
    out["macro"] = {}
    for split in ("dev", "eval"):
        for mode in ("1pass", "2pass"):
            rs = [row[mode] for row in out["protocols"].values() if row["split"] == split]
            if not rs:
                continue
            tcp = [r for r, row in zip(rs, [row for row in out["protocols"].values() if row["split"] == split])
                   if row["transport"] == "tcp"]
            mm = {"protocols": len(rs)}
            for k in ("w", "all"):
                mm[k] = {s: macro(rs, k, s) for s in ("precision", "recall", "fpr", "f1")}
            mm["semantic"] = macro(rs, "semantic", "accuracy")
            mm["claim_precision"] = macro(rs, "semantic", "claim_precision")
            mm["framing_tcp"] = macro(tcp, "framing", "accuracy")
            mm["lost_for_good"] = sum(r["framing"].get("lost_for_good", 0) for r in tcp)
            # semantic accuracy per kind, over the labelled cases of the split
            kinds = {}
            for r in rs:
                for k, v in r["semantic"]["per_kind"].items():
                    c = kinds.setdefault(k, [0, 0])
                    c[0] += v["right"]
                    c[1] += v["labelled"]
            mm["semantic_per_kind"] = {k: _ratio(*v) for k, v in kinds.items()}
            out["macro"]["%s/%s" % (split, mode)] = mm
            print("%-9s %-4s %-4s %5d %5s | %s %s %s %s | %s %s %s %s | %s %s | %s %4d"
                  % ("MACRO", split, mode[0] + "p", len(rs), "", fmt(mm["w"]["precision"]), fmt(mm["w"]["recall"]),
                     fmt(mm["w"]["fpr"]), fmt(mm["w"]["f1"]), fmt(mm["all"]["precision"]),
                     fmt(mm["all"]["recall"]), fmt(mm["all"]["fpr"]), fmt(mm["all"]["f1"]),
                     fmt(mm["semantic"]), fmt(mm["claim_precision"]), fmt(mm["framing_tcp"]), mm["lost_for_good"]))
    print()
    print("semantic accuracy per kind (labelled fields in the first %d bytes, right offset/width/order):" % W)
    for key, mm in out["macro"].items():
        print("  %-10s %s" % (key, "  ".join("%s %s" % (k, fmt(v, 4)) for k, v in sorted(mm["semantic_per_kind"].items()))))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(out, fh, indent=1, sort_keys=True)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
