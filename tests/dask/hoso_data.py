"""Test data for the partition tests (tests/python, tests/dask): DongBoHoSoMC records
(bench/gen/records.py) with records the dvc-hoso standard rejects mixed in: a required field
missing, a code not in the code list, a line that is not JSON; the CSV has quoted line breaks,
so its line numbers and row numbers differ."""
import json
import os
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
GEN = os.path.join(ROOT, "bench", "gen", "records.py")


def _gen(fmt, count, seed):
    return subprocess.run([sys.executable, GEN, "--format", fmt, "--count", str(count),
                           "--seed", str(seed)], capture_output=True, check=True).stdout


def ndjson(count=300, seed=5):
    out = []
    for i, line in enumerate(_gen("ndjson", count, seed).decode("utf-8").splitlines()):
        r = json.loads(line)
        if i % 17 == 3:
            del r["MaTTHC"]                       # a required field missing
        elif i % 23 == 5:
            r["LoaiDoiTuong"] = "9"               # not in the code list
        elif i % 41 == 7:
            out.append('{"MaHoSo": "broken"')     # not JSON
            continue
        if i % 29 == 11:
            out.append("")                        # a blank line
        out.append(json.dumps(r, ensure_ascii=False))
    return ("\n".join(out) + "\n").encode("utf-8")


def csv(count=300, seed=6):
    lines = _gen("csv", count, seed).decode("utf-8").splitlines()
    head = lines[0].split(",")
    loai = head.index("LoaiDoiTuong")
    ghichu = head.index("GhiChu")
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        # the generator quotes only TrichYeuHoSo (the 14th field, with commas): split around it
        pre, q, rest = line.partition(',"')
        cells = pre.split(",")
        if q:
            mid, _, post = rest.partition('",')
            tail = post.split(",")
        if i % 19 == 4 and q:
            cells[loai] = "9"                     # not in the code list
        if i % 13 == 6 and q:
            tail[ghichu - len(cells) - 1] = '"ghi chú\nnhiều dòng"'   # a quoted line break
        line = ",".join(cells) + (',"' + mid + '",' + ",".join(tail) if q else "")
        out.append(line)
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


def split(data, parts, csv_header=False):
    """Cut data into about `parts` pieces at record boundaries. Returns a list of
    (bytes, first_line, records_before); a CSV piece starts with the header line. Lines
    and records are counted here the way chuan counts them (a quoted CSV field may hold
    line breaks: one record, several lines)."""
    recs = []   # (start offset, lines in the record)
    i, n = 0, len(data)
    header = b""
    if csv_header:
        j = _csv_record_end(data, 0)
        header, i = data[:j], j
    while i < n:
        j = _csv_record_end(data, i) if csv_header else data.index(b"\n", i) + 1 if b"\n" in data[i:] else n
        recs.append((i, j))
        i = j
    per = max(1, -(-len(recs) // parts))
    out = []
    line = header.count(b"\n") + 1
    before = 0
    for k in range(0, len(recs), per):
        chunk = recs[k:k + per]
        body = data[chunk[0][0]:chunk[-1][1]]
        out.append((header + body, line, before))
        line += body.count(b"\n")
        # chuan's CSV reader skips blank lines: they are not records
        before += sum(1 for a, b in chunk if not csv_header or data[a:b].strip(b"\r\n"))
    return out


def _csv_record_end(data, i):
    quoted = False
    n = len(data)
    while i < n:
        c = data[i:i + 1]
        if c == b'"':
            quoted = not quoted
        elif c == b"\n" and not quoted:
            return i + 1
        i += 1
    return n
