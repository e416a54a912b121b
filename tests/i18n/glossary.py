#!/usr/bin/python3
"""The glossary of docs/i18n.md against po/vi.po.

Usage: glossary.py GLOSSARY PO          report each msgstr that uses a discouraged variant of
                                        GLOSSARY or is not in Unicode NFC; exit 1 if any
       glossary.py GLOSSARY --cases F   self-test: lines of F marked "BAD " must be reported,
                                        lines marked "OK  " must not
"""
import json
import re
import sys
import unicodedata

WORD = r"[\wđĐ]"


def load(path):
    rules = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        pat, use = line.split("\t", 1)
        rules.append((re.compile(r"(?<!" + WORD + ")(" + pat + r")(?!" + WORD + ")", re.I), use))
    return rules


def problems(text, rules):
    out = []
    if unicodedata.normalize("NFC", text) != text:
        out.append("not NFC")
    for rx, use in rules:
        m = rx.search(text)
        if m:
            out.append(f"'{m.group(1)}': use {use}")
    return out


def entries(path):
    """(line, msgid, msgstr) of a PO file"""
    text = open(path, encoding="utf-8").read()
    line = 1
    for block in text.split("\n\n"):
        mid, mstr, cur, at = [], [], None, line
        for i, l in enumerate(block.split("\n")):
            if l.startswith("msgid "):
                cur, at = mid, line + i
                mid.append(l[6:])
            elif l.startswith("msgstr "):
                cur = mstr
                mstr.append(l[7:])
            elif l.startswith('"') and cur is not None:
                cur.append(l)
            elif l.startswith("#"):
                cur = None
        line += block.count("\n") + 2
        if mid:
            yield at, "".join(json.loads(x) for x in mid), "".join(json.loads(x) for x in mstr)


def main(argv):
    rules = load(argv[1])
    if len(argv) == 4 and argv[2] == "--cases":
        bad = 0
        for n, l in enumerate(open(argv[3], encoding="utf-8"), 1):
            kind, text = l[:4], l[4:].rstrip("\n")
            if kind not in ("BAD ", "OK  "):
                continue
            got = problems(text, rules)
            if (kind == "BAD ") != bool(got):
                print(f"{argv[3]}:{n}: marked {kind.strip()}, found {got or 'nothing'}")
                bad += 1
        return 1 if bad else 0
    found = 0
    for n, mid, mstr in entries(argv[2]):
        if not mid or not mstr:
            continue
        for p in problems(mstr, rules):
            found += 1
            print(f"{argv[2]}:{n}: {p} in the translation of \"{mid[:60]}\"")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
