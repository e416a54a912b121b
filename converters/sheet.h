/*
 * converters/sheet.h - spreadsheet readers (XLSX, XLS) behind one record reader.
 *
 *   sheet_read.c     the record reader: header row, --columns-map, cell -> JSON value,
 *                    nested keys from dotted headers (the CSV flattening rule), summary
 *   sheet_font.c     font-aware legacy decoding: font name -> encoding (--font-map),
 *                    cell text -> Windows-1252 bytes -> core/textenc decoder
 *   sheet_cell.c     Excel serial dates (1900/1904), number formats, number text
 *   sheet_colmap.c   --columns-map FILE: legacy header -> field, date transforms
 *   sheet_xlsx*.c    XLSX: libzip + libxml2 xmlTextReader, streaming the sheet
 *   sheet_xls*.c     XLS (BIFF8): the OLE2 compound file and the BIFF records, own code
 *                    (libfreexl gives neither the font nor the format of a cell)
 * docs/spreadsheets.md is the full story.
 */
#ifndef CHUAN_SHEET_H
#define CHUAN_SHEET_H

#include "record.h"
#include "../core/textenc.h"

/* ---- options (cli fills them; chuanp_convert_opts.sheet) --------------- */
typedef struct chuanp_sheet_opts {
    const char *sheet;       /* --sheet NAME|INDEX (1-based); NULL: the first sheet */
    long header_row;         /* --header-row N (1-based); 0: 1; -1: no header (columns A, B...) */
    const char *font_map;    /* --font-map FILE: more font-name patterns, tried first */
    const char *columns_map; /* --columns-map FILE */
    int number_text;         /* --number-text: a number cell whose format pads with zeros
                                ("000") gives its displayed text ("007") */
} chuanp_sheet_opts;

/* ---- caps (zip bombs, huge entries) ------------------------------------ */
#define CHUANP_SHEET_MAX_XML ((long long)4 << 30)    /* one sheet's XML, decompressed */
#define CHUANP_SHEET_MAX_PART ((long long)512 << 20) /* workbook, styles, shared strings */
#define CHUANP_SHEET_MAX_RATIO 200                   /* decompressed / compressed */
#define CHUANP_SHEET_MAX_COLS 16384                  /* Excel's own limit (XFD) */
#define CHUANP_SHEET_MAX_CELL (1u << 20)             /* bytes of one cell's text */
#define CHUANP_SHEET_MAX_ROW ((size_t)64 << 20)      /* bytes of one row's texts */

/* ---- fonts: which legacy encoding a cell's text is in ------------------ */
typedef struct chuanp_sheet_fonts chuanp_sheet_fonts;
/* New font table: the built-in patterns, after those of map_file (may be
 * NULL). Returns 0, >0 (a bad map file: diagnostic), <0 out of memory. */
int chuanp_sheet_fonts_new(chuanp_sheet_fonts **out, const char *map_file, const char *file,
                           chuan_diags *d);
void chuanp_sheet_fonts_free(chuanp_sheet_fonts *f);
/* Append the text of a run in font `font` (NULL: Unicode) to out, decoded:
 * a legacy font's text goes back to bytes through Windows-1252 and through
 * the font's table; text outside Windows-1252 is kept as is (typed in
 * Unicode). Counts the cell. Returns 0, or -1 out of memory. */
int chuanp_sheet_decode(chuanp_sheet_fonts *f, const char *font, const char *s, size_t len,
                        chuanp_buf *out);
/* Start/end of one cell: a cell counts once, under the legacy encoding of
 * its first legacy run. end returns the bytes no table defined (U+FFFD). */
void chuanp_sheet_cell_begin(chuanp_sheet_fonts *f);
size_t chuanp_sheet_cell_end(chuanp_sheet_fonts *f);
/* "tcvn3 12, vni 4, unicode 30" (cells per encoding) into b; 0 when no
 * legacy cell was decoded. Adds the TCVN3 capital-letter warning to d. */
int chuanp_sheet_fonts_summary(chuanp_sheet_fonts *f, chuanp_buf *b, const char *file,
                               chuan_diags *d);

/* ---- cells and rows: what a backend gives ------------------------------ */
typedef enum {
    CHUANP_CELL_EMPTY = 0,
    CHUANP_CELL_STRING, /* text: decoded UTF-8 */
    CHUANP_CELL_NUMBER, /* text: the number as JSON text; num */
    CHUANP_CELL_DATE,   /* a number whose format is a date: num = serial */
    CHUANP_CELL_BOOL,   /* num 0/1 */
    CHUANP_CELL_ERROR   /* text: "#DIV/0!"... */
} chuanp_cell_kind;

typedef struct chuanp_sheet_cell {
    long col;                /* 0-based */
    chuanp_cell_kind kind;
    const char *text;        /* NUL-terminated, owned by the backend until its next row */
    size_t len;
    double num;
    const char *numfmt;      /* the cell's number format code (NULL: General) */
    int date_time;           /* DATE: the format shows a time of day */
    int date_only_time;      /* DATE: the format shows only a time */
} chuanp_sheet_cell;

typedef struct chuanp_sheet_row {
    long row;                /* 1-based sheet row */
    chuanp_sheet_cell *cells;/* in column order */
    size_t count;
} chuanp_sheet_row;

typedef struct chuanp_sheet_src chuanp_sheet_src;
struct chuanp_sheet_src {
    /* 1 row filled; 0 end; 2 the workbook is broken here (diagnostic added: the input is
     * invalid, reading stops); <0 out of memory or I/O (diagnostic added) */
    int (*next_row)(chuanp_sheet_src *s, chuanp_sheet_row *row, chuan_diags *d);
    void (*free)(chuanp_sheet_src *s);
    char *sheet_name;        /* chuanp_malloc'ed */
    int date1904;            /* the workbook's date base */
};

/* Backends: open the sheet `sel` (NULL first, "N" 1-based index, else a name)
 * of the workbook in `in` (a regular file or a spooled copy: fileno valid).
 * Return 0, 1 (the input is not a valid workbook / no such sheet: diagnostic,
 * exit 1), <0 (out of memory or I/O: diagnostic). */
int chuanp_xlsx_open(chuanp_sheet_src **out, FILE *in, const char *file, const char *sel,
                     chuanp_sheet_fonts *fonts, chuan_diags *d);
int chuanp_xls_open(chuanp_sheet_src **out, FILE *in, const char *file, const char *sel,
                    chuanp_sheet_fonts *fonts, chuan_diags *d);
/* libzip, which the XLSX backend opens on first use (core/dynlib.h): 0 loaded,
 * or -1 with the io.read diagnostic "cannot read FILE" naming the library and
 * its Debian package (a run that cannot judge: exit 2). chuanp_xlsx_open
 * calls it; the input front end calls it first, so that a convert run fails
 * instead of rejecting the workbook as unreadable. */
int chuanp_xlsx_load(const char *file, chuan_diags *d);

/* ---- dates and number formats (sheet_cell.c) -------------------------- */
/* 1 when a format code shows a date or time; *time: shows a time; *only_time: no date part. */
int chuanp_numfmt_is_date(int id, const char *code, int *time, int *only_time);
/* The built-in format code of id (NULL when none / General). */
const char *chuanp_numfmt_builtin(int id);
/* Serial -> civil date. date1904: the workbook's base. Returns 0, -1 out of range. */
int chuanp_excel_date(double serial, int date1904, int *y, int *m, int *d, int *hh, int *mi,
                      int *ss);
/* The cell's value as ISO 8601 text: "2024-03-15", "2024-03-15T08:30:00" or "08:30:00". */
int chuanp_excel_date_text(double serial, int date1904, int with_time, int only_time,
                           char *out, size_t cap);
/* A number as JSON text: the shortest decimal that reads back as v. */
void chuanp_number_text(double v, char *out, size_t cap);
/* The displayed text of integer v in a zero-padding format ("000", "00000000000"): 1 and
 * out filled; 0 when the format is not one. */
int chuanp_numfmt_zero_pad(const char *code, double v, char *out, size_t cap);
/* Column letters of 0-based col ("A", "AB") */
void chuanp_col_name(long col, char *out, size_t cap);

/* ---- --columns-map (sheet_colmap.c) ------------------------------------ */
typedef struct chuanp_colmap chuanp_colmap;
typedef struct chuanp_colmap_entry {
    const char *field;   /* the field (flattened name, "Cha.HoTen"); NULL: drop the column */
    const char *from;    /* date pattern of the legacy text ("dd/MM/yy"), NULL none */
    const char *to;      /* date pattern written ("dd/MM/yyyy"), NULL none */
    int text;            /* numbers as text */
    int pivot;           /* two-digit years below it are 20yy, else 19yy */
    const char *const *values; /* "values": legacy value, code, legacy value, code... */
    size_t nvalues;            /* pairs */
} chuanp_colmap_entry;
/* Read a map file. Returns 0, >0 (bad file: diagnostic), <0 out of memory. */
int chuanp_colmap_load(chuanp_colmap **out, const char *path, chuan_diags *d);
void chuanp_colmap_free(chuanp_colmap *m);
/* The entry of a legacy header (NFC, trimmed; case and spacing ignored), NULL: unmapped. */
const chuanp_colmap_entry *chuanp_colmap_find(const chuanp_colmap *m, const char *header);
/* The code of a legacy value in e->values (case and spacing ignored), NULL when none. */
const char *chuanp_colmap_value(const chuanp_colmap_entry *e, const char *text, size_t len);
/* Whether unmapped columns are kept (as their header) or dropped. */
int chuanp_colmap_keep_unmapped(const chuanp_colmap *m);
/* Apply a date transform: text in pattern e->from (or, for a date cell, y/m/d) to e->to.
 * Returns 1 converted into out, 0 the text does not match (left as is). */
int chuanp_colmap_date(const chuanp_colmap_entry *e, const char *text, size_t len, int y, int m,
                       int d, char *out, size_t cap);

/* ---- the record reader (registered in converters/convert.c) ---------- */
int chuanp_xlsx_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                            chuan_diags *d);
int chuanp_xls_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                           chuan_diags *d);
/* validate: the sheet (so: --sheet...; NULL the first, header row 1) as NDJSON in an unlinked temporary
 * file, each record on the line of its sheet row; *part (zeroed by the caller, who frees it):
 * the sheet and its columns, for the diagnostics' locations. Returns 0 or 1 (the
 * workbook has errors, diagnostics in d; *fd_out may still be set), -1. */
int chuanp_sheet_to_ndjson(const char *path, const char *name, chuanp_format fmt,
                           const chuanp_sheet_opts *so, int *fd_out, chuanp_part *part,
                           chuan_diags *d);
/* A diagnostic about a cell: file:row:col, path 'S'!A1 (a row: 'S'!5:5; the sheet: 'S'). */
void chuanp_sheet_diag(chuan_diags *d, chuan_severity sev, const char *code, const char *file,
                       const char *sheet, long row, long col, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

#endif /* CHUAN_SHEET_H */
