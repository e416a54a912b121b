#!/usr/bin/python3
"""bench/gen/xlsx.py ROWS OUT.xlsx [SEED] - a hộ tịch-like register of ROWS rows, written as Excel
writes it (shared strings, styles with a .VnTime font, a date format, a "00000" code format),
streamed straight into the zip so a 1,000,000-row workbook takes seconds and little memory. Fixed
seed (SEED, default 20261207). UNICODE maps every TCVN3 text the sheet holds to its Unicode
reading (bench/xlsx_compare.py checks the tools' outputs against it)."""
import random
import sys
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


# TCVN3 bytes as their Windows-1252 characters (what a .VnTime cell holds)
SURNAMES = ["NguyÔn", "TrÇn", "Lª", "Ph¹m", "Hoµng", "Vò", "§Æng", "Bïi"]
MIDDLES = ["V¨n", "ThÞ", "§øc", "Minh", "Ngäc", "Quang"]
GIVEN = ["An", "B×nh", "C\u00adêng", "Dòng", "Hoa", "Lan", "Nam", "Th¾ng", "Thu", "Hµ"]
PLACES = ["Hµ Néi", "H¶i Phßng", "§µ N½ng", "CÇn Th¬", "HuÕ", "Nam §Þnh"]
# their Unicode reading (TCVN3 table: 0xA7 Đ, 0xA8 ă, 0xAA ê, 0xAC ơ, 0xAD ư, 0xB5 à, 0xB6 ả,
# 0xB9 ạ, 0xBD ẵ, 0xBE ắ, 0xC6 ặ, 0xC7 ầ, 0xD4 ễ, 0xD5 ế, 0xD7 ì, 0xDE ị, 0xDF ò, 0xE4 ọ, 0xE9 ộ,
# 0xEA ờ, 0xEF ù, 0xF2 ũ, 0xF8 ứ), written out by hand, independently of chuan's tables
UNICODE = dict(zip(
    SURNAMES + MIDDLES + GIVEN + PLACES,
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi",
     "Văn", "Thị", "Đức", "Minh", "Ngọc", "Quang",
     "An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Nam", "Thắng", "Thu", "Hà",
     "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế", "Nam Định"]))


def main():
    rows, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261207)
    surnames, middles, given, places = SURNAMES, MIDDLES, GIVEN, PLACES
    strings = ["Họ tên", "Ngày sinh", "Nơi sinh", "Mã xã", "Số"] + surnames + middles + given + places
    idx = {s: i for i, s in enumerate(strings)}
    esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%sworksheet+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="%sstyles+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="%ssharedStrings+xml"/>'
                   '</Types>' % (ct, ct, ct, ct))
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook %s %s><sheets><sheet name="Data" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % (NS, REL))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/styles" Target="styles.xml"/>'
                   '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                   '</Relationships>')
        z.writestr("xl/styles.xml",
                   '<styleSheet %s><numFmts count="1"><numFmt numFmtId="164" formatCode="00000"/>'
                   '</numFmts><fonts count="2"><font><name val="Arial"/></font><font><name '
                   'val=".VnTime"/></font></fonts><cellXfs count="4"><xf numFmtId="0" fontId="0"/>'
                   '<xf numFmtId="0" fontId="1"/><xf numFmtId="14" fontId="0"/><xf numFmtId="164" '
                   'fontId="0"/></cellXfs></styleSheet>' % NS)
        z.writestr("xl/sharedStrings.xml", '<sst %s>%s</sst>' % (
            NS, "".join("<si><t>%s</t></si>" % esc(s) for s in strings)))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(('<worksheet %s><sheetData><row r="1">' % NS).encode())
            f.write("".join('<c r="%s1" t="s"><v>%d</v></c>' % (c, i)
                            for i, c in enumerate("ABCDE")).encode())
            f.write(b"</row>")
            buf = []
            for r in range(2, rows + 2):
                name = "%s %s %s" % (rnd.choice(surnames), rnd.choice(middles), rnd.choice(given))
                buf.append('<row r="%d"><c r="A%d" s="1" t="inlineStr"><is><t>%s</t></is></c>'
                           '<c r="B%d" s="2"><v>%d</v></c><c r="C%d" s="1" t="s"><v>%d</v></c>'
                           '<c r="D%d" s="3"><v>%d</v></c><c r="E%d"><v>%d</v></c></row>' % (
                               r, r, esc(name), r, rnd.randint(20000, 45000), r,
                               idx[rnd.choice(places)], r, rnd.randint(1, 32000), r, r - 1))
                if len(buf) == 10000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write(("".join(buf) + "</sheetData></worksheet>").encode())


if __name__ == "__main__":
    main()
