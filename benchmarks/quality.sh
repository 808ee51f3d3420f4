#!/usr/bin/env bash
# Rule-pack quality: scores the shipped packs with ../shared/tools/eval_quality.py on the labelled development data,
# and on the hand-written Hotton-style sets in corpora/quality/. Writes benchmarks/results/quality-<date>.md.
#
#   benchmarks/quality.sh                 # uses .build/release/chatsieve and rules/
#   BIN=path/to/chatsieve RULES=rules/core benchmarks/quality.sh
#   SETS_ONLY=1 benchmarks/quality.sh     # only the hand-written sets (seconds, not minutes)
#
# Tasks:
#   any   : every hit counts (all categories, all severities) -> davidson/any, hatexplain/any
#   disc  : only the discriminatory categories (racism, homophobia, religious_hate, ableism, and misogyny at
#           high/critical severity) -> davidson/hate and hatexplain/hate. See corpora/quality/README.md for why.
#   hotton: share of corpora/quality/hotton-abusive.tsv flagged (goal >= 95%) and of hotton-ordinary.txt
#           flagged (goal <= 5%), counted two ways: any hit, and hits of severity >= low (profanity is info).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/chatsieve}
RULES=${RULES:-rules}
EVAL=${EVAL:-}
for c in "$EVAL" ../shared/tools/eval_quality.py /work/shared/tools/eval_quality.py; do
  if [ -n "$c" ] && [ -f "$c" ]; then EVAL=$c; break; fi
done
[ -f "$EVAL" ] || { echo "eval_quality.py not found (set EVAL=...)" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not built (make release)" >&2; exit 2; }
DATE=$(date -u +%Y-%m-%d)
OUT=${OUT:-benchmarks/results/quality-$DATE.md}
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

SCAN="$BIN scan --quiet --no-cache --rules $RULES --format lines {input} --jsonl -"
CMD_ANY="$SCAN | python3 benchmarks/quality_filter.py any"
CMD_DISC="$SCAN | python3 benchmarks/quality_filter.py disc"

if [ -z "${SETS_ONLY:-}" ]; then
  echo "== eval: all categories" >&2
  python3 "$EVAL" --name "chatsieve any category" --cmd "$CMD_ANY" > "$TMP/any.txt"
  echo "== eval: discriminatory categories" >&2
  python3 "$EVAL" --name "chatsieve discriminatory" --cmd "$CMD_DISC" > "$TMP/disc.txt"
else
  echo "(skipped: SETS_ONLY set)" > "$TMP/any.txt"; cp "$TMP/any.txt" "$TMP/disc.txt"
fi

echo "== hotton-style sets" >&2
: > "$TMP/hotton.txt"
for pair in hotton:"main set" heldout:"held-out set 1" heldout2:"held-out set 2"; do
  key=${pair%%:*}; label=${pair#*:}
  if [ $key = hotton ]; then abf=corpora/quality/hotton-abusive.tsv; orf=corpora/quality/hotton-ordinary.txt
  else abf=corpora/quality/$key-abusive.tsv; orf=corpora/quality/$key-ordinary.txt; fi
  cut -f2 "$abf" > "$TMP/$key.abusive.txt"
  for mode in any low; do
    ${SCAN//\{input\}/$TMP/$key.abusive.txt} | python3 benchmarks/quality_filter.py $mode > "$TMP/$key.abusive.$mode.json"
    ${SCAN//\{input\}/$orf} | python3 benchmarks/quality_filter.py $mode > "$TMP/$key.ordinary.$mode.json"
  done
  python3 - "$TMP" "$key" "$label" "$abf" "$orf" >> "$TMP/hotton.txt" <<'PY'
import json, sys
tmp, key, label, abf, orf = sys.argv[1:6]
ab = [l.split("\t", 1) for l in open(abf, encoding="utf-8").read().splitlines() if l.strip()]
ordn = [l for l in open(orf, encoding="utf-8").read().splitlines()]
def load(p): return {json.loads(l)["line"]: json.loads(l)["categories"] for l in open(p) if l.strip()}
print(f"### {label} ({abf}, {orf})\n")
print("| set | messages | flagged (any hit) | flagged (severity >= low) | goal |")
print("|---|---|---|---|---|")
for name, rows, goal in (("abusive", ab, ">= 95 %"), ("ordinary", ordn, "<= 5 %")):
    a, l = load(f"{tmp}/{key}.{name}.any.json"), load(f"{tmp}/{key}.{name}.low.json")
    print(f"| {name} | {len(rows)} | {len(a)} ({100*len(a)/len(rows):.1f} %) | {len(l)} ({100*len(l)/len(rows):.1f} %) | {goal} |")
a = load(f"{tmp}/{key}.abusive.any.json")
right = sum(1 for i, (cat, _) in enumerate(ab, 1) if cat in a.get(i, []))
print(f"\nAbusive messages flagged with their expected category: {right}/{len(ab)} ({100*right/len(ab):.1f} %).")
miss = [t for i, (c, t) in enumerate(ab, 1) if i not in a]
if miss: print("\nMissed abusive messages:\n" + "\n".join(f"* {t}" for t in miss))
o = load(f"{tmp}/{key}.ordinary.any.json")
if o: print("\nFlagged ordinary messages:\n" + "\n".join(f"* {ordn[i-1]} -> {', '.join(c)}" for i, c in sorted(o.items())))
print()
PY
done

{
  echo "# Rule-pack quality, $DATE"
  echo
  echo "Packs: \`$RULES\` ($(git rev-parse --short HEAD 2>/dev/null || echo '?')). Binary: \`$BIN\`."
  echo "Development data only (../shared/data); the packs are also judged on unseen halves and other data."
  echo
  echo "## All categories (davidson/any, hatexplain/any)"
  echo
  echo '```'
  echo "python3 $EVAL --cmd '$CMD_ANY'"
  cat "$TMP/any.txt"
  echo '```'
  echo
  echo "## Discriminatory categories only (davidson/hate, hatexplain/hate)"
  echo
  echo '```'
  echo "python3 $EVAL --cmd '$CMD_DISC'"
  cat "$TMP/disc.txt"
  echo '```'
  echo
  echo "## Hotton-style sets (corpora/quality)"
  echo
  cat "$TMP/hotton.txt"
} > "$OUT"
cat "$OUT"
echo "written $OUT" >&2
