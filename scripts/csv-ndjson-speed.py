#!/usr/bin/env python3
"""CSV -> NDJSON against wc -l, interleaved, medians (issue 14, item 4).

    python3 scripts/csv-ndjson-speed.py [--rounds 7] [--fresh] FILE.csv BIN [BIN...]

Each round runs, in this order: `wc -l` reading FILE K times in one process
(time / K, as bench/bench.sh's W3 does; K makes about 1 GB), then for every
BIN `BIN convert -q -j 2 --from csv --to ndjson -o OUT FILE` and the same with
-j 1. OUT is one file per BIN and -j, replaced every round (as in the bench)
unless --fresh, which deletes it before each run, outside the timing (no
rename over an existing file), or --devnull, which writes no file (standard
output to /dev/null; nothing to compare). Prints, per command, the median and minimum
wall time and the median CPU time (user + system, from wait4), the median
wall relative to wc -l's, and the load average before and after. The outputs
of -j 2 and -j 1 of every BIN are compared byte for byte at the end, and
across BINs (exit 1 when any differ).
"""
import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import time


def run(argv, stdout=subprocess.DEVNULL):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"failed ({status}): {' '.join(argv)}")
    return wall, ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--fresh", action="store_true", help="delete each output before its run")
    ap.add_argument("--out-dir", default=None, help="where the outputs go (default: beside FILE)")
    ap.add_argument("--devnull", action="store_true",
                    help="no output file: standard output to /dev/null (the outputs are not compared)")
    ap.add_argument("file")
    ap.add_argument("bins", nargs="+")
    a = ap.parse_args()
    size = os.path.getsize(a.file)
    k = max(2, -(-10**9 // size))
    out_dir = a.out_dir or os.path.dirname(os.path.abspath(a.file))
    cmds = [("wc -l", ["wc", "-l"] + [a.file] * k, None)]
    for n, b in enumerate(a.bins):
        for j in (2, 1):
            out = os.path.join(out_dir, f"speed-{n}-j{j}.ndjson")
            argv = [b, "convert", "-q", "-j", str(j), "--from", "csv", "--to", "ndjson"]
            if a.devnull:
                out = None
            else:
                argv += ["-o", out]
            cmds.append((f"{b} -j {j}", argv + [a.file], out))
    res = {c[0]: ([], []) for c in cmds}
    load0 = os.getloadavg()
    for _ in range(a.rounds):
        for label, argv, out in cmds:
            if a.fresh and out and os.path.exists(out):
                os.unlink(out)
            w, c = run(argv)
            if label == "wc -l":
                w, c = w / k, c / k
            res[label][0].append(w)
            res[label][1].append(c)
    load1 = os.getloadavg()
    wc_wall = statistics.median(res["wc -l"][0])
    print(f"{a.file}: {size / 1e6:.1f} MB, {a.rounds} rounds, wc -l reads it {k} times per run, "
          f"outputs {'to /dev/null' if a.devnull else 'deleted before each run' if a.fresh else 'replaced'}")
    print(f"load average {load0[0]:.2f} before, {load1[0]:.2f} after; {os.cpu_count()} CPUs")
    print(f"{'command':60s} {'wall med':>9s} {'wall min':>9s} {'CPU med':>9s} {'/ wc -l':>8s}")
    for label, _, _ in cmds:
        w, c = res[label]
        print(f"{label:60s} {statistics.median(w) * 1e3:7.1f}ms {min(w) * 1e3:7.1f}ms "
              f"{statistics.median(c) * 1e3:7.1f}ms {statistics.median(w) / wc_wall:7.1f}x")
    outs = [c[2] for c in cmds if c[2]]
    if not outs:
        return 0
    same = all(filecmp.cmp(outs[0], o, shallow=False) for o in outs[1:])
    print("outputs: " + ("all the same bytes" if same else "DIFFERENT"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
