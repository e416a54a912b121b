#!/usr/bin/env python3
"""Generate core/textenc_tables.c: the legacy Vietnamese encoding tables.

Run from the repository root on a Debian machine with the `locales` package
(it reads glibc's charmaps):  python3 scripts/gen-textenc-tables.py > core/textenc_tables.c

Sources (each table says where it comes from):
  * VISCII  - glibc charmap /usr/share/i18n/charmaps/VISCII.gz (RFC 1456 table).
  * CP1258  - glibc charmap /usr/share/i18n/charmaps/CP1258.gz (Microsoft
              "Windows-1258" best-fit table), single-byte entries only.
  * TCVN3   - TCVN 5712:1993 VN3 (the "ABC" font encoding): bytes 0xA0-0xFF as
              in VN1 (glibc charmap TCVN5712-1.gz), C0 controls and 0x00-0x7F as
              ASCII (VN3 does not put letters there), 0x80-0x9F as Windows-1252
              punctuation; cross-checked below against the TCVN3 column of
              Unikey's vnconv table (ukengine/data.cpp, "SingleByteTables").
  * VPS     - Mozilla's intl/uconv/ucvlatin/vps.ut (the table in its header,
              transcribed below as hex).
  * VNI-Windows - Unikey vnconv "DoubleByteTables" VNI-WIN column: base ASCII
              letter followed by a mark byte; single bytes for d-stroke,
              o-horn, u-horn and the toned i / y-dot-below letters.
  * Vietnamese letters - Unicode (Python's unicodedata): 12 vowel shapes x 6 tones
              x 2 cases + D-stroke.
"""
import gzip
import re
import sys
import unicodedata

SHAPES = ["a", "\u0103", "\u00e2", "e", "\u00ea", "i", "o", "\u00f4", "\u01a1", "u", "\u01b0", "y"]
TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]  # none, sac, huyen, hoi, nga, nang
TONE_NAMES = ["none", "sac", "huyen", "hoi", "nga", "nang"]
INVALID = 0xFFFF


def letter(shape, tone, upper):
    s = SHAPES[shape]
    if upper:
        s = s.upper()
    c = unicodedata.normalize("NFC", s + TONES[tone])
    assert len(c) == 1, (shape, tone, upper)
    return ord(c)


LETTERS = [[[letter(s, t, u) for u in (0, 1)] for t in range(6)] for s in range(12)]
INFO = {}  # cp -> (shape, tone, upper)
for s in range(12):
    for t in range(6):
        for u in (0, 1):
            INFO[LETTERS[s][t][u]] = (s, t, u)


def charmap(name):
    table = {}
    with gzip.open("/usr/share/i18n/charmaps/%s.gz" % name, "rt", encoding="latin-1") as f:
        for line in f:
            m = re.match(r"^<U([0-9A-Fa-f]{4,6})>\s+/x([0-9a-fA-F]{2})\s", line)
            if m:
                table[int(m.group(2), 16)] = int(m.group(1), 16)
    return table


def cp1252(b):
    try:
        return ord(bytes([b]).decode("cp1252"))
    except UnicodeDecodeError:
        return INVALID


def viscii():
    cm = charmap("VISCII")
    return [cm.get(b, INVALID) for b in range(256)]


def cp1258():
    cm = charmap("CP1258")
    return [cm.get(b, INVALID) for b in range(256)]


def tcvn3():
    vn1 = charmap("TCVN5712-1")
    t = []
    for b in range(256):
        if b < 0x80:
            t.append(b)
        elif b < 0xA0:
            t.append(cp1252(b))
        else:
            t.append(vn1.get(b, INVALID))
    # Cross-check with Unikey's TCVN3 column (lower-case letters; the
    # glyphs there are Windows-1252 renderings of the bytes).
    unikey = {
        0: "a\xb8\xb5\xb6\xb7\xb9", 2: "\xa9\xca\xc7\xc8\xc9\xcb", 1: "\xa8\xbe\xbb\xbc\xbd\xc6",
        3: "e\xd0\xcc\xce\xcf\xd1", 4: "\xaa\xd5\xd2\xd3\xd4\xd6", 5: "i\xdd\xd7\xd8\xdc\xde",
        6: "o\xe3\xdf\xe1\xe2\xe4", 7: "\xab\xe8\xe5\xe6\xe7\xe9", 8: "\xac\xed\xea\xeb\xec\xee",
        9: "u\xf3\xef\xf1\xf2\xf4", 10: "\xad\xf8\xf5\xf6\xf7\xf9", 11: "y\xfd\xfa\xfb\xfc\xfe",
    }
    for shape, codes in unikey.items():
        for tone, ch in enumerate(codes):
            assert t[ord(ch)] == LETTERS[shape][tone][0], (shape, tone, hex(ord(ch)))
    for b, cp in ((0xA1, 0x102), (0xA2, 0xC2), (0xA3, 0xCA), (0xA4, 0xD4), (0xA5, 0x1A0),
                  (0xA6, 0x1AF), (0xA7, 0x110), (0xAE, 0x111)):
        assert t[b] == cp
    return t


VPS_C0 = [0x0000, 0x0001, 0x1EA0, 0x1EAC, 0x1EB6, 0x1EB8, 0x1EC6, None, None, None, None, None, None,
          None, None, None, 0x1ECA, 0x1ECC, 0x1ED8, 0x1EE2, 0x1EE4, 0x1EF0, None, None, None,
          0x1EF4, None, None, 0x1EAA, 0x1EEE]
VPS_HIGH = """
00C0 1EA2 00C3 1EA4 1EA6 1EA8 1ECD 1ED7 0102 1EBF 1EC1 1EC3 1EC7 1EAE 1EB0 1EB2
1EBE 2018 2019 1EC0 1EC2 1EC4 1ED0 1ED2 1ED4 1ED6 00FD 1EF7 1EF5 1EDA 1EDC 1EDE
00A0 1EAF 1EB1 1EB3 1EB5 1EB7 1EE0 1EDB 00D9 1EDD 1EDF 1EE1 0168 1EE8 1EE3 1EEA
1ED5 1EEC 1EF2 1EF8 00CD 00CC 1ED9 1EC8 0128 00D3 1EED 1EEF 00D2 1ECE 00D5 1EF1
1EA7 00C1 00C2 1EA5 1EA9 1EAB 1EAD 0111 1EBB 00C9 00CA 1EB9 1EC9 1EC5 1ECB 1EF9
01AF 1EE6 1ED3 1ED1 00D4 1ECF 01A1 00C8 1EEB 1EE9 00DA 0169 01B0 00DD 1EBA 00DF
00E0 00E1 00E2 00E3 1EA3 1EA1 0103 00E7 00E8 00E9 00EA 1EBD 00EC 00ED 00EE 0129
1EB4 0110 00F2 00F3 00F4 00F5 00F6 01A0 1EE5 00F9 00FA 1EE7 00FC 1EF6 1EBC 1EF3
"""


def vps():
    t = list(range(256))
    for b, cp in enumerate(VPS_C0):
        if cp is not None:
            t[b] = cp
    high = [int(x, 16) for x in VPS_HIGH.split()]
    assert len(high) == 128
    for i, cp in enumerate(high):
        t[0x80 + i] = cp
    return t


# VNI-Windows. Mark bytes (lower-case form; the upper-case form is 0x20 less):
# kind 0 = tone only, 1 = circumflex (+tone), 2 = breve (+tone).
VNI_MARKS = {
    0xF9: (0, 1), 0xF8: (0, 2), 0xFB: (0, 3), 0xF5: (0, 4), 0xEF: (0, 5),
    0xE2: (1, 0), 0xE1: (1, 1), 0xE0: (1, 2), 0xE5: (1, 3), 0xE3: (1, 4), 0xE4: (1, 5),
    0xEA: (2, 0), 0xE9: (2, 1), 0xE8: (2, 2), 0xFA: (2, 3), 0xFC: (2, 4), 0xEB: (2, 5),
}
# Single-byte letters (lower-case byte; upper-case = byte - 0x20).
VNI_SINGLE = {0xF1: 0x111, 0xF4: 0x1A1, 0xF6: 0x1B0, 0xED: LETTERS[5][1][0], 0xEC: LETTERS[5][2][0],
              0xE6: LETTERS[5][3][0], 0xF3: LETTERS[5][4][0], 0xF2: LETTERS[5][5][0],
              0xEE: LETTERS[11][5][0]}


def vni():
    t = []
    for b in range(256):
        if b < 0x80:
            t.append(b)
        elif b < 0xA0:
            t.append(cp1252(b))
        elif b < 0xC0:
            t.append(b)
        else:
            t.append(INVALID)
    for low, cp in VNI_SINGLE.items():
        t[low] = cp
        t[low - 0x20] = ord(chr(cp).upper())
    marks = [0] * 256
    for low, (kind, tone) in VNI_MARKS.items():
        code = 0x80 | (kind << 3) | tone
        marks[low] = code
        marks[low - 0x20] = code | 0x40  # upper-case form
        assert t[low] == INVALID and t[low - 0x20] == INVALID, hex(low)
    return t, marks


def emit_table(name, comment, t):
    print("/* %s */" % comment)
    print("const uint16_t %s[256] = {" % name)
    for i in range(0, 256, 8):
        print("    " + " ".join("0x%04X," % v for v in t[i:i + 8]))
    print("};\n")


def main():
    out = sys.stdout
    print("/* core/textenc_tables.c - GENERATED by scripts/gen-textenc-tables.py; do not edit.")
    print(" *")
    for line in __doc__.strip().splitlines()[4:]:
        print(" * " + line if line else " *")
    print(" */")
    print('#include "textenc.h"\n')
    print("/* Vietnamese letters: [shape][tone][upper] -> code point. Shapes: a a-breve")
    print(" * a-circumflex e e-circumflex i o o-circumflex o-horn u u-horn y; tones: none,")
    print(" * sac (acute), huyen (grave), hoi (hook), nga (tilde), nang (dot below). */")
    print("const uint16_t chuanp_vn_letters[12][6][2] = {")
    for s in range(12):
        print("    {" + " ".join("{0x%04X, 0x%04X}," % tuple(LETTERS[s][t]) for t in range(6)) + "},")
    print("};\n")
    # code point -> packed info: 0 = not a Vietnamese vowel letter; else
    # 0x80 | upper << 6 | ... packed as (shape + 1) | tone << 4 | upper << 7
    def packed(lo, hi):
        arr = []
        for cp in range(lo, hi + 1):
            if cp in INFO:
                s, t, u = INFO[cp]
                arr.append((s + 1) | (t << 4) | (u << 7))
            else:
                arr.append(0)
        return arr
    for name, lo, hi in (("chuanp_vn_info_latin", 0x41, 0x1B0), ("chuanp_vn_info_ext", 0x1EA0, 0x1EF9)):
        arr = packed(lo, hi)
        print("/* U+%04X..U+%04X: (shape + 1) | tone << 4 | upper << 7, 0 = not a vowel letter */" % (lo, hi))
        print("const uint8_t %s[%d] = {" % (name, len(arr)))
        for i in range(0, len(arr), 16):
            print("    " + " ".join("%d," % v for v in arr[i:i + 16]))
        print("};\n")
    t_tcvn3 = tcvn3()
    t_viscii = viscii()
    t_vps = vps()
    t_cp1258 = cp1258()
    t_vni, marks = vni()
    emit_table("chuanp_tab_tcvn3", "TCVN3 (ABC, TCVN 5712:1993 VN3): byte -> code point", t_tcvn3)
    emit_table("chuanp_tab_viscii", "VISCII (RFC 1456), glibc charmap VISCII", t_viscii)
    emit_table("chuanp_tab_vps", "VPS, Mozilla intl/uconv/ucvlatin/vps.ut", t_vps)
    emit_table("chuanp_tab_cp1258", "Windows-1258, glibc charmap CP1258 (single bytes)", t_cp1258)
    emit_table("chuanp_tab_vni", "VNI-Windows single bytes (mark bytes are 0xFFFF here)", t_vni)
    print("/* VNI-Windows mark bytes: 0 = not a mark; else 0x80 | upper << 6 | kind << 3 | tone,")
    print(" * kind 0 tone only, 1 circumflex, 2 breve. */")
    print("const uint8_t chuanp_vni_marks[256] = {")
    for i in range(0, 256, 16):
        print("    " + " ".join("0x%02X," % v for v in marks[i:i + 16]))
    print("};\n")
    # TCVN3 bytes whose lower-case letter shares its code with the capital.
    shared = [1 if (cp in INFO and INFO[cp][1] != 0 and INFO[cp][2] == 0) else 0 for cp in t_tcvn3]
    print("/* TCVN3 bytes shared by a toned lower-case letter and its capital. */")
    print("const uint8_t chuanp_tcvn3_shared[256] = {")
    for i in range(0, 256, 32):
        print("    " + "".join("%d," % v for v in shared[i:i + 32]))
    print("};\n")


if __name__ == "__main__":
    main()
