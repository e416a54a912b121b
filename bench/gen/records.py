#!/usr/bin/env python3
"""Deterministic generator of realistic one-stop dossier records (DongBoHoSoMC,
QCVN 120:2019/BTTTT field names; DOMAIN.md section 6) for the benchmarks.

    python3 bench/gen/records.py --format ndjson|json|xml|csv [--count N] [--seed S]
                                 [--invalid-every K] [--split DIR --per-file M]

Writes to stdout (or, with --split, M records per file into DIR as 000001.<ext>...).
Codes follow the real formats: MaHoSo <org id>-<yyMMdd>-<4 digits>, MaTTHC
<d>.<6 digits>.<org id>, MST with a valid check digit, 12-digit personal ids
consistent with birth year and sex, yyyyMMddHHmmss dates, 10-digit mobiles.
Schemas beside this file: hoso.xsd, hoso.schema.json, hoso.tableschema.json.
--invalid-every K makes every K-th record break one rule (a bad MaHoSo).
--optional drops the fields real senders leave out (OpenCPS marks them "ko bb": an empty
optional field is omitted, ChuHoSo/SoBienNhan now and then), so records have different key
sets, as real traffic does; the other records' values are the same as without it.
"""
import argparse
import datetime
import json
import os
import random
import sys
from xml.sax.saxutils import escape

HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
      "Hồ", "Ngô", "Dương", "Lý"]
DEM = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hoài", "Xuân", "Bảo"]
TEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hương", "Khánh", "Lan", "Long", "Mai",
       "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến", "Ánh"]
TTHC = [("1.001612", "Đăng ký khai sinh", "G15-HT01", "Hộ tịch"),
        ("2.000884", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "G17-XD05", "Quản lý hoạt động xây dựng"),
        ("1.000494", "Đăng ký thành lập hộ kinh doanh", "G05-KH02", "Thành lập và hoạt động của hộ kinh doanh"),
        ("2.002492", "Cấp bản sao trích lục hộ tịch", "G15-HT01", "Hộ tịch"),
        ("3.000181", "Chứng thực bản sao từ bản chính", "G15-CT01", "Chứng thực")]
ORGS = ["000.00.53.H48", "000.00.01.H22", "000.00.10.H47", "000.00.00.H49", "000.00.12.H41"]
PROV_CCCD = ["001", "002", "004", "022", "031", "038", "040", "046", "048", "049", "051", "079", "092"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Phan Đình Phùng", "Quang Trung"]
FEES = [("Lệ phí đăng ký", "LP01", 0), ("Phí thẩm định hồ sơ", "PTD02", 50000),
        ("Lệ phí cấp giấy phép", "LP03", 75000), ("Phí cung cấp thông tin", "PCC04", 20000)]
MST_W = [31, 29, 23, 19, 17, 13, 7, 5, 3]


def mst(rng):
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        d[0] = rng.choice([0, 0, 0, 1, 2, 3, 4])
        r = sum(a * b for a, b in zip(d, MST_W)) % 11
        if r != 0:
            return "".join(map(str, d)) + str(10 - r)


def cccd(rng, year, female):
    century = (year // 100) - 19
    digit = century * 2 + (1 if female else 0)
    return rng.choice(PROV_CCCD) + str(digit) + "%02d" % (year % 100) + "%06d" % rng.randrange(1000000)


def ts(rng, y0=2023):
    return "%04d%02d%02d%02d%02d%02d" % (y0 + rng.randrange(3), 1 + rng.randrange(12),
                                         1 + rng.randrange(28), 7 + rng.randrange(10),
                                         rng.randrange(60), rng.randrange(60))


def record(rng, i, invalid):
    org = rng.choice(ORGS)
    ma, ten, malv, tenlv = rng.choice(TTHC)
    recv = ts(rng)
    due = (datetime.datetime.strptime(recv, "%Y%m%d%H%M%S")
           + datetime.timedelta(days=1 + rng.randrange(14))).strftime("%Y%m%d%H%M%S")
    female = rng.random() < 0.5
    ho, dem, t = rng.choice(HO), ("Thị" if female else rng.choice(DEM)), rng.choice(TEN)
    citizen = rng.random() < 0.8
    year = 1950 + rng.randrange(55)
    r = {
        "MaHoSo": "%s-%s-%04d" % (org, recv[2:8], i % 10000),
        "MaTTHC": "%s.%s" % (ma, org),
        "TenTTHC": ten,
        "MaLinhVuc": malv,
        "TenLinhVuc": tenlv,
        "SoBienNhan": "%s/%s" % (i, recv[:4]),
        "ChuHoSo": "%s %s %s" % (ho, dem, t),
        "LoaiDoiTuong": "1" if citizen else "2",
        "MaDoiTuong": cccd(rng, year, female) if citizen else mst(rng),
        "ThongTinKhac": "",
        "Email": "congdan%d@example.vn" % i,
        "Fax": "",
        "SoDienThoai": "0" + rng.choice(["32", "33", "35", "38", "70", "77", "81", "83", "86", "90", "91", "96", "98"])
                        + "%07d" % rng.randrange(10000000),
        "TrichYeuHoSo": "%s cho ông/bà %s %s %s, số %d đường %s" % (ten, ho, dem, t, 1 + rng.randrange(300),
                                                                   rng.choice(STREETS)),
        "NgayTiepNhan": recv,
        "NgayHenTra": due,
        "TrangThaiHoSo": rng.choice(["1", "2", "5", "10"]),
        "NgayTra": "",
        "ThongTinTra": "",
        "HinhThuc": rng.choice(["0", "1"]),
        "NgayKetThucXuLy": "",
        "DonViXuLy": "Bộ phận một cửa UBND cấp xã",
        "GhiChu": "",
        "TaiLieuNop": [{"TepDinhKemId": "%d%02d" % (i, k), "TenTepDinhKem": "Tờ khai %d.pdf" % (k + 1),
                        "IsDeleted": "false", "MaThanhPhanHoSo": "TP%02d" % (k + 1),
                        "DuongDanTaiTepTin": "/files/%d/%d.pdf" % (i, k)}
                       for k in range(1 + rng.randrange(3))],
        "DanhSachLePhi": [{"TenPhiLePhi": n, "MaPhiLePhi": c, "HinhThucThu": "1", "Gia": str(g),
                           "LoaiPhiLePhi": "1" if c.startswith("LP") else "2"}
                          for (n, c, g) in rng.sample(FEES, 1 + rng.randrange(2))],
    }
    if invalid:
        r["MaHoSo"] = "HS-" + r["MaHoSo"].replace(".", "")
    return r


SCALARS = ["MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "SoBienNhan", "ChuHoSo",
           "LoaiDoiTuong", "MaDoiTuong", "ThongTinKhac", "Email", "Fax", "SoDienThoai", "TrichYeuHoSo",
           "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra", "ThongTinTra", "HinhThuc",
           "NgayKetThucXuLy", "DonViXuLy", "GhiChu"]
CSV_COLS = SCALARS + ["SoTaiLieu", "TongLePhi"]


def xml_record(r, out):
    out.append("  <HoSo>\n")
    for k in SCALARS:
        out.append("    <%s>%s</%s>\n" % (k, escape(r[k]), k))
    for t in r["TaiLieuNop"]:
        out.append("    <TaiLieuNop>" + "".join("<%s>%s</%s>" % (k, escape(v), k) for k, v in t.items())
                   + "</TaiLieuNop>\n")
    for f in r["DanhSachLePhi"]:
        out.append("    <DanhSachLePhi>" + "".join("<%s>%s</%s>" % (k, escape(v), k) for k, v in f.items())
                   + "</DanhSachLePhi>\n")
    out.append("  </HoSo>\n")


def csv_cell(v):
    if any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def csv_row(r):
    vals = [r[k] for k in SCALARS] + [str(len(r["TaiLieuNop"])),
                                      str(sum(int(f["Gia"]) for f in r["DanhSachLePhi"]))]
    return ",".join(csv_cell(v) for v in vals) + "\r\n"


OPTIONAL = ["ChuHoSo", "SoBienNhan", "MaDoiTuong", "ThongTinKhac", "Fax", "NgayTra", "ThongTinTra",
            "NgayKetThucXuLy", "GhiChu"]


def sparse(orng, r):
    """Drop optional fields the way real senders do (a second generator: same values otherwise)."""
    for k in OPTIONAL:
        if k in r and (r[k] == "" and orng.random() < 0.7 or orng.random() < 0.05):
            del r[k]
    if orng.random() < 0.1:
        del r["DanhSachLePhi"]
    return r


def write(fmt, records, fp):
    buf = []
    if fmt == "ndjson":
        for r in records:
            buf.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
            if len(buf) > 2000:
                fp.write("".join(buf)); buf = []
    elif fmt == "json":
        fp.write('{"service":"DongBoHoSoMC","isUpdating":"false","data":[\n')
        first = True
        for r in records:
            buf.append(("" if first else ",\n") + json.dumps(r, ensure_ascii=False, separators=(",", ":")))
            first = False
            if len(buf) > 2000:
                fp.write("".join(buf)); buf = []
        buf.append("\n]}\n")
    elif fmt == "xml":
        fp.write('<?xml version="1.0" encoding="UTF-8"?>\n<DanhSachHoSo>\n')
        for r in records:
            xml_record(r, buf)
            if len(buf) > 20000:
                fp.write("".join(buf)); buf = []
        buf.append("</DanhSachHoSo>\n")
    elif fmt == "csv":
        fp.write(",".join(CSV_COLS) + "\r\n")
        for r in records:
            buf.append(csv_row(r))
            if len(buf) > 2000:
                fp.write("".join(buf)); buf = []
    fp.write("".join(buf))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--format", required=True, choices=["ndjson", "json", "xml", "csv"])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--invalid-every", type=int, default=0)
    ap.add_argument("--split", metavar="DIR")
    ap.add_argument("--per-file", type=int, default=20)
    ap.add_argument("--optional", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    gen = (record(rng, i + 1, a.invalid_every and (i + 1) % a.invalid_every == 0) for i in range(a.count))
    if a.optional:
        if a.format not in ("ndjson", "json"):
            ap.error("--optional is for JSON output (XML and CSV rows here carry every field)")
        orng = random.Random(a.seed + 1)
        gen = (sparse(orng, r) for r in gen)
    if a.split:
        os.makedirs(a.split, exist_ok=True)
        n = 0
        while n < a.count:
            chunk = [next(gen) for _ in range(min(a.per_file, a.count - n))]
            n += len(chunk)
            with open(os.path.join(a.split, "%06d.%s" % (n // a.per_file, a.format)), "w", encoding="utf-8",
                      newline="") as fp:
                write(a.format, chunk, fp)
        return
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="", closefd=False, buffering=1 << 20)
    write(a.format, gen, out)
    out.flush()


if __name__ == "__main__":
    main()
