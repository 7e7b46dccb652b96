#!/usr/bin/env python3
"""List C functions longer than 80 lines (issue 16: none in plugin/ or packet-wip.c except the field registration).
Usage: python3 scripts/funclen.py packet-wip.c plugin/*.c"""
import re,sys
for fn in sys.argv[1:]:
    lines=open(fn).read().split('\n')
    i=0
    while i<len(lines):
        l=lines[i]
        if re.match(r'^[A-Za-z_].*\)\s*$',l) or re.match(r'^[A-Za-z_][^;=]*\($',l) or re.match(r'^[A-Za-z_][^;=]*\([^;]*,\s*$',l):
            # find opening brace
            j=i
            while j<len(lines) and not lines[j].startswith('{') and not lines[j].rstrip().endswith(';'): j+=1
            if j<len(lines) and lines[j].startswith('{'):
                k=j
                while k<len(lines) and not lines[k].startswith('}'): k+=1
                n=k-i+1
                if n>80: print(f"{fn}:{i+1}: {n} {l.strip()[:70]}")
                i=k
        i+=1
