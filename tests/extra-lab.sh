#!/usr/bin/env bash
# The packet-analysis lab (docs/lab/): every exercise's command, run on its
# capture with the plugin loaded as tests/lib.sh does, prints exactly the
# answer written in the lab (tests/lab/check-lab.py).  Also: at least 10
# exercises with checked answers, the final incident capture among them;
# a changed answer makes the checker fail (mutation of three answers in a
# copy of the lab); the profile's filter buttons listed in the lab are the
# ones in profiles/wip/dfilter_buttons.
. "$(dirname "$0")/lib.sh"
LAB="$WIP_SRC/docs/lab"
fail=0

# `tshark` for the lab's commands: the real one as the test user, with the
# plugin in the temporary HOME; a capture given with -r is copied there first.
bin="$WIP_HOME/bin"; mkdir -p "$bin"
{
    echo '#!/usr/bin/env bash'
    printf 'as=('; printf '%q ' "${WIP_AS[@]}"; echo ')'
    printf 'home=%q\n' "$WIP_HOME"
    cat <<'WRAP'
args=(); prev=
for a in "$@"; do
    if [ "$prev" = -r ]; then
        c="$home/in-$(basename "$a")"; cp "$a" "$c" && chmod a+r "$c"; a=$c
    fi
    args+=("$a"); prev=$a
done
exec "${as[@]}" /usr/bin/tshark "${args[@]}" 2> >(grep -v '^Running as user' >&2)
WRAP
} > "$bin/tshark"
chmod a+rx "$bin" "$bin/tshark"
export PATH="$bin:$PATH" WIP_SRC

# 1. every answer
python3 "$WIP_SRC/tests/lab/check-lab.py" "$LAB" || fail=1

# 2. enough exercises, the incident among them, every exercise with a check
ids=$(grep -h '^ *<!-- check: [A-Za-z0-9_.-]* -->' "$LAB"/*.md | awk '{ print $3 }')
nex=$(printf '%s\n' "$ids" | sed 's/[a-z]*$//' | sort -u | wc -l)
[ "$nex" -ge 10 ] || { echo "FAIL: $nex exercises with checked answers (need >= 10)"; fail=1; }
grep -q 'test-captures/lab-incident.pcap' "$LAB/exercises.md" || { echo "FAIL: no exercise on lab-incident.pcap"; fail=1; }
for h in $(grep -o '^### [A-Z][0-9]*' "$LAB/exercises.md" | awk '{ print $2 }'); do
    printf '%s\n' "$ids" | grep -q "^$h[a-z]*$" || { echo "FAIL: exercise $h has no checked answer"; fail=1; }
done
echo "exercises with checked answers: $nex ($(printf '%s\n' "$ids" | wc -l) checks)"

# 3. a wrong answer fails: change three answers in a copy, each must fail
mut=$(mktemp -d /tmp/wip-lab-mut.XXXXXX)
set -- $(printf '%s\n' "$ids" | sort | awk '{ a[NR] = $0 } END { print a[1], a[int((NR + 1) / 2)], a[NR] }')
for id in "$@"; do
    rm -rf "$mut/lab"; cp -r "$LAB" "$mut/lab"
    # first line of the answer block: replace its last character by '#'
    python3 - "$mut/lab" "$id" <<'PY'
import os, re, sys
d, ident = sys.argv[1], sys.argv[2]
for n in os.listdir(d):
    if not n.endswith(".md"): continue
    p = os.path.join(d, n); t = open(p).read().split("\n")
    for i, l in enumerate(t):
        if re.match(r"\s*<!--\s*answer:\s*%s\s*-->" % re.escape(ident), l):
            j = i + 1
            while not t[j].startswith("```"): j += 1
            t[j + 1] = t[j + 1][:-1] + "#" if t[j + 1] else "#"
            open(p, "w").write("\n".join(t)); sys.exit(0)
sys.exit("answer %s not found" % ident)
PY
    if python3 "$WIP_SRC/tests/lab/check-lab.py" "$mut/lab" "$id" > "$mut/out" 2>&1; then
        echo "FAIL: answer $id changed, but the check still passed"; fail=1
    elif grep -q "^FAIL $id " "$mut/out"; then echo "ok: changed answer $id fails"
    else echo "FAIL: changed answer $id: unexpected output"; cat "$mut/out"; fail=1; fi
done
rm -rf "$mut"

# 4. the filter buttons the lab lists are the profile's
python3 - "$LAB" "$WIP_SRC/profiles/wip/dfilter_buttons" <<'PY' || fail=1
import csv, os, re, sys
lab, btn = sys.argv[1], sys.argv[2]
buttons = {}
for row in csv.reader(l for l in open(btn) if not l.startswith("#")):
    if len(row) >= 3: buttons[row[1]] = row[2].replace("\\x22", '"')
listed = {}
for n in os.listdir(lab):
    if n.endswith(".md"):
        for l in open(os.path.join(lab, n)):
            m = re.match(r"\|\s*button \*\*(.+?)\*\*\s*\|\s*`(.+?)`\s*\|", l)
            if m: listed[m.group(1)] = m.group(2)
bad = [k for k in buttons if listed.get(k) != buttons[k]] + [k for k in listed if k not in buttons]
for k in bad: print("FAIL button %s: lab says %r, profile %r" % (k, listed.get(k), buttons.get(k)))
print("ok: %d filter buttons listed as in the profile" % len(buttons) if not bad else "")
sys.exit(1 if bad else 0)
PY

[ $fail = 0 ] && echo "OK: the lab's answers match the plugin's output"
exit $fail
