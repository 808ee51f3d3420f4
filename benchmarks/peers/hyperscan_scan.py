#!/usr/bin/env python3
"""Hyperscan peer for the benchmark: compiles every rule (relaxed forms where Hyperscan cannot take the PCRE
pattern exactly), scans the input in large newline-aligned chunks (block mode, CASELESS|UTF8, no UCP), maps match
end offsets to lines, confirms the relaxed rules' candidate lines with Python's `re` on the original pattern, and
prints the number of lines with at least one match. Timings go to stderr as JSON.

Usage: hyperscan_scan.py HYPERSCAN.txt SHAPES.pcre INPUT...
"""
import json
import re
import sys
import time

import hyperscan

CHUNK = 64 << 20


def main():
    t0 = time.perf_counter()
    hs_file, pcre_file, inputs = sys.argv[1], sys.argv[2], sys.argv[3:]
    ids, exprs, relaxed = [], [], set()
    for line in open(hs_file, encoding="utf-8"):
        rid, rel, pat = line.rstrip("\n").split("\t", 2)
        ids.append(int(rid))
        exprs.append(pat.encode())
        if rel == "1":
            relaxed.add(int(rid))
    originals = [l.rstrip("\n") for l in open(pcre_file, encoding="utf-8")]
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_UTF8
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=[flags] * len(exprs))
    t_compile = time.perf_counter()
    confirm = {rid: re.compile(originals[rid - 1], re.IGNORECASE) for rid in relaxed}
    total_lines = 0
    matched = 0
    candidates = 0
    confirmed = 0
    scan_s = 0.0
    for path in inputs:
        with open(path, "rb") as f:
            carry = b""
            line_base = 0
            while True:
                block = f.read(CHUNK)
                data = carry + block
                if not data:
                    break
                if block:
                    cut = data.rfind(b"\n") + 1
                    if cut == 0:
                        carry = data
                        continue
                    chunk, carry = data[:cut], data[cut:]
                else:
                    chunk, carry = data, b""
                events = []
                ts = time.perf_counter()
                db.scan(chunk, match_event_handler=lambda rid, frm, to, fl, ctx: events.append((to, rid)))
                scan_s += time.perf_counter() - ts
                events.sort()
                lines = {}  # line number -> (rule ids, an offset inside the line)
                pos, line_no = 0, line_base
                for to, rid in events:
                    end = max(to - 1, 0)
                    line_no += chunk.count(b"\n", pos, end)
                    pos = end
                    entry = lines.setdefault(line_no, (set(), end))
                    entry[0].add(rid)
                hits = 0
                for rids, at in lines.values():
                    if any(r not in relaxed for r in rids):
                        hits += 1
                        continue
                    # every match on this line came from a relaxed rule: confirm on the line's text
                    candidates += len(rids)
                    s = chunk.rfind(b"\n", 0, at) + 1
                    e = chunk.find(b"\n", at)
                    text = chunk[s:e if e != -1 else len(chunk)].decode("utf-8", "replace")
                    ok = [r for r in rids if confirm[r].search(text)]
                    confirmed += len(ok)
                    if ok:
                        hits += 1
                matched += hits
                n = chunk.count(b"\n")
                line_base += n
                total_lines += n
                if not block:
                    break
    t_end = time.perf_counter()
    print(matched)
    json.dump({"compile_s": round(t_compile - t0, 3), "scan_s": round(scan_s, 3), "total_s": round(t_end - t0, 3),
               "lines": total_lines, "matched_lines": matched, "relaxed_candidates": candidates,
               "relaxed_confirmed": confirmed}, sys.stderr)
    sys.stderr.write("\n")


if __name__ == "__main__":
    main()
