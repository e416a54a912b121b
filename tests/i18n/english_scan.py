#!/usr/bin/python3
"""English words left in chuan's Vietnamese output (docs/i18n.md, "Finding English").

Usage: english_scan.py ALLOW FILE...     print "FILE:LINE: [words] text" for each line of the
                                         files that holds English words; exit 1 if any
       english_scan.py ALLOW --cases F   self-test: the lines of F marked "BAD " must be
                                         reported, those marked "OK  " must not

A word is English when it is ASCII letters only, at least 4 of them, is no Vietnamese syllable
written without its marks (the onset + rhyme grammar below: "trong", "thanh", "theo"), and is not
in the ALLOW list. Left out as not being words of a message: quoted text ('...', "...", `...`),
the location after "(tại " (paths and record positions never change with the language), tokens
holding a path, code, option or markup character (/ . : = _ < > @ ...), hyphenated ids
(dvc-hoso, well-formed), enumerations of names "(name, date, parent)", words in capitals (FILE, JSON, QCVN) and mixed-case identifiers (MaHoSo,
maxLength). Lines of a standard package's own English (its English title "tên", its sources
"nguồn:", the indented values of `chuan standards show`) are package content, not chuan's
messages; names of formats (JSON Schema, Table Schema, Schematron, Unicode) are names.
"""
import re
import sys

ONSET = r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?"
RHYME = (r"(uye|uya|uyu|yeu|ieu|oai|oay|uay|uoi|uou|oeo|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|"
         r"ua|ue|ui|uo|uu|uy|ye|a|e|i|o|u|y)(ng|nh|ch|c|m|n|p|t)?")
SYLLABLE = re.compile("^" + ONSET + RHYME + "$")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|‘[^’]*’|“[^”]*”")
NOT_WORD = re.compile(r"[/.:=_{}\[\]@\\|<>#$%&*+;~0-9-]")
PACKAGE_LINE = re.compile(r"^\s*(nguồn:|tên\s{2,})|^ {17}\S")
# names of formats and standards written as they are
# an enumeration of accepted names: "(name, date, parent, from, before)"
NAME_LIST = re.compile(r"\((?:[A-Za-z_]+, )+[A-Za-z_]+\)")
PROPER = re.compile(r"\b(JSON Schema|Table Schema|Schematron|Unicode)\b")


def strip_location(line):
    """the text with every "(tại ...)" (balanced parentheses) removed"""
    out, i = [], 0
    while True:
        j = line.find("(tại ", i)
        if j < 0:
            out.append(line[i:])
            return "".join(out)
        out.append(line[i:j])
        depth, k = 0, j
        while k < len(line):
            if line[k] == "(":
                depth += 1
            elif line[k] == ")":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        i = k + 1


def english_words(line, allow):
    if PACKAGE_LINE.match(line):
        return []
    text = PROPER.sub(" ", QUOTED.sub(" ", strip_location(line)))
    text = NAME_LIST.sub(" ", text)
    words = []
    for tok in text.split():
        t = tok.lstrip("(").rstrip("),;:!?.…*")
        if NOT_WORD.search(t):
            continue
        if not re.fullmatch(r"[A-Za-z]{4,}", t):
            continue
        if t.isupper() or any(ch.isupper() for ch in t[1:]):
            continue
        low = t.lower()
        if low in allow or SYLLABLE.match(low):
            continue
        words.append(t)
    return words


def load_allow(path):
    words = set()
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0]
        words.update(w.lower() for w in line.split())
    return words


def main(argv):
    allow = load_allow(argv[1])
    if len(argv) == 4 and argv[2] == "--cases":
        bad = 0
        for n, line in enumerate(open(argv[3], encoding="utf-8"), 1):
            kind, text = line[:4], line[4:].rstrip("\n")
            if kind not in ("BAD ", "OK  "):
                continue
            got = english_words(text, allow)
            if (kind == "BAD ") != bool(got):
                print(f"{argv[3]}:{n}: marked {kind.strip()}, scan found {got or 'nothing'}")
                bad += 1
        return 1 if bad else 0
    found = 0
    for path in argv[2:]:
        for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
            words = english_words(line, allow)
            if words:
                found += 1
                print(f"{path}:{n}: [{' '.join(words)}] {line.rstrip()[:200]}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
