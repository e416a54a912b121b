#!/usr/bin/python3
"""Write the spreadsheet fixtures of fixtures/sheets (committed: the tests do not need the generators).

Run from the repository root with Debian's python3-openpyxl and python3-xlwt:
    /usr/bin/python3 tests/sheets/make-fixtures.py
Legacy text is encoded with the tables of scripts/gen-textenc-tables.py (the ones chuan's decoders
are generated from) and typed as the Windows-1252 characters of its bytes, as a user of a
.VnTime / VNI-Times font did. The expected Unicode is in the comments of each row below.
"""
import datetime
import importlib.util
import io
import os
import struct
import sys
import unicodedata
import zipfile

import openpyxl
import xlwt
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "..", "fixtures", "sheets")
spec = importlib.util.spec_from_file_location(
    "gen", os.path.join(HERE, "..", "..", "scripts", "gen-textenc-tables.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

TCVN3 = gen.tcvn3()
TCVN3_REV = {}
for b in range(255, -1, -1):  # lowest byte wins (capital/small shared bytes: the small one)
    cp = TCVN3[b]
    if cp != gen.INVALID:
        TCVN3_REV[cp] = b
VNI_T, _ = gen.vni()
VNI_SINGLE_REV = {}
for b in range(0x80, 0x100):
    if VNI_T[b] not in (gen.INVALID, b) and b >= 0xC0:
        VNI_SINGLE_REV[VNI_T[b]] = b
VNI_MARK_REV = {}
for low, (kind, tone) in gen.VNI_MARKS.items():
    VNI_MARK_REV[(kind, tone, 0)] = low
    VNI_MARK_REV[(kind, tone, 1)] = low - 0x20


def cp1252_text(data):
    """Bytes typed in a legacy font, as Excel stores them: each byte's Windows-1252 character."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))  # 0x81 0x8D 0x8F 0x90 0x9D: their own C1 code points
    return "".join(out)


def tcvn3(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        cp = ord(ch)
        if cp in TCVN3_REV:
            out.append(TCVN3_REV[cp])
        elif ord(ch.lower()) in TCVN3_REV:  # toned capitals: TCVN3 has only the small letter
            out.append(TCVN3_REV[ord(ch.lower())])
        else:
            raise ValueError("not in TCVN3: %r" % ch)
    return cp1252_text(bytes(out))


def vni(text):
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        cp = ord(ch)
        if cp < 0x80:
            out.append(cp)
            continue
        if cp in VNI_SINGLE_REV:
            out.append(VNI_SINGLE_REV[cp])
            continue
        info = gen.INFO.get(cp)
        if not info:
            raise ValueError("not in VNI: %r" % ch)
        shape, tone, upper = info
        base = gen.SHAPES[shape]
        kind = {"\u00e2": 1, "\u00ea": 1, "\u00f4": 1, "\u0103": 2}.get(base, 0)
        if base in ("\u01a1", "\u01b0"):
            b0 = VNI_SINGLE_REV[ord(base.upper() if upper else base)]
        else:
            plain = unicodedata.normalize("NFD", base)[0]
            b0 = ord(plain.upper() if upper else plain)
        out.append(b0)
        if kind or tone:
            out.append(VNI_MARK_REV[(kind, tone, upper)])
    return cp1252_text(bytes(out))


# the register: (Họ tên in .VnTime, the same in Unicode, Nơi sinh in VNI-Times, birth date,
# commune code with zeros, count, note in the font named by the row)
ROWS = [
    ("Nguyễn Văn An", "Bệnh viện Bạch Mai", datetime.date(1990, 8, 14), 123, 2,
     ("note", ".VnTime", "Đã cấp bản sao")),
    ("Trần Thị Bích Ngọc", "Trạm y tế xã Tiên Dương", datetime.date(1985, 2, 28), 7, 1,
     ("note", "VNI-Times", "Khai sinh quá hạn")),
    ("Lê Đức Thắng", "Hà Nội", datetime.date(2001, 12, 1), 40512, 3,
     ("note", "Times New Roman", "Ghi chú Unicode")),
]
HEADERS = ["Họ và tên", "Họ tên (Unicode)", "Nơi sinh", "Ngày sinh", "Mã xã", "Số bản sao",
           "Ghi chú", "Tiêu đề"]


def xlsx_register(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SoDangKy"
    ws.append(HEADERS)
    for i, (name, place, born, code, n, note) in enumerate(ROWS, start=2):
        ws.cell(i, 1, tcvn3(name)).font = Font(name=".VnTime")
        ws.cell(i, 2, name).font = Font(name="Times New Roman")
        ws.cell(i, 3, vni(place)).font = Font(name="VNI-Times")
        c = ws.cell(i, 4, born)
        c.number_format = "dd/mm/yyyy"
        c = ws.cell(i, 5, code)
        c.number_format = "00000"
        ws.cell(i, 6, n)
        _, font, text = note
        enc = tcvn3 if font.startswith(".Vn") else vni if font.startswith("VNI") else (lambda t: t)
        ws.cell(i, 7, enc(text)).font = Font(name=font)
        # a capitals font: .VnTimeH shows the small letters' bytes as capitals
        ws.cell(i, 8, tcvn3("sổ hộ tịch")).font = Font(name=".VnTimeH")
    ws.cell(5, 1, None)  # an empty row 5 is skipped
    ws.cell(6, 1, tcvn3("Phạm Thị Hoa")).font = Font(name=".VnTime")
    ws.cell(6, 4, 0.5).number_format = "hh:mm"  # a time of day
    ws.cell(6, 6, 1.25)
    wb.create_sheet("Trong")  # an empty sheet
    wb.save(path)


def xls_register(path):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("SoDangKy")
    st = {f: xlwt.easyxf("font: name %s" % f) for f in
          (".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman")}
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    zeros = xlwt.easyxf(num_format_str="00000")
    for j, h in enumerate(HEADERS):
        ws.write(0, j, h)
    for i, (name, place, born, code, n, note) in enumerate(ROWS, start=1):
        ws.write(i, 0, tcvn3(name), st[".VnTime"])
        ws.write(i, 1, name, st["Times New Roman"])
        ws.write(i, 2, vni(place), st["VNI-Times"])
        ws.write(i, 3, born, date)
        ws.write(i, 4, code, zeros)
        ws.write(i, 5, n)
        _, font, text = note
        enc = tcvn3 if font.startswith(".Vn") else vni if font.startswith("VNI") else (lambda t: t)
        ws.write(i, 6, enc(text), st[font])
        ws.write(i, 7, tcvn3("sổ hộ tịch"), st[".VnTimeH"])
    ws.write(5, 0, tcvn3("Phạm Thị Hoa"), st[".VnTime"])
    ws.write(5, 5, 1.25)
    wb.add_sheet("Trong")
    wb.save(path)


# a hộ tịch register typed in the 2000s: legacy headers, names in .VnTime, two-digit years
HOTICH_HEADERS = ["Loại", "Số", "Quyển số", "Ngày ĐK", "Mã tỉnh", "Nơi đăng ký", "Họ tên",
                  "Ngày sinh", "Giới tính", "Dân tộc", "Quốc tịch", "Số định danh", "Nơi sinh",
                  "Họ tên mẹ", "Ngày sinh mẹ", "Số định danh mẹ", "Ghi chú"]
HOTICH = [
    ["KS", 125, "01/2024", datetime.date(2024, 3, 15), 22, "UBND phường Hồng Hà, thành phố Hạ Long",
     "Nguyễn Minh Khang", "02/03/24", "Nam", 1, "VN", "022224003517",
     "Bệnh viện Sản Nhi tỉnh Quảng Ninh", "Phạm Thị Thu", "21/05/93", "031193004567", "x"],
    ["KS", 8, "01/2025", datetime.date(2025, 8, 11), 15, "UBND phường Yên Bái, tỉnh Lào Cai",
     "Hà Thị Ngọc Diệp", "30/07/25", "Nữ", 3, "VN", "015325006789",
     "Bệnh viện Sản Nhi tỉnh Yên Bái", "Hà Thị Hoa", "02/12/98", "015198002468", ""],
]
HOTICH_BAD = ["KS", 9, "01/2025", datetime.date(2025, 8, 12), 15, "UBND xã Tiên Dương",
              "Lò Văn Pấng", "", "Nam", 3, "VN", "015325006790", "Tại nhà", "Lò Thị Mai", "01/01/99",
              "015199002469", ""]


def xls_hotich(path, rows):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("So KS")
    vn = xlwt.easyxf("font: name .VnTime")
    date = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    two = xlwt.easyxf(num_format_str="00")
    ws.write(0, 0, "SỔ ĐĂNG KÝ KHAI SINH")  # a title row above the header (--header-row 2)
    for j, h in enumerate(HOTICH_HEADERS):
        ws.write(1, j, h)
    for i, row in enumerate(rows, start=2):
        for j, v in enumerate(row):
            h = HOTICH_HEADERS[j]
            if isinstance(v, datetime.date):
                ws.write(i, j, v, date)
            elif h in ("Họ tên", "Họ tên mẹ", "Nơi sinh", "Nơi đăng ký", "Giới tính") and v:
                ws.write(i, j, tcvn3(v), vn)
            elif h == "Mã tỉnh":
                ws.write(i, j, v, two)
            elif v != "":
                ws.write(i, j, v)
    wb.save(path)


def xlsx_by_hand(path, root="xl"):
    """What Excel itself writes and openpyxl does not: shared strings (one with rich-text runs in
    two legacy fonts), the 1904 date base, a date and a code formatted "000", a cell without r."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    sst = [esc("Tên"), esc("Ngày"), esc("Mã"), esc(tcvn3("Đỗ Quang Huy")),
           # runs: "Vũ Thị " in .VnTime, "Ngọc Anh" in VNI-Times, " (Unicode)" in Arial
           None, "_x0041_BC"]
    runs = ('<r><rPr><rFont val=".VnTime"/></rPr><t xml:space="preserve">%s</t></r>'
            '<r><rPr><rFont val="VNI-Times"/></rPr><t>%s</t></r>'
            '<r><rPr><rFont val="Arial"/></rPr><t xml:space="preserve"> (Unicode)</t></r>'
            '<rPh sb="0" eb="1"><t>ignored phonetic</t></rPh>'
            % (esc(tcvn3("Vũ Thị ")), esc(vni("Ngọc Anh"))))
    sst_xml = '<sst %s count="6" uniqueCount="6">%s</sst>' % (ns, "".join(
        "<si>%s</si>" % (runs if t is None else "<t>%s</t>" % t) for t in sst))
    styles = ('<styleSheet %s><numFmts count="1"><numFmt numFmtId="164" formatCode="000"/></numFmts>'
              '<fonts count="2"><font><sz val="11"/><name val="Arial"/></font>'
              '<font><sz val="12"/><name val=".VnTime"/></font></fonts>'
              '<cellXfs count="4"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/>'
              '<xf numFmtId="14" fontId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0"/>'
              '</cellXfs><dxfs count="1"><dxf><font><name val="VNI-Times"/></font></dxf></dxfs>'
              '</styleSheet>' % ns)
    sheet = ('<worksheet %s><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
             '<c r="C1" t="s"><v>2</v></c></row>'
             '<row r="2"><c r="A2" s="1" t="s"><v>3</v></c><c r="B2" s="2"><v>0</v></c>'
             '<c r="C2" s="3"><v>7</v></c></row>'
             '<row r="3"><c r="A3" s="1" t="s"><v>4</v></c><c s="2"><v>7305</v></c>'
             '<c s="3"><v>42</v></c></row>'
             '<row r="4"><c r="A4" t="s"><v>5</v></c><c r="C4" t="str"><f>1+1</f><v>2</v></c></row>'
             '</sheetData></worksheet>' % ns)
    workbook = ('<workbook %s %s><workbookPr date1904="1"/><sheets>'
                '<sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>' % (ns, rel))
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="/xl/worksheets/data.xml"/>'
            '<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if root != "xl":  # the package's relationships name the workbook part
            z.writestr("_rels/.rels",
                       '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
                       '.org/officeDocument/2006/relationships/officeDocument" Target="%s/book.xml"'
                       '/></Relationships>' % root)
            rels = rels.replace("/xl/worksheets/", "/%s/worksheets/" % root)
        z.writestr("%s/%s.xml" % (root, "workbook" if root == "xl" else "book"), workbook)
        z.writestr("%s/_rels/%s.xml.rels" % (root, "workbook" if root == "xl" else "book"), rels)
        z.writestr("%s/styles.xml" % root, styles)
        z.writestr("%s/sharedStrings.xml" % root, sst_xml)
        z.writestr("%s/worksheets/data.xml" % root, sheet)


def headers(path):
    """Legacy headers are keys as they stand: a dot, digits, a tilde do not nest; a value right of
    the last header rejects its row; a title row above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    ws.append(["DANH SÁCH"])
    ws.append(["Ng.sinh", "2024", "~x", None, "Số"])
    ws.append(["01/02/03", 5, "t", None, 1])
    ws.append(["04/05/06", 6, "u", "under no header", 2, "right of the header"])
    ws.append([None, None, None, None, None])
    ws.append(["07/08/09", 7, True, None, 3])
    # a VNI cell with a byte VNI does not define (0xE7 'ç'): U+FFFD and encoding.invalid at its cell
    ws.append(["Fa\u00e7ade", 8, "v", None, 4])
    ws.cell(ws.max_row, 1).font = Font(name="VNI-Times")
    wb.save(path)
    wb = openpyxl.Workbook()
    wb.active.append(["Họ tên", "Ghi chú", "Ghi chú"])
    wb.active.append(["A", "x", "y"])
    wb.save(path.replace(".xlsx", "-dup.xlsx"))


def biff(rtype, data):
    return struct.pack("<HH", rtype, len(data)) + data


def xl_string(text, cch_bytes=2):
    """XLUnicodeString: compressed (Latin-1) when it can be, else UTF-16LE."""
    try:
        raw, flags = text.encode("latin-1"), 0
    except UnicodeEncodeError:
        raw, flags = text.encode("utf-16-le"), 1
    n = len(text)
    return (struct.pack("<B", n) if cch_bytes == 1 else struct.pack("<H", n)) + bytes([flags]) + raw


def xls_tiny_ministream(path):
    """A BIFF8 workbook small enough (< 4096 bytes) to live in the compound file's mini stream,
    as some older generators write it; the CFB is built by hand: header, FAT, directory,
    MiniFAT, mini stream."""
    font = struct.pack("<HHHHHBBBB", 240, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + xl_string(".VnTime", 1)
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    xf1 = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    sheet_name = xl_string("Nhỏ", 1)
    glob = [biff(0x0809, struct.pack("<HHHHII", 0x0600, 5, 0, 0, 0, 0)), biff(0x0031, font)]
    glob += [biff(0x00E0, xf)] * 15 + [biff(0x00E0, xf1)]
    bound_len = 4 + 6 + len(sheet_name)
    glob_len = sum(map(len, glob)) + bound_len + 4
    glob += [biff(0x0085, struct.pack("<IBB", glob_len, 0, 0) + sheet_name), biff(0x000A, b"")]
    cells = [biff(0x0809, struct.pack("<HHHHII", 0x0600, 0x10, 0, 0, 0, 0)),
             biff(0x0204, struct.pack("<HHH", 0, 0, 15) + xl_string(tcvn3("Tên"))),  # typed in the .VnTime font too
             biff(0x0204, struct.pack("<HHH", 0, 1, 15) + xl_string(tcvn3("Số"))),
             biff(0x0204, struct.pack("<HHH", 1, 0, 15) + xl_string(tcvn3("Đỗ Thị Hà"))),
             biff(0x027E, struct.pack("<HHHI", 1, 1, 15, (42 << 2) | 2)),  # RK integer 42
             biff(0x000A, b"")]
    wbs = b"".join(glob) + b"".join(cells)
    assert len(wbs) < 4096
    mini = wbs + b"\0" * (-len(wbs) % 64)
    nmini = len(mini) // 64
    container = mini + b"\0" * (-len(mini) % 512)
    ncont = len(container) // 512
    END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [FATSECT, END, END] + [4 + i for i in range(ncont - 1)] + [END]
    fat += [FREE] * (128 - len(fat))
    minifat = [i + 1 for i in range(nmini - 1)] + [END]
    minifat += [FREE] * (128 - len(minifat))

    def entry(name, typ, child, start, size):
        n = (name + "\0").encode("utf-16-le")
        return (n + b"\0" * (64 - len(n)) + struct.pack("<HBB", len(n), typ, 1) +
                struct.pack("<III", FREE, FREE, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 +
                struct.pack("<II", start, size) + b"\0" * 4)
    directory = (entry("Root Entry", 5, 1, 3, len(mini)) + entry("Workbook", 2, FREE, 0, len(wbs)) +
                 b"\0" * 256)
    header = (bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 16 +
              struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6 +
              struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, END, 0) +
              struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    assert len(header) == 512
    with open(path, "wb") as f:
        f.write(header + struct.pack("<128I", *fat) + directory +
                struct.pack("<128I", *minifat) + container)


def corrupt_files():
    with open(os.path.join(FIX, "register.xlsx"), "rb") as f:
        good = f.read()
    with open(os.path.join(FIX, "corrupt.xlsx"), "wb") as f:
        f.write(good[: len(good) // 2])  # cut in half: no central directory
    with open(os.path.join(FIX, "register.xls"), "rb") as f:
        good = f.read()
    with open(os.path.join(FIX, "corrupt.xls"), "wb") as f:
        f.write(good[:512] + bytes(range(256)) * 8)  # the OLE2 header, then noise
    with zipfile.ZipFile(os.path.join(FIX, "not-a-workbook.xlsx"), "w") as z:
        z.writestr("hello.txt", "a zip, not a workbook\n")
    # a zip bomb: 64 MiB of empty elements in the sheet compress to about 64 KiB
    src = zipfile.ZipFile(io.BytesIO(open(os.path.join(FIX, "register.xlsx"), "rb").read()))
    with zipfile.ZipFile(os.path.join(FIX, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED,
                         compresslevel=9) as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b"<x/>" * (16 << 20), 1)
            z.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)


def main():
    os.makedirs(FIX, exist_ok=True)
    xlsx_register(os.path.join(FIX, "register.xlsx"))
    xls_register(os.path.join(FIX, "register.xls"))
    xlsx_by_hand(os.path.join(FIX, "shared-strings-1904.xlsx"))
    xlsx_by_hand(os.path.join(FIX, "moved-workbook.xlsx"), root="book")
    headers(os.path.join(FIX, "headers.xlsx"))
    xls_tiny_ministream(os.path.join(FIX, "ministream.xls"))
    xls_hotich(os.path.join(FIX, "hotich-register.xls"), HOTICH)
    xls_hotich(os.path.join(FIX, "hotich-register-bad.xls"), HOTICH + [HOTICH_BAD])
    corrupt_files()


if __name__ == "__main__":
    sys.exit(main())
