#!/usr/bin/env python3
"""Alternating A/B timing of whole chatsieve processes (start-up and small inputs), robust on a noisy shared host.

Usage: benchmarks/alternate.py ROUNDS NAME=BINARY ... -- CASE=ARGS ...
Each round runs every case with every binary back to back (two warm-up rounds are dropped); prints per build and case
the median, min and max wall time in ms, and the median of the per-round ratios of each build to the first.
ARGS is split on spaces and run from the repository root, e.g.
  benchmarks/alternate.py 40 old=/tmp/cs-old new=.build/release/chatsieve -- \\
    "tiny=scan --patterns benchmarks/rules/shapes.pcre --ignore-case --format whatsapp /tmp/tiny.txt --jsonl /dev/null"
"""
import os, statistics as st, subprocess, sys, time

argv = sys.argv[1:]
if len(argv) < 4 or '--' not in argv:
    sys.exit(__doc__)
rounds = int(argv.pop(0))
sep = argv.index('--')
bins = dict(a.split('=', 1) for a in argv[:sep])
cases = dict(a.split('=', 1) for a in argv[sep + 1:])
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
res = {(b, c): [] for b in bins for c in cases}
for r in range(rounds + 2):
    for cname, args in cases.items():
        for bname, b in bins.items():
            t = time.perf_counter()
            subprocess.run([b] + args.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=root)
            if r >= 2:
                res[(bname, cname)].append(time.perf_counter() - t)
names = list(bins)
for cname in cases:
    for bname in names:
        v = res[(bname, cname)]
        print(f"| {cname} | {bname} | {st.median(v) * 1000:.1f} | {min(v) * 1000:.1f} | {max(v) * 1000:.1f} |")
    a = res[(names[0], cname)]
    for bname in names[1:]:
        b = res[(bname, cname)]
        print(f"per-round ratio {bname}/{names[0]} {cname}: median {st.median([y / x for x, y in zip(a, b)]):.3f}")
