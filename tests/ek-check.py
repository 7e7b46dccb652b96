#!/usr/bin/env python3
"""Check tshark's -T ek / -T json output of the wip layer (issue 14).

  ek-check.py [--fields FIELDS] MAPPING.json OUTPUT [OUTPUT...]
  ek-check.py --fix MAPPING.json FIELDS > FIXED.json

MAPPING.json is `tshark -G elastic-mapping --elastic-mapping-filter wip`,
FIELDS is `tshark -G fields` (the field types).

Wireshark's mapping declares FT_UINT64 fields "long" (4.0, 4.4) or
"unsigned long" (4.6, not a valid Elasticsearch type); neither takes every
unsigned 64-bit value.  --fix prints the mapping with every FT_UINT64 field
declared "unsigned_long" (Elasticsearch 7.10+, OpenSearch 2.8+), the one to
load; with --fields, the check is made against that fixed mapping and says
how many values needed the fix (they would be rejected by the raw one).
Each OUTPUT is either `-T ek` output (one JSON document per line) or `-T json`
output (one JSON array); the kind is told from the first character.

Checks, per document:
  * no duplicate key inside the wip layer (a JSON parser keeps only the last
    one, so the others are lost);
  * every wip value that the mapping declares numeric or boolean is one an
    index built from that mapping accepts: Elasticsearch coerces a string of
    decimal digits into a long/integer/short/byte field (within the type's
    range) and a numeric string into a float, but rejects a hex string such
    as "0x000000000000c0de"; a boolean field takes true/false or
    "true"/"false".  Repeated values are arrays of such values.
Prints one line per problem kind with a count and an example, and exits 1 if
there is any.
"""
import json
import sys
from collections import Counter

RANGES = {"byte": (-2**7, 2**7 - 1), "short": (-2**15, 2**15 - 1),
          "integer": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1),
          "unsigned_long": (0, 2**64 - 1)}


def uint64_fields(fields_path):
    """The EK names (wip_wip_hdr_txid) of the wip FT_UINT64 fields in `tshark -G fields`."""
    names = set()
    for line in open(fields_path, errors="replace"):
        c = line.rstrip("\n").split("\t")
        if len(c) > 4 and c[0] == "F" and c[3] == "FT_UINT64" and c[4] == "wip":
            names.add("wip_" + c[2].replace(".", "_"))
    return names


def fix_mapping(m, fields_path):
    """The mapping with every wip FT_UINT64 field declared unsigned_long."""
    props = m["mappings"]["properties"]["layers"]["properties"].get("wip", {}).get("properties", {})
    for name in uint64_fields(fields_path):
        if name in props:
            props[name]["type"] = "unsigned_long"
    return m


class Dup(Exception):
    pass


def no_dups(pairs):
    keys = [k for k, _ in pairs]
    d = [k for k, n in Counter(keys).items() if n > 1]
    obj = dict(pairs)
    if d:
        obj["\0dups"] = d
    return obj


def value_ok(t, v):
    if t in RANGES:
        if isinstance(v, bool):
            return False
        if isinstance(v, int):
            n = v
        elif isinstance(v, str) and v.lstrip("-").isdigit():
            n = int(v)
        else:
            return False
        lo, hi = RANGES[t]
        return lo <= n <= hi
    if t in ("float", "double", "half_float", "scaled_float"):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return True
        try:
            float(v)
            return isinstance(v, str) and not v.lower().startswith("0x")
        except (TypeError, ValueError):
            return False
    if t == "boolean":
        return v in (True, False, "true", "false")
    return True                  # keyword/text/ip/date: not checked here


def wip_layers(doc, ek):
    """Yield the wip layer object(s) of one document."""
    if ek:
        layers = doc.get("layers") if isinstance(doc, dict) else None
    else:
        layers = doc.get("_source", {}).get("layers") if isinstance(doc, dict) else None
    if isinstance(layers, dict) and "wip" in layers:
        yield layers["wip"]


def walk(obj, prefix=""):
    """Yield (key, value, dups) for every key of a (nested) layer object."""
    if isinstance(obj, dict):
        dups = obj.get("\0dups", [])
        for d in dups:
            yield (prefix + d, None, True)
        for k, v in obj.items():
            if k == "\0dups":
                continue
            if isinstance(v, dict):
                yield from walk(v, prefix + k + ".")
            else:
                yield (k, v, False)


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "--fix":
        json.dump(fix_mapping(json.load(open(args[1])), args[2]), sys.stdout, indent=2)
        print()
        return 0
    fields = None
    if len(args) > 1 and args[0] == "--fields":
        fields, args = args[1], args[2:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    m = json.load(open(args[0]))
    raw = {k: v.get("type") for k, v in
           m["mappings"]["properties"]["layers"]["properties"].get("wip", {}).get("properties", {}).items()}
    if fields:
        m = fix_mapping(m, fields)
    props = m["mappings"]["properties"]["layers"]["properties"].get("wip", {}).get("properties", {})
    types = {k: v.get("type") for k, v in props.items()}
    fixed = Counter()
    problems = Counter()
    example = {}
    docs = 0
    for path in args[1:]:
        text = open(path).read()
        ek = not text.lstrip().startswith("[")
        if ek:
            items = [json.loads(line, object_pairs_hook=no_dups) for line in text.splitlines() if line.strip()]
        else:
            items = json.loads(text, object_pairs_hook=no_dups)
        for doc in items:
            for layer in wip_layers(doc, ek):
                docs += 1
                for k, v, dup in walk(layer):
                    if dup:
                        kind = "duplicate key in wip layer: " + k
                        problems[kind] += 1
                        example.setdefault(kind, path)
                        continue
                    t = types.get(k)
                    if not ek or t is None:
                        continue
                    for x in (v if isinstance(v, list) else [v]):
                        if t != raw.get(k) and raw.get(k) in RANGES and not value_ok(raw[k], x):
                            fixed[k] += 1
                        if not value_ok(t, x):
                            kind = "value rejected by the mapping: %s (%s)" % (k, t)
                            problems[kind] += 1
                            example.setdefault(kind, "%s: %r" % (path, x))
    for k, n in sorted(fixed.items()):
        print("NOTE %6d  %s values fit only the fixed mapping (unsigned_long, not %s)" % (n, k, raw[k]))
    for kind, n in sorted(problems.items()):
        print("FAIL %6d  %s  e.g. %s" % (n, kind, example[kind]))
    print("%d wip layers checked, %d problems of %d kinds" % (docs, sum(problems.values()), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
