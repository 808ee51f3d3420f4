#!/bin/bash
# Interleaved rounds on the 1 GB export and the 8-file folder: ripgrep --no-unicode, chatsieve at session start (old), now (new).
# Usage: copy the two builds to compare to $CS_DIR/cs-old and $CS_DIR/cs-new (CS_DIR defaults to /tmp), generate the
# corpora as `make bench` does (benchmarks/work/corpus-wa-1G-s1 and -x8), then run this; it prints one line per run:
# "<input> <tool> <wall s> <user s>".
cd "$(dirname "$0")/.."
F="benchmarks/work/corpus-wa-1G-s1/WhatsApp Chat with Sunday League Lads.txt"
D=benchmarks/work/corpus-wa-1G-s1-x8
cat "$F" $D/*.txt > /dev/null
for i in 1 2 3 4 5; do
  /usr/bin/time -f "file rg %e %U" rg -c -i --no-unicode -f benchmarks/rules/rust-ascii.txt "$F" 2>&1 >/dev/null | tail -1
  for b in old new; do
    /usr/bin/time -f "file $b %e %U" ${CS_DIR:-/tmp}/cs-$b scan --patterns benchmarks/rules/shapes.pcre --ignore-case --format whatsapp "$F" --jsonl /dev/null 2>&1 | tail -1
  done
  /usr/bin/time -f "folder rg %e %U" rg -j2 -c -i --no-unicode -f benchmarks/rules/rust-ascii.txt $D/*.txt 2>&1 >/dev/null | tail -1
  for b in old new; do
    /usr/bin/time -f "folder $b %e %U" ${CS_DIR:-/tmp}/cs-$b scan --patterns benchmarks/rules/shapes.pcre --ignore-case --format whatsapp $D/*.txt --jsonl /dev/null --threads 2 2>&1 | tail -1
  done
done
