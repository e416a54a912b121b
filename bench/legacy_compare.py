"""bench/legacy_compare.py TRUTH.ndjson OUT.ndjson - records of OUT that differ from the truth (the
UTF-8 original converted by chuan), compared as JSON objects with every value as text. Prints
"WRONG CASE_ONLY MISSING": records wrong, of which only in letter case, and records missing."""
import json
import sys


def count(truth_path, path):
    wrong = case_only = missing = 0
    with open(truth_path, encoding="utf-8") as t, open(path, encoding="utf-8", errors="replace") as o:
        for a in t:
            b = o.readline()
            if not b:
                missing += 1
                continue
            ra = {k: str(v) for k, v in json.loads(a).items()}
            rb = {k: str(v) for k, v in json.loads(b).items()}
            if ra != rb:
                wrong += 1
                if {k: v.lower() for k, v in ra.items()} == {k: v.lower() for k, v in rb.items()}:
                    case_only += 1
    return wrong, case_only, missing


print(*count(sys.argv[1], sys.argv[2]))
