#!/usr/bin/env python3
"""Count the fields Wireshark's dissectors produce in a PDML dump (stdin).

Prints "name<TAB>count" per field name, sorted.  Everything inside wip's own
tree (<proto name="wip">) is left out, and so are the frame/link/IP/TCP/UDP
layers and generic fields that do not depend on which dissector took the
payload: what remains is what the payload's dissectors made of it.
"""
import sys
import xml.etree.ElementTree as ET
from collections import Counter

SKIP_PROTOS = {"wip", "geninfo", "frame", "eth", "sll", "null", "loop", "ip", "ipv6",
               "tcp", "udp", "_ws.expert", "_ws.lua.fake"}
# Fields whose values or presence depend on the layering, not on the payload's dissection.
SKIP_FIELDS = {"frame.protocols"}

def walk(el, counts):
    for child in el:
        if child.tag == "proto":
            if child.get("name") in SKIP_PROTOS:
                continue
            counts[child.get("name")] += 1
            walk(child, counts)
        elif child.tag == "field":
            name = child.get("name") or ""
            if name and name not in SKIP_FIELDS and not name.startswith("wip"):
                counts[name] += 1
            walk(child, counts)

def main():
    counts = Counter()
    for _, el in ET.iterparse(sys.stdin.buffer, events=("end",)):
        if el.tag == "packet":
            walk(el, counts)
            el.clear()
    for name in sorted(counts):
        print(f"{name}\t{counts[name]}")

if __name__ == "__main__":
    main()
