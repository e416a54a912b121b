/* core/format.c - input format names, sniffing, and the one list of input
 * extensions (which files of a folder validate and convert pick). */
#include "core.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const names[] = {"auto", "xml", "json", "ndjson", "csv", "xlsx", "xls", "dbf",
                                    "mdb"};

const char *chuanp_format_name(chuanp_format f)
{
    return (unsigned)f < sizeof names / sizeof *names ? names[f] : "?";
}

int chuanp_format_parse(const char *name)
{
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    if (strcmp(name, "jsonl") == 0)
        return CHUANP_FMT_NDJSON;
    return -1;
}

static size_t skip_ws(const char *s, size_t i, size_t len)
{
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* The one extension list: every verb that walks a folder picks these. */
/* Whether the first n bytes look like a dBase/FoxPro table header. */
static int format_is_dbf(const unsigned char *h, size_t n);

static const char *const exts_all[] = {".xml", ".edxml", ".json", ".ndjson", ".jsonl", ".csv",
                                       ".tsv", ".xlsx", ".xls", ".dbf", ".mdb", ".accdb", NULL};
static const char *const exts_xml[] = {".xml", ".edxml", NULL};
static const char *const exts_json[] = {".json", NULL};
static const char *const exts_ndjson[] = {".ndjson", ".jsonl", NULL};
static const char *const exts_csv[] = {".csv", ".tsv", NULL};
static const char *const exts_xlsx[] = {".xlsx", NULL};
static const char *const exts_xls[] = {".xls", NULL};
static const char *const exts_dbf[] = {".dbf", NULL};
static const char *const exts_mdb[] = {".mdb", ".accdb", NULL};

static const char *const *input_exts(chuanp_format from)
{
    switch (from) {
    case CHUANP_FMT_XML: return exts_xml;
    case CHUANP_FMT_JSON: return exts_json;
    case CHUANP_FMT_NDJSON: return exts_ndjson;
    case CHUANP_FMT_CSV: return exts_csv;
    case CHUANP_FMT_XLSX: return exts_xlsx;
    case CHUANP_FMT_XLS: return exts_xls;
    case CHUANP_FMT_DBF: return exts_dbf;
    case CHUANP_FMT_MDB: return exts_mdb;
    default: return exts_all;
    }
}

int chuanp_collect_inputs(chuanp_pathlist *out, const char *const *args, size_t nargs,
                          chuanp_format from, char **errmsg)
{
    return chuanp_expand_paths(out, args, nargs, input_exts(from), errmsg);
}

const char *chuanp_format_ext(chuanp_format f)
{
    switch (f) {
    case CHUANP_FMT_XML: return ".xml";
    case CHUANP_FMT_JSON: return ".json";
    case CHUANP_FMT_NDJSON: return ".ndjson";
    case CHUANP_FMT_CSV: return ".csv";
    case CHUANP_FMT_XLSX: return ".xlsx";
    case CHUANP_FMT_XLS: return ".xls";
    case CHUANP_FMT_DBF: return ".dbf";
    case CHUANP_FMT_MDB: return ".mdb";
    default: return "";
    }
}

chuanp_format chuanp_format_from_name(const char *name)
{
    if (!name || strcmp(name, "-") == 0)
        return CHUANP_FMT_AUTO;
    if (chuanp_has_suffix(name, ".xml") || chuanp_has_suffix(name, ".edxml"))
        return CHUANP_FMT_XML;
    if (chuanp_has_suffix(name, ".ndjson") || chuanp_has_suffix(name, ".jsonl"))
        return CHUANP_FMT_NDJSON;
    if (chuanp_has_suffix(name, ".json"))
        return CHUANP_FMT_JSON;
    if (chuanp_has_suffix(name, ".csv") || chuanp_has_suffix(name, ".tsv"))
        return CHUANP_FMT_CSV;
    if (chuanp_has_suffix(name, ".xlsx") || chuanp_has_suffix(name, ".xlsm"))
        return CHUANP_FMT_XLSX;
    if (chuanp_has_suffix(name, ".xls"))
        return CHUANP_FMT_XLS;
    if (chuanp_has_suffix(name, ".dbf"))
        return CHUANP_FMT_DBF;
    if (chuanp_has_suffix(name, ".mdb") || chuanp_has_suffix(name, ".accdb"))
        return CHUANP_FMT_MDB;
    return CHUANP_FMT_AUTO;
}

int chuanp_format_is_binary(chuanp_format f)
{
    return f == CHUANP_FMT_XLSX || f == CHUANP_FMT_XLS;
}

chuanp_format chuanp_format_sniff(const char *name, const char *head, size_t len)
{
    chuanp_format by_name = chuanp_format_from_name(name);
    if (by_name != CHUANP_FMT_AUTO)
        return by_name;
    if (len >= 19 && (memcmp(head + 4, "Standard Jet DB", 15) == 0 ||
                      memcmp(head + 4, "Standard ACE DB", 15) == 0))
        return CHUANP_FMT_MDB;
    if (format_is_dbf((const unsigned char *)head, len))
        return CHUANP_FMT_DBF;
    size_t i = 0;
    /* a zip (XLSX: the reader checks for xl/workbook.xml) or an OLE2 compound file (XLS) */
    if (len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return CHUANP_FMT_XLSX;
    if (len >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return CHUANP_FMT_XLS;
    if (len >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB &&
        (unsigned char)head[2] == 0xBF)
        i = 3;
    if (len >= 2 && (((unsigned char)head[0] == 0xFF && (unsigned char)head[1] == 0xFE) ||
                     ((unsigned char)head[0] == 0xFE && (unsigned char)head[1] == 0xFF)))
        return CHUANP_FMT_XML; /* UTF-16 with BOM: only XML declares it */
    i = skip_ws(head, i, len);
    if (i >= len)
        return CHUANP_FMT_JSON;
    if (head[i] == '<')
        return CHUANP_FMT_XML;
    if (head[i] == '{') {
        /* one object per line? a newline followed by '{' at depth 0 is a strong hint */
        int depth = 0, in_str = 0;
        for (size_t j = i; j < len; j++) {
            char c = head[j];
            if (in_str) {
                if (c == '\\')
                    j++;
                else if (c == '"')
                    in_str = 0;
                continue;
            }
            if (c == '"')
                in_str = 1;
            else if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']')
                depth--;
            else if (c == '\n' && depth == 0) {
                size_t k = skip_ws(head, j, len);
                if (k < len && head[k] == '{')
                    return CHUANP_FMT_NDJSON;
                break;
            }
        }
        return CHUANP_FMT_JSON;
    }
    if (head[i] == '[' || head[i] == '"' || (head[i] >= '0' && head[i] <= '9') || head[i] == '-' ||
        strncmp(head + i, "true", len - i < 4 ? len - i : 4) == 0 ||
        strncmp(head + i, "false", len - i < 5 ? len - i : 5) == 0 ||
        strncmp(head + i, "null", len - i < 4 ? len - i : 4) == 0)
        return CHUANP_FMT_JSON;
    return CHUANP_FMT_CSV;
}

/* dBase/FoxPro: a known version byte, a plausible last-update date and
 * lengths, 32-byte field descriptors ending with 0x0D where the header
 * length puts the end (before the 263-byte backlink in Visual FoxPro). */
static int format_is_dbf(const unsigned char *h, size_t n)
{
    if (n < 64)
        return 0;
    int vfp = h[0] == 0x30 || h[0] == 0x31 || h[0] == 0x32;
    if (!vfp && !memchr("\x02\x03\x83\x8B\xCB\xF5\xFB", h[0], 7))
        return 0;
    unsigned hdr = h[8] | (unsigned)h[9] << 8, rec = h[10] | (unsigned)h[11] << 8;
    if (h[2] < 1 || h[2] > 12 || h[3] < 1 || h[3] > 31 || rec < 2 || hdr < 65)
        return 0;
    if (vfp && hdr < 263 + 65)
        return 0;
    size_t end = vfp ? (size_t)hdr - 263 - 1 : (size_t)hdr - 1;
    if ((end - 32) % 32 != 0 || (end < n && h[end] != 0x0D))
        return 0;
    return h[32] > 0x20 && h[32] < 0x7F && h[43] > 0x20 && h[43] < 0x7F;
}

double chuanp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
