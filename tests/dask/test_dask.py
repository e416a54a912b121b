"""A real distributed run (issue 13 item 5): a Dask scheduler and two worker processes on
127.0.0.1 validate and convert the partitions of an NDJSON file and a CSV file through the
Python binding (python/chuan, python/chuan/partitions.py) against the dvc-hoso standard;
outputs and rejects concatenated in partition order must be byte-identical to one
`chuan convert -s dvc-hoso --to ndjson --rejects R` run over each whole file.

The NDJSON plan itself runs on the workers (next record start after each of n offsets, then
line ends per piece); the CSV plan is one ordered pass on the client (a quoted field may hold
line breaks). The cluster is started and closed here, also on failure; every wait has a
timeout and the whole test an alarm. Skipped, saying so, only when python3-distributed is
missing (scripts/install-deps.sh installs it).

Usage: /usr/bin/python3 tests/dask/test_dask.py BUILD_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))
CHUAN = os.path.join(BUILD, "chuan")
RECORDS = 3000
PARTS = 8
TIMEOUT = 90  # seconds for the whole test


def results(passed, failed):
    d = os.environ.get("RESULTS")
    if d:
        with open(os.path.join(d, "dask"), "w") as f:
            f.write("dask %d %d\n" % (passed, failed))


def cli_convert(path, tmp):
    out, rej = os.path.join(tmp, "cli.out"), os.path.join(tmp, "cli.rej")
    for p in (out, rej):
        if os.path.exists(p):
            os.unlink(p)
    p = subprocess.run([CHUAN, "convert", "-s", "dvc-hoso", "--to", "ndjson", "-q",
                        "--rejects", rej, "-o", out, path], capture_output=True, timeout=60)
    read = lambda f: open(f, "rb").read() if os.path.exists(f) else b""  # noqa: E731
    return p.returncode, read(out), read(rej)


def job(path, part, tag):
    """Runs on a worker: one partition through the binding."""
    import os as _os
    from chuan import partitions
    r = partitions.convert_partition(path, part, name=tag, to="ndjson", standard="dvc-hoso")
    return r.data, r.rejects, r.records, _os.getpid()


def main():
    try:
        import distributed  # noqa: F401
        from distributed import Client, LocalCluster, wait
    except ImportError:
        print("SKIP: python3-distributed not installed (scripts/install-deps.sh installs it)")
        results(0, 0)
        return 0

    sys.path.insert(0, os.path.join(ROOT, "python"))
    sys.path.insert(0, os.path.join(ROOT, "tests", "dask"))
    import hoso_data
    import chuan
    from chuan import partitions

    # what the worker processes need: the binding, the library, the standards
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [os.path.join(ROOT, "python"), os.path.join(ROOT, "tests", "dask")] +
        ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))
    os.environ["CHUAN_LIBRARY"] = os.path.join(BUILD, "libchuan.so")
    os.environ["CHUAN_STANDARDS"] = os.path.join(ROOT, "standards")

    def on_alarm(_sig, _frame):
        raise TimeoutError("the Dask test took longer than %d s" % TIMEOUT)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIMEOUT)
    checks = []

    def check(name, ok, detail=""):
        checks.append(ok)
        print("%s: %s%s" % ("ok" if ok else "FAIL", name, "" if ok else " (%s)" % detail))

    cluster = client = None
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        nd, cs = os.path.join(tmp, "hoso.ndjson"), os.path.join(tmp, "hoso.csv")
        with open(nd, "wb") as f:
            f.write(hoso_data.ndjson(RECORDS))
        with open(cs, "wb") as f:
            f.write(hoso_data.csv(RECORDS))
        try:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None,
                                   silence_logs=40, death_timeout=30)
            client = Client(cluster, timeout=30)
            client.wait_for_workers(2, timeout=30)
            workers = sorted(client.scheduler_info()["workers"])
            pids = client.run(os.getpid)
            check("a scheduler and two worker processes on 127.0.0.1",
                  len(workers) == 2 and all(w.startswith("tcp://127.0.0.1:") for w in workers)
                  and len(set(pids.values())) == 2 and os.getpid() not in pids.values(),
                  "%s %s" % (workers, pids))

            size = os.path.getsize(nd)
            # the NDJSON plan on the workers: record starts, then line ends per piece
            bf = [client.submit(partitions.ndjson_boundary, nd, size * k // PARTS, pure=False,
                                workers=[workers[k % 2]]) for k in range(PARTS)]
            wait(bf, timeout=30)
            starts = sorted(set(b for b in client.gather(bf) if b < size))
            ends = starts[1:] + [size]
            cf = [client.submit(partitions.ndjson_count, nd, s, e, pure=False,
                                workers=[workers[k % 2]])
                  for k, (s, e) in enumerate(zip(starts, ends))]
            wait(cf, timeout=30)
            plans = {nd: partitions.ndjson_plan(nd, PARTS, starts, client.gather(cf)),
                     cs: partitions.csv_plan(cs, PARTS)}

            for path, kind in ((nd, "NDJSON"), (cs, "CSV")):
                parts = plans[path]
                status, want_out, want_rej = cli_convert(path, tmp)
                futs = [client.submit(job, path, p, path, pure=False, workers=[workers[k % 2]])
                        for k, p in enumerate(parts)]
                wait(futs, timeout=60)
                got = client.gather(futs)
                out = b"".join(g[0] for g in got)
                rej = b"".join(g[1] for g in got)
                check("%s: %d partitions, run on both workers" % (kind, len(parts)),
                      len(parts) >= PARTS - 1 and len(set(g[3] for g in got)) == 2,
                      "%d parts, pids %s" % (len(parts), set(g[3] for g in got)))
                whole = chuan.convert(path, to="ndjson", standard="dvc-hoso")
                check("%s: every record read once (%d)" % (kind, whole.records),
                      sum(g[2] for g in got) == whole.records >= RECORDS,
                      "%d vs %d" % (sum(g[2] for g in got), whole.records))
                check("%s: the single run rejects records (exit 1, %d rejects)" %
                      (kind, len(want_rej.splitlines())), status == 1 and len(want_rej) > 0)
                check("%s: output byte-identical to one chuan convert run (%d bytes)" %
                      (kind, len(want_out)), out == want_out,
                      "%d vs %d bytes" % (len(out), len(want_out)))
                check("%s: rejects byte-identical, global line numbers (%d bytes)" %
                      (kind, len(want_rej)), rej == want_rej,
                      "%d vs %d bytes" % (len(rej), len(want_rej)))
        except Exception as e:  # noqa: BLE001 - reported as a failure, the cluster still closes
            check("the distributed run completes", False, "%s: %s" % (type(e).__name__, e))
        finally:
            signal.alarm(0)
            if client is not None:
                try:
                    client.close(timeout=10)
                except Exception:  # noqa: BLE001
                    pass
            if cluster is not None:
                try:
                    cluster.close(timeout=20)
                except Exception:  # noqa: BLE001
                    pass
    passed = sum(1 for c in checks if c)
    failed = len(checks) - passed
    print("dask: %d passed, %d failed (%.1f s)" % (passed, failed, time.time() - t0))
    results(passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
