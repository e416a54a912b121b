#!/usr/bin/env python3
"""Compare chuan's TCVN3 decoding with the UTF-8 original, record by record and
word by word (bench/tcvn3-case.sh).

    python3 bench/tcvn3_case.py [--words] TRUTH.ndjson DECODED.ndjson

--words prints one line: words compared, capitals lost, wrong capitals, others;
--text compares two text files word by word the same way.

Prints the records that differ, those that differ only in letter case, and the
words that differ: capital lost (the original has a capital where the decoded
text has a small letter), wrong capital (the reverse), mixed, other (not a case
difference at all: should be 0), with the most frequent examples of each."""
import collections
import json
import os
import sys


def words(rec):
    for key in sorted(rec):
        for w in str(rec[key]).split():
            yield key, w


def kind(a, b):
    if a.lower() != b.lower():
        return "other"
    lost = any(x.isupper() and y.islower() for x, y in zip(a, b))
    wrong = any(x.islower() and y.isupper() for x, y in zip(a, b))
    return "mixed" if lost and wrong else "capital lost" if lost else "wrong capital"


def main():
    short = sys.argv[1] in ("--words", "--text")
    truth, decoded = sys.argv[1 + short], sys.argv[2 + short]
    if sys.argv[1] == "--text":
        wrap = "/tmp/tcvn3_case.%d.%%s.ndjson" % os.getpid()
        for name, path in (("a", truth), ("b", decoded)):
            with open(path, encoding="utf-8", errors="replace") as f, open(wrap % name, "w") as o:
                o.write(json.dumps({"text": f.read()}) + "\n")
        truth, decoded = wrap % "a", wrap % "b"
    records = differ = case_only = missing = nwords = 0
    counts = collections.Counter()
    examples = collections.defaultdict(collections.Counter)
    with open(truth, encoding="utf-8") as t, open(decoded, encoding="utf-8", errors="replace") as d:
        for line in t:
            records += 1
            other = d.readline()
            if not other:
                missing += 1
                continue
            a, b = json.loads(line), json.loads(other)
            nwords += sum(1 for _ in words({k: str(v) for k, v in a.items()}))
            if a == b:
                continue
            differ += 1
            sa = {k: str(v) for k, v in a.items()}
            sb = {k: str(v) for k, v in b.items()}
            if sa.keys() == sb.keys() and all(sa[k].lower() == sb[k].lower() for k in sa):
                case_only += 1
            wa, wb = list(words(sa)), list(words(sb))
            if len(wa) != len(wb):
                counts["other"] += 1
                continue
            for (ka, x), (_, y) in zip(wa, wb):
                if x != y:
                    k = kind(x, y)
                    counts[k] += 1
                    examples[k]["%s: %s -> %s" % (ka, x, y)] += 1
    if short:
        top = ", ".join("%s -> %s" % tuple(e.split(": ", 1)[1].split(" -> "))
                        for k in ("capital lost", "wrong capital") for e in examples[k])
        if sys.argv[1] == "--text":
            os.unlink(truth)
            os.unlink(decoded)
        print("%d words, capital lost %d, wrong capital %d, other %d%s"
              % (nwords, counts["capital lost"], counts["wrong capital"],
                 counts["mixed"] + counts["other"], ": " + top if top else ""))
        return
    print("records: %d, differing: %d (case only: %d), missing: %d" % (records, differ, case_only, missing))
    for k in ("capital lost", "wrong capital", "mixed", "other"):
        top = ", ".join("%s (%d)" % e for e in examples[k].most_common(4))
        print("  words, %s: %d%s" % (k, counts[k], "  e.g. " + top if top else ""))


if __name__ == "__main__":
    main()
