#!/usr/bin/env python3
"""chatsieve hits (JSON Lines, one object per hit with `line`, `category`, `severity`) -> one
{"line": N, "categories": [...]} per flagged message, the form ../shared/tools/eval_quality.py reads.

Mode `any`: every hit. `low`: severity >= low (drops info-level profanity). `disc`: only the
discriminatory categories (racism, homophobia, religious_hate, ableism, and misogyny at high/critical).
"""
import json, sys
mode = sys.argv[1] if len(sys.argv) > 1 else "any"
DISC = {"racism", "homophobia", "religious_hate", "ableism"}
RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
lines = {}
for raw in sys.stdin:
    raw = raw.strip()
    if not raw.startswith("{"):
        continue
    h = json.loads(raw)
    if "line" not in h or "category" not in h:
        continue
    cat, sev = h["category"], RANK.get(str(h.get("severity", "medium")), 2)
    if mode == "disc" and not (cat in DISC or (cat == "misogyny" and sev >= 3)):
        continue
    if mode == "low" and sev < 1:
        continue
    lines.setdefault(int(h["line"]), set()).add(cat)
for n in sorted(lines):
    print(json.dumps({"line": n, "categories": sorted(lines[n])}))
