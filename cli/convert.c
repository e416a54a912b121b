/* cli/convert.c - `chuan convert`: XML <-> JSON/NDJSON/CSV through the record pipeline. */
#include "cli.h"

#include "../converters/convert.h"
#include "../validator/schema_hints.h"
#include "../core/textenc.h"
#include "../validator/jsonschema.h"
#include "../validator/standard.h"
#include "../validator/tableschema.h"
#include "convert_batch.h"
#include "../converters/sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum {
    OPT_TO = 1, OPT_FROM, OPT_MAPPING, OPT_STANDARD, OPT_SCHEMA, OPT_RECORD, OPT_WRAPPER,
    OPT_ENCODING, OPT_OUTPUT, OPT_OUT_DIR, OPT_JOBS, OPT_RESUME, OPT_PROGRESS, OPT_NO_PROGRESS,
    OPT_INDENT, OPT_W3C, OPT_MAX_ERRORS, OPT_QUIET,
    OPT_CSV_DELIMITER, OPT_CSV_NO_HEADER, OPT_CSV_BOM, OPT_CSV_FORMULA_GUARD
};
enum { OPT_CSV_SEP = 100, OPT_NO_FLATTEN }; /* CSV flattening (csv helper) */
enum { OPT_REJECTS = 200 };                   /* rejects (converters/batch_run.h) */
enum { OPT_CSV_NULL = 300, OPT_COLUMNS };     /* CSV columns and nulls (csv-union) */
enum { OPT_TABLE = 450 };                     /* database tables (converters/table.h) */

static const chuanp_opt convert_opts[] = {
    {"to", 0, "FORMAT", OPT_TO, "output format: xml, json, ndjson or csv (required)"},
    {"from", 0, "FORMAT", OPT_FROM, "input format: auto (default), xml, json, ndjson, csv, xlsx, xls, dbf, mdb"},
    {"table", 0, "NAME", OPT_TABLE, "MDB/ACCDB input: the table to read (default: the only one)"},
    {"mapping", 0, "NAME", OPT_MAPPING, "XML<->JSON mapping: simple (default), jsonml, w3c"},
    {"standard", 's', "ID", OPT_STANDARD, "schema-aware mapping with a standard's schema"},
    {"schema", 0, "FILE", OPT_SCHEMA, "schema-aware mapping: .xsd or JSON Schema"},
    {"record", 0, "PATH", OPT_RECORD, "stream records: the repeating element, e.g. /A/B"},
    {"wrapper", 0, "NAME", OPT_WRAPPER, "NDJSON -> XML: the wrapper element (default from --record)"},
    {"encoding", 0, "NAME", OPT_ENCODING,
     "input encoding: auto (default), utf-8, tcvn3, vni, viscii, vps, cp1258"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write to FILE (atomically); - for standard output"},
    {"out-dir", 0, "DIR", OPT_OUT_DIR, "write one output per input under DIR, same names"},
    {"jobs", 'j', "N", OPT_JOBS, "convert N files at once (default: number of cores)"},
    {"resume", 0, NULL, OPT_RESUME,
     "finish an interrupted run: skip complete outputs, continue a journaled one (README: Batch conversion)"},
    {"rejects", 0, "FILE", OPT_REJECTS,
     "records that fail validation or conversion go to FILE (NDJSON; default OUTPUT.rejects.ndjson)"},
    {"progress", 0, NULL, OPT_PROGRESS, "show progress on standard error"},
    {"no-progress", 0, NULL, OPT_NO_PROGRESS, "never show progress"},
    {"indent", 0, "N", OPT_INDENT, "pretty-print JSON/XML with N spaces (default 0: compact)"},
    {"w3c", 0, "OPT=VALUE", OPT_W3C,
     "w3c mapping option: escape, duplicates, validate, liberal (repeatable)"},
    {"max-errors", 0, "N", OPT_MAX_ERRORS, "keep at most N diagnostics per input"},
    {"quiet", 'q', NULL, OPT_QUIET, "only diagnostics, no summary"},
    {"csv-delimiter", 0, "C", OPT_CSV_DELIMITER, "CSV field delimiter (default: sniffed / ,)"},
    {"csv-no-header", 0, NULL, OPT_CSV_NO_HEADER, "CSV has no header row"},
    {"csv-bom", 0, NULL, OPT_CSV_BOM, "CSV output starts with a UTF-8 BOM"},
    {"csv-sep", 0, "SEP", OPT_CSV_SEP,
     "CSV column names: separator of nested keys (default .; see docs/csv.md, Flattening)"},
    {"no-flatten", 0, NULL, OPT_NO_FLATTEN,
     "CSV: column names are literal keys; nested values are cells of JSON text"},
    {"csv-formula-guard", 0, NULL, OPT_CSV_FORMULA_GUARD,
     "CSV output: prefix ' to cells starting with = + - @"},
    {"csv-null", 0, "MARKER", OPT_CSV_NULL,
     "CSV both ways: MARKER is null, \"\" an empty string, an empty cell a missing key"},
    {"columns", 0, "A,B,...", OPT_COLUMNS,
     "CSV output: exactly these columns, in this order (flattened names; \\, for a comma)"},
    {"sheet", 0, "NAME|N", CHUANP_OPT_SHEET, "XLSX/XLS: the sheet to read, by name or 1-based index (default: the first)"},
    {"header-row", 0, "N", CHUANP_OPT_HEADER_ROW, "XLSX/XLS: the row naming the columns (default 1); rows above it are skipped"},
    {"font-map", 0, "FILE", CHUANP_OPT_FONT_MAP, "XLSX/XLS: more 'FONT-PATTERN = ENCODING' rules for legacy fonts"},
    {"columns-map", 0, "FILE", CHUANP_OPT_COLUMNS_MAP, "XLSX/XLS: legacy header -> field (JSON; docs/guide-batch.md)"},
    {"number-text", 0, NULL, CHUANP_OPT_NUMBER_TEXT, "XLSX/XLS: numbers formatted with zeros (\"000\") as their displayed text"},
    {0},
};

typedef struct cv_args {
    chuanp_cli *cli;
    chuanp_convert_opts o;
    chuanp_w3c_opts w3c;
    const char *standard, *schema, *output, *out_dir, *rejects;
    long jobs, max_errors;
    int resume, progress, quiet;
    const char *columns_arg;
    chuanp_csv_columns columns; /* --columns or a Table Schema's fields, for CSV output */
    chuanp_sheet_opts sheet;    /* spreadsheet inputs */
} cv_args;

static int parse_w3c(cv_args *a, const char *v)
{
    if (chuanp_w3c_opt_parse(&a->w3c, v) == 0)
        return 0;
    chuanp_cli_usage_error(a->cli, "FOJS0005: bad --w3c option '%s' (escape=auto|true|false, "
                           "duplicates=retain|reject|use-first, validate=true|false, "
                           "liberal=true|false)", v);
    return -1;
}

static int format_arg(cv_args *a, const char *opt, const char *v, int allow_auto, chuanp_format *out)
{
    int f = chuanp_format_parse(v);
    if (f < 0 || (!allow_auto && f == CHUANP_FMT_AUTO)) {
        chuanp_cli_usage_error(a->cli, "option %s: unknown format '%s'", opt, v);
        return -1;
    }
    const chuanp_converter *cv = chuanp_converter_find((chuanp_format)f);
    if (!allow_auto && (!cv || !cv->open_writer)) {
        /* dbf, mdb: read, never written */
        chuanp_cli_usage_error(a->cli, "option %s: chuan reads %s but does not write it "
                               "(write xml, json, ndjson or csv)", opt, v);
        return -1;
    }
    *out = (chuanp_format)f;
    return 0;
}

/* --csv-null MARKER: a cell no reader mistakes for another (not empty, no
 * quote, delimiter or line end). */
static int csv_null_arg(cv_args *a, const char *v)
{
    if (!*v || strpbrk(v, "\",;\t|\r\n") || (unsigned char)v[0] == 0xEF) {
        chuanp_cli_usage_error(a->cli, "--csv-null wants a non-empty marker without a quote, "
                               "delimiter (, ; TAB |) or line end, e.g. NULL or \\N");
        return -1;
    }
    a->o.csv.null_marker = v;
    return 0;
}

/* The columns of a CSV output when given: --columns, else the fields of a
 * Table Schema (--schema). Without them a first pass over each input finds
 * them (converters/csv_union.c). Returns 0 or -1 (reported). */
static int csv_columns_setup(cv_args *a, const chuanp_hints_holder *schema)
{
    if (a->o.to != CHUANP_FMT_CSV) {
        if (a->columns_arg) {
            chuanp_cli_usage_error(a->cli, "--columns is for CSV output (--to csv)");
            return -1;
        }
        return 0;
    }
    int rc = 0;
    if (a->columns_arg) {
        rc = chuanp_csv_columns_parse(&a->columns, a->columns_arg);
    } else {
        rc = chuanp_hints_csv_columns(schema, &a->columns); /* a Table Schema's fields */
        if (rc == 0)
            return 0;
        rc = rc < 0 ? -1 : 0;
    }
    if (rc > 0) {
        chuanp_cli_usage_error(a->cli, "--columns: an empty name or a bad escape in '%s' "
                               "(names are separated by commas; \\, is a comma, \\\\ a backslash)",
                               a->columns_arg);
        return -1;
    }
    if (rc < 0) {
        chuanp_cli_fail(a->cli, "out of memory");
        return -1;
    }
    a->o.csv.columns = &a->columns;
    return 0;
}

static int on_opt(void *ctx, int id, const char *v)
{
    cv_args *a = ctx;
    long n;
    switch (id) {
    case OPT_TO: return format_arg(a, "--to", v, 0, &a->o.to);
    case OPT_FROM: return format_arg(a, "--from", v, 1, &a->o.from);
    case OPT_MAPPING:
        if (strcmp(v, "simple") == 0) a->o.mapping = CHUANP_MAP_SIMPLE;
        else if (strcmp(v, "jsonml") == 0) a->o.mapping = CHUANP_MAP_JSONML;
        else if (strcmp(v, "w3c") == 0) a->o.mapping = CHUANP_MAP_W3C;
        else {
            chuanp_cli_usage_error(a->cli, "unknown mapping '%s' (simple, jsonml, w3c)", v);
            return -1;
        }
        return 0;
    case OPT_STANDARD: a->standard = v; return 0;
    case OPT_SCHEMA: a->schema = v; return 0;
    case OPT_RECORD:
        if (!*v) {
            chuanp_cli_usage_error(a->cli, "--record needs a path such as /DanhSachHoSo/HoSo");
            return -1;
        }
        a->o.record_path = v;
        return 0;
    case OPT_WRAPPER: a->o.record_wrapper = v; return 0;
    case OPT_TABLE: a->o.table = v; return 0;
    case OPT_ENCODING:
        if (strcasecmp(v, "auto") != 0 && chuanp_enc_parse(v) < 0) {
            chuanp_cli_usage_error(a->cli, "unknown encoding '%s' (accepted: %s)", v,
                                   chuanp_enc_accepted);
            return -1;
        }
        a->o.encoding = v;
        return 0;
    case OPT_OUTPUT: a->output = v; return 0;
    case OPT_OUT_DIR: a->out_dir = v; return 0;
    case OPT_JOBS:
        if (chuanp_cli_int(a->cli, "--jobs", v, 1, 256, &n) < 0) return -1;
        a->jobs = n;
        return 0;
    case OPT_RESUME: a->resume = 1; return 0;
    case OPT_PROGRESS: a->progress = 1; return 0;
    case OPT_NO_PROGRESS: a->progress = 0; return 0;
    case OPT_INDENT:
        if (chuanp_cli_int(a->cli, "--indent", v, 0, 16, &n) < 0) return -1;
        a->o.indent = (int)n;
        return 0;
    case OPT_W3C: return parse_w3c(a, v);
    case OPT_MAX_ERRORS:
        if (chuanp_cli_int(a->cli, "--max-errors", v, 1, 1000000000L, &n) < 0) return -1;
        a->max_errors = n;
        return 0;
    case OPT_QUIET: a->quiet = 1; return 0;
    case OPT_CSV_DELIMITER:
        if (strcmp(v, "\\t") == 0 || strcmp(v, "tab") == 0) a->o.csv.delimiter = '\t';
        else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' && v[0] != '\r') a->o.csv.delimiter = v[0];
        else {
            chuanp_cli_usage_error(a->cli, "--csv-delimiter wants one character (or \\t), not '%s'", v);
            return -1;
        }
        return 0;
    case OPT_CSV_NO_HEADER: a->o.csv.header = 0; return 0;
    case OPT_CSV_BOM: a->o.csv.bom = 1; return 0;
    case OPT_CSV_FORMULA_GUARD: a->o.csv.formula_guard = 1; return 0;
    case OPT_CSV_SEP:
        if (!*v || strchr(v, '~')) {
            chuanp_cli_usage_error(a->cli, "--csv-sep wants a non-empty separator without '~'");
            return -1;
        }
        a->o.csv.sep = v;
        return 0;
    case OPT_NO_FLATTEN: a->o.csv.no_flatten = 1; return 0;
    case OPT_REJECTS: a->rejects = v; return 0;
    case OPT_CSV_NULL: return csv_null_arg(a, v);
    case OPT_COLUMNS: a->columns_arg = v; return 0;
    default: return chuanp_cli_sheet_opt(a->cli, &a->sheet, id, v) ? -1 : 0;
    }
}

/* The schema behind schema-aware mapping (validator/schema_hints.c); its
 * compile errors are printed like every other diagnostic. */
static int load_hints(cv_args *a, chuanp_hints_holder **h)
{
    chuan_diags d;
    chuan_diags_init(&d, 20);
    int rc = chuanp_hints_load(h, a->schema, a->o.record_path, &d);
    for (size_t i = 0; i < d.count; i++)
        chuanp_diag_print(a->cli->err, &d.items[i]);
    chuan_diags_clear(&d);
    return rc < 0 ? -1 : 0;
}

static int run_convert(chuanp_cli *cli, int argc, const char **argv)
{
    cv_args a;
    memset(&a, 0, sizeof a);
    a.cli = cli;
    a.o.csv.header = 1;
    a.o.csv.offers_no_flatten = 1; /* a header that is not a key path: --no-flatten helps */
    a.o.csv.quote = '"';
    a.w3c.escape = CHUANP_W3C_ESCAPE_AUTO;
    a.o.w3c = &a.w3c;
    a.o.sheet = &a.sheet;
    a.progress = -1;
    a.jobs = chuanp_default_jobs();
    const char **pos = NULL;
    size_t npos = 0;
    chuanp_hints_holder *schemas = NULL;
    int rc = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (rc != 0)
        return rc > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;

    if (a.o.to == CHUANP_FMT_AUTO) {
        rc = chuanp_cli_usage_error(cli, "--to FORMAT is required (xml, json, ndjson, csv)");
        goto out;
    }
    if (a.output && a.out_dir) {
        rc = chuanp_cli_usage_error(cli, "use either -o FILE or --out-dir DIR, not both");
        goto out;
    }
    if (a.standard && a.schema) {
        rc = chuanp_cli_usage_error(cli, "use either -s/--standard or --schema, not both");
        goto out;
    }
    if (a.w3c.duplicates == CHUANP_W3C_DUP_RETAIN && a.w3c.validate) {
        rc = chuanp_cli_usage_error(cli, "FOJS0005: --w3c duplicates=retain contradicts validate=true");
        goto out;
    }
    /* with the w3c mapping an explicit duplicates= option decides (FOJS0003 for reject);
     * otherwise the JSON reader reports duplicate keys itself */
    if (a.o.mapping == CHUANP_MAP_W3C && a.w3c.duplicates != CHUANP_W3C_DUP_DEFAULT)
        a.o.json_allow_duplicates = 1;
    /* one pipeline (converters/batch_run.h) for every input form: a JSON
     * Schema validates, an XSD or Table Schema guides the mapping */
    chuanp_cvb_opts bo = {.e = {.o = a.o, .output = a.output, .out_dir = a.out_dir,
                                .rejects = a.rejects, .jobs = (int)a.jobs, .resume = a.resume,
                                .max_errors = a.max_errors, .argc = argc, .argv = argv},
                          .standard = a.standard, .schema_file = a.schema,
                          .progress = a.progress, .quiet = a.quiet};
    if (a.schema && chuanp_schema_type_guess(a.schema) == CHUANP_SCHEMA_JSONSCHEMA)
        bo.schema = a.schema;
    /* rejected records are kept (OUTPUT.rejects.ndjson) when validating, with
     * --out-dir or --resume; otherwise only in a file named with --rejects */
    bo.e.keep_rejects = bo.standard || bo.schema || a.out_dir || a.resume;
    if ((a.schema && !bo.schema && load_hints(&a, &schemas) < 0) ||
        csv_columns_setup(&a, schemas) < 0) {
        rc = CHUAN_EXIT_FAILURE;
        goto out;
    }
    bo.e.o.csv.columns = a.o.csv.columns;
    bo.e.hints = chuanp_hints_get(schemas);
    rc = chuanp_convert_batch(cli, &bo, pos, npos);
out:
    chuanp_hints_free(schemas);
    chuanp_csv_columns_free(&a.columns);
    chuanp_free(pos);
    return rc;
}

const chuanp_verb chuanp_verb_convert = {
    "convert",
    "convert between XML, JSON, NDJSON and CSV without losing data",
    "chuan convert --to xml|json|ndjson|csv [OPTIONS] PATH...",
    "PATH is a file, a directory (converted recursively) or - for standard input (the default).\n"
    "Mappings: simple (element -> key, @attr, #text, repeats -> array; values stay strings),\n"
    "jsonml (lossless XML), w3c (XPath 3.1 fn:json-to-xml/fn:xml-to-json, lossless JSON).\n"
    "With --schema, arrays and leaf types come from the schema. Outputs appear atomically and\n"
    "never overwrite an input. Exit: 0 converted, 1 an input or record could not be converted,\n"
    "2 usage or I/O error.",
    convert_opts,
    run_convert,
};
