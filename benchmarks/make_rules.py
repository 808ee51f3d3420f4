#!/usr/bin/env python3
"""Builds the benchmark rule set and its derived forms from rules/terms.txt (deterministic).

Writes, in benchmarks/rules/:
  shapes.pcre       309 PCRE2 rules (one per line, used caseless) of the shapes in performance-notes.md
  shapes.json       each rule with its shape, for the report
  rust.txt          Rust-regex subset (no lookarounds, back-references or atomic groups)
  rust-ascii.txt    ASCII-only Rust subset (also no non-ASCII literals or \\p{...}), for rg --no-unicode
  literals.txt      fixed strings of at least 4 characters, for rg -F
  hyperscan.txt     every rule in a form Hyperscan compiles exactly (lookarounds dropped, atomic groups made
                    plain, \\N replaced by a copy of group N); lines are `ID<TAB>relaxed<TAB>pattern`, where
                    relaxed=1 means candidates must be confirmed with the original PCRE pattern
"""
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RULES = HERE / "rules"
COUNTS = {"single": 92, "leet": 70, "spaced": 42, "phrases": 38, "alternations": 25, "verbs": 25}
LEET = {"a": "[a4@]", "b": "[b8]", "e": "[e3]", "g": "[g9]", "i": "[i1!]", "l": "[l1]", "o": "[o0]",
        "s": "[s5$]", "t": "[t7]", "z": "[z2]"}

LOOKAROUNDS = [
    r"\bkill\b(?!\W+the\W+lights)",
    r"(?<!charged with )\brape\b",
    r"\bfag\b(?!\W*break)",
    r"\bshoot\b(?!\W+me\W+a\W+text)",
    r"\bhit\b(?=\W+(?:her|him)\b)(?!\W+him\W+up)",
    r"\bknife\b(?!\W+recovered)",
    r"\bstab(?:bed|bing)?\b(?!\W+vest)",
    r"(?<![\w.])paki\b",
    r"\bslap\b(?=\W+(?:her|him|you)\b)",
    r"\bgas\b(?=\W+(?:the|them)\b)",
    r"(?<=\W)whore\b",
    r"\bbatter\b(?!\W+(?:mix|recipe|pudding))",
    r"\bsmack\b(?!\W+talk)",
]
BACKREF_ATOMIC = [
    r"\b(k+i+l+|s+l+a+p+|s+t+a+b+)(?:\W+\1){2,}",
    r"\b(rape|kill|slap|stab|faggot|slut)\W+\1\b",
    r"\b(?>slag|slut|whore)s?\b",
]
UNICODE_CLASS = [r"\bmuzz\p{L}*\b"]
NON_ASCII_SINGLE = ["frøkk", "mékoz"]


def read_sections():
    sections, current = {}, None
    for line in (RULES / "terms.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"#\s*section:\s*(\w+)", line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif line.strip() and not line.startswith("#"):
            sections[current].append(line.strip())
    return sections


def invented_tokens(n, rng, taken):
    """Placeholder tokens that are not English words (they stand in for more slur-list entries)."""
    syllables = ["zor", "blen", "quim", "frat", "wex", "dru", "glim", "trav", "kest", "morv", "plu", "snav",
                 "gorp", "tizz", "vlek", "yarb", "crom", "fesk", "jub", "nork"]
    out = []
    while len(out) < n:
        t = "".join(rng.choice(syllables) for _ in range(rng.choice([2, 2, 3])))
        if t not in taken:
            taken.add(t)
            out.append(t)
    return out


def leet(term):
    return r"\b" + "".join((LEET.get(c, re.escape(c)) + "+") for c in term) + r"\b"


def spaced(term):
    return r"\b" + r"\W?".join(re.escape(c) for c in term) + r"\b"


def phrase(words):
    *first, last = words.split()
    return r"\b" + r"\W+".join(first) + r"\W+(?:\w+\W+){0,3}?" + last + r"\b"


def build():
    rng = random.Random(1)
    s = read_sections()
    taken = set()
    rules = []  # (shape, pattern)
    singles = s["single"] + NON_ASCII_SINGLE
    singles += invented_tokens(COUNTS["single"] - len(singles), rng, taken)
    rules += [("single-term", r"\b" + t + r"\b") for t in singles]
    leets = s["leet"] + invented_tokens(COUNTS["leet"] - len(s["leet"]), rng, taken)
    rules += [("leet-class", leet(t)) for t in leets]
    sp = s["spaced"] + invented_tokens(COUNTS["spaced"] - len(s["spaced"]), rng, taken)
    rules += [("spacing-tolerant", spaced(t)) for t in sp]
    ph = s["phrases"]
    extra = invented_tokens(2 * (COUNTS["phrases"] - len(ph)), rng, taken)
    ph += [f"{extra[i]} {extra[i + 1]}" for i in range(0, len(extra), 2)]
    rules += [("gap-phrase", phrase(p)) for p in ph]
    rules += [("lookaround", p) for p in LOOKAROUNDS]
    rules += [("backref-atomic", p) for p in BACKREF_ATOMIC]
    rules += [("unicode-class", p) for p in UNICODE_CLASS]
    alts = s["alternations"]
    while len(alts) < COUNTS["alternations"]:
        alts.append("|".join(invented_tokens(rng.randint(3, 6), rng, taken)))
    rules += [("term-alternation", r"\b(?:" + a + r")\b") for a in alts]
    verbs = [tuple(x.strip() for x in v.split(";")) for v in s["verbs"]]
    while len(verbs) < COUNTS["verbs"]:
        verbs.append(("|".join(invented_tokens(3, rng, taken)), "her|him|them|you"))
    rules += [("verb-object", r"\b(?:" + v + r")\w*\W+(?:" + o + r")\b") for v, o in verbs]
    return rules, singles, alts, verbs, ph


def strip_group(pattern, opener):
    """Removes every group that starts with `opener` (e.g. '(?!'), with its balanced contents."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith(opener, i):
            depth, j = 0, i
            while j < len(pattern):
                c = pattern[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "[":
                    j = pattern.index("]", j + 1) + 1
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1
        else:
            out += pattern[i]
            i += 1
    return out


def first_group(pattern):
    start = pattern.index("(")
    depth = 0
    for j in range(start, len(pattern)):
        if pattern[j] == "(":
            depth += 1
        elif pattern[j] == ")":
            depth -= 1
            if depth == 0:
                return pattern[start:j + 1]
    raise ValueError(pattern)


def relax(pattern):
    """A superset Hyperscan compiles exactly: drop lookarounds, atomic -> plain group, \\1 -> copy of group 1."""
    p = pattern
    for opener in ("(?<!", "(?<=", "(?!", "(?="):
        p = strip_group(p, opener)
    p = p.replace("(?>", "(?:")
    if "\\1" in p:
        g = first_group(p)
        p = p.replace("\\1", "(?:" + g[1:])
    return p


def main():
    rules, singles, alts, verbs, phrases = build()
    assert len(rules) == 309, len(rules)
    pcre_only = {"lookaround", "backref-atomic"}
    (RULES / "shapes.pcre").write_text("".join(p + "\n" for _, p in rules), encoding="utf-8")
    (RULES / "shapes.json").write_text(json.dumps([{"id": f"r{i + 1:03d}", "shape": sh, "pattern": p}
                                                   for i, (sh, p) in enumerate(rules)], indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    rust = [p for sh, p in rules if sh not in pcre_only]
    (RULES / "rust.txt").write_text("".join(p + "\n" for p in rust), encoding="utf-8")
    ascii_rust = [p for p in rust if p.isascii() and "\\p{" not in p]
    (RULES / "rust-ascii.txt").write_text("".join(p + "\n" for p in ascii_rust), encoding="utf-8")
    lits = []
    for t in singles:
        lits.append(t)
    for a in alts:
        lits += a.split("|")
    for v, _ in verbs:
        lits += v.split("|")
    for p in phrases:
        lits += p.split()
    seen, literals = set(), []
    for l in lits:
        if len(l) >= 4 and l not in seen:
            seen.add(l)
            literals.append(l)
    (RULES / "literals.txt").write_text("".join(l + "\n" for l in literals), encoding="utf-8")
    hs = []
    for i, (sh, p) in enumerate(rules):
        r = relax(p)
        hs.append(f"{i + 1}\t{int(r != p)}\t{r}")
    (RULES / "hyperscan.txt").write_text("".join(l + "\n" for l in hs), encoding="utf-8")
    counts = {}
    for sh, _ in rules:
        counts[sh] = counts.get(sh, 0) + 1
    print(f"shapes.pcre {len(rules)} rules {counts}; rust {len(rust)}; rust-ascii {len(ascii_rust)}; "
          f"literals {len(literals)}; hyperscan {len(hs)} ({sum(1 for h in hs if h.split(chr(9))[1] == '1')} relaxed)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
