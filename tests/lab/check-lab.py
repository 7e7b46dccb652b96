#!/usr/bin/env python3
"""Checks the answers of the packet-analysis lab (docs/lab/*.md).

Every exercise step in the lab's Markdown is a pair of fenced blocks, each
preceded by an HTML comment (invisible when rendered):

    <!-- check: ID -->          the command (sh), exactly as a student types it
    <!-- answer: ID -->         the expected output, compared exactly

The command runs from the repository root with `tshark` on PATH being a
wrapper that loads the plugin the way tests/lib.sh does (temporary HOME, user
nobody as root).  Boolean fields are shown 1/0 (Wireshark 4.0 prints 1/0,
4.2+ True/False).  Usage:
    check-lab.py DOCDIR [ID...]    (only those IDs when given)
Exit 0 when every answer matches; prints one line per check.
"""
import os, re, subprocess, sys

def parse(docdir):
    checks, answers, where = {}, {}, {}
    for name in sorted(os.listdir(docdir)):
        if not name.endswith(".md"):
            continue
        path = os.path.join(docdir, name)
        lines = open(path, encoding="utf-8").read().split("\n")
        i = 0
        while i < len(lines):
            m = re.match(r"\s*<!--\s*(check|answer):\s*([A-Za-z0-9_.-]+)\s*-->\s*$", lines[i])
            if not m:
                i += 1
                continue
            kind, ident = m.group(1), m.group(2)
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                if lines[j].strip() and not lines[j].strip().startswith("**"):
                    sys.exit("%s:%d: text between the <!-- %s: %s --> marker and its block" % (name, j + 1, kind, ident))
                j += 1
            k = j + 1
            while k < len(lines) and not lines[k].startswith("```"):
                k += 1
            if j >= len(lines) or k >= len(lines):
                sys.exit("%s:%d: no fenced block after <!-- %s: %s -->" % (name, i + 1, kind, ident))
            body = "\n".join(lines[j + 1:k])
            table = checks if kind == "check" else answers
            if ident in table:
                sys.exit("%s:%d: %s %s given twice" % (name, i + 1, kind, ident))
            table[ident] = body
            where[ident] = "%s:%d" % (name, i + 1)
            i = k + 1
    for ident in checks:
        if ident not in answers:
            sys.exit("check %s (%s) has no answer" % (ident, where[ident]))
    for ident in answers:
        if ident not in checks:
            sys.exit("answer %s (%s) has no check" % (ident, where[ident]))
    return checks, answers, where

def normalise(out):
    rows = []
    for line in out.rstrip("\n").split("\n"):
        cells = ["1" if c == "True" else "0" if c == "False" else c for c in line.split("\t")]
        rows.append("\t".join(cells))
    return "\n".join(rows)

def main():
    docdir, only = sys.argv[1], set(sys.argv[2:])
    src = os.environ["WIP_SRC"]
    checks, answers, where = parse(docdir)
    fail = n = 0
    for ident in sorted(checks):
        if only and ident not in only:
            continue
        cmd = checks[ident]
        if "tshark" not in cmd or "test-captures/" not in cmd:
            print("FAIL %s (%s): the command must run tshark on a capture in test-captures/" % (ident, where[ident]))
            fail = 1
            continue
        p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=src, capture_output=True, text=True)
        got, want = normalise(p.stdout), answers[ident].rstrip("\n")
        n += 1
        if p.returncode != 0 or got != want:
            fail = 1
            print("FAIL %s (%s): exit %d" % (ident, where[ident], p.returncode))
            print("  command: %s" % cmd.replace("\n", "\n           "))
            print("  expected:\n    " + want.replace("\n", "\n    "))
            print("  got:\n    " + got.replace("\n", "\n    "))
            if p.stderr.strip():
                print("  stderr: " + p.stderr.strip().replace("\n", "\n    ")[:600])
        else:
            print("ok %s (%s)" % (ident, where[ident]))
    if only and n != len(only):
        print("FAIL: asked for %d checks, found %d" % (len(only), n))
        fail = 1
    print("%d checks, %s" % (n, "all answers match" if not fail else "FAILED"))
    sys.exit(fail)

if __name__ == "__main__":
    main()
