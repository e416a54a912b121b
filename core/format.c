/* core/format.c - input format names, sniffing, and the one list of input
 * extensions (which files of a folder validate and convert pick). */
#include "core.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const names[] = {"auto", "xml", "json", "ndjson", "csv"};

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
static const char *const exts_all[] = {".xml", ".edxml", ".json", ".ndjson", ".jsonl", ".csv",
                                       ".tsv", NULL};
static const char *const exts_xml[] = {".xml", ".edxml", NULL};
static const char *const exts_json[] = {".json", NULL};
static const char *const exts_ndjson[] = {".ndjson", ".jsonl", NULL};
static const char *const exts_csv[] = {".csv", ".tsv", NULL};

const char *const *chuanp_input_exts(chuanp_format from)
{
    switch (from) {
    case CHUANP_FMT_XML: return exts_xml;
    case CHUANP_FMT_JSON: return exts_json;
    case CHUANP_FMT_NDJSON: return exts_ndjson;
    case CHUANP_FMT_CSV: return exts_csv;
    default: return exts_all;
    }
}

int chuanp_collect_inputs(chuanp_pathlist *out, const char *const *args, size_t nargs,
                          chuanp_format from, char **errmsg)
{
    return chuanp_expand_paths(out, args, nargs, chuanp_input_exts(from), errmsg);
}

const char *chuanp_format_ext(chuanp_format f)
{
    switch (f) {
    case CHUANP_FMT_XML: return ".xml";
    case CHUANP_FMT_JSON: return ".json";
    case CHUANP_FMT_NDJSON: return ".ndjson";
    case CHUANP_FMT_CSV: return ".csv";
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
    return CHUANP_FMT_AUTO;
}

chuanp_format chuanp_format_sniff(const char *name, const char *head, size_t len)
{
    chuanp_format by_name = chuanp_format_from_name(name);
    if (by_name != CHUANP_FMT_AUTO)
        return by_name;
    size_t i = 0;
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

double chuanp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
