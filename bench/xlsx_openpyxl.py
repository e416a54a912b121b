"""bench/xlsx_openpyxl.py ndjson|csv FILE.xlsx - the python3-openpyxl peer of bench/bench.sh's W11:
open the workbook in read-only mode (openpyxl's streaming reader), iterate the first sheet's rows
as values and write them to standard output, one JSON object per row keyed by the header row
(ndjson) or as CSV rows under the header (csv). No font decoding: openpyxl has no notion of a
font as an encoding, so .VnTime text stays as its Windows-1252 characters."""
import csv
import json
import sys
import warnings

import openpyxl

warnings.simplefilter("ignore")  # "Workbook contains no default style"
mode, path = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path, read_only=True)
rows = wb.worksheets[0].iter_rows(values_only=True)
head = next(rows)
out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False, buffering=1 << 20)
if mode == "ndjson":
    dumps, write = json.dumps, out.write
    for r in rows:
        write(dumps(dict(zip(head, r)), default=str, ensure_ascii=False) + "\n")
else:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
out.flush()
wb.close()
