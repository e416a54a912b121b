#!/usr/bin/env python3
"""Compare chuan's TCVN3 decoding with the UTF-8 original, record by record and
word by word (bench/tcvn3-case.sh).

    python3 bench/tcvn3_case.py TRUTH.ndjson DECODED.ndjson

Prints the records that differ, those that differ only in letter case, and the
words that differ: capital lost (the original has a capital where the decoded
text has a small letter), wrong capital (the reverse), mixed, other (not a case
difference at all: should be 0), with the most frequent examples of each."""
import collections
import json
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
    truth, decoded = sys.argv[1], sys.argv[2]
    records = differ = case_only = missing = 0
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
    print("records: %d, differing: %d (case only: %d), missing: %d" % (records, differ, case_only, missing))
    for k in ("capital lost", "wrong capital", "mixed", "other"):
        top = ", ".join("%s (%d)" % e for e in examples[k].most_common(4))
        print("  words, %s: %d%s" % (k, counts[k], "  e.g. " + top if top else ""))


if __name__ == "__main__":
    main()
