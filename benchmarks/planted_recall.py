#!/usr/bin/env python3
"""Share of a generated corpus's planted phrases that a scan flags, per disguise (`form` in the ground truth).

Usage: benchmarks/planted_recall.py GROUND_TRUTH.jsonl HITS.jsonl
  chatsieve generate --format whatsapp --bytes 20M --seed 1 --out /tmp/gen20
  chatsieve scan --quiet --rules rules --format whatsapp /tmp/gen20/*.txt --jsonl /tmp/hits.jsonl
  benchmarks/planted_recall.py /tmp/gen20/ground-truth.jsonl /tmp/hits.jsonl
A planted message counts as found when any hit starts on its line of its file; near-misses (benign look-alikes)
count when flagged. With --missed, prints each missed planted phrase and disguise with how often it was missed.
"""
import collections, json, os, sys

args = [a for a in sys.argv[1:] if a != "--missed"]
if len(args) != 2:
    sys.exit(__doc__)
truth = [json.loads(l) for l in open(args[0], encoding="utf-8")]
flagged = set()
for line in open(args[1], encoding="utf-8"):
    d = json.loads(line)
    flagged.add((os.path.basename(d["file"]), d["line"]))
total, found, missed = collections.Counter(), collections.Counter(), collections.Counter()
for t in truth:
    if t["kind"] != "planted":
        continue
    total[t["form"]] += 1
    if (os.path.basename(t["file"]), t["line"]) in flagged:
        found[t["form"]] += 1
    else:
        missed[(t["form"], t["planted"])] += 1
print("| disguise | found | planted | share |\n|---|---|---|---|")
for form in sorted(total, key=lambda f: -found[f] / total[f]):
    print(f"| {form} | {found[form]:,} | {total[form]:,} | {found[form] / total[form]:.1%} |")
near = [t for t in truth if t["kind"] == "near_miss"]
hit = sum(1 for t in near if (os.path.basename(t["file"]), t["line"]) in flagged)
print(f"\nnear-misses flagged: {hit:,} of {len(near):,}")
if "--missed" in sys.argv:
    for (form, text), n in missed.most_common():
        print(f"{n:5}  {form:18} {text}")
