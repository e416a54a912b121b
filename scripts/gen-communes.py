#!/usr/bin/env python3
"""Generate standards/codelists/communes.csv from the vendored snapshots of the
administrative units (standards/codelists/sources/vn-admin-units/, MIT).

    python3 scripts/gen-communes.py            # rewrite standards/codelists/communes.csv
    python3 scripts/gen-communes.py --check    # exit 1 when the committed file differs

The list has the columns code,name,valid_from,valid_to,parent: one row per commune-level
unit (xã, phường, thị trấn, đặc khu) and snapshot, `parent` being the 2-digit province code
the unit belongs to in that snapshot. Rows of the older snapshot (QĐ 124/2004/QĐ-TTg as
amended: 63 provinces, districts, communes) are valid until the switch date (exclusive);
rows of the newer one (QĐ 19/2025/QĐ-TTg: 34 provinces, communes directly under them)
from that date on. The older snapshot is the state of 2025-06-30 only: it does not
carry earlier changes (commune mergers before 2025, Hà Tây 2008), so its rows have no
valid_from; packages decide how far back they trust it (see the hotich package).

To take a newer published list: replace the JSON file(s) (same shape: a list of provinces
with Code/FullName and Wards, or District/Ward for the older form), or pass other files
with --until/--from, rerun this script and commit the CSV. No code changes are needed.
"""
import argparse
import csv
import io
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "standards", "codelists", "sources", "vn-admin-units")
OUT = os.path.join(ROOT, "standards", "codelists", "communes.csv")


def nfc(s):
    return unicodedata.normalize("NFC", s.strip())


def units(path):
    """Yield (commune code, name, province code) of one snapshot file."""
    with open(path, encoding="utf-8") as f:
        provinces = json.load(f)
    seen = set()
    for p in provinces:
        pcode = p["Code"]
        if len(pcode) != 2 or not pcode.isdigit():
            sys.exit(f"{path}: province code {pcode!r} is not 2 digits")
        if "Wards" in p:  # two levels: communes directly under the province
            wards = [(w, w.get("ProvinceCode", pcode)) for w in p["Wards"] or []]
        else:  # three levels: province, district, commune
            wards = []
            for d in p.get("District") or []:
                if d.get("ProvinceCode", pcode) != pcode:
                    sys.exit(f"{path}: district {d['Code']} lies in {d['ProvinceCode']}, not {pcode}")
                wards += [(w, pcode) for w in d.get("Ward") or []]
        for w, parent in wards:
            code = w["Code"]
            if parent != pcode:
                sys.exit(f"{path}: commune {code} lies in {parent}, listed under {pcode}")
            if len(code) != 5 or not code.isdigit():
                sys.exit(f"{path}: commune code {code!r} is not 5 digits")
            if code in seen:
                sys.exit(f"{path}: commune code {code} appears twice")
            seen.add(code)
            yield code, nfc(w["FullName"]), pcode


def build(until_path, from_path, switch):
    rows = [(c, n, "", switch, p) for c, n, p in units(until_path)]
    rows += [(c, n, switch, "", p) for c, n, p in units(from_path)]
    rows.sort(key=lambda r: (r[0], r[2] or "0000"))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "name", "valid_from", "valid_to", "parent"])
    w.writerows(rows)
    return out.getvalue(), len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--until", default=os.path.join(SRC, "units-until-2025-06-30.json"),
                    help="snapshot in force before the switch date")
    ap.add_argument("--from", dest="from_", default=os.path.join(SRC, "units-from-2025-07-01.json"),
                    help="snapshot in force from the switch date")
    ap.add_argument("--switch", default="2025-07-01",
                    help="first day of the newer snapshot (YYYY-MM-DD)")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    a = ap.parse_args()
    text, n = build(a.until, a.from_, a.switch)
    if a.check:
        with open(a.out, encoding="utf-8") as f:
            if f.read() != text:
                sys.exit(f"{a.out} is not what {sys.argv[0]} generates: rerun it")
        print(f"{a.out}: up to date ({n} rows)")
        return
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, a.out)
    print(f"wrote {a.out}: {n} rows")


if __name__ == "__main__":
    main()
