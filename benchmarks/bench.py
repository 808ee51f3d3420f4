#!/usr/bin/env python3
"""Runs the ChatSieve benchmark (see README.md): generates/caches the corpus, times chatsieve and its peers with
hyperfine on the same inputs and rules, measures peak RSS with /usr/bin/time -v, checks chatsieve's hits against
pcre2grep, and writes benchmarks/results/<date>-<host>.md and .json. Called by run.sh."""
import datetime
import json
import os
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
WORK = BENCH / "work"
RULES = BENCH / "rules"
BIN = os.environ.get("BENCH_BIN", str(ROOT / ".build/release/chatsieve"))
SEED = os.environ.get("BENCH_SEED", "1")
RUNS = os.environ.get("BENCH_RUNS", "3")
# chatsieve on small inputs (the 1 MB and 10 MB prefixes, start-up) takes 15-60 ms, which a shared host varies by
# +-20 % from run to run: those rows get more runs, so that their median (and the ratios to the slow peers) holds.
SHORT_RUNS = os.environ.get("BENCH_SHORT_RUNS", "21")
# Rounds of interleaved runs, for the ratios that the goals name (0 skips them): pcre2grep (about 5 s each on the mid
# prefix) then chatsieve 11 times; on the one file and the folder, ripgrep --no-unicode and chatsieve once each, in
# alternating order.
INTERLEAVED_ROUNDS = int(os.environ.get("BENCH_INTERLEAVED_ROUNDS", "5"))
# chatsieve's compiled databases go to a cache directory of the benchmark's own, emptied at the start, so that no
# row depends on what earlier scans left in the user's cache: each rule set is compiled by its first (probe) run, as
# on a machine that never scanned with it. For the shipped packs on the 1 GB corpus (just under 1 GiB) that builds
# the quick-compile form of their shadow database (README, "engine").
CACHE = WORK / "cache"
PY_HS = str(WORK / "venv/bin/python")
PCRE2_PER_RULE = str(WORK / "pcre2_per_rule")
HEADER = re.compile(rb"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - ")


def parse_size(s):
    m = re.fullmatch(r"([\d.]+)\s*([KMG]?)B?", s.strip().upper())
    if not m:
        sys.exit(f"bad size {s!r}")
    return int(float(m.group(1)) * {"": 1, "K": 10**3, "M": 10**6, "G": 10**9}[m.group(2)])


BYTES = parse_size(os.environ.get("BENCH_BYTES", "1G"))
SMALL = parse_size(os.environ.get("BENCH_SMALL", "1M"))
MID = parse_size(os.environ.get("BENCH_MID", "10M"))
# pcre2grep again on a larger prefix, where start-up (about 20 ms for chatsieve) no longer dominates; 0 skips it.
LARGE = parse_size(os.environ.get("BENCH_LARGE", "100M"))
CHECK = parse_size(os.environ.get("BENCH_CHECK", "2M"))
SIZES = [parse_size(s) for s in os.environ.get("BENCH_SIZES", "100M 200M 500M 1G").split() if parse_size(s) <= BYTES]


def human(n):
    for unit, f in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= f and n % (f // 100 if f >= 100 else 1) == 0:
            return f"{n / f:g}{unit}"
    return f"{n / 10**6:.1f}M"


def run(cmd, check=True, **kw):
    p = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {cmd}\n{p.stderr[-2000:]}")
    return p


def q(path):
    return shlex.quote(str(path))


# ---------------------------------------------------------------- inputs

def generate(label, files):
    out = WORK / (f"corpus-wa-{human(BYTES)}-s{SEED}" + ("" if files == 1 else f"-x{files}"))
    stats = out / "corpus-stats.json"
    # A corpus written by an older build may come from an older generator: made again (about 8 s per GB).
    if stats.exists() and stats.stat().st_mtime >= Path(BIN).stat().st_mtime:
        s = json.loads(stats.read_text())
        if s["bytes_requested"] == BYTES and str(s["seed"]) == SEED and len(s["files"]) == files:
            return out, s
    run(f"rm -rf {q(out)}")
    print(f"generating {label} ({human(BYTES)}, {files} file(s)) ...", file=sys.stderr)
    p = run(f"{q(BIN)} generate --format whatsapp --bytes {BYTES} --seed {SEED} --files {files} --out {q(out)}")
    print(p.stderr.strip(), file=sys.stderr)
    return out, json.loads(stats.read_text())


def prefix(src, nbytes):
    """A byte prefix of the corpus cut back to the last complete line (cached), with its message count."""
    dst = WORK / f"prefix-{human(nbytes)}-s{SEED}.txt"
    if not dst.exists() or dst.stat().st_size > nbytes or dst.stat().st_mtime < Path(src).stat().st_mtime:
        with open(src, "rb") as f:
            data = f.read(nbytes)
        data = data[: data.rfind(b"\n") + 1]
        dst.write_bytes(data)
    data = dst.read_bytes()
    messages = sum(1 for line in data.split(b"\n") if HEADER.match(line))
    return dst, len(data), messages


# ---------------------------------------------------------------- measuring

def probe(cmd):
    """One run under /usr/bin/time -v: exit code, stdout, peak RSS (MiB)."""
    p = subprocess.run(["/usr/bin/time", "-v", "bash", "-c", cmd], capture_output=True, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    rss = round(int(m.group(1)) / 1024, 1) if m else None
    return p.returncode, p.stdout, p.stderr, rss


def count_from(tool, stdout):
    if tool.startswith("chatsieve"):
        return None
    nums = [int(x.rsplit(":", 1)[-1]) for x in stdout.split() if x.rsplit(":", 1)[-1].isdigit()]
    return sum(nums) if nums else 0


def interleaved(fast_cmd, slow_cmd, rounds, fast_runs=11, alternate=False):
    """The ratio of a peer to chatsieve with the host's slow phases shared: each round runs the peer (slow_cmd)
    once, then chatsieve fast_runs times (their median), and the ratio is taken per round. A block of runs measured
    minutes apart from the peer's (as hyperfine does) can land in a busier or quieter phase of a shared host.
    alternate: every other round runs chatsieve first (for pairs of single runs of similar length)."""
    argv = {c: shlex.split(c) for c in (fast_cmd, slow_cmd)}  # no shell in the timed process

    def timed(cmd):
        t = time.perf_counter()
        subprocess.run(argv[cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t
    for _ in range(3 if fast_runs > 1 else 1):
        timed(fast_cmd)
    out = []
    for k in range(rounds):
        if alternate and k % 2:
            fast = statistics.median(timed(fast_cmd) for _ in range(fast_runs))
            slow = timed(slow_cmd)
        else:
            slow = timed(slow_cmd)
            fast = statistics.median(timed(fast_cmd) for _ in range(fast_runs))
        out.append({"slow_s": slow, "fast_s": fast, "ratio": slow / fast})
    return {"rounds": out, "fast_runs": fast_runs, "fast_cmd": fast_cmd, "slow_cmd": slow_cmd, "alternate": alternate,
            "median_ratio": statistics.median(r["ratio"] for r in out),
            "median_fast_s": statistics.median(r["fast_s"] for r in out),
            "median_slow_s": statistics.median(r["slow_s"] for r in out)}


def short(r):
    """A row for a command of a few tens of milliseconds: SHORT_RUNS runs after 3 warm-ups."""
    r.update(runs=SHORT_RUNS, warmup="3")
    return r


def measure(section, rows):
    """rows: dicts with tool, cmd, input, bytes, messages, and optionally runs and warmup (for peers that take
    minutes). Probes each, then one hyperfine run per (runs, warmup) group of the rows that work."""
    ok = []
    for r in rows:
        rc, out, err, rss = probe(r["cmd"])
        r["rss_mib"] = rss
        r["exit"] = rc
        if rc not in (0, 1):
            own = err.split("\tCommand being timed")[0].strip().splitlines()
            r["error"] = f"exit {rc}: " + " ".join(own[:2])[:300]
            print(f"  {r['tool']}: FAILED ({r['error']})", file=sys.stderr)
            continue
        r["matching_lines"] = count_from(r["tool"], out)
        if r["tool"].startswith("hyperscan"):
            stats = [json.loads(l) for l in err.splitlines() if l.startswith("{")]
            if stats:
                r["hyperscan"] = stats
                r["scan_only_s"] = round(sum(s["scan_s"] for s in stats), 3)
        ok.append(r)
    groups = {}
    for r in ok:
        groups.setdefault((r.get("runs", RUNS), r.get("warmup", "1")), []).append(r)
    for k, ((runs, warmup), group) in enumerate(groups.items()):
        export = WORK / f"hyperfine-{section}{'' if k == 0 else f'-{k + 1}'}.json"
        cmd = ["hyperfine", "--warmup", warmup, "--runs", runs, "-i", "--export-json", str(export), "--style", "basic"]
        for r in group:
            cmd += ["-n", r["tool"], r["cmd"]]
        print(f"[{section}] hyperfine over {len(group)} commands ({runs} runs) ...", file=sys.stderr)
        subprocess.run(cmd, stdout=sys.stderr, check=True)
        for r, res in zip(group, json.loads(export.read_text())["results"]):
            r["runs"] = runs
            r["median_s"] = res["median"]
            r["min_s"] = res["min"]
            r["max_s"] = res["max"]
            r["mb_s"] = r["bytes"] / 1e6 / res["median"]
            r["msgs_s"] = r["messages"] / res["median"] if r.get("messages") else None
            if "scan_only_s" in r:
                r["scan_only_mb_s"] = r["bytes"] / 1e6 / r["scan_only_s"] if r["scan_only_s"] else None
    # ratio to chatsieve on the same input (speed of chatsieve / speed of the peer)
    for r in rows:
        base = next((b for b in rows if b["tool"].startswith("chatsieve") and b["input"] == r["input"]
                     and "median_s" in b and b.get("ruleset") == r.get("ruleset")), None)
        if base and "mb_s" in r:
            r["chatsieve_x"] = base["mb_s"] / r["mb_s"]
    if section == "curves":  # here the column is the speed-up over --threads 1 on the same input
        for r in rows:
            base = next((b for b in rows if b["input"] == r["input"] and "--threads 1" in b["cmd"] and "mb_s" in b), None)
            r["chatsieve_x"] = r["mb_s"] / base["mb_s"] if base and "mb_s" in r else None
    if section == "script":  # here the column is the time of the first row (the English text) over the row's time
        first = rows[0] if rows and "median_s" in rows[0] else None
        for r in rows:
            r["chatsieve_x"] = first["median_s"] / r["median_s"] if first and "median_s" in r else None
    for r in rows:
        r["section"] = section
    return rows


# ---------------------------------------------------------------- machine

def kernels():
    """chatsieve's `--profile` line naming the SIMD loops it picked on this processor (the skeleton writer)."""
    probe = WORK / "kernels-probe.txt"
    probe.write_text("12/03/2024, 10:15 - Sam: hello\n", encoding="utf-8")
    p = run(f"{q(BIN)} scan --patterns {q(RULES / 'shapes.pcre')} --ignore-case --format whatsapp {q(probe)} "
            "--jsonl /dev/null --profile", check=False)
    line = next((l for l in (p.stdout + p.stderr).splitlines() if l.startswith("profile: kernels: ")), None)
    return line[len("profile: kernels: "):] if line else "n/a"


def machine():
    def first(cmd):
        p = run(cmd, check=False)
        return (p.stdout or p.stderr).strip().splitlines()[0] if (p.stdout or p.stderr).strip() else "n/a"
    lscpu = run("lscpu", check=False).stdout
    model = re.search(r"Model name:\s*(.+)", lscpu)
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    osr = re.search(r'PRETTY_NAME="(.+)"', Path("/etc/os-release").read_text())
    hs = run(f"{PY_HS} -c 'import hyperscan,importlib.metadata as m; print(m.version(\"hyperscan\"))'", check=False).stdout.strip()
    return {
        "host": socket.gethostname(),
        "cpu": model.group(1).strip() if model else "n/a",
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem.group(1)) / 1024**2, 1) if mem else None,
        "os": osr.group(1) if osr else "n/a",
        "kernel": first("uname -r"),
        "flags_avx2": "avx2" in lscpu, "flags_avx512": "avx512" in lscpu, "kernels": kernels(),
        "versions": {
            "chatsieve": first(f"{q(BIN)} --version"), "swift": first("swift --version 2>&1"),
            "ripgrep": first("rg --version"), "pcre2grep": first("pcre2grep --version"),
            "hyperfine": first("hyperfine --version"), "gcc": first("gcc --version"),
            "libpcre2-8": first("pkg-config --modversion libpcre2-8"), "hyperscan (python)": hs or "n/a",
            "libhs": first("pkg-config --modversion libhs"),
        },
    }


def load():
    la = Path("/proc/loadavg").read_text().split()[:3]
    top = run("ps -eo pcpu,comm --sort=-pcpu | head -6", check=False).stdout.strip().splitlines()[1:]
    return {"loadavg": " ".join(la), "top": [t.strip() for t in top]}


# ---------------------------------------------------------------- correctness

def correctness(mid_path):
    """chatsieve hit lines for shapes.pcre vs pcre2grep -u (UTF) on the same prefix. pcre2grep reports physical
    lines; chatsieve reports the line where a message starts, so pcre2grep's lines are mapped to their message."""
    data = mid_path.read_bytes().split(b"\n")
    msg_start, current = [], 1
    for i, line in enumerate(data, 1):
        if HEADER.match(line):
            current = i
        msg_start.append(current)
    p = run(f"pcre2grep -n -u -i -f {q(RULES / 'shapes.pcre')} {q(mid_path)}", check=False)
    grep_lines = {int(l.split(":", 1)[0]) for l in p.stdout.splitlines() if l.split(":", 1)[0].isdigit()}
    grep_msgs = {msg_start[l - 1] for l in grep_lines}
    out = WORK / "correctness-chatsieve.jsonl"
    c = run(f"{q(BIN)} scan --patterns {q(RULES / 'shapes.pcre')} --ignore-case --format whatsapp {q(mid_path)} "
            f"--jsonl {q(out)}", check=False)
    result = {"input": mid_path.name, "pcre2grep_lines": len(grep_lines), "pcre2grep_messages": len(grep_msgs)}
    if c.returncode not in (0, 1) or not out.exists():
        result["chatsieve_error"] = (c.stderr.strip().splitlines() or ["exit %d" % c.returncode])[-1][:300]
        return result
    cs_msgs = set()
    hits = 0
    for line in out.read_text().splitlines():
        if line.strip():
            hits += 1
            hit_line = json.loads(line)["line"]
            cs_msgs.add(msg_start[hit_line - 1] if 0 < hit_line <= len(msg_start) else hit_line)
    result.update({"chatsieve_hits": hits, "chatsieve_messages": len(cs_msgs),
                   "only_pcre2grep": sorted(grep_msgs - cs_msgs)[:20], "only_chatsieve": sorted(cs_msgs - grep_msgs)[:20],
                   "agree": grep_msgs == cs_msgs,
                   "only_pcre2grep_text": [data[l - 1].decode("utf-8", "replace")[:160] for l in sorted(grep_msgs - cs_msgs)[:5]]})
    return result


# ---------------------------------------------------------------- the run

def row(tool, cmd, inp, nbytes, messages, ruleset="shapes"):
    return {"tool": tool, "cmd": cmd, "input": inp, "bytes": nbytes, "messages": messages, "ruleset": ruleset}


def main():
    started = datetime.datetime.now(datetime.timezone.utc)
    shutil.rmtree(CACHE, ignore_errors=True)
    os.environ["XDG_CACHE_HOME"] = str(CACHE)
    info = machine()
    load_before = load()
    single_dir, single_stats = generate("single file", 1)
    folder_dir, folder_stats = generate("8-file folder", 8)
    corpus = single_dir / single_stats["files"][0]
    folder_files = " ".join(q(folder_dir / f) for f in folder_stats["files"])
    nbytes, nmsgs = single_stats["bytes_written"], single_stats["messages"]
    label = f"{human(BYTES)} ({corpus.name})"
    flabel = f"8 files, {human(BYTES)} total"
    shapes, lits, ascii_, rust, hs = (q(RULES / f) for f in ("shapes.pcre", "literals.txt", "rust-ascii.txt", "rust.txt", "hyperscan.txt"))
    packs = ROOT / "rules"
    cs = q(BIN)
    sections = []

    def cs_scan(inp, extra="", jsonl="/dev/null"):
        return f"{cs} scan --patterns {shapes} --ignore-case --format whatsapp {inp} --jsonl {jsonl}{extra}"

    # 1. one big file
    rows = [row("floor: wc -l", f"wc -l {q(corpus)}", label, nbytes, nmsgs),
            row("chatsieve (shapes.pcre)", cs_scan(q(corpus)), label, nbytes, nmsgs),
            row("chatsieve engine only (shapes.pcre, --min-severity critical: every hit confirmed, none reported)",
                cs_scan(q(corpus), " --min-severity critical"), label, nbytes, nmsgs),
            # A file output also gets the evidence manifest: the SHA-256 of the input (skipped for /dev/null alone),
            # and the JSON Lines written to disk and hashed.
            row("chatsieve (shapes.pcre, --jsonl FILE: hits on disk, manifest with the input's SHA-256)",
                cs_scan(q(corpus), jsonl=q(WORK / 'hits.jsonl')), label, nbytes, nmsgs)]
    if packs.is_dir() and any(packs.rglob("*.y*ml")):
        rows.append(row("chatsieve (shipped packs; quick-compile shadow form, as built for inputs under 1 GiB)", f"{cs} scan --rules {q(packs)} --format whatsapp {q(corpus)} --jsonl /dev/null",
                        label, nbytes, nmsgs, ruleset="packs"))
    rows += [row("ripgrep -F literals", f"rg -c -i -F -f {lits} {q(corpus)}", label, nbytes, nmsgs),
             row("ripgrep --no-unicode (ASCII Rust subset)", f"rg -c -i --no-unicode -f {ascii_} {q(corpus)}", label, nbytes, nmsgs),
             row("hyperscan (python, whole process)", f"{PY_HS} {q(BENCH / 'peers/hyperscan_scan.py')} {hs} {shapes} {q(corpus)}",
                 label, nbytes, nmsgs)]
    sections.append(("single", "One file", measure("single", rows)))
    paired = {}
    if INTERLEAVED_ROUNDS > 0:
        print(f"[single] ripgrep --no-unicode and chatsieve interleaved, {INTERLEAVED_ROUNDS} rounds ...", file=sys.stderr)
        paired["single"] = interleaved(cs_scan(q(corpus)), f"rg -c -i --no-unicode -f {ascii_} {q(corpus)}",
                                       INTERLEAVED_ROUNDS, fast_runs=1, alternate=True)

    # 2. folder of 8 files, 2 threads
    rows = [row("chatsieve --threads 2", cs_scan(folder_files, " --threads 2"), flabel, folder_stats["bytes_written"], folder_stats["messages"]),
            row("ripgrep -F literals -j2", f"rg -j2 -c -i -F -f {lits} {folder_files}", flabel, folder_stats["bytes_written"], folder_stats["messages"]),
            row("ripgrep --no-unicode -j2", f"rg -j2 -c -i --no-unicode -f {ascii_} {folder_files}", flabel,
                folder_stats["bytes_written"], folder_stats["messages"]),
            row("hyperscan, 2 processes", f"printf '%s\\0' {folder_files} | xargs -0 -n4 -P2 {PY_HS} "
                f"{q(BENCH / 'peers/hyperscan_scan.py')} {hs} {shapes}", flabel, folder_stats["bytes_written"], folder_stats["messages"])]
    sections.append(("folder", "Folder of 8 files, 2 threads", measure("folder", rows)))
    if INTERLEAVED_ROUNDS > 0:
        print(f"[folder] ripgrep --no-unicode -j2 and chatsieve interleaved, {INTERLEAVED_ROUNDS} rounds ...", file=sys.stderr)
        paired["folder"] = interleaved(cs_scan(folder_files, " --threads 2"),
                                       f"rg -j2 -c -i --no-unicode -f {ascii_} {folder_files}",
                                       INTERLEAVED_ROUNDS, fast_runs=1, alternate=True)

    # 3. slow peers on prefixes
    small, sbytes, smsgs = prefix(corpus, SMALL)
    rows = [short(row("chatsieve (shapes.pcre)", cs_scan(q(small)), small.name, sbytes, smsgs)),
            row("ripgrep -P (PCRE2 JIT, UTF+UCP)", f"rg -c -i -P -f {shapes} {q(small)}", small.name, sbytes, smsgs)]
    sections.append(("small", f"Small prefix ({human(SMALL)}): rg -P", measure("small", rows)))
    mid, mbytes, mmsgs = prefix(corpus, MID)
    rows = [short(row("chatsieve (shapes.pcre)", cs_scan(q(mid)), mid.name, mbytes, mmsgs)),
            row("pcre2grep (JIT, each pattern per line)", f"pcre2grep -c -i -f {shapes} {q(mid)}", mid.name, mbytes, mmsgs),
            row("PCRE2 JIT, one pass per rule (C)", f"{PCRE2_PER_RULE} {shapes} {q(mid)}", mid.name, mbytes, mmsgs),
            row("ripgrep --no-unicode (ASCII Rust subset)", f"rg -c -i --no-unicode -f {ascii_} {q(mid)}", mid.name, mbytes, mmsgs)]
    sections.append(("mid", f"Mid prefix ({human(MID)}): pcre2grep and one PCRE2 pass per rule", measure("mid", rows)))
    if INTERLEAVED_ROUNDS > 0:
        print(f"[mid] pcre2grep and chatsieve interleaved, {INTERLEAVED_ROUNDS} rounds ...", file=sys.stderr)
        paired["mid"] = interleaved(cs_scan(q(mid)), f"pcre2grep -c -i -f {shapes} {q(mid)}", INTERLEAVED_ROUNDS)
    if packs.is_dir():
        # The shipped packs on the mid prefix and on the same prefix in Cyrillic script (benchmarks/cyrillic.py), one
        # thread: what a chat in another script costs the normalising rules.
        cyr = WORK / f"{mid.stem}-cyrillic.txt"
        if not cyr.exists() or cyr.stat().st_mtime < mid.stat().st_mtime:
            run(f"{q(sys.executable)} {q(BENCH / 'cyrillic.py')} {q(mid)} {q(cyr)}")
        rows = [short(row("chatsieve (shipped packs, --threads 1), English", f"{cs} scan --rules {q(packs)} --format whatsapp "
                          f"{q(mid)} --jsonl /dev/null --threads 1", mid.name, mbytes, mmsgs, ruleset="packs")),
                short(row("chatsieve (shipped packs, --threads 1), the same messages in Cyrillic letters",
                          f"{cs} scan --rules {q(packs)} --format whatsapp {q(cyr)} --jsonl /dev/null --threads 1", cyr.name,
                          cyr.stat().st_size, mmsgs, ruleset="packs"))]
        sections.append(("script", "Another script: the shipped packs on the mid prefix in Cyrillic letters", measure("script", rows)))
    if 0 < LARGE < nbytes:
        # pcre2grep takes about 45 s per 100 MB: one timed run after the probe run (which warms the page cache);
        # chatsieve gets the usual runs.
        large, lbytes, lmsgs = prefix(corpus, LARGE)
        slow = row("pcre2grep (JIT, each pattern per line)", f"pcre2grep -c -i -f {shapes} {q(large)}", large.name, lbytes, lmsgs)
        slow.update(runs="1", warmup="0")
        rows = [row("chatsieve (shapes.pcre)", cs_scan(q(large)), large.name, lbytes, lmsgs), slow]
        sections.append(("large", f"Large prefix ({human(LARGE)}): pcre2grep (one timed run)", measure("large", rows)))

    # 4. throughput vs input size and threads
    rows = []
    for size in SIZES:
        if size >= nbytes:
            p, b, m = corpus, nbytes, nmsgs
        else:
            p, b, m = prefix(corpus, size)
        rows.append(row(f"chatsieve {human(size)} --threads 1", cs_scan(q(p), " --threads 1"), p.name, b, m))
        rows.append(row(f"chatsieve {human(size)} --threads 2", cs_scan(q(p), " --threads 2"), p.name, b, m))
    rows.append(row("chatsieve folder --threads 1", cs_scan(folder_files, " --threads 1"), flabel,
                    folder_stats["bytes_written"], folder_stats["messages"]))
    sections.append(("curves", "Throughput vs input size and threads", measure("curves", rows)))

    # 5. start-up with the compiled database cached (tiny input)
    tiny = ROOT / "corpora/demo/WhatsApp Chat with Response Team 4.txt"
    if tiny.exists():
        rows = [short(row("chatsieve start-up (shapes.pcre, tiny input)", cs_scan(q(tiny)), tiny.name, tiny.stat().st_size, 320))]
        if packs.is_dir():
            rows.append(short(row("chatsieve start-up (shipped packs, tiny input)",
                                  f"{cs} scan --rules {q(packs)} --format whatsapp {q(tiny)} --jsonl /dev/null", tiny.name,
                                  tiny.stat().st_size, 320, ruleset="packs")))
        sections.append(("startup", "Start-up (compiled database cached by the warm-up run)", measure("startup", rows)))

    check = correctness(prefix(corpus, CHECK)[0])
    result = {"started": started.isoformat(timespec="seconds"),
              "ended": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": info, "load_before": load_before, "load_after": load(),
              "corpus": {"single": single_stats, "folder": folder_stats, "seed": SEED},
              "runs": RUNS, "short_runs": SHORT_RUNS, "interleaved": paired, "sections": [{"id": s, "title": t, "rows": r} for s, t, r in sections], "correctness": check}
    stamp = started.strftime("%Y-%m-%d")
    base = BENCH / "results" / f"{stamp}-{info['host']}"
    n = 2
    while base.with_suffix(".md").exists() or base.with_suffix(".json").exists():  # a second run that day: keep both
        base = BENCH / "results" / f"{stamp}-{info['host']}-{n}"
        n += 1
    base.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    base.with_suffix(".md").write_text(report(result))
    print(f"wrote {base}.md and .json", file=sys.stderr)


def fmt(v, digits=0):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def report(r):
    m = r["machine"]
    out = [f"# ChatSieve benchmark, {r['started'][:10]} on {m['host']}", "",
           "Generated by `make bench` (`benchmarks/run.sh` → `benchmarks/bench.py`). MB = 10^6 bytes. Every time is the "
           f"hyperfine median of {r['runs']} runs after 1 warm-up (chatsieve on the small and mid prefixes and at start-up: "
           f"{r.get('short_runs', r['runs'])} runs after 3 warm-ups, as a process of a few tens of milliseconds varies by "
           "about 20 % from run to run on a shared host), whole process, input in the page cache; chatsieve's compiled "
           "databases in a cache directory of the benchmark's own, emptied at the start and filled by each rule set's "
           "first (untimed) run. "
           "`chatsieve ×` = chatsieve's MB/s divided by the row's MB/s on the same input in this run (above 1: chatsieve is faster).",
           "", "## Machine", "",
           f"* CPU: {m['cpu']}, {m['cores']} cores (AVX2: {m['flags_avx2']}, AVX-512: {m['flags_avx512']}; chatsieve's "
           f"{m.get('kernels', 'n/a')}); RAM {m['ram_gib']} GiB; "
           f"{m['os']}, kernel {m['kernel']}",
           "* Versions: " + "; ".join(f"{k} `{v}`" for k, v in m["versions"].items()),
           f"* Load average before: {r['load_before']['loadavg']}, after: {r['load_after']['loadavg']} "
           f"(the machine is shared; busiest processes before: {', '.join(r['load_before']['top'][:4])})", "",
           "## Corpus", ""]
    s, f = r["corpus"]["single"], r["corpus"]["folder"]
    out += [f"* One file: {s['files'][0]}: {s['bytes_written']:,} bytes, {s['messages']:,} messages "
            f"({s['planted']:,} planted, {s['near_misses']:,} near-misses), seed {s['seed']}",
            f"* Folder: {len(f['files'])} files, {f['bytes_written']:,} bytes, {f['messages']:,} messages",
            f"* Made with `chatsieve generate --format whatsapp --bytes {s['bytes_requested']} --seed {s['seed']} [--files 8] --out DIR`; "
            "prefixes are byte prefixes of the one-file corpus cut back to the last complete line.", ""]
    for sec in r["sections"]:
        last = {"curves": "× --threads 1", "script": "time of English ÷ time"}.get(sec["id"], "chatsieve ×")
        out += [f"## {sec['title']}", "",
                f"| # | tool | input | median s (min–max) | MB/s | messages/s | peak RSS MiB | matching lines | {last} |",
                "|---|---|---|---|---|---|---|---|---|"]
        cmds = []
        for i, row in enumerate(sec["rows"], 1):
            if "median_s" in row:
                t = f"{row['median_s']:.3f} ({row['min_s']:.3f}–{row['max_s']:.3f})"
                extra = ""
                if row.get("scan_only_mb_s"):
                    extra = f" (scan only {row['scan_only_mb_s']:,.0f})"
                out.append(f"| {i} | {row['tool']} | {row['input']} | {t} | {row['mb_s']:,.1f}{extra} | {fmt(row.get('msgs_s'))} | "
                           f"{fmt(row.get('rss_mib'), 1)} | {fmt(row.get('matching_lines'))} | {fmt(row.get('chatsieve_x'), 2)} |")
            else:
                out.append(f"| {i} | {row['tool']} | {row['input']} | failed: {row.get('error', '?')} | | | | | |")
            cmds.append(f"{i}. `{row['cmd']}`")
        out += ["", "Commands:", ""] + cmds + [""]
        iv = r.get("interleaved", {}).get(sec["id"])
        if iv is None and sec["id"] == "mid":
            iv = r.get("pcre2grep_interleaved")  # result files before the one-file and folder rounds
        if iv:
            per = ", ".join(f"{x['ratio']:.0f}" if x["ratio"] >= 10 else f"{x['ratio']:.2f}" for x in iv["rounds"])
            ratio = f"{iv['median_ratio']:.0f}" if iv["median_ratio"] >= 10 else f"{iv['median_ratio']:.2f}"
            if iv["fast_runs"] > 1:
                how = f"each pcre2grep once then chatsieve {iv['fast_runs']} times"
                times = f"pcre2grep {iv['median_slow_s']:.3f} s, chatsieve {iv['median_fast_s'] * 1000:.1f} ms"
                same = "rows 1 and 2"
            else:
                how = "each ripgrep --no-unicode once and chatsieve once, chatsieve first in every other round"
                times = f"ripgrep {iv['median_slow_s']:.3f} s, chatsieve {iv['median_fast_s']:.3f} s"
                same = "the chatsieve row and the ripgrep --no-unicode row"
            out += [f"Interleaved ({len(iv['rounds'])} rounds, {how}, ratio per round): {times} (medians); "
                    f"**chatsieve × {ratio}** (rounds: {per}). Same commands as {same}.", ""]
    c = r["correctness"]
    out += ["## Correctness check (shapes.pcre on the check prefix, pcre2grep in UTF mode)", ""]
    if "chatsieve_error" in c:
        out.append(f"chatsieve failed: {c['chatsieve_error']}; pcre2grep -u: {c['pcre2grep_lines']} lines in "
                   f"{c['pcre2grep_messages']} messages.")
    else:
        out.append("Both sides are compared as sets of messages (the line where each matching message starts). "
                   f"pcre2grep -u: {c['pcre2grep_lines']} matching lines in {c['pcre2grep_messages']} messages; chatsieve: "
                   f"{c['chatsieve_hits']} hits in {c['chatsieve_messages']} messages. Same messages: **{c['agree']}**"
                   + ("" if c["agree"] else f" (only pcre2grep: {c['only_pcre2grep']}; only chatsieve: {c['only_chatsieve']})"))
        for t in c.get("only_pcre2grep_text", []):
            out.append(f"* only pcre2grep: `{t.encode('unicode_escape').decode('ascii')}`")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    main()
