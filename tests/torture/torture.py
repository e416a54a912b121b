#!/usr/bin/env python3
"""Out-of-memory torture run (issue 11; curl's torture mode, SQLite's malloc tests).

For each case: one clean run (exit status, standard output, output file), one
run with CHUAN_ALLOC_STATS=1 to learn the number of allocations T, then runs
with CHUAN_FAIL_ALLOC_AT=N for N in 1..T (every N, or a deterministic stride
for the larger cases). Each run must:
  - not crash (no signal, no sanitizer report, no hang), unless the crash is
    inside libxml2/libxslt themselves: (case, N) listed in known-libxml2.txt,
    or, when allocation numbers have shifted since the list was written, its
    backtrace's innermost frame (past libc and chuan's allocator) is theirs;
    such crashes are printed with their frames as "known";
  - exit 0 only with the clean run's standard output and output file, byte
    for byte (and the clean run exited 0 too);
  - exit 1 only when the clean run exited 1 with the same standard output;
  - otherwise exit 2 and say "out of memory" on standard error;
  - leave nothing but the output file in the output folder (no temporary),
    and no output file at all when it exits 2.

Usage: torture.py BIN [--preload SO] [--samples K] [--max-full M] [--case NAME]... [--record]
  --preload SO  LD_PRELOAD SO in every run: fixed_time.c, which makes libxml2's
                hash seeds, hence its allocations, the same from run to run
  --samples K   runs per case swept with a stride (default $TORTURE_SAMPLES or 400)
  --max-full M  cases marked full are swept at every N when they make at most
                M allocations (default $TORTURE_MAX_FULL or 1000)
  --record      print the top frames (ASan report, else gdb) of each crash,
                with LIB when the crash is inside libxml2/libxslt
  --write-known with --record: add the LIB crashes to known-libxml2.txt
                (entries already there are kept; review the diff)
Prints "torture: P passed, F failed (K known)" and, with $RESULTS, writes
"torture P F" to $RESULTS/torture.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PRELOAD = None

# name, command (OUT = the output folder), output file name or None, full sweep
CASES = [
    ("csv2ndjson", ["convert", "-j", "1", "--to", "ndjson", "fixtures/csv/hoso.csv",
                    "-o", "{OUT}/o.ndjson"], "o.ndjson", True),
    ("dbf2ndjson", ["convert", "-j", "1", "--to", "ndjson", "fixtures/legacy/hotich3.dbf",
                    "-o", "{OUT}/o.ndjson"], "o.ndjson", True),
    ("mdb2csv", ["convert", "-j", "1", "--to", "csv", "fixtures/legacy/jackcess-fixedtext.mdb",
                 "-o", "{OUT}/o.csv"], "o.csv", True),
    ("mdb-legacy-rejects", ["convert", "-j", "1", "--encoding", "tcvn3", "--schema",
                            "fixtures/legacy/users-limits.schema.json", "--to", "ndjson",
                            "fixtures/legacy/jackcess-legacy-text.mdb", "-o", "{OUT}/o.ndjson",
                            "--rejects", "{OUT}/r.ndjson"], "o.ndjson", False),
    ("xls-rejects", ["convert", "-j", "1", "--schema", "fixtures/sheets/register-limits.schema.json",
                     "--to", "ndjson", "fixtures/sheets/register.xls", "-o", "{OUT}/o.ndjson",
                     "--rejects", "{OUT}/r.ndjson"], "o.ndjson", False),
    ("xml2json", ["convert", "-j", "1", "--to", "json", "fixtures/convert/simple/hoso-ns.xml",
                  "-o", "{OUT}/o.json"], "o.json", True),
    ("xml2ndjson-record", ["convert", "-j", "1", "--to", "ndjson", "--record", "//TaiLieuNop",
                           "fixtures/convert/records/hoso.xml", "-o", "{OUT}/o.ndjson"],
     "o.ndjson", True),
    ("xsd", ["validate", "-j", "1", "--schema", "fixtures/xml/person.xsd",
             "fixtures/xml/person-invalid.xml"], None, True),
    ("jsonschema-ndjson", ["validate", "-j", "1", "-r", "json", "--schema",
                           "fixtures/jsonschema/hoso.schema.json", "fixtures/jsonschema/hoso.ndjson",
                           "-o", "{OUT}/report.json"], "report.json", True),
    ("tableschema", ["validate", "-j", "1", "--schema", "fixtures/csv/hoso.tableschema.json",
                     "fixtures/csv/hoso-invalid.csv"], None, True),
    ("schematron", ["validate", "-j", "1", "--schema", "tests/standards/mini/schema/mini.sch",
                    "tests/standards/mini/fixtures/invalid/empty-list.xml"], None, False),
    ("standard-csv", ["validate", "-j", "1", "-s", "tests/standards/mini",
                      "tests/standards/mini/fixtures/invalid/rules.csv"], None, False),
    ("standard-xml", ["validate", "-j", "1", "-s", "tests/standards/mini",
                      "tests/standards/mini/fixtures/invalid/rules.xml"], None, False),
]

SANITIZER_MARKS = re.compile(rb"AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|"
                             rb"\.[ch]:\d+:\d+: runtime error:")


def load_known(path):
    known = {}
    if not os.path.exists(path):
        return known
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split(None, 2)
            known[(parts[0], int(parts[1]))] = parts[2] if len(parts) > 2 else ""
    return known


def run(bin_, args, out, env_extra):
    env = dict(os.environ)
    env.pop("CHUAN_FAIL_ALLOC_AT", None)
    env.pop("CHUAN_ALLOC_STATS", None)
    env.update(env_extra)
    env["LC_ALL"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    # Leaks on out-of-memory paths are not checked (libxml2 leaks there too).
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    if PRELOAD:
        env["LD_PRELOAD"] = PRELOAD
        env["ASAN_OPTIONS"] += ":verify_asan_link_order=0"
    cmd = [bin_] + [a.replace("{OUT}", out) for a in args]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           timeout=60, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b""


def clear(out):
    for n in os.listdir(out):
        p = os.path.join(out, n)
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.unlink(p)


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


LIBS = ("libxml2.so", "libxslt.so", "libexslt.so")


def frames_of(text):
    """Top frames of a gdb or ASan backtrace, up to the first chuan frame."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#") or " " not in line:
            continue
        if "__libc_start" in line or " _start" in line:
            break
        where = ""
        if " in " in line:
            rest = line.split(" in ", 1)[1]
            fn = rest.split(" ", 1)[0]
        else:
            fn = "??"
            rest = line
        for lib in LIBS + ("libc.so",):
            if lib in rest:
                off = rest.rsplit("+", 1)[1].rstrip(")") if "+0x" in rest else ""
                where = lib.split(".")[0] + (("+" + off) if off else "")
        if not where and " at " in rest:
            where = rest.rsplit(" at ", 1)[1]
            if where.startswith(("./", "../")):
                where = "libc"  # glibc's own sources (abort, malloc checks)
        elif not where and re.search(r"\S+\.[ch]:\d+", rest):
            where = re.search(r"\S+\.[ch]:\d+", rest).group(0)  # ASan: "fn file.c:line"
        out.append("%s[%s]" % (fn, where) if where else fn)
        if where and not any(l.split(".")[0] in where for l in LIBS + ("libc.so",)) \
                and "core/alloc.c" not in where:
            break  # first frame in chuan's code
    return out


def inside_library(frames):
    """The crash is inside libxml2/libxslt: the top frame (after libc) is theirs."""
    for f in frames:
        if "[libc" in f or "core/alloc.c" in f or f.startswith(("__GI_", "raise", "abort", "__")):
            continue  # libc's abort, malloc's checks, chuan's allocator called by the library
        return any("[" + l.split(".")[0] in f for l in LIBS)
    return False


def backtrace(bin_, args, out, n, err):
    if SANITIZER_MARKS.search(err):
        return frames_of(err.decode("utf-8", "replace"))
    if not shutil.which("gdb"):
        return []
    clear(out)
    env = dict(os.environ, CHUAN_FAIL_ALLOC_AT=str(n), LC_ALL="C.UTF-8")
    if PRELOAD:
        env["LD_PRELOAD"] = PRELOAD
    cmd = ["gdb", "-q", "-batch", "-ex", "run", "-ex", "bt 16", "--args", bin_] + \
          [a.replace("{OUT}", out) for a in args]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                       stdin=subprocess.DEVNULL, timeout=120)
    return frames_of(p.stdout.decode("utf-8", "replace"))


def main():
    argv = sys.argv[1:]
    if not argv:
        print(__doc__)
        return 2
    bin_ = os.path.abspath(argv.pop(0))
    global PRELOAD
    samples = int(os.environ.get("TORTURE_SAMPLES", "400"))
    max_full = int(os.environ.get("TORTURE_MAX_FULL", "1000"))
    only, record, write_known = [], False, False
    while argv:
        a = argv.pop(0)
        if a == "--samples":
            samples = int(argv.pop(0))
        elif a == "--max-full":
            max_full = int(argv.pop(0))
        elif a == "--preload":
            PRELOAD = os.path.abspath(argv.pop(0))
        elif a == "--case":
            only.append(argv.pop(0))
        elif a == "--record":
            record = True
        elif a == "--write-known":
            write_known = True
        else:
            print("torture: unknown option " + a, file=sys.stderr)
            return 2
    known = load_known(os.path.join(HERE, "known-libxml2.txt"))
    root = os.path.dirname(os.path.dirname(HERE))
    os.chdir(root)
    passed = failed = nknown = 0
    found = {}
    out = tempfile.mkdtemp(prefix="chuan-torture.")
    try:
        for name, args, ofile, full in CASES:
            if only and name not in only:
                continue
            clear(out)
            c_rc, c_out, c_err = run(bin_, args, out, {})
            c_file = read(os.path.join(out, ofile)) if ofile else None
            if c_rc not in (0, 1) or (ofile and c_file is None):
                print("FAIL torture %s: the clean run exited %s" % (name, c_rc))
                sys.stdout.write(c_err.decode("utf-8", "replace")[-2000:])
                failed += 1
                continue
            clear(out)
            _, _, s_err = run(bin_, args, out, {"CHUAN_ALLOC_STATS": "1"})
            total = 0
            for line in s_err.decode("utf-8", "replace").splitlines():
                if line.startswith("chuan: allocations: "):
                    total = int(line.split()[2].rstrip(","))
            if total == 0:
                print("FAIL torture %s: no allocation count (CHUAN_ALLOC_STATS)" % name)
                failed += 1
                continue
            stride = 1 if (full and total <= max_full) or total <= samples \
                else (total + samples - 1) // samples
            ns = list(range(1, total + 1, stride))
            if ns[-1] != total:
                ns.append(total)
            bad = 0
            case_known = 0
            for n in ns:
                clear(out)
                rc, o, e = run(bin_, args, out, {"CHUAN_FAIL_ALLOC_AT": str(n)})
                left = sorted(os.listdir(out))
                why = None
                if rc == "timeout":
                    why = "hangs (no exit in 60 s)"
                elif rc < 0 or rc >= 128:
                    why = "crashes (signal %d)" % (-rc if rc < 0 else rc - 128)
                elif SANITIZER_MARKS.search(e):
                    why = "sanitizer report"
                crash = why is not None
                if not why:
                    if rc == 0:
                        if c_rc != 0:
                            why = "exit 0, the clean run exited %d" % c_rc
                        elif o != c_out:
                            why = "exit 0 with a different standard output"
                        elif ofile and read(os.path.join(out, ofile)) != c_file:
                            why = "exit 0 with a different output file"
                    elif rc == 1:
                        if c_rc != 1:
                            why = "exit 1, the clean run exited %d" % c_rc
                        elif o != c_out:
                            why = "exit 1 with a different standard output"
                        elif ofile and read(os.path.join(out, ofile)) != c_file:
                            why = "exit 1 with a different output file"
                    elif rc == 2:
                        if b"out of memory" not in e:
                            why = "exit 2 without saying out of memory"
                        elif left:
                            why = "exit 2 left %s" % " ".join(left)
                    else:
                        why = "exit %d" % rc
                if not why and [f for f in left if f != ofile]:
                    why = "left %s" % " ".join(left)
                if not why:
                    passed += 1
                    continue
                if crash and (name, n) in known:
                    nknown += 1
                    case_known += 1
                    print("known torture %s N=%d: %s (libxml2: %s)" % (name, n, why, known[(name, n)]))
                    continue
                if crash and not record:
                    # Allocation numbers shift whenever code on the path allocates differently: a
                    # crash whose innermost frame (past libc and chuan's allocator) is inside
                    # libxml2/libxslt is theirs wherever it happens; its frames are printed, never
                    # hidden. The sanitizer build's sweep would show a bad write of chuan's first.
                    fr = backtrace(bin_, args, out, n, e)
                    if fr and inside_library(fr):
                        nknown += 1
                        case_known += 1
                        print("known torture %s N=%d: %s (inside libxml2/libxslt: %s)"
                              % (name, n, why, " <- ".join(fr[:6])))
                        continue
                failed += 1
                bad += 1
                if record and crash:
                    fr = backtrace(bin_, args, out, n, e)
                    lib = inside_library(fr)
                    print("%s %s %d %s" % ("LIB" if lib else "CHUAN", name, n,
                                           " <- ".join(fr) or "(did not reproduce under gdb)"))
                    if lib:
                        found[(name, n)] = " <- ".join(fr[:5] + (["..."] if len(fr) > 6 else []) +
                                                       fr[-1:] if len(fr) > 5 else fr)
                elif bad <= 5:
                    print("FAIL torture %s N=%d: %s" % (name, n, why))
                    err = e.decode("utf-8", "replace")
                    sys.stdout.write("".join("    " + l + "\n" for l in err.splitlines()[-12:]))
                    if crash and bad <= 2:
                        print("    " + " <- ".join(backtrace(bin_, args, out, n, e)))
            print("torture %s: %d allocations, %d runs (stride %d), %d failed, %d known"
                  % (name, total, len(ns), stride, bad, case_known))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if write_known and found:
        merged = dict(known)
        merged.update(found)
        order = [c[0] for c in CASES]
        path = os.path.join(HERE, "known-libxml2.txt")
        head = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                head = [l for l in f if l.startswith("#")]
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(head)
            for (c, n) in sorted(merged, key=lambda k: (order.index(k[0]) if k[0] in order else 99, k[1])):
                f.write("%s %d %s\n" % (c, n, merged[(c, n)]))
        print("torture: %d entries in %s" % (len(merged), path))
    print("torture: %d passed, %d failed (%d known libxml2 crashes)" % (passed, failed, nknown))
    res = os.environ.get("RESULTS")
    if res:
        with open(os.path.join(res, "torture"), "w") as f:
            f.write("torture %d %d\n" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
