#!/usr/bin/env python3
"""Writes a copy of a WhatsApp export whose messages are in Cyrillic script: every ASCII letter of a message's text
(after the header's `Sender: `, and on continuation lines) becomes a Cyrillic letter by a fixed table (a -> а,
b -> б, ... capitals to capitals); headers, digits, punctuation and emoji stay. Deterministic, so the benchmark's
non-Latin row is reproducible. The text is not Russian, but it has the letters (look-alikes of Latin letters such
as а е о р с у х among them) and the word shapes of chat text.

Usage: benchmarks/cyrillic.py SRC DST"""
import re
import sys

LOWER = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопярстувшжыз"))
TABLE = {ord(k): v for k, v in LOWER.items()} | {ord(k.upper()): v.upper() for k, v in LOWER.items()}
HEADER = re.compile(r"^(\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - )(.*)$")


def convert(line):
    m = HEADER.match(line)
    if not m:
        return line.translate(TABLE)
    head, rest = m.groups()
    sender, sep, text = rest.partition(": ")
    if not sep:
        return line          # a system notice: no author, left as it is
    return head + sender + sep + text.translate(TABLE)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8", newline="") as src, open(sys.argv[2], "w", encoding="utf-8", newline="") as dst:
        for line in src:
            end = "\n" if line.endswith("\n") else ""
            dst.write(convert(line[: len(line) - len(end)]) + end)


if __name__ == "__main__":
    main()
