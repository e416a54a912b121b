"""Compare the message ids the code uses (a fresh POT) with po/chuan.pot and the catalogues.

Usage: compare.py FRESH.pot REPO.pot vi.po en.po. Prints one line per problem and a closing
'checks: N passed, M failed' line; exit 1 on any problem."""
import re
import sys


def parse(path):
    """{msgid: (msgstr, fuzzy)} of the live (not obsolete) entries, header left out."""
    out, cur, field = {}, None, None

    def flush():
        if cur is not None and "msgid" in cur and cur["msgid"]:
            out[cur["msgid"]] = (cur.get("msgstr", ""), "fuzzy" in cur["flags"])

    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if line.startswith("#~"):
            continue
        if not line.strip():
            flush()
            cur = None
            continue
        if line.startswith("#"):
            if cur is not None and "msgstr" in cur:
                flush()
                cur = None
            if cur is None:
                cur = {"flags": set()}
            if line.startswith("#,"):
                cur["flags"].update(x.strip() for x in line[2:].split(","))
            continue
        m = re.match(r'(msgid|msgstr|msgid_plural|msgctxt)(\[\d+\])? (".*")$', line)
        if m:
            if m.group(1) == "msgid" and cur is not None and "msgstr" in cur:
                flush()
                cur = None
            if cur is None:
                cur = {"flags": set()}
            field = m.group(1)
            cur[field] = eval(m.group(3))
        elif line.startswith('"') and cur is not None and field:
            cur[field] += eval(line)
    flush()
    return out


fresh, repo, vi, en = (parse(p) for p in sys.argv[1:5])
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(what)


ids = set(fresh)
check(ids == set(repo), "po/chuan.pot is stale (make pot): %d ids added, %d gone"
      % (len(ids - set(repo)), len(set(repo) - ids)))
for name, cat in (("vi", vi), ("en", en)):
    missing = sorted(i for i in ids if i not in cat or not cat[i][0] or cat[i][1])
    unused = sorted(set(cat) - ids)
    for i in missing[:20]:
        print("%s.po: missing (absent, empty or fuzzy): %r" % (name, i))
    for i in unused[:20]:
        print("%s.po: unused (no longer in the code): %r" % (name, i))
    check(not missing, "%s.po: %d message ids missing" % (name, len(missing)))
    check(not unused, "%s.po: %d message ids unused" % (name, len(unused)))
# Vietnamese: no message left in English (a translation equal to its id, letters beyond
# option names, formats, code names and the like)
def words(s):
    s = re.sub(r"%[-+ #0-9.*]*[hlzjt]*[a-zA-Z%]|--?[a-z][a-z0-9-]*|[A-Z][A-Z0-9_@|./-]+|\b[a-z]+[|/][a-z|/-]+\b", " ", s)
    return re.findall(r"[A-Za-z]{3,}", s)
english = sorted(i for i in ids if i in vi and vi[i][0] == i and words(i))
for i in english[:20]:
    print("vi.po: left in English: %r" % i)
check(not english, "vi.po: %d messages left in English" % len(english))
print("checks: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
