"""Cut a large NDJSON or CSV file into partitions at record boundaries and convert
each one anywhere (a Dask or Spark worker, another machine): concatenated in
partition order, the outputs and the rejects are the bytes of one
``chuan convert -s ID --rejects F`` run over the whole file (docs/distributed.md).

What depends on position is the line number (in rejects and diagnostics) and, for
CSV, the row number ("row N" paths) and the header. A partition therefore carries:

- ``start``, ``end``: its bytes in the file, cut just after a record's line end;
- ``first_line``: the line of the whole file its first record starts on;
- ``records_before``: the records before it (CSV: data rows, the header and blank
  lines not counted);
- ``header_end`` (CSV): the header is ``file[0:header_end]``, put in front of every
  partition so that each one is a CSV file of its own.

NDJSON is planned in two distributed steps that never read the whole file in one
place: ``ndjson_boundary`` finds, for each of n byte offsets, the next record start;
``ndjson_count`` counts the line ends of each piece; a running sum gives first_line.
A CSV quoted field may hold line breaks, so a line end seen from an arbitrary offset
may be inside a field: ``csv_plan`` reads the file once, in order (quotes and line
ends only, no parsing). Line ends are LF or CR LF.

    parts = csv_plan("big.csv", 64)
    r = convert_partition("big.csv", parts[7], to="ndjson", standard="dvc-hoso")
    r.data, r.rejects
"""
import os
import re
from collections import namedtuple

Partition = namedtuple("Partition", "start end first_line records_before header_end")

_BLOCK = 1 << 20


def _size(path):
    return os.path.getsize(path)


def ndjson_boundary(path, offset):
    """The first record start at or after offset: just after the first line end at or
    after offset - 1 (offset 0: 0; the file's size when there is none)."""
    if offset <= 0:
        return 0
    with open(path, "rb") as f:
        f.seek(offset - 1)
        at = offset - 1
        while True:
            block = f.read(_BLOCK)
            if not block:
                return at
            i = block.find(b"\n")
            if i >= 0:
                return at + i + 1
            at += len(block)


def ndjson_count(path, start, end):
    """Line ends in file[start:end]."""
    n = 0
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            block = f.read(min(_BLOCK, left))
            if not block:
                break
            n += block.count(b"\n")
            left -= len(block)
    return n


def ndjson_plan(path, parts, boundaries=None, counts=None):
    """Partitions of an NDJSON file. boundaries and counts may be computed elsewhere
    (by workers: see ndjson_boundary and ndjson_count); by default they are computed
    here."""
    size = _size(path)
    if boundaries is None:
        boundaries = [ndjson_boundary(path, size * k // parts) for k in range(parts)]
    starts = sorted(set(b for b in boundaries if b < size)) or [0]
    ends = starts[1:] + [size]
    if counts is None:
        counts = [ndjson_count(path, s, e) for s, e in zip(starts, ends)]
    out, line = [], 1
    for s, e, c in zip(starts, ends, counts):
        out.append(Partition(s, e, line, 0, 0))
        line += c
    return out


_EVENTS = re.compile(rb'["\n]')


def csv_plan(path, parts, header=True):
    """Partitions of a CSV file (one ordered pass over quotes and line ends; RFC 4180
    quoting: a quote inside an unquoted field is not expected)."""
    size = _size(path)
    want = max(1, size // parts)
    quoted = False
    nl = 0                       # line ends so far
    rec_start, rec_line = 0, 1   # the current record
    header_end = None if header else 0
    records = 0                  # data records before the current one
    part = None                  # (start, first_line, records_before) of the open partition
    out = []
    prev = b""
    at = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(_BLOCK)
            if not block:
                break
            for m in _EVENTS.finditer(block):
                i = m.start()
                if block[i] == 0x22:   # '"'
                    quoted = not quoted
                    continue
                nl += 1
                if quoted:
                    continue
                end = at + i + 1
                if header_end is None:
                    header_end = end
                else:
                    before = block[i - 1:i] if i > 0 else prev
                    blank = end - rec_start == 1 or (end - rec_start == 2 and before == b"\r")
                    if part is None:
                        part = (rec_start, rec_line, records)
                    if not blank:
                        records += 1
                    if end - part[0] >= want:
                        out.append(Partition(part[0], end, part[1], part[2], header_end))
                        part = None
                rec_start, rec_line = end, nl + 1
            at += len(block)
            prev = block[-1:]
    if part is None and rec_start < size:   # a last record without a line end
        part = (rec_start, rec_line, records)
    if part is not None:
        out.append(Partition(part[0], size, part[1], part[2], header_end or 0))
    return out


def read_partition(path, p):
    """The bytes of partition p: for CSV the header, then the partition's records."""
    with open(path, "rb") as f:
        head = f.read(p.header_end) if p.header_end else b""
        f.seek(p.start)
        return head + f.read(p.end - p.start)


_converters = {}


def convert_partition(path, p, name=None, **converter_opts):
    """Convert partition p of the file at path with a Converter made from
    converter_opts (kept per process and options: compiled once per worker).
    Returns a chuan.Conversion whose data and rejects belong at p's place."""
    import chuan
    key = tuple(sorted(converter_opts.items()))
    c = _converters.get(key)
    if c is None:
        c = _converters[key] = chuan.Converter(**converter_opts)
    return c.convert(read_partition(path, p), name=name or path, rejects=True,
                     first_line=p.first_line, records_before=p.records_before)
