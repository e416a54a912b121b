/*
 * converters/csv_parser.h - the CSV parser's state, shared by the scanner
 * (csv_read.c) and its direct-to-JSON fast path (csv_json.c). Internal to
 * those two files.
 */
#ifndef CHUAN_CSV_PARSER_H
#define CHUAN_CSV_PARSER_H

#include "csv.h"

struct chuanp_csv_parser {
    FILE *in;
    char *buf;           /* buf[start..end) holds unparsed input */
    size_t cap, start, end;
    int owns_buf;
    int eof;             /* no more data will arrive */
    long long base;      /* input offset of buf[0] */
    long line;           /* line number at buf[start] */
    long record;         /* records returned so far (bad ones included) */
    char delim, quote;
    int started, had_bom;
    int skipping;        /* after a syntax error: skip to the end of that line */
    size_t skip_at;      /* ... from start + skip_at */
    long skip_line;
    chuanp_csv_field *fields;
    size_t fcap;
    size_t *foff;        /* decoded text offsets of fields, parallel to fields */
    chuanp_buf dec;      /* decoded field texts, NUL after each */
    size_t max_record, max_fields;
    char *file;
};

/* Code points that are NFC_QC=Yes with combining class 0 and never the
 * second part of a composition (checked against utf8proc in
 * tests/unit/test_csv.c): Latin up to the combining marks, Latin Extended
 * Additional (the Vietnamese precomposed letters), general punctuation
 * except the singletons U+2000/U+2001, currency signs. */
static inline int chuanp_csv_nfc_stable(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2010 && cp <= 0x2027) ||
           (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20C0);
}

/* csv_json.c: the next row straight into JSON (see chuanp_csv_next_json).
 * Returns CHUANP_FAST_ROW (the object appended to out, p moved past the row, row
 * filled without fields), CHUANP_FAST_MORE (the row is not all in the
 * buffer: read more, try again) or CHUANP_FAST_SLOW (anything the scanner
 * must handle: a blank line, a malformed or ragged row, invalid or non-NFC
 * text); nothing is consumed unless it returns CHUANP_FAST_ROW. */
enum { CHUANP_FAST_ROW = 1, CHUANP_FAST_MORE, CHUANP_FAST_SLOW };
int chuanp_csv_fast_row(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                        chuanp_csv_row *row);

/* For the tests: the fast path classifies its 64-byte windows with
 * AVX-512BW where the CPU has it (wide = 1), else with SSE2 (0). Forces one
 * of them for the whole process: 0, or -1 when this CPU or build lacks it. */
int chuanp_csv_window_force(int wide);

#endif /* CHUAN_CSV_PARSER_H */
