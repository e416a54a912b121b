#!/usr/bin/python3
"""No function of the product code (core/ converters/ validator/ cli/ serve/) is over 150 lines,
except the documented fast paths listed in tests/function-length.allow ("file function reason").
A function is what clang-format's layout makes of it: a line at column 0 ending in ")" or "{"
opens the signature, "{" opens the body, the next "}" at column 0 closes it. An allow entry whose
function is gone or short again fails too, so the list cannot go stale.
Usage: tests/function-length.py  (prints "funclen: N passed, M failed"; $RESULTS/funclen)"""
import glob
import os
import re
import sys

LIMIT = 150
DIRS = ("core", "converters", "validator", "cli", "serve")
OPEN = re.compile(r"^[A-Za-z_][^=;]*\b([A-Za-z_]\w*)\s*\(")


def functions(path):
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    name, start = None, None
    for i, line in enumerate(lines):
        if start is None:
            m = OPEN.match(line)
            if m and not line.startswith(("typedef", "struct", "enum", "union", "#")):
                name = m.group(1)
                if line.rstrip().endswith("{"):
                    start = i
            elif line == "{" and name:
                start = i
            elif line and not line[0].isspace() and not line.startswith(("{", "/", "*", "#")):
                name = None
        elif line.startswith("}"):
            yield name, start + 1, i - start + 1
            name, start = None, None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    allow = {}
    for line in open(os.path.join(here, "function-length.allow"), encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            f, fn, why = line.split(None, 2)
            allow[(f, fn)] = why
    passed, failed, seen = 0, 0, set()
    for d in DIRS:
        for path in sorted(glob.glob(os.path.join(root, d, "*.c"))):
            rel = os.path.relpath(path, root)
            for fn, line, n in functions(path):
                if n <= LIMIT:
                    passed += 1
                elif (rel, fn) in allow:
                    seen.add((rel, fn))
                    passed += 1
                else:
                    failed += 1
                    print(f"funclen: FAIL {rel}:{line}: {fn} has {n} lines (limit {LIMIT}: split it, "
                          "or list a documented fast path in tests/function-length.allow)")
    for key in sorted(set(allow) - seen):
        failed += 1
        print(f"funclen: FAIL tests/function-length.allow: {key[0]} {key[1]} is no longer over "
              f"{LIMIT} lines (or gone): remove the entry")
    print(f"funclen: {passed} passed, {failed} failed")
    res = os.environ.get("RESULTS")
    if res:
        with open(os.path.join(res, "funclen"), "w") as out:
            out.write(f"funclen {passed} {failed}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
