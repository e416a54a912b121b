/*
 * converters/sheet_xlsx.c - XLSX (Office Open XML) workbooks.
 *
 * The zip is read with libzip; each part is parsed by libxml2's
 * xmlTextReader straight from the decompressing stream. The workbook (sheet
 * names, the 1904 date base), its relationships, the styles (fonts, number
 * formats, cell formats) and the shared strings are read first, the shared
 * strings kept in one buffer with their rich-text runs' fonts. The sheet
 * itself is streamed one row at a time: memory stays constant apart from
 * the shared-string table.
 *
 * Caps: every part is decompressed at most CHUANP_SHEET_MAX_RATIO times its
 * compressed size (plus 1 MiB) and at most CHUANP_SHEET_MAX_PART (workbook,
 * styles, shared strings) or CHUANP_SHEET_MAX_XML (the sheet); a part with a
 * DTD is refused (Excel writes none: no entity expansion at all).
 */
#include "sheet.h"
#include "convert.h"
#include "../core/dynlib.h"

#include <libxml/xmlreader.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zip.h>

/* libzip is opened when the first workbook is, not linked (core/dynlib.h):
 * every function of it this file calls, called as ZIP(name)(...) through the
 * table. <zip.h> gives the types. The soname and the Debian package come
 * from the Makefile (the development symlink's SONAME). */
#ifndef CHUAN_ZIP_SONAME
#define CHUAN_ZIP_SONAME "libzip.so.4"
#endif
#ifndef CHUAN_ZIP_PACKAGE
#define CHUAN_ZIP_PACKAGE "libzip4"
#endif
#define ZIP_FUNCS(X)                                                                          \
    X(fdopen) X(discard) X(strerror) X(error_init_with_code) X(error_strerror) X(error_fini)   \
    X(name_locate) X(stat_init) X(stat_index) X(fopen_index) X(fread) X(fclose)               \
    X(file_strerror)

CHUANP_DYNLIB_TABLE(zip, CHUAN_ZIP_SONAME, "zip_", ZIP_FUNCS);
#define ZIP(f) ((__typeof__(zip_##f) *)zip_fns[SLOT_##f])

typedef struct xf_info {
    int font;   /* index into fonts, -1 none */
    int numfmt; /* numFmtId */
} xf_info;

typedef struct numfmt {
    int id;
    char *code;
} numfmt;

typedef struct xlsx_src {
    chuanp_sheet_src base;
    zip_t *zip;
    const char *file;
    chuanp_sheet_fonts *fonts;
    /* styles */
    char **font_names;
    size_t nfonts;
    xf_info *xfs;
    size_t nxfs;
    numfmt *fmts;
    size_t nfmts;
    /* shared strings: per string, an offset into sst; a string is runs of
     * [int32 font (-1: the cell's, else an index into run_fonts)][uint32 len][bytes] */
    chuanp_buf sst;
    size_t *sst_off;
    size_t nsst, sst_cap;
    char **run_fonts;
    size_t nrun_fonts;
    /* the parts: the workbook (from _rels/.rels, else xl/workbook.xml), its folder */
    char *wb_part, *wb_dir, *styles_part;
    /* the sheet */
    char *sheet_part;
    zip_file_t *zf;
    xmlTextReaderPtr xr;
    struct part_io *io;
    long next_row;
    chuanp_sheet_cell *cells;
    size_t *text_off;
    size_t ncells, cells_cap;
    chuanp_buf text;   /* the row's cell texts */
    chuanp_buf tmp, run, run2;
    char xml_err[256];
    long xml_err_line;
    int finished;
} xlsx_src;

/* ------------------------------------------------------------ the zip */

typedef struct part_io {
    zip_file_t *zf;
    long long got, cap;
    int over, err;
} part_io;

static int part_read(void *ctx, char *buf, int len)
{
    part_io *p = ctx;
    zip_int64_t n = ZIP(fread)(p->zf, buf, (zip_uint64_t)len);
    if (n < 0) {
        p->err = 1;
        return -1;
    }
    p->got += n;
    if (p->got > p->cap) {
        p->over = 1;
        return -1;
    }
    return (int)n;
}

static int part_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void xml_error(void *ctx, xmlErrorPtr e)
{
    xlsx_src *s = ctx;
    if (!e || s->xml_err[0] || e->level < XML_ERR_ERROR)
        return;
    snprintf(s->xml_err, sizeof s->xml_err, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(s->xml_err);
    while (n && s->xml_err[n - 1] == '\n')
        s->xml_err[--n] = '\0';
    s->xml_err_line = e->line;
}

/* Open part `name` for streaming; NULL when absent (*absent = 1) or broken (diagnostic). */
static xmlTextReaderPtr part_open(xlsx_src *s, const char *name, long long cap, part_io *io,
                                  int *absent, chuan_diags *d)
{
    *absent = 0;
    memset(io, 0, sizeof *io);
    zip_int64_t idx = ZIP(name_locate)(s->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        *absent = 1;
        return NULL;
    }
    zip_stat_t st;
    ZIP(stat_init)(&st);
    if (ZIP(stat_index)(s->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE)) {
        long long by_ratio = (long long)st.comp_size * CHUANP_SHEET_MAX_RATIO + (1 << 20);
        if (by_ratio < cap)
            cap = by_ratio;
    }
    io->cap = cap;
    io->zf = ZIP(fopen_index)(s->zip, (zip_uint64_t)idx, 0);
    if (!io->zf) {
        chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, name, "cannot open %s in the zip: %s",
                             name, ZIP(strerror)(s->zip));
        return NULL;
    }
    s->xml_err[0] = '\0';
    xmlTextReaderPtr xr = xmlReaderForIO(part_read, part_close, io, name, NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                             XML_PARSE_COMPACT);
    if (!xr) {
        ZIP(fclose)(io->zf);
        io->zf = NULL;
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(xr, xml_error, s);
    return xr;
}

static void part_close_all(xmlTextReaderPtr xr, part_io *io)
{
    if (xr)
        xmlFreeTextReader(xr);
    if (io->zf)
        ZIP(fclose)(io->zf);
    io->zf = NULL;
}

/* After xmlTextReaderRead returned -1 (or a DTD was met): why, as a diagnostic. */
static void part_failed(xlsx_src *s, const char *name, part_io *io, int dtd, chuan_diags *d)
{
    if (io->over)
        chuanp_convert_error(d, "xlsx.too-large", s->file, 0, 0, name,
                             "%s decompresses to more than %lld bytes (at most %d times its "
                             "compressed size): refused as a zip bomb", name, io->cap,
                             CHUANP_SHEET_MAX_RATIO);
    else if (io->err)
        chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, name,
                             "%s cannot be decompressed: %s", name, ZIP(file_strerror)(io->zf));
    else if (dtd)
        chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, name,
                             "%s has a DTD: workbooks have none (refused, no entity is expanded)",
                             name);
    else
        chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, name, "%s: line %ld: %s", name,
                             s->xml_err_line, s->xml_err[0] ? s->xml_err : "malformed XML");
}

/* ------------------------------------------------------------ helpers */

static const char *lname(xmlTextReaderPtr xr)
{
    const xmlChar *n = xmlTextReaderConstLocalName(xr);
    return n ? (const char *)n : "";
}

/* An attribute by local name (any prefix); malloc'ed by libxml2: xmlFree. */
static char *attr(xmlTextReaderPtr xr, const char *local)
{
    char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(xr) != 1)
        return NULL;
    do {
        if (strcmp(lname(xr), local) == 0) {
            v = (char *)xmlTextReaderValue(xr);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(xr) == 1);
    xmlTextReaderMoveToElement(xr);
    return v;
}

static long attr_long(xmlTextReaderPtr xr, const char *local, long dflt)
{
    char *v = attr(xr, local);
    if (!v)
        return dflt;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (end == v || errno)
        n = dflt;
    xmlFree(v);
    return n;
}

/* OOXML escapes characters XML cannot hold as _xHHHH_ */
static void append_text(chuanp_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        const char *u = memchr(s + i, '_', len - i);
        if (!u) {
            chuanp_buf_append(b, s + i, len - i);
            return;
        }
        size_t k = (size_t)(u - s);
        chuanp_buf_append(b, s + i, k - i);
        unsigned cp = 0;
        int ok = k + 7 <= len && s[k + 1] == 'x' && s[k + 6] == '_';
        for (int j = 2; ok && j < 6; j++) {
            char c = s[k + j];
            int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (h < 0)
                ok = 0;
            cp = cp * 16 + (unsigned)h;
        }
        if (ok && (cp < 0xD800 || cp > 0xDFFF)) {
            chuanp_buf_put_utf8(b, cp);
            i = k + 7;
        } else {
            chuanp_buf_putc(b, '_');
            i = k + 1;
        }
    }
}

static int is_text_node(int t)
{
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || t == XML_READER_TYPE_WHITESPACE;
}

/* ----------------------------------------------------------- workbook */

typedef struct wb_sheet {
    char *name, *rid;
} wb_sheet;

static int read_workbook(xlsx_src *s, const char *sel, char **target_rid, chuan_diags *d)
{
    part_io io;
    int absent, dtd = 0, rc = 1;
    const char *name = s->wb_part;
    xmlTextReaderPtr xr = part_open(s, name, CHUANP_SHEET_MAX_PART, &io, &absent, d);
    if (!xr) {
        if (absent)
            chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, NULL,
                                 "a zip without %s: not an XLSX workbook", name);
        return 1;
    }
    wb_sheet *sheets = NULL;
    size_t n = 0;
    int r;
    while ((r = xmlTextReaderRead(xr)) == 1) {
        int t = xmlTextReaderNodeType(xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            dtd = 1;
            r = -1;
            break;
        }
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        const char *ln = lname(xr);
        if (strcmp(ln, "workbookPr") == 0) {
            char *v = attr(xr, "date1904");
            s->base.date1904 = v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0);
            xmlFree(v);
        } else if (strcmp(ln, "sheet") == 0) {
            wb_sheet *ns = chuanp_realloc(sheets, (n + 1) * sizeof *ns);
            if (!ns) {
                rc = -1;
                goto out;
            }
            sheets = ns;
            char *nm = attr(xr, "name"), *id = attr(xr, "id");
            sheets[n].name = chuanp_strdup(nm ? nm : "");
            sheets[n].rid = chuanp_strdup(id ? id : "");
            xmlFree(nm);
            xmlFree(id);
            n++;
            if (!sheets[n - 1].name || !sheets[n - 1].rid) {
                rc = -1;
                goto out;
            }
        }
    }
    if (r < 0) {
        part_failed(s, name, &io, dtd, d);
        goto out;
    }
    if (n == 0) {
        chuanp_convert_error(d, "xlsx.corrupt", s->file, 0, 0, name, "the workbook lists no sheet");
        goto out;
    }
    long pick = -1;
    if (!sel) {
        pick = 0;
    } else {
        char *end;
        long k = strtol(sel, &end, 10);
        if (*sel && !*end && k >= 1 && (size_t)k <= n)
            pick = k - 1;
        for (size_t i = 0; pick < 0 && i < n; i++)
            if (strcmp(sheets[i].name, sel) == 0)
                pick = (long)i;
        for (size_t i = 0; pick < 0 && i < n; i++)
            if (strcasecmp(sheets[i].name, sel) == 0)
                pick = (long)i;
    }
    if (pick < 0) {
        chuanp_buf b;
        chuanp_buf_init(&b, 4096);
        for (size_t i = 0; i < n; i++)
            chuanp_buf_printf(&b, "%s%zu '%s'", i ? ", " : "", i + 1, sheets[i].name);
        chuanp_convert_error(d, "sheet.not-found", s->file, 0, 0, NULL,
                             "no sheet '%s' in this workbook (sheets: %s)", sel,
                             b.data ? b.data : "");
        chuanp_buf_free(&b);
        goto out;
    }
    s->base.sheet_name = sheets[pick].name;
    sheets[pick].name = NULL;
    *target_rid = sheets[pick].rid;
    sheets[pick].rid = NULL;
    /* fallback part name when the relationships do not say */
    s->sheet_part = chuanp_asprintf("%sworksheets/sheet%ld.xml", s->wb_dir, pick + 1);
    rc = s->sheet_part ? 0 : -1;
out:
    for (size_t i = 0; i < n; i++) {
        chuanp_free(sheets[i].name);
        chuanp_free(sheets[i].rid);
    }
    chuanp_free(sheets);
    part_close_all(xr, &io);
    return rc;
}

/* A part's relationships (DIR/_rels/NAME.rels): the target of rid into by_id, those of the
 * types ending in type1 and type2 into t1 and t2 (all may be NULL); targets are resolved against
 * dir ("" for the package root). */
static int read_rels(xlsx_src *s, const char *name, const char *dir, const char *rid,
                     char **by_id, const char *type1, char **t1, const char *type2, char **t2,
                     chuan_diags *d)
{
    part_io io;
    int absent, dtd = 0;
    xmlTextReaderPtr xr = part_open(s, name, CHUANP_SHEET_MAX_PART, &io, &absent, d);
    if (!xr)
        return absent ? 0 : 1;
    int r, rc = 0;
    while ((r = xmlTextReaderRead(xr)) == 1) {
        int t = xmlTextReaderNodeType(xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            dtd = 1;
            r = -1;
            break;
        }
        if (t != XML_READER_TYPE_ELEMENT || strcmp(lname(xr), "Relationship") != 0)
            continue;
        char *id = attr(xr, "Id"), *target = attr(xr, "Target"), *type = attr(xr, "Type");
        char **dst = NULL;
        size_t tl = type ? strlen(type) : 0;
        if (id && target && rid && by_id && strcmp(id, rid) == 0)
            dst = by_id;
        else if (type && target && t1 && tl > strlen(type1) &&
                 strcmp(type + tl - strlen(type1), type1) == 0)
            dst = t1;
        else if (type && target && t2 && tl > strlen(type2) &&
                 strcmp(type + tl - strlen(type2), type2) == 0)
            dst = t2;
        if (dst && !strstr(target, "..")) {
            char *p = target[0] == '/' ? chuanp_strdup(target + 1)
                                       : chuanp_asprintf("%s%s", dir, target);
            if (!p)
                rc = -1;
            else {
                chuanp_free(*dst);
                *dst = p;
            }
        }
        xmlFree(id);
        xmlFree(target);
        xmlFree(type);
    }
    if (r < 0) {
        part_failed(s, name, &io, dtd, d);
        rc = 1;
    }
    part_close_all(xr, &io);
    return rc;
}

/* ------------------------------------------------------------- styles */

static int read_styles(xlsx_src *s, const char *name, chuan_diags *d)
{
    part_io io;
    int absent, dtd = 0;
    xmlTextReaderPtr xr = part_open(s, name, CHUANP_SHEET_MAX_PART, &io, &absent, d);
    if (!xr)
        return absent ? 0 : 1;
    int r, rc = 0;
    int in_fonts = 0, in_xfs = 0, in_font = 0;
    while ((r = xmlTextReaderRead(xr)) == 1) {
        int t = xmlTextReaderNodeType(xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            dtd = 1;
            r = -1;
            break;
        }
        const char *ln = lname(xr);
        int depth = xmlTextReaderDepth(xr);
        if (t == XML_READER_TYPE_END_ELEMENT) {
            if (depth == 1 && strcmp(ln, "fonts") == 0)
                in_fonts = 0;
            else if (depth == 1 && strcmp(ln, "cellXfs") == 0)
                in_xfs = 0;
            else if (depth == 2 && strcmp(ln, "font") == 0)
                in_font = 0;
            continue;
        }
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        int empty = xmlTextReaderIsEmptyElement(xr);
        if (depth == 1 && strcmp(ln, "fonts") == 0) {
            in_fonts = !empty;
        } else if (depth == 1 && strcmp(ln, "cellXfs") == 0) {
            in_xfs = !empty;
        } else if (in_fonts && depth == 2 && strcmp(ln, "font") == 0) {
            char **nf = chuanp_realloc(s->font_names, (s->nfonts + 1) * sizeof *nf);
            if (!nf) {
                rc = -1;
                break;
            }
            s->font_names = nf;
            nf[s->nfonts++] = NULL;
            in_font = !empty;
        } else if (in_font && depth == 3 && strcmp(ln, "name") == 0 && s->nfonts) {
            char *v = attr(xr, "val");
            if (v && !s->font_names[s->nfonts - 1])
                s->font_names[s->nfonts - 1] = chuanp_strdup(v);
            xmlFree(v);
        } else if (in_xfs && depth == 2 && strcmp(ln, "xf") == 0) {
            xf_info *nx = chuanp_realloc(s->xfs, (s->nxfs + 1) * sizeof *nx);
            if (!nx) {
                rc = -1;
                break;
            }
            s->xfs = nx;
            nx[s->nxfs].font = (int)attr_long(xr, "fontId", -1);
            nx[s->nxfs].numfmt = (int)attr_long(xr, "numFmtId", 0);
            s->nxfs++;
        } else if (strcmp(ln, "numFmt") == 0) {
            numfmt *nn = chuanp_realloc(s->fmts, (s->nfmts + 1) * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            s->fmts = nn;
            char *code = attr(xr, "formatCode");
            nn[s->nfmts].id = (int)attr_long(xr, "numFmtId", -1);
            nn[s->nfmts].code = chuanp_strdup(code ? code : "");
            xmlFree(code);
            if (!nn[s->nfmts].code) {
                rc = -1;
                break;
            }
            s->nfmts++;
        }
    }
    if (r < 0 && rc == 0) {
        part_failed(s, name, &io, dtd, d);
        rc = 1;
    }
    part_close_all(xr, &io);
    return rc;
}

/* ----------------------------------------------------- shared strings */

static int intern_run_font(xlsx_src *s, const char *name)
{
    for (size_t i = 0; i < s->nrun_fonts; i++)
        if (strcmp(s->run_fonts[i], name) == 0)
            return (int)i;
    char **nf = chuanp_realloc(s->run_fonts, (s->nrun_fonts + 1) * sizeof *nf);
    if (!nf)
        return -2;
    s->run_fonts = nf;
    if (!(nf[s->nrun_fonts] = chuanp_strdup(name)))
        return -2;
    return (int)s->nrun_fonts++;
}

static void put_run(chuanp_buf *b, int32_t font, const char *text, size_t len)
{
    uint32_t l = (uint32_t)len;
    chuanp_buf_append(b, &font, sizeof font);
    chuanp_buf_append(b, &l, sizeof l);
    chuanp_buf_append(b, text, len);
}

static int read_sst(xlsx_src *s, const char *name, chuan_diags *d)
{
    part_io io;
    int absent, dtd = 0;
    xmlTextReaderPtr xr = part_open(s, name, CHUANP_SHEET_MAX_PART, &io, &absent, d);
    if (!xr)
        return absent ? 0 : 1;
    chuanp_buf_init(&s->sst, (size_t)CHUANP_SHEET_MAX_PART);
    int r, rc = 0;
    int in_si = 0, in_t = 0, in_rph = 0, in_r = 0;
    int32_t run_font = -1;
    while ((r = xmlTextReaderRead(xr)) == 1) {
        int t = xmlTextReaderNodeType(xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            dtd = 1;
            r = -1;
            break;
        }
        if (is_text_node(t)) {
            if (in_t && !in_rph) {
                const char *v = (const char *)xmlTextReaderConstValue(xr);
                if (v)
                    append_text(&s->run, v, strlen(v));
            }
            continue;
        }
        const char *ln = lname(xr);
        int el = t == XML_READER_TYPE_ELEMENT, end = t == XML_READER_TYPE_END_ELEMENT;
        if (el && xmlTextReaderIsEmptyElement(xr)) {
            if (strcmp(ln, "si") == 0) { /* an empty string */
                end = 1;
                in_si = 1;
                chuanp_buf_reset(&s->run);
            } else if (in_r && strcmp(ln, "rFont") == 0) {
                char *v = attr(xr, "val");
                if (v)
                    run_font = intern_run_font(s, v);
                xmlFree(v);
                if (run_font < -1) {
                    rc = -1;
                    break;
                }
                continue;
            } else {
                continue;
            }
        }
        if (el) {
            if (strcmp(ln, "si") == 0) {
                in_si = 1;
                run_font = -1;
                chuanp_buf_reset(&s->run);
                if (s->nsst == s->sst_cap) {
                    size_t nc = s->sst_cap ? s->sst_cap * 2 : 1024;
                    size_t *no = chuanp_realloc(s->sst_off, nc * sizeof *no);
                    if (!no) {
                        rc = -1;
                        break;
                    }
                    s->sst_off = no;
                    s->sst_cap = nc;
                }
                s->sst_off[s->nsst] = s->sst.len;
            } else if (strcmp(ln, "t") == 0) {
                in_t = 1;
            } else if (strcmp(ln, "rPh") == 0) {
                in_rph = 1;
            } else if (strcmp(ln, "r") == 0 && in_si) {
                in_r = 1;
                run_font = -1;
                /* text before the first run: its own run in the cell's font */
                if (s->run.len) {
                    put_run(&s->sst, -1, s->run.data, s->run.len);
                    chuanp_buf_reset(&s->run);
                }
            }
        }
        if (end) {
            if (strcmp(ln, "t") == 0) {
                in_t = 0;
            } else if (strcmp(ln, "rPh") == 0) {
                in_rph = 0;
            } else if (strcmp(ln, "r") == 0 && in_r) {
                put_run(&s->sst, run_font, s->run.data ? s->run.data : "", s->run.len);
                chuanp_buf_reset(&s->run);
                in_r = 0;
                run_font = -1;
            } else if (strcmp(ln, "si") == 0 && in_si) {
                if (s->run.len || s->sst.len == s->sst_off[s->nsst])
                    put_run(&s->sst, -1, s->run.data ? s->run.data : "", s->run.len);
                chuanp_buf_reset(&s->run);
                if (s->run.err || s->sst.err)
                    break;
                /* the end of this string: the next offset */
                s->nsst++;
                in_si = 0;
                if (s->nsst == s->sst_cap) {
                    size_t nc = s->sst_cap * 2;
                    size_t *no = chuanp_realloc(s->sst_off, nc * sizeof *no);
                    if (!no) {
                        rc = -1;
                        break;
                    }
                    s->sst_off = no;
                    s->sst_cap = nc;
                }
                s->sst_off[s->nsst] = s->sst.len;
            }
        }
    }
    if (rc == 0 && (s->sst.err == 2 || s->run.err == 2)) {
        chuanp_convert_error(d, "xlsx.too-large", s->file, 0, 0, name,
                             "the shared strings take more than %lld bytes: refused",
                             (long long)CHUANP_SHEET_MAX_PART);
        rc = 1;
    } else if (rc == 0 && (s->sst.err || s->run.err)) {
        rc = -1;
    } else if (r < 0 && rc == 0) {
        part_failed(s, name, &io, dtd, d);
        rc = 1;
    }
    part_close_all(xr, &io);
    return rc;
}

/* Decode shared string k in the cell's font into out. 0, 1 (no such string), -1 OOM. */
static int sst_decode(xlsx_src *s, long k, const char *cell_font, chuanp_buf *out)
{
    if (k < 0 || (size_t)k >= s->nsst)
        return 1;
    const char *p = s->sst.data + s->sst_off[k], *e = s->sst.data + s->sst_off[k + 1];
    while (p + 8 <= e) {
        int32_t f;
        uint32_t l;
        memcpy(&f, p, 4);
        memcpy(&l, p + 4, 4);
        p += 8;
        if (l > (size_t)(e - p))
            break;
        const char *font = f >= 0 && (size_t)f < s->nrun_fonts ? s->run_fonts[f] : cell_font;
        if (chuanp_sheet_decode(s->fonts, font, p, l, out) < 0)
            return -1;
        p += l;
    }
    return 0;
}

/* -------------------------------------------------------------- sheet */

static const char *xf_font(const xlsx_src *s, long xf)
{
    if (xf < 0 || (size_t)xf >= s->nxfs)
        return s->nfonts ? s->font_names[0] : NULL; /* the default font */
    int f = s->xfs[xf].font;
    return f >= 0 && (size_t)f < s->nfonts ? s->font_names[f] : NULL;
}

static const char *xf_numfmt(const xlsx_src *s, long xf, int *id)
{
    *id = 0;
    if (xf < 0 || (size_t)xf >= s->nxfs)
        return NULL;
    *id = s->xfs[xf].numfmt;
    for (size_t i = 0; i < s->nfmts; i++)
        if (s->fmts[i].id == *id)
            return s->fmts[i].code;
    return chuanp_numfmt_builtin(*id);
}

/* "AB12" -> column 27 (0-based), row 12; -1 when not a reference */
static long parse_ref(const char *r, long *row)
{
    long col = 0;
    const char *p = r;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        col = col * 26 + ((*p | 0x20) - 'a' + 1);
        if (col > CHUANP_SHEET_MAX_COLS)
            return -1;
        p++;
    }
    if (p == r)
        return -1;
    *row = strtol(p, NULL, 10);
    return col - 1;
}

typedef struct cell_acc {
    long col, xf;
    char type[16];
    int in_v, in_is, in_t, in_rph, in_r;
    const char *run_font; /* inline string run font */
} cell_acc;

static int finish_cell(xlsx_src *s, cell_acc *c, chuan_diags *d)
{
    if (s->ncells == s->cells_cap) {
        size_t nc = s->cells_cap ? s->cells_cap * 2 : 64;
        chuanp_sheet_cell *ncl = chuanp_realloc(s->cells, nc * sizeof *ncl);
        if (!ncl)
            return -1;
        s->cells = ncl;
        size_t *no = chuanp_realloc(s->text_off, nc * sizeof *no);
        if (!no)
            return -1;
        s->text_off = no;
        s->cells_cap = nc;
    }
    chuanp_sheet_cell *cell = &s->cells[s->ncells];
    memset(cell, 0, sizeof *cell);
    cell->col = c->col;
    const char *font = xf_font(s, c->xf);
    size_t start = s->text.len;
    const char *v = s->tmp.data ? s->tmp.data : "";
    size_t vl = s->tmp.len;
    const char *t = c->type; /* chuanp_sheet_cell_begin: at <c>, inline runs decode before */
    if (strcmp(t, "s") == 0) {
        if (vl == 0) {
            cell->kind = CHUANP_CELL_EMPTY;
        } else {
            char *end;
            long k = strtol(v, &end, 10);
            int sr = *end ? 1 : sst_decode(s, k, font, &s->text);
            if (sr < 0)
                return -1;
            if (sr > 0) {
                chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.corrupt", s->file,
                                  s->base.sheet_name, s->next_row, c->col,
                                  "the cell refers to shared string %s, which does not exist", v);
                return 1;
            }
            cell->kind = CHUANP_CELL_STRING;
        }
    } else if (strcmp(t, "inlineStr") == 0) {
        /* already decoded run by run into s->run */
        chuanp_buf_append(&s->text, s->run.data ? s->run.data : "", s->run.len);
        cell->kind = CHUANP_CELL_STRING;
    } else if (strcmp(t, "str") == 0 || strcmp(t, "d") == 0) {
        if (chuanp_sheet_decode(s->fonts, strcmp(t, "d") ? font : NULL, v, vl, &s->text) < 0)
            return -1;
        cell->kind = vl ? CHUANP_CELL_STRING : CHUANP_CELL_EMPTY;
    } else if (strcmp(t, "e") == 0) {
        chuanp_buf_append(&s->text, v, vl);
        cell->kind = CHUANP_CELL_ERROR;
    } else if (strcmp(t, "b") == 0) {
        cell->kind = vl ? CHUANP_CELL_BOOL : CHUANP_CELL_EMPTY;
        cell->num = vl && v[0] == '1';
        chuanp_buf_append(&s->text, cell->num ? "true" : "false", cell->num ? 4 : 5);
    } else if (vl == 0) {
        cell->kind = CHUANP_CELL_EMPTY;
    } else {
        /* a number: its text as the file holds it when JSON can hold it */
        char *end;
        cell->num = strtod(v, &end);
        size_t lead = 0;
        while (lead < vl && v[lead] == ' ')
            lead++;
        if (*end || end == v) {
            chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.corrupt", s->file, s->base.sheet_name,
                              s->next_row, c->col, "the number cell holds '%s'", v);
            return 1;
        }
        if (chuanp_json_num_valid(v + lead, vl - lead))
            chuanp_buf_append(&s->text, v + lead, vl - lead);
        else {
            char nb[64];
            chuanp_number_text(cell->num, nb, sizeof nb);
            chuanp_buf_puts(&s->text, nb);
        }
        int id;
        cell->numfmt = xf_numfmt(s, c->xf, &id);
        cell->kind = chuanp_numfmt_is_date(id, cell->numfmt, &cell->date_time,
                                           &cell->date_only_time)
                         ? CHUANP_CELL_DATE
                         : CHUANP_CELL_NUMBER;
    }
    size_t bad = chuanp_sheet_cell_end(s->fonts);
    if (bad)
        chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "encoding.invalid", s->file, s->base.sheet_name,
                          s->next_row, c->col, "%zu character%s of this cell's legacy font "
                          "%s no letter of its encoding (written as U+FFFD)", bad,
                          bad == 1 ? "" : "s", bad == 1 ? "is" : "are");
    if (s->text.len - start > CHUANP_SHEET_MAX_CELL || s->text.len > CHUANP_SHEET_MAX_ROW) {
        chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.too-large", s->file, s->base.sheet_name,
                          s->next_row, c->col, "a cell of more than %u bytes (or a row of more "
                          "than %zu)", CHUANP_SHEET_MAX_CELL, CHUANP_SHEET_MAX_ROW);
        return 1;
    }
    chuanp_buf_putc(&s->text, '\0');
    if (s->text.err)
        return -1;
    s->text_off[s->ncells] = start;
    cell->len = s->text.len - 1 - start;
    s->ncells++;
    return 0;
}

static int xlsx_next_row(chuanp_sheet_src *base, chuanp_sheet_row *row, chuan_diags *d)
{
    xlsx_src *s = (xlsx_src *)base;
    if (s->finished)
        return 0;
    xmlTextReaderPtr xr = s->xr;
    int in_row = 0, in_cell = 0, r;
    long last_col = -1, row_no = 0;
    cell_acc c;
    memset(&c, 0, sizeof c);
    s->ncells = 0;
    chuanp_buf_reset(&s->text);
    while ((r = xmlTextReaderRead(xr)) == 1) {
        int t = xmlTextReaderNodeType(xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            part_failed(s, s->sheet_part, s->io, 1, d);
            s->finished = 1;
            return 2;
        }
        if (is_text_node(t)) {
            if (in_cell && (c.in_v || (c.in_t && !c.in_rph))) {
                const char *v = (const char *)xmlTextReaderConstValue(xr);
                size_t vl = v ? strlen(v) : 0;
                if (c.in_v) {
                    chuanp_buf_append(&s->tmp, v, vl);
                } else {
                    chuanp_buf_reset(&s->run2);
                    append_text(&s->run2, v, vl);
                    if (chuanp_sheet_decode(s->fonts, c.in_r && c.run_font ? c.run_font
                                                                           : xf_font(s, c.xf),
                                            s->run2.data ? s->run2.data : "", s->run2.len,
                                            &s->run) < 0)
                        return -1;
                }
                if (s->tmp.len > CHUANP_SHEET_MAX_CELL || s->run.len > CHUANP_SHEET_MAX_CELL) {
                    chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.too-large", s->file,
                                      s->base.sheet_name, s->next_row, c.col,
                                      "a cell of more than %u bytes", CHUANP_SHEET_MAX_CELL);
                    s->finished = 1;
                    return 2;
                }
            }
            continue;
        }
        const char *ln = lname(xr);
        int el = t == XML_READER_TYPE_ELEMENT;
        int empty = el && xmlTextReaderIsEmptyElement(xr);
        int end = t == XML_READER_TYPE_END_ELEMENT || empty;
        if (el && strcmp(ln, "row") == 0) {
            row_no = attr_long(xr, "r", s->next_row);
            if (row_no < s->next_row || row_no > 1048576L * 16) {
                chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.corrupt", s->file, s->base.sheet_name,
                                  s->next_row, -1, "row %ld comes after row %ld", row_no,
                                  s->next_row - 1);
                s->finished = 1;
                return 2;
            }
            s->next_row = row_no;
            in_row = 1;
            last_col = -1;
        } else if (in_row && el && strcmp(ln, "c") == 0) {
            memset(&c, 0, sizeof c);
            char *ref = attr(xr, "r");
            long rr = 0;
            c.col = ref ? parse_ref(ref, &rr) : last_col + 1;
            xmlFree(ref);
            if (c.col < 0 || c.col <= last_col || c.col >= CHUANP_SHEET_MAX_COLS) {
                chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xlsx.corrupt", s->file, s->base.sheet_name,
                                  s->next_row, last_col + 1,
                                  "a cell reference out of order or beyond column XFD");
                s->finished = 1;
                return 2;
            }
            last_col = c.col;
            c.xf = attr_long(xr, "s", 0);
            char *ty = attr(xr, "t");
            snprintf(c.type, sizeof c.type, "%s", ty ? ty : "n");
            xmlFree(ty);
            in_cell = 1;
            chuanp_sheet_cell_begin(s->fonts);
            chuanp_buf_reset(&s->tmp);
            chuanp_buf_reset(&s->run);
        } else if (in_cell && el && !empty) {
            if (strcmp(ln, "v") == 0)
                c.in_v = 1;
            else if (strcmp(ln, "is") == 0)
                c.in_is = 1;
            else if (c.in_is && strcmp(ln, "t") == 0)
                c.in_t = 1;
            else if (c.in_is && strcmp(ln, "rPh") == 0)
                c.in_rph = 1;
            else if (c.in_is && strcmp(ln, "r") == 0) {
                c.in_r = 1;
                c.run_font = NULL;
            }
        } else if (in_cell && empty && c.in_r && strcmp(ln, "rFont") == 0) {
            char *v = attr(xr, "val");
            int k = v ? intern_run_font(s, v) : -1;
            xmlFree(v);
            if (k < -1)
                return -1;
            c.run_font = k >= 0 ? s->run_fonts[k] : NULL;
            continue;
        }
        if (!end)
            continue;
        if (in_cell && strcmp(ln, "c") == 0) {
            in_cell = 0;
            int f = finish_cell(s, &c, d);
            if (f != 0) {
                s->finished = 1;
                return f < 0 ? -1 : 2;
            }
        } else if (in_cell) {
            if (strcmp(ln, "v") == 0)
                c.in_v = 0;
            else if (strcmp(ln, "is") == 0)
                c.in_is = 0;
            else if (strcmp(ln, "t") == 0)
                c.in_t = 0;
            else if (strcmp(ln, "rPh") == 0)
                c.in_rph = 0;
            else if (strcmp(ln, "r") == 0)
                c.in_r = 0;
        } else if (in_row && strcmp(ln, "row") == 0) {
            for (size_t i = 0; i < s->ncells; i++)
                s->cells[i].text = s->text.data + s->text_off[i];
            row->row = row_no;
            row->cells = s->cells;
            row->count = s->ncells;
            s->next_row = row_no + 1;
            return 1;
        } else if (strcmp(ln, "sheetData") == 0) {
            s->finished = 1;
            return 0;
        }
    }
    s->finished = 1;
    if (r < 0) {
        part_failed(s, s->sheet_part, s->io, 0, d);
        return 2;
    }
    return 0;
}

static void xlsx_free(chuanp_sheet_src *base)
{
    xlsx_src *s = (xlsx_src *)base;
    if (s->xr)
        part_close_all(s->xr, s->io);
    chuanp_free(s->io);
    if (s->zip)
        ZIP(discard)(s->zip);
    for (size_t i = 0; i < s->nfonts; i++)
        chuanp_free(s->font_names[i]);
    chuanp_free(s->font_names);
    chuanp_free(s->xfs);
    for (size_t i = 0; i < s->nfmts; i++)
        chuanp_free(s->fmts[i].code);
    chuanp_free(s->fmts);
    chuanp_buf_free(&s->sst);
    chuanp_free(s->sst_off);
    for (size_t i = 0; i < s->nrun_fonts; i++)
        chuanp_free(s->run_fonts[i]);
    chuanp_free(s->run_fonts);
    chuanp_free(s->sheet_part);
    chuanp_free(s->wb_part);
    chuanp_free(s->wb_dir);
    chuanp_free(s->styles_part);
    chuanp_free(s->cells);
    chuanp_free(s->text_off);
    chuanp_buf_free(&s->text);
    chuanp_buf_free(&s->tmp);
    chuanp_buf_free(&s->run);
    chuanp_buf_free(&s->run2);
    chuanp_free(s->base.sheet_name);
    chuanp_free(s);
}

int chuanp_xlsx_load(const char *file, chuan_diags *d)
{
    if (chuanp_dynlib_load(&zip_lib) == 0)
        return 0;
    chuanp_convert_error(d, "io.read", file, 0, 0, NULL,
                         "cannot read %s: cannot load %s (%s): the XLSX reader needs libzip "
                         "(Debian package %s)",
                         file, CHUAN_ZIP_SONAME, chuanp_dynlib_error(&zip_lib), CHUAN_ZIP_PACKAGE);
    return -1;
}

int chuanp_xlsx_open(chuanp_sheet_src **out, FILE *in, const char *file, const char *sel,
                     chuanp_sheet_fonts *fonts, chuan_diags *d)
{
    *out = NULL;
    xlsx_src *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->base.next_row = xlsx_next_row;
    s->base.free = xlsx_free;
    s->file = file;
    s->fonts = fonts;
    s->next_row = 1;
    chuanp_buf_init(&s->text, 0);
    chuanp_buf_init(&s->tmp, 0);
    chuanp_buf_init(&s->run, 0);
    chuanp_buf_init(&s->run2, 0);
    chuanp_buf_init(&s->sst, 0);
    char *rid = NULL, *sst_part = chuanp_strdup("xl/sharedStrings.xml");
    int rc = 1;
    if (!sst_part) {
        rc = -1;
        goto out;
    }
    if (chuanp_xlsx_load(file, d) < 0) {
        rc = -1;
        goto out;
    }
    int fd = dup(fileno(in));
    int zerr = 0;
    if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
        if (fd >= 0)
            close(fd);
        chuanp_convert_error(d, "io.read", file, 0, 0, NULL, "cannot read %s: %s", file,
                             chuanp_strerror(errno));
        rc = -1;
        goto out;
    }
    s->zip = ZIP(fdopen)(fd, 0, &zerr);
    if (!s->zip) {
        close(fd);
        zip_error_t ze;
        ZIP(error_init_with_code)(&ze, zerr);
        chuanp_convert_error(d, "xlsx.corrupt", file, 0, 0, NULL,
                             "not a readable XLSX workbook (zip: %s)", ZIP(error_strerror)(&ze));
        ZIP(error_fini)(&ze);
        goto out;
    }
    /* the workbook part: the package's officeDocument relationship, else xl/workbook.xml */
    if ((rc = read_rels(s, "_rels/.rels", "", NULL, NULL, "/officeDocument", &s->wb_part, NULL,
                        NULL, d)) != 0)
        goto out;
    if (!s->wb_part && !(s->wb_part = chuanp_strdup("xl/workbook.xml"))) {
        rc = -1;
        goto out;
    }
    const char *slash = strrchr(s->wb_part, '/');
    size_t dl = slash ? (size_t)(slash - s->wb_part) + 1 : 0;
    char *rels = chuanp_asprintf("%.*s_rels/%s.rels", (int)dl, s->wb_part, s->wb_part + dl);
    s->wb_dir = chuanp_strndup(s->wb_part, dl);
    chuanp_free(sst_part);
    sst_part = chuanp_asprintf("%ssharedStrings.xml", s->wb_dir ? s->wb_dir : "");
    s->styles_part = chuanp_asprintf("%sstyles.xml", s->wb_dir ? s->wb_dir : "");
    if (!rels || !s->wb_dir || !sst_part || !s->styles_part) {
        chuanp_free(rels);
        rc = -1;
        goto out;
    }
    rc = read_workbook(s, sel, &rid, d);
    if (rc == 0)
        rc = read_rels(s, rels, s->wb_dir, rid, &s->sheet_part, "/sharedStrings", &sst_part,
                       "/styles", &s->styles_part, d);
    chuanp_free(rels);
    if (rc != 0 || (rc = read_styles(s, s->styles_part, d)) != 0 ||
        (rc = read_sst(s, sst_part, d)) != 0)
        goto out;
    s->io = chuanp_calloc(1, sizeof *s->io);
    if (!s->io) {
        rc = -1;
        goto out;
    }
    int absent;
    s->xr = part_open(s, s->sheet_part, CHUANP_SHEET_MAX_XML, s->io, &absent, d);
    if (!s->xr) {
        if (absent)
            chuanp_convert_error(d, "xlsx.corrupt", file, 0, 0, NULL,
                                 "the sheet '%s' has no part %s in the zip",
                                 s->base.sheet_name ? s->base.sheet_name : "?", s->sheet_part);
        rc = 1;
        goto out;
    }
    rc = 0;
out:
    chuanp_free(rid);
    chuanp_free(sst_part);
    if (rc != 0) {
        xlsx_free(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
