#!/usr/bin/env bash
# ChatSieve benchmark: chatsieve against ripgrep (-F, --no-unicode, -P), pcre2grep, Hyperscan (Python binding) and
# one PCRE2 JIT pass per rule, on the same generated corpus and rules, in one run. `make bench` calls this.
# Environment: BENCH_BYTES (default 1G), BENCH_SEED (1), BENCH_RUNS (3), BENCH_SIZES ("100M 200M 500M 1G"),
#              BENCH_SMALL (1M, for rg -P), BENCH_MID (10M, for pcre2grep and one PCRE2 pass per rule),
#              BENCH_CHECK (2M, chatsieve vs pcre2grep -u hit check),
#              BENCH_BIN (default .build/release/chatsieve), BENCH_NO_BUILD=1 to skip `make release`.
# CI does not run this (it takes minutes and wants a quiet machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${BENCH_NO_BUILD:-0}" != 1 ]]; then
  make release
fi
mkdir -p benchmarks/work benchmarks/results
# Hyperscan's Python binding lives in a venv under benchmarks/work (git-ignored).
if [[ ! -x benchmarks/work/venv/bin/python ]] || ! benchmarks/work/venv/bin/python -c 'import hyperscan' 2>/dev/null; then
  python3 -m venv benchmarks/work/venv
  benchmarks/work/venv/bin/pip install -q hyperscan
fi
gcc -O2 -o benchmarks/work/pcre2_per_rule benchmarks/peers/pcre2_per_rule.c -lpcre2-8
python3 benchmarks/make_rules.py
exec python3 benchmarks/bench.py "$@"
