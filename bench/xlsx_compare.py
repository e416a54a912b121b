"""bench/xlsx_compare.py CHUAN.ndjson OPENPYXL.ndjson - W11's check: the two tools read the same
rows of bench/gen/xlsx.py's sheet. Every row of both outputs is compared, after mapping
openpyxl's raw values to what the cells mean: .VnTime text (TCVN3 as Windows-1252 characters)
through the generator's own TCVN3 -> Unicode table (bench/gen/xlsx.py UNICODE, written by hand),
Excel dates (datetime) to yyyy-mm-dd, the code formatted "00000" to five digits. Prints
"ROWS_CHUAN ROWS_OPENPYXL DIFFERING FIRST_EQUAL LAST_EQUAL"."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))
from xlsx import UNICODE  # noqa: E402


def tcvn3(text):
    return " ".join(UNICODE.get(w, "?" + w) for w in text.split(" "))


def meaning(r):
    """openpyxl's row -> the row chuan should give (header names as the sheet holds them)."""
    name, born, place, code, num = r.values()
    k = list(r.keys())
    return {k[0]: tcvn3(name), k[1]: str(born)[:10], k[2]: UNICODE.get(place, "?" + place),
            k[3]: "%05d" % code, k[4]: num}


n_c = n_p = differing = 0
first = last = None
with open(sys.argv[1], encoding="utf-8") as c, open(sys.argv[2], encoding="utf-8") as p:
    while True:
        a, b = c.readline(), p.readline()
        if not a and not b:
            break
        n_c += bool(a)
        n_p += bool(b)
        eq = bool(a and b) and json.loads(a) == meaning(json.loads(b))
        differing += not eq
        if first is None:
            first = eq
        last = eq
print(n_c, n_p, differing, "first-equal" if first else "first-DIFFERENT", "last-equal" if last else "last-DIFFERENT")
