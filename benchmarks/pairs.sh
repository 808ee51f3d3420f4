#!/bin/bash
# Paired runs of two chatsieve builds, alternately, on one input; prints each build's medians and the median of the
# per-pair ratios B/A (user CPU and wall), which resists a shared host's slow phases better than separate medians.
# Usage: benchmarks/pairs.sh A B N [INPUT]   (builds are $CS_DIR/cs-A and $CS_DIR/cs-B; CS_DIR defaults to /tmp;
# INPUT defaults to benchmarks/work/prefix-200M-s1.txt, made by `make bench`; a path without spaces).
cd "$(dirname "$0")/.."
A=$1; B=$2; N=$3; P=${4:-benchmarks/work/prefix-200M-s1.txt}
R=benchmarks/rules/shapes.pcre
cat "$P" > /dev/null
for i in $(seq "$N"); do
  for b in "$A" "$B"; do
    /usr/bin/time -f "$b %e %U" "${CS_DIR:-/tmp}/cs-$b" scan --patterns $R --ignore-case --format whatsapp "$P" --jsonl /dev/null 2>&1 | tail -1
  done
done | python3 -c "
import sys, statistics as s
rows = [l.split() for l in sys.stdin]
a = [r for r in rows if r[0] == '$A']; b = [r for r in rows if r[0] == '$B']
for name, v in (('$A', a), ('$B', b)):
    print(f'{name}: wall median {s.median(float(x[1]) for x in v):.3f} s, user median {s.median(float(x[2]) for x in v):.3f} s')
ru = [float(y[2]) / float(x[2]) for x, y in zip(a, b)]; rw = [float(y[1]) / float(x[1]) for x, y in zip(a, b)]
print(f'$B/$A per pair: user median {s.median(ru):.3f} (min {min(ru):.3f}, max {max(ru):.3f}), wall median {s.median(rw):.3f}')
"
