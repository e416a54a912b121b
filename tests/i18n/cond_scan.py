#!/usr/bin/env python3
"""tests/i18n/cond_scan.py KEYWORDS_SCRIPT FILE... - keyword calls whose message is a ?: expression.

xgettext extracts only the first string literal of an argument such as `cond ? "a" : "b"`: the
second wording never reaches the catalogues and stays English in Vietnamese. This scan reads the
xgettext keywords (-kNAME:N) of scripts/i18n-pot.sh, finds every call NAME( in the given C files,
takes its N-th argument, and fails when that argument is a conditional expression (a ? at its top
level, nested conditionals included) with two or more branches holding string literals that are
not all N_("...") (a branch without a literal, such as a variable, hides no wording). Prints one line per
finding (file:line: NAME: argument) and exits 1 when there is any, else 0.
"""
import re
import sys


def keywords(script):
    text = open(script, encoding="utf-8").read()
    out = {}
    for name, pos in re.findall(r"-k([A-Za-z_][A-Za-z0-9_]*):(\d+)", text):
        out[name] = int(pos)
    return out


def blank_comments(src):
    """Comments replaced by spaces (newlines kept), strings and chars left as they are."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_top(s, i):
    """Arguments of the call whose '(' is at s[i-1]: list of (text, start); None if unclosed."""
    args, depth, start, n = [], 0, i, len(s)
    while i < n:
        c = s[i]
        if c in "\"'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append((s[start:i], start))
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append((s[start:i], start))
            start = i + 1
        i += 1
    return None


def top_level(s, chars):
    """Positions of chars at parenthesis depth 0 outside literals."""
    pos, depth, i, n = [], 0, 0, len(s)
    while i < n:
        c = s[i]
        if c in "\"'":
            j = i + 1
            while j < n and s[j] != c:
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and c in chars:
            pos.append(i)
        i += 1
    return pos


MARKED = re.compile(r'N_\(\s*("(?:[^"\\]|\\.)*"\s*)+\)', re.S)


def branches(expr):
    """The branches of `c ? a : b` (nested conditionals flattened); [expr] when none."""
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")") and top_level(expr[1:-1], "()") == []:
        inner = expr[1:-1]
        if not top_level(inner, "?"):
            break
        expr = inner.strip()
    q = top_level(expr, "?")
    if not q:
        return [expr]
    # the ':' that closes the first '?' (conditionals nest to the right)
    depth = 0
    for p in sorted(top_level(expr, "?:")):
        if p < q[0]:
            continue
        if expr[p] == "?":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return branches(expr[q[0] + 1:p]) + branches(expr[p + 1:])
    return [expr]


LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')


def missed(arg):
    """Two or more branches hold string literals and one of them is not N_(): xgettext takes
    the first literal only. (A branch without a literal, a variable, hides nothing.)"""
    if not top_level(arg, "?"):
        return False
    lits = [b for b in branches(arg) if LITERAL.search(b)]
    return len(lits) >= 2 and not all(MARKED.fullmatch(b) for b in lits)


def scan(path, kws):
    src = blank_comments(open(path, encoding="utf-8", errors="replace").read())
    found = []
    for m in re.finditer(r"(->|\.)?\s*\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", src):
        name = m.group(2)
        if m.group(1) or name not in kws or name in ("_", "N_"):
            continue  # a member call (call->fail) is no keyword
        args = split_top(src, m.end())
        if not args or len(args) < kws[name]:
            continue
        arg, _start = args[kws[name] - 1]
        if missed(arg):
            line = src.count("\n", 0, m.start(2)) + 1
            found.append("%s:%d: %s: %s" % (path, line, name, " ".join(arg.split())))
    return found


def main():
    kws = keywords(sys.argv[1])
    bad = []
    for f in sys.argv[2:]:
        bad += scan(f, kws)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
