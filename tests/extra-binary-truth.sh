#!/usr/bin/env bash
# The committed ground truth of the real binary protocol corpus
# (test-captures/bin-*.truth.json) is exactly what eval/truth-binary.py makes
# from the committed pcaps, and test-captures/manifest-binary.tsv agrees with
# it (one row per capture, its message and conversation counts, a dev/eval
# split).  The check first proves it can fail: a truth file with one field
# boundary moved must be reported as different.
# Wireshark's dissectors name and split fields differently across versions:
# the field-by-field comparison runs on the version the truth was made with
# (its "wireshark" entry); on another version the manifest checks still run.
set -u
SRC=${WIP_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CAP="$SRC/test-captures"
TRUTH="$SRC/eval/truth-binary.py"
fail=0
tmp=$(mktemp -d /tmp/wip-bintruth.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

shopt -s nullglob
truths=("$CAP"/bin-*.truth.json)
pcaps=("$CAP"/bin-*.pcap)
if [ ${#truths[@]} -lt "${WIP_BIN_MIN:-10}" ] || [ ${#truths[@]} != ${#pcaps[@]} ]; then
    echo "FAIL: ${#pcaps[@]} bin-*.pcap and ${#truths[@]} truth files (need the same number, >= ${WIP_BIN_MIN:-10})"; fail=1
fi

# manifest <-> truth: counts, split, transport
out=$(python3 - "$CAP" <<'EOF'
import json, os, sys, glob
cap = sys.argv[1]
rows = {}
head = None
for line in open(os.path.join(cap, "manifest-binary.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    c = line.rstrip("\n").split("\t")
    if head is None:
        head = c
        continue
    r = dict(zip(head, c))
    rows[r["protocol"]] = r
bad = 0
splits = {}
for tj in sorted(glob.glob(os.path.join(cap, "bin-*.truth.json"))):
    t = json.load(open(tj))
    p = t["protocol"]
    m = t["messages"]
    convs = len({x["conv"] for x in m})
    r = rows.get(p)
    if r is None:
        print("FAIL %s: no manifest row" % p); bad = 1; continue
    splits.setdefault(r["split"], []).append(p)
    if r["transport"] != t["transport"] or r["dissector"] != t["dissector"] or int(r["messages"]) != len(m):
        print("FAIL %s: manifest says %s/%s/%s messages, truth %s/%s/%d" % (p, r["transport"], r["dissector"],
              r["messages"], t["transport"], t["dissector"], len(m))); bad = 1
    if int(r["conversations"]) != convs:
        print("FAIL %s: manifest says %s conversations, truth has %d" % (p, r["conversations"], convs)); bad = 1
    if int(r["conversations"]) < 3:
        print("FAIL %s: fewer than 3 conversations" % p); bad = 1
    # TCP: the messages of each direction tile its stream (placement of
    # reassembled and coalesced PDUs); only bytes before the first message
    # may be left out (a greeting the dissector shows no item for)
    if t["transport"] == "tcp":
        units = {}
        for x in m:
            units.setdefault((x["stream"], x["dir"]), []).append((x["offset"], x["len"], x["frame"]))
        for u, ms in sorted(units.items()):
            ms.sort()
            for a, b in zip(ms, ms[1:]):
                if a[0] + a[1] != b[0]:
                    print("FAIL %s: stream %s %s: message at %d (+%d, frame %s) then at %d (frame %s)"
                          % (p, u[0], u[1], a[0], a[1], a[2], b[0], b[2])); bad = 1
                    break
    lab = sum(1 for x in m for f in x["fields"] if f[2])
    if len(m) < 10 or lab == 0:
        print("FAIL %s: %d messages, %d labelled fields" % (p, len(m), lab)); bad = 1
for p in rows:
    if not os.path.exists(os.path.join(cap, "bin-%s.truth.json" % p)):
        print("FAIL %s: manifest row without truth file" % p); bad = 1
if set(splits) != {"dev", "eval"} or abs(len(splits["dev"]) - len(splits["eval"])) > 2:
    print("FAIL: split is not about half dev, half eval: %s" % splits); bad = 1
print("ok manifest: %s" % ", ".join("%s %d" % (k, len(v)) for k, v in sorted(splits.items())))
sys.exit(bad)
EOF
) || fail=1
echo "$out"

made=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wireshark"])' "${truths[0]}")
have=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\..*/\1/p')
if [ "$made" != "$have" ]; then
    echo "SKIP field comparison: truth made with Wireshark $made, this is $have"
else
    # 1. the comparison can fail: move one boundary in a copy
    cp "${truths[@]}" "$tmp/"
    victim="$tmp/$(basename "${truths[0]}")"
    python3 - "$victim" <<'EOF'
import sys, re
p = sys.argv[1]
s = open(p).read()
s2 = re.sub(r'"fields":\[\[(\d+),', lambda m: '"fields":[[%d,' % (int(m.group(1)) + 1), s, count=1)
assert s2 != s
open(p, "w").write(s2)
EOF
    vproto=$(basename "$victim" .truth.json); vproto=${vproto#bin-}
    if python3 "$TRUTH" --check --dir "$tmp" "$vproto" >"$tmp/self.log" 2>&1; then
        echo "FAIL: the check did not notice a moved field boundary"; fail=1
    else
        echo "ok self-test: a moved field boundary in bin-$vproto.truth.json is reported"
    fi
    # 2. the committed truth is what the script makes from the pcaps
    if python3 "$TRUTH" --check >"$tmp/check.log" 2>&1; then
        echo "ok truth: $(grep -c '^ok' "$tmp/check.log") files regenerate identically"
    else
        echo "FAIL: truth files differ from eval/truth-binary.py's output:"; grep -v '^ok' "$tmp/check.log" | head; fail=1
    fi
fi
[ $fail = 0 ] && echo "OK: binary corpus truth and manifest consistent"
exit $fail
