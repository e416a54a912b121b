/* cli/validate.c - `chuan validate`: check payloads against a schema or standard. */
#include "cli.h"
#include "../converters/sheet.h"
#include "../validator/validate_run.h"

#include <errno.h>
#include <string.h>

enum {
    OPT_STANDARD = 1,
    OPT_SCHEMA,
    OPT_SCHEMA_TYPE,
    OPT_FORMAT,
    OPT_DRAFT,
    OPT_REF,
    OPT_ASSERT_FORMATS,
    OPT_REPORT,
    OPT_OUTPUT,
    OPT_JOBS,
    OPT_MAX_ERRORS,
    OPT_QUIET,
    OPT_AS_OF,
    OPT_PHASE,
    OPT_JSON_OUTPUT,
    OPT_ENCODING,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_REQUIRE_STANDARD,
    OPT_UNWRAP,
    OPT_TABLE = 450, /* database tables (converters/table.h) */
};

static const chuanp_opt validate_opts[] = {
    {"standard", 's', "ID[@VERSION]", OPT_STANDARD, "a standard package (id, or a path to one)"},
    {"schema", 0, "FILE", OPT_SCHEMA, "an .xsd, .rng, .sch, JSON Schema or Table Schema file"},
    {"schema-type", 0, "TYPE", OPT_SCHEMA_TYPE,
     "xsd|rng|schematron|jsonschema|tableschema when the kind is ambiguous"},
    {"format", 0, "FMT", OPT_FORMAT, "auto|xml|json|ndjson|csv|xlsx|xls|dbf|mdb (default auto: by name, then content)"},
    {"table", 0, "NAME", OPT_TABLE, "MDB/ACCDB input: the table to check (default: the only one)"},
    {"encoding", 0, "NAME", OPT_ENCODING,
     "input encoding: auto (default: detected per file), utf-8, tcvn3, vni, viscii, vps, cp1258"},
    {"draft", 0, "DRAFT", OPT_DRAFT, "JSON Schema dialect when the schema has no $schema: 2020-12|2019-09|7"},
    {"ref", 0, "PREFIX=PATH", OPT_REF, "resolve schema URIs starting with PREFIX from a local file/dir"},
    {"assert-formats", 0, NULL, OPT_ASSERT_FORMATS, "make JSON Schema \"format\" an assertion"},
    {"as-of", 0, "YYYY-MM-DD", OPT_AS_OF, "date for code-list validity when a record has none"},
    {"phase", 0, "NAME", OPT_PHASE, "Schematron phase to run (#ALL, #DEFAULT: the schema's defaultPhase)"},
    {"unwrap", 0, "POINTER", OPT_UNWRAP,
     "JSON inputs are wrappers: validate the base64 payload at POINTER"},
    {"sheet", 0, "NAME|N", CHUANP_OPT_SHEET, "XLSX/XLS: the sheet to check, by name or 1-based index (default: the first)"},
    {"header-row", 0, "N", CHUANP_OPT_HEADER_ROW, "XLSX/XLS: the row naming the columns (default 1)"},
    {"font-map", 0, "FILE", CHUANP_OPT_FONT_MAP, "XLSX/XLS: more 'FONT-PATTERN = ENCODING' rules for legacy fonts"},
    {"columns-map", 0, "FILE", CHUANP_OPT_COLUMNS_MAP, "XLSX/XLS: legacy header -> field (JSON; docs/guide-batch.md)"},
    {"number-text", 0, NULL, CHUANP_OPT_NUMBER_TEXT, "XLSX/XLS: numbers formatted with zeros (\"000\") as their displayed text"},
    {"report", 'r', "FMT", OPT_REPORT, "text|json|junit|sarif|github|html (default text)"},
    {"json-output", 0, "full|basic", OPT_JSON_OUTPUT,
     "with -r json: chuan's report (full) or JSON Schema \"basic\" output"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write the report to FILE (atomically)"},
    {"jobs", 'j', "N", OPT_JOBS, "parallel workers (default: number of cores)"},
    {"progress", 0, NULL, OPT_PROGRESS, "show progress on standard error (default: on a terminal)"},
    {"no-progress", 0, NULL, OPT_NO_PROGRESS, "never show progress"},
    {"max-errors", 0, "N", OPT_MAX_ERRORS, "keep at most N diagnostics per input (0: all)"},
    {"require-standard", 0, NULL, OPT_REQUIRE_STANDARD,
     "an input no standard, schema or package applies to is invalid (exit 1), not well-formed"},
    {"quiet", 'q', NULL, OPT_QUIET,
     "text report: only invalid inputs and the summary; no summary on standard error"},
    {0},
};

typedef struct validate_args {
    chuanp_cli *cli;
    chuanp_engine_opts eng;
    chuanp_sheet_opts sheet; /* spreadsheet inputs */
    chuanp_ref_map refs[32];
    int report;
    int json_basic;
    const char *output;
    long jobs;
    long max_errors;
    int quiet;
    const char *encoding; /* NULL: auto */
    int progress;         /* -1 auto (TTY), 0 never, 1 always */
    int require_standard; /* --require-standard or .chuan.json "require_standard": true */
} validate_args;

static int on_opt(void *ctx, int id, const char *v)
{
    validate_args *a = ctx;
    chuanp_cli *cli = a->cli;
    long n;
    switch (id) {
    case OPT_STANDARD: a->eng.standard = v; break;
    case OPT_SCHEMA: a->eng.schema_path = v; break;
    case OPT_SCHEMA_TYPE: {
        int t = chuanp_schema_type_parse(v);
        if (t <= CHUANP_SCHEMA_NONE || t == CHUANP_SCHEMA_STANDARD)
            return chuanp_cli_usage_error(cli, "unknown schema type '%s'", v), -1;
        a->eng.type = (chuanp_schema_type)t;
        break;
    }
    case OPT_TABLE:
        a->eng.table = v;
        break;
    case OPT_FORMAT: {
        int f = chuanp_format_parse(v);
        if (f < 0)
            return chuanp_cli_usage_error(cli, "unknown format '%s' (auto|xml|json|ndjson|csv|xlsx|xls|dbf|mdb)", v), -1;
        a->eng.format = (chuanp_format)f;
        break;
    }
    case OPT_DRAFT:
        if (strcmp(v, "2020-12") && strcmp(v, "2019-09") && strcmp(v, "7") && strcmp(v, "draft7") &&
            strcmp(v, "draft-07"))
            return chuanp_cli_usage_error(cli, "unknown JSON Schema draft '%s' (2020-12|2019-09|7)", v), -1;
        a->eng.draft = v;
        break;
    case OPT_REF: {
        int e = chuanp_ref_map_add(a->refs, &a->eng.nrefs, sizeof a->refs / sizeof *a->refs, v);
        if (e == -1)
            return chuanp_cli_usage_error(cli, "--ref wants PREFIX=PATH, not '%s'", v), -1;
        if (e == -2)
            return chuanp_cli_usage_error(cli, "too many --ref options (at most 32)"), -1;
        return e < 0 ? -1 : 0;
    }
    case OPT_ASSERT_FORMATS: a->eng.assert_formats = 1; break;
    case OPT_UNWRAP:
        if (v[0] != '/')
            return chuanp_cli_usage_error(cli, "--unwrap wants a JSON Pointer (/member), not '%s'", v), -1;
        a->eng.unwrap = v;
        break;
    case OPT_AS_OF:
        if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
            return chuanp_cli_usage_error(cli, "--as-of wants a date YYYY-MM-DD, not '%s'", v), -1;
        a->eng.as_of = v;
        break;
    case OPT_PHASE:
        if (!*v)
            return chuanp_cli_usage_error(cli, "--phase wants a phase id, #ALL or #DEFAULT"), -1;
        a->eng.phase = v;
        break;
    case OPT_REPORT: {
        int r = chuan_report_format_parse(v);
        if (r < 0)
            return chuanp_cli_usage_error(cli, "unknown report format '%s' (text|json|junit|sarif|github|html)", v), -1;
        a->report = r;
        break;
    }
    case OPT_JSON_OUTPUT:
        if (strcmp(v, "full") && strcmp(v, "basic"))
            return chuanp_cli_usage_error(cli, "--json-output wants full or basic, not '%s'", v), -1;
        a->json_basic = strcmp(v, "basic") == 0;
        break;
    case OPT_OUTPUT: a->output = v; break;
    case OPT_JOBS:
        if (chuanp_cli_int(cli, "--jobs", v, 1, 256, &n) < 0)
            return -1;
        a->jobs = n;
        break;
    case OPT_MAX_ERRORS:
        if (chuanp_cli_int(cli, "--max-errors", v, 0, 100000000, &n) < 0)
            return -1;
        a->max_errors = n;
        break;
    case OPT_QUIET: a->quiet = 1; break;
    case OPT_ENCODING:
        if (chuanp_enc_parse(v) < 0)
            return chuanp_cli_usage_error(cli, "unknown encoding '%s' (accepted: %s)", v,
                                          chuanp_enc_accepted), -1;
        a->encoding = v;
        break;
    case OPT_PROGRESS: a->progress = 1; break;
    case OPT_NO_PROGRESS: a->progress = 0; break;
    case OPT_REQUIRE_STANDARD: a->require_standard = 1; break;
    default: return chuanp_cli_sheet_opt(cli, &a->sheet, id, v) < 0 ? -1 : 0;
    }
    return 0;
}

/* ------------------------------------------------------------- the run
 * (the engine side is validator/validate_run.c) */

typedef struct ui {
    chuanp_cli *cli;
    chuanp_progress progress;
    chuan_reporter *rep;
    FILE *report_fp;
} ui;

static void progress_now(void *ctx, const chuanp_vrun *r, int force)
{
    chuanp_progress_counts c = {.files_done = r->files_done, .files = r->n,
                                .records = r->records, .bad = (long)r->invalid,
                                .bad_label = N_("invalid"), .bytes_done = r->bytes_done,
                                .bytes_total = r->bytes_total};
    chuanp_progress_draw(&((ui *)ctx)->progress, force, &c);
}

/* the report may share the terminal with the progress line */
static int report_one(void *ctx, chuan_file_result *res)
{
    ui *u = ctx;
    chuanp_progress_clear(&u->progress);
    int rc = chuan_reporter_file(u->rep, res);
    if (u->progress.on)
        fflush(u->report_fp);
    return rc;
}

static void chosen(void *ctx, const char *std, const char *why)
{
    fprintf(((chuanp_cli *)ctx)->err, _("chuan: using standard %s (%s)\n"), std, why);
}

/* --schema / --standard / --schema-type: the engine's options. Returns 0, or
 * the exit code (message printed). */
static int engine_args(chuanp_cli *cli, validate_args *a)
{
    a->eng.refs = a->refs;
    a->eng.max_errors = (size_t)a->max_errors;
    switch (chuanp_engine_opts_settle(&a->eng)) {
    case 1: return chuanp_cli_usage_error(cli, "give either --schema or --standard, not both");
    case 2:
        return chuanp_cli_fail(cli, "cannot read schema %s: %s", a->eng.schema_path, chuanp_strerror(errno));
    case 3:
        return chuanp_cli_usage_error(cli, "cannot tell the kind of schema %s; use "
                                      "--schema-type", a->eng.schema_path);
    case 4: return chuanp_cli_usage_error(cli, "--schema-type needs --schema");
    }
    return 0;
}

/* The engines and the inputs (validator/validate_run.c). 0 or -1 (printed). */
static int prepare(chuanp_cli *cli, chuanp_vrun *r, const validate_args *a,
                   const chuanp_pathlist *paths)
{
    chuan_diags cd;
    chuan_diags_init(&cd, 0);
    const char *const *p = (const char *const *)paths->paths;
    const char *failed = NULL;
    int e = chuanp_vrun_engines(r, &a->eng, p, paths->count, chosen, cli, &failed, &cd);
    chuanp_cli_diags(cli, &cd);
    if (e == -2 && cd.count == 0)
        chuanp_cli_fail(cli, failed ? N_("cannot load the standard %s") : N_("out of memory%s"),
                        failed ? failed : "");
    else if (e == -3 && cd.count == 0)
        chuanp_cli_fail(cli, "cannot compile the schema");
    chuan_diags_clear(&cd);
    if (e < 0)
        return -1;
    e = chuanp_vrun_inputs(r, p);
    if (e == -2)
        chuanp_cli_fail(cli, "cannot spool standard input: %s", chuanp_strerror(errno));
    else if (e < 0)
        chuanp_cli_fail(cli, "out of memory");
    return e < 0 ? -1 : 0;
}

/* The report never replaces an input, the schema, a --ref file or a
 * package file. Returns 0 or -1 (printed). */
static int check_report_target(chuanp_cli *cli, const validate_args *a,
                               const chuanp_pathlist *paths)
{
    if (!a->output)
        return 0;
    chuanp_pathlist reads = {0};
    int c = 0;
    for (size_t i = 0; i < paths->count && c == 0; i++)
        c = chuanp_pathlist_add(&reads, paths->paths[i]);
    if (c == 0)
        c = chuanp_engine_opts_reads(&a->eng, &reads);
    return chuanp_cli_output_vs_reads(cli, a->output, &reads, c < 0);
}

/* Check the inputs into the report; the summary. Returns the exit code. */
static int check_all(chuanp_cli *cli, chuanp_vrun *r, const validate_args *a,
                     const chuanp_pathlist *paths)
{
    chuanp_output out = {0};
    char *err = NULL;
    ui u = {.cli = cli};
    int rc = CHUAN_EXIT_FAILURE;
    if (check_report_target(cli, a, paths) < 0 ||
        chuanp_cli_report_open(cli, a->output, a->report, a->quiet, "validate", &out, &u.rep) < 0)
        return rc;
    u.report_fp = out.fp;
    chuanp_reporter_set_json_basic(u.rep, a->json_basic);
    chuanp_reporter_set_context(u.rep, 1, NULL, 0); /* -r html: the lines around each diagnostic */
    chuanp_progress_start(&u.progress, cli->err, a->progress, cli->err_is_tty);
    r->report = report_one;
    r->progress = progress_now;
    r->ctx = &u;
    int jobs = a->jobs > 0 ? (int)a->jobs : chuanp_default_jobs();
    if (chuanp_vrun_run(r, chuanp_cli_jobs_fit(cli, jobs, a->quiet)) < 0) {
        chuanp_progress_clear(&u.progress);
        chuanp_output_abort(&out);
        rc = chuanp_cli_fail(cli, "cannot start worker threads");
        goto out;
    }
    progress_now(&u, r, 1);
    chuanp_progress_clear(&u.progress);
    if (chuan_reporter_end(u.rep) < 0)
        r->report_failed = 1;
    if (chuanp_output_commit(&out, &err) < 0 || r->report_failed) {
        rc = chuanp_cli_fail(cli, "%s", err ? err : "cannot write the report");
        goto out;
    }
    int legacy = 0; /* an input read from a legacy encoding: the summary says which */
    for (int e = CHUANP_ENC_UTF8 + 1; e < CHUANP_ENC_COUNT; e++)
        legacy |= r->per_enc[e] > 0;
    if (!a->quiet && (paths->count > 1 || legacy || u.progress.on))
        chuanp_vrun_summary(cli->err, r, paths->count);
    rc = r->worst;
out:
    chuan_reporter_free(u.rep);
    chuanp_free(err);
    return rc;
}

static int run_validate(chuanp_cli *cli, int argc, const char **argv)
{
    validate_args a = {.cli = cli, .report = CHUAN_REPORT_TEXT, .jobs = 0, .max_errors = 1000,
                       .progress = -1};
    a.eng.sheet = &a.sheet;
    const char **pos = NULL;
    size_t npos = 0;
    chuanp_pathlist paths = {0};
    int rc = CHUAN_EXIT_FAILURE;
    char *err = NULL;
    chuanp_vrun r = {.stdin_fd = -1};

    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0) {
        rc = p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
        goto out;
    }
    if (npos == 0) {
        rc = chuanp_cli_usage_error(cli, "no input given (PATH..., or - for standard input)");
        goto out;
    }
    if ((rc = engine_args(cli, &a)) != 0)
        goto out;
    rc = CHUAN_EXIT_FAILURE;
    if (chuanp_collect_inputs(&paths, pos, npos, CHUANP_FMT_AUTO, &err) < 0) {
        rc = chuanp_cli_fail(cli, "%s", err ? err : "out of memory");
        goto out;
    }
    if (paths.count == 0) {
        rc = chuanp_cli_fail(cli, "no input files found (looked for %s)",
                             ".xml .edxml .json .ndjson .jsonl .csv .tsv");
        goto out;
    }
    r.encoding = a.encoding;
    /* -q text report: no note for inputs that are valid anyway */
    r.note = !(a.quiet && a.report == CHUAN_REPORT_TEXT);
    r.require_standard = a.require_standard;
    r.max_errors = (size_t)a.max_errors;
    if (prepare(cli, &r, &a, &paths) == 0)
        rc = check_all(cli, &r, &a, &paths);
out:
    chuanp_vrun_free(&r);
    chuanp_pathlist_free(&paths);
    for (size_t i = 0; i < a.eng.nrefs; i++)
        chuanp_free((char *)a.refs[i].prefix);
    chuanp_free(pos);
    chuanp_free(err);
    return rc;
}

const chuanp_verb chuanp_verb_validate = {
    "validate",
    "check payloads (XML, JSON, NDJSON, CSV) against a schema or a standard package",
    "chuan validate [OPTIONS] PATH...",
    "PATH is a file, a directory (searched recursively for .xml .edxml .json .ndjson .jsonl .csv .tsv),\n"
    "or - for standard input. Without --schema or --standard, each input gets the package it matches\n"
    "(.chuan.json, XML root, JSON member such as /service, JSON $schema); an input nothing matches\n"
    "is reported \"well-formed (no standard matched)\", never \"valid\" (--require-standard: invalid).\n"
    "Exit codes: 0 all valid or well-formed, 1 at least one input invalid, 2 the tool could not do\n"
    "its job.\n"
    "Example: chuan validate --schema standards/edxml/schema/edxml.xsd -r junit -o report.xml msgs/",
    validate_opts,
    run_validate,
};
