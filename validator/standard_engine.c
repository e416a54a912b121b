/* validator/standard_engine.c - CHUANP_SCHEMA_STANDARD: one rule set for XML, JSON, NDJSON and
 * CSV payloads. Every payload is mapped to records of the package's model, each record validated
 * by the model's JSON Schema + vocabulary, locations given in the payload's own terms. */
#include "jsonschema.h"
#include "standard_int.h"
#include "tableschema.h"
#include "vocab_keywords.h"

#include <stdlib.h>
#include <string.h>

#define MAX_JSON_INPUT ((size_t)1 << 31)

typedef struct std_engine {
    chuanp_engine base;
    chuanp_standard *std;
    chuanp_codelists codelists;
    chuanp_vocab_ctx vctx;
    chuanp_jsonschema *model;
    chuanp_schema_hints hints;
    chuanp_column_totals *totals;
    chuanp_engine *xsd;
    chuanp_engine *ndjson;  /* the JSON Schema engine's NDJSON streaming over the model */
    chuanp_schematron *sch;
    chuanp_tableschema *ts;
    char *label;
} std_engine;

/* ------------------------------------------------------- column totals */

typedef struct totals_acc {
    const chuanp_column_totals *ct;
    chuanp_decimal *sums;
    chuanp_decimal *total;  /* values of the total record */
    int *present;           /* the total record has that column */
    int have_total;
    long line, column;
    long long offset;
    char *path;
    int oom;
} totals_acc;

static void totals_init(totals_acc *a, const chuanp_column_totals *ct)
{
    memset(a, 0, sizeof *a);
    a->ct = ct;
    if (!ct)
        return;
    a->sums = chuanp_calloc(ct->ncolumns, sizeof *a->sums);
    a->total = chuanp_calloc(ct->ncolumns, sizeof *a->total);
    a->present = chuanp_calloc(ct->ncolumns, sizeof *a->present);
    if (!a->sums || !a->total || !a->present) {
        a->oom = 1;
        return;
    }
    for (size_t i = 0; i < ct->ncolumns; i++)
        if (!(a->sums[i].digits = chuanp_strdup("")))
            a->oom = 1;
}

static void totals_free(totals_acc *a)
{
    if (!a->ct)
        return;
    for (size_t i = 0; i < a->ct->ncolumns; i++) {
        if (a->sums)
            chuanp_decimal_free(&a->sums[i]);
        if (a->total)
            chuanp_decimal_free(&a->total[i]);
    }
    chuanp_free(a->sums);
    chuanp_free(a->total);
    chuanp_free(a->present);
    chuanp_free(a->path);
}

static void totals_add(totals_acc *a, const chuanp_jv *rec, const char *path)
{
    const chuanp_column_totals *ct = a->ct;
    if (!ct || a->oom || !rec || rec->type != CHUANP_JOBJECT)
        return;
    size_t kl;
    const char *k = chuanp_vocab_scalar(chuanp_json_get(rec, ct->key), &kl);
    int is_total = k && kl == strlen(ct->total_key) && memcmp(k, ct->total_key, kl) == 0;
    if (is_total && a->have_total)
        is_total = 0; /* a second total row counts as data; rare, and then the sums differ */
    for (size_t i = 0; i < ct->ncolumns; i++) {
        size_t len;
        const char *s = chuanp_vocab_scalar(chuanp_json_get(rec, ct->columns[i]), &len);
        chuanp_decimal x;
        if (!s || chuanp_decimal_parse(&x, s, len) < 0)
            continue;
        if (is_total) {
            a->total[i] = x;
            a->present[i] = 1;
        } else {
            if (chuanp_decimal_add(&a->sums[i], &x) < 0)
                a->oom = 1;
            chuanp_decimal_free(&x);
        }
    }
    if (is_total) {
        a->have_total = 1;
        a->line = (long)rec->line;
        a->column = (long)rec->column;
        a->offset = (long long)rec->offset;
        a->path = chuanp_strdup(path ? path : "");
    }
}

static int totals_finish(totals_acc *a, const char *file, chuan_diags *d)
{
    const chuanp_column_totals *ct = a->ct;
    if (!ct || !a->have_total)
        return 0;
    int errors = 0;
    for (size_t i = 0; i < ct->ncolumns; i++) {
        if (!a->present[i] || chuanp_decimal_cmp(&a->total[i], &a->sums[i]) == 0)
            continue;
        chuanp_buf t, s, en, vi;
        chuanp_buf_init(&t, 0);
        chuanp_buf_init(&s, 0);
        chuanp_buf_init(&en, 0);
        chuanp_buf_init(&vi, 0);
        chuanp_decimal_format(&t, &a->total[i]);
        chuanp_decimal_format(&s, &a->sums[i]);
        chuanp_buf_printf(&en, "%s%scolumn %s: the %s row has %s, the other rows add up to %s",
                          ct->message_en ? ct->message_en : "", ct->message_en ? ": " : "",
                          ct->columns[i], ct->total_key, t.data, s.data);
        chuanp_buf_printf(&vi, "%s%scột %s: dòng %s ghi %s, tổng các dòng khác là %s",
                          ct->message_vi ? ct->message_vi : "", ct->message_vi ? ": " : "",
                          ct->columns[i], ct->total_key, t.data, s.data);
        chuanp_buf path;
        chuanp_buf_init(&path, 0);
        chuanp_buf_puts(&path, a->path ? a->path : "");
        chuan_diag dg = {.severity = ct->warning ? CHUAN_SEV_WARNING : CHUAN_SEV_ERROR,
                         .code = ct->rule_id ? ct->rule_id : "std.column-totals",
                         .message = en.data, .message_vi = vi.data, .file = file,
                         .line = a->line, .column = a->column, .offset = a->offset,
                         .path = path.data, .source = ct->source};
        chuan_diags_add(d, &dg);
        errors += !ct->warning;
        chuanp_buf_free(&t);
        chuanp_buf_free(&s);
        chuanp_buf_free(&en);
        chuanp_buf_free(&vi);
        chuanp_buf_free(&path);
    }
    return errors;
}

/* --------------------------------------------------- record validation */

typedef enum { LOC_JSON, LOC_NDJSON, LOC_XML, LOC_CSV } loc_kind;

typedef struct record_ctx {
    const std_engine *e;
    chuanp_jsonschema_vstate *vs;
    const chuanp_input *in;
    chuan_file_result *res;
    totals_acc totals;
    loc_kind kind;
    int errors;
    int failed;
    int unwrapped; /* inside a wrapped payload: no second unwrapping */
    const char *xml_record_path; /* a streamed XML record's path (its tree is gone) */
} record_ctx;

/* "row N, column A.B/C": a CSV record's JSON Pointer as the CSV's column path (segments joined
 * by '.', ~1 and ~0 unescaped). */
static char *csv_location(long row, const char *pointer)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_printf(&b, "row %ld", row);
    if (pointer && *pointer) {
        chuanp_buf_puts(&b, ", column ");
        for (const char *p = pointer + 1; *p; p++) {
            if (p[0] == '~' && p[1] == '0')
                chuanp_buf_putc(&b, '~'), p++;
            else if (p[0] == '~' && p[1] == '1')
                chuanp_buf_putc(&b, '/'), p++;
            else if (*p == '/')
                chuanp_buf_putc(&b, '.');
            else
                chuanp_buf_putc(&b, *p);
        }
    }
    return chuanp_buf_steal(&b, NULL);
}

/* Re-express a diagnostic's JSON Pointer in the payload's terms. */
static char *translate(const record_ctx *c, const char *ptr, const char *prefix, long row,
                       xmlNodePtr record)
{
    switch (c->kind) {
    case LOC_JSON:
        return chuanp_asprintf("%s%s", prefix ? prefix : "", ptr ? ptr : "");
    case LOC_NDJSON:
        return chuanp_strdup(ptr ? ptr : "");
    case LOC_CSV:
        return csv_location(row, ptr);
    case LOC_XML: {
        int is_attr;
        const char *attr_name;
        xmlNodePtr n = chuanp_std_xml_resolve(record, ptr, &is_attr, &attr_name);
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        if (c->xml_record_path)
            chuanp_std_xml_stream_path(&b, c->xml_record_path, record, n);
        else
            chuanp_xml_node_path(&b, n);
        if (is_attr && attr_name)
            chuanp_buf_printf(&b, "/@%s", attr_name);
        return chuanp_buf_steal(&b, NULL);
    }
    }
    return NULL;
}

static int check_record(record_ctx *c, const chuanp_jv *rec, const char *prefix, long row,
                        xmlNodePtr record)
{
    chuan_diags *dst = &c->res->diags;
    int rc;
    if (c->kind == LOC_NDJSON || (dst->max && dst->count >= dst->max)) {
        /* paths stay as they are (NDJSON) or nothing more is stored */
        rc = chuanp_jsonschema_validate(c->e->model, c->vs, rec, c->in->name, dst);
        goto counted;
    }
    chuan_diags tmp;
    chuan_diags_init(&tmp, 0);
    rc = chuanp_jsonschema_validate(c->e->model, c->vs, rec, c->in->name, &tmp);
    /* only the diagnostics that will be kept need their path translated */
    size_t keep = dst->max ? dst->max - dst->count : tmp.count;
    for (size_t i = 0; i < tmp.count && i < keep; i++) {
        char *p = translate(c, tmp.items[i].path, prefix, row, record);
        if (p) {
            chuanp_free((char *)tmp.items[i].path);
            tmp.items[i].path = p;
        }
    }
    chuan_diags_move(dst, &tmp); /* counts and drops past --max-errors */
    chuan_diags_clear(&tmp);
counted:
    if (c->e->totals) {
        char *p = translate(c, "", prefix, row, record);
        totals_add(&c->totals, rec, p);
        chuanp_free(p);
    }
    c->res->records++;
    if (rc < 0)
        c->failed = 1;
    else if (rc > 0)
        c->errors++;
    return rc;
}

static void add_diag(chuan_file_result *res, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_diag(chuan_file_result *res, const char *code, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = res->file, .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(&res->diags, &dg, fmt, ap);
    va_end(ap);
}

/* ----------------------------------------------------------- formats */

static void check_json(record_ctx *c);
static void check_xml(record_ctx *c);

/* A transport wrapper (formats.json.unwrap of the package, or --unwrap POINTER): validate the
 * payload its member carries, where it sits. Returns 1 when doc was a wrapper (handled), 0 when
 * it is an ordinary JSON payload of the package. */
static int check_unwrap(record_ctx *c, const chuanp_jv *doc)
{
    const std_engine *e = c->e;
    const chuanp_standard *s = e->std;
    const char *ptr = e->base.opts.unwrap;
    const chuanp_jv *member = NULL;
    if (c->unwrapped)
        return 0;
    if (ptr) {
        member = chuanp_json_pointer(doc, ptr);
    } else {
        for (size_t i = 0; i < s->nunwrap && !member; i++) {
            const chuanp_jv *m = chuanp_json_pointer(doc, s->unwrap_pointers[i]);
            if (m && m->type == CHUANP_JSTRING)
                member = m, ptr = s->unwrap_pointers[i];
        }
        if (!member)
            return 0;
    }
    int fmt = s->nunwrap ? s->unwrap_format : CHUANP_FMT_XML;
    if (fmt == CHUANP_FMT_XML && !s->has_xml)
        fmt = CHUANP_FMT_JSON;
    FILE *f = NULL;
    int r = chuanp_std_unwrap_open(&f, member, ptr, s->unwrap_encoding ? s->unwrap_encoding : "base64",
                                   c->in->name, &c->res->diags);
    if (r != 0) {
        if (r < 0)
            c->failed = 1;
        else
            c->errors++;
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fileno(f));
    chuanp_input inner = {.name = c->in->name, .path = path};
    const chuanp_input *outer = c->in;
    loc_kind kind = c->kind;
    size_t from = c->res->diags.count;
    c->in = &inner;
    c->unwrapped = 1;
    if (fmt == CHUANP_FMT_JSON) {
        c->kind = LOC_JSON;
        check_json(c);
    } else {
        c->kind = LOC_XML;
        check_xml(c);
    }
    c->unwrapped = 0;
    c->kind = kind;
    c->in = outer;
    fclose(f);
    if (chuanp_std_unwrap_relocate(&c->res->diags, from, member, ptr,
                                   fmt == CHUANP_FMT_JSON ? "json" : "xml") < 0)
        c->failed = 1;
    return 1;
}

static void check_json(record_ctx *c)
{
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    if (chuanp_read_all(c->in, MAX_JSON_INPUT, &data, &len, &errmsg) < 0) {
        add_diag(c->res, "io.read", "cannot read %s: %s", c->in->name, errmsg ? errmsg : "?");
        c->failed = 1;
        goto out;
    }
    chuanp_jv *doc = NULL;
    chuanp_json_opts jo = {.file = c->in->name, .allow_bom = 1};
    int prc = chuanp_json_parse(&doc, data, len, &jo, &arena, &c->res->diags);
    if (prc != 0 || !doc) {
        if (prc < 0)
            c->failed = 1;
        else
            c->errors++;
        goto out;
    }
    if (check_unwrap(c, doc))
        goto out;
    const char *ptr = c->e->std->json_records;
    if (!*ptr) {
        check_record(c, doc, "", 0, NULL);
        goto out;
    }
    const chuanp_jv *arr = chuanp_json_pointer(doc, ptr);
    if (!arr || arr->type != CHUANP_JARRAY) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.records",
                         .file = c->in->name, .line = (long)doc->line, .column = (long)doc->column,
                         .offset = (long long)doc->offset, .path = ""};
        chuan_diags_addf(&c->res->diags, &dg,
                         "the payload has no array of records at %s (standard %s)", ptr,
                         c->e->std->id);
        c->errors++;
        goto out;
    }
    for (size_t i = 0; i < arr->u.arr.count && !c->failed; i++) {
        char prefix[600];
        snprintf(prefix, sizeof prefix, "%s/%zu", ptr, i);
        check_record(c, arr->u.arr.items[i], prefix, 0, NULL);
    }
out:
    chuanp_arena_free(&arena);
    chuanp_free(data);
    chuanp_free(errmsg);
}

static void check_ndjson(record_ctx *c)
{
    FILE *f = c->in->path ? fopen(c->in->path, "rb") : stdin;
    if (!f) {
        add_diag(c->res, "io.read", "cannot open %s", c->in->name);
        c->failed = 1;
        return;
    }
    chuanp_json_opts jo = {.file = c->in->name, .allow_bom = 1};
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, c->in->name, &jo);
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    if (!r) {
        c->failed = 1;
        goto out;
    }
    for (;;) {
        chuanp_jv *v = NULL;
        long line = 0;
        chuanp_arena_reset(&arena);
        int rc = chuanp_ndjson_next(r, &arena, &v, &line, &c->res->diags);
        if (rc == 0)
            break;
        if (rc < 0) {
            c->failed = 1;
            break;
        }
        if (rc == 2) {
            c->errors++;
            c->res->records++;
            continue;
        }
        check_record(c, v, NULL, 0, NULL);
        if (c->failed)
            break;
    }
out:
    chuanp_ndjson_reader_free(r);
    chuanp_arena_free(&arena);
    if (f != stdin)
        fclose(f);
}

static int stream_record(void *ctx, const chuanp_jv *rec, xmlNodePtr record, const char *path)
{
    record_ctx *c = ctx;
    c->xml_record_path = path;
    check_record(c, rec, NULL, 0, record);
    c->xml_record_path = NULL;
    return c->failed ? -1 : 0;
}

static void no_records(record_ctx *c, long line, long col, long long off, const char *path)
{
    chuanp_buf paths;
    chuanp_buf_init(&paths, 0);
    for (size_t p = 0; p < c->e->std->nxml_records; p++)
        chuanp_buf_printf(&paths, "%s%s", p ? " or " : "", c->e->std->xml_records[p]);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.records",
                     .file = c->in->name, .line = line, .column = col, .offset = off,
                     .path = path};
    chuan_diags_addf(&c->res->diags, &dg, "no record element %s in this document (standard %s)",
                     paths.data ? paths.data : "", c->e->std->id);
    chuanp_buf_free(&paths);
    c->errors++;
}

/* Records streamed one at a time (standard_xml_stream.c) when nothing needs the whole tree:
 * no Schematron (its rules may look at records and at anything around them) and a single
 * record path (several are reported path by path). CHUAN_XML_WHOLE_DOCUMENT=1 turns it off
 * (tests compare both paths). Returns 1 when done, 0 when the document must be read whole
 * (nothing of the stream is left in the result), <0 fatal. */
static int stream_xml(record_ctx *c, chuanp_arena *arena)
{
    const std_engine *e = c->e;
    const char *off = getenv("CHUAN_XML_WHOLE_DOCUMENT");
    if (e->sch || e->std->nxml_records != 1 || !c->in->path || (off && strcmp(off, "1") == 0))
        return 0;
    chuan_diags mark = c->res->diags;
    long records = c->res->records;
    int errors = c->errors;
    chuanp_std_xml_root root;
    int r = chuanp_std_xml_stream(c->in->path, e->std->xml_records[0], &e->hints, arena,
                                  stream_record, c, &root);
    if (r < 0 || c->failed) {
        chuanp_free(root.path);
        return -1;
    }
    if (r == 0) {
        if (!root.found)
            no_records(c, root.line, root.column, root.offset, root.path);
        chuanp_free(root.path);
        return 1;
    }
    /* forget the records seen before the stream gave up */
    chuanp_diags_truncate(&c->res->diags, &mark);
    c->res->records = records;
    c->errors = errors;
    totals_free(&c->totals);
    totals_init(&c->totals, e->totals);
    return c->totals.oom ? -1 : 0;
}

static void check_xml(record_ctx *c)
{
    const std_engine *e = c->e;
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    xmlDocPtr doc = NULL;
    chuanp_line_index idx = {0};
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    /* XSD first (streaming, the same diagnostics as --schema x.xsd) */
    if (e->xsd) {
        int x = chuanp_xml_check(e->xsd, c->in, c->res);
        if (x < 0) {
            c->failed = 1;
            goto out;
        }
        if (x > 0)
            c->errors++;
    }
    int streamed = stream_xml(c, &arena);
    if (streamed != 0) {
        if (streamed < 0)
            c->failed = 1;
        goto out;
    }
    if (chuanp_read_all(c->in, MAX_JSON_INPUT, &data, &len, &errmsg) < 0) {
        add_diag(c->res, "io.read", "cannot read %s: %s", c->in->name, errmsg ? errmsg : "?");
        c->failed = 1;
        goto out;
    }
    {
        chuan_diags pd;
        chuan_diags_init(&pd, 4);
        doc = chuanp_xml_parse_safe(data, len, c->in->name, &pd);
        int reported = 0; /* the streaming XSD check may have said it already */
        for (size_t i = 0; i < c->res->diags.count; i++)
            reported |= strcmp(c->res->diags.items[i].code, "xml.parse") == 0 ||
                        strcmp(c->res->diags.items[i].code, "xml.not-well-formed") == 0;
        if (!doc && !reported)
            chuan_diags_move(&c->res->diags, &pd);
        chuan_diags_clear(&pd);
    }
    if (!doc) {
        c->errors++;
        goto out;
    }
    if (e->sch) {
        int s = chuanp_schematron_run(e->sch, doc, c->in->name, data, len, &c->res->diags, NULL);
        if (s < 0) {
            c->failed = 1;
            goto out;
        }
        if (s > 0)
            c->errors++;
    }
    chuanp_line_index_build(&idx, doc, data, len);
    size_t found = 0;
    for (size_t p = 0; p < e->std->nxml_records && !c->failed; p++) {
        xmlNodePtr *recs = NULL;
        size_t n = chuanp_std_xml_find_records(doc, e->std->xml_records[p], &recs);
        found += n;
        for (size_t i = 0; i < n && !c->failed; i++) {
            chuanp_arena_reset(&arena);
            chuanp_jv *rec = chuanp_std_xml_record(recs[i], &e->hints, &idx, &arena);
            if (!rec) {
                c->failed = 1;
                break;
            }
            check_record(c, rec, NULL, 0, recs[i]);
        }
        chuanp_free(recs);
    }
    if (!found && !c->failed) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        long line, col;
        long long off;
        chuanp_xml_node_position(root, &idx, &line, &col, &off);
        chuanp_buf rp;
        chuanp_buf_init(&rp, 0);
        chuanp_xml_node_path(&rp, root);
        no_records(c, line, col, off, rp.data);
        chuanp_buf_free(&rp);
    }
out:
    chuanp_line_index_free(&idx);
    chuanp_arena_free(&arena);
    xmlFreeDoc(doc);
    chuanp_free(data);
    chuanp_free(errmsg);
}

static int csv_record(void *ctx, const chuanp_jv *rec, long row)
{
    record_ctx *c = ctx;
    check_record(c, rec, NULL, row, NULL);
    return c->failed ? -1 : 0;
}

static void check_csv(record_ctx *c)
{
    const std_engine *e = c->e;
    FILE *f = c->in->path ? fopen(c->in->path, "rb") : NULL;
    if (!f) {
        add_diag(c->res, "io.read", "cannot open %s", c->in->name);
        c->failed = 1;
        return;
    }
    /* the Table Schema's own checks (header, cell types and constraints) */
    int t = 0;
    if (e->ts) {
        long rows = 0;
        t = chuanp_tableschema_check_file(e->ts, f, c->in->name, &rows, &c->res->diags);
        if (t < 0) {
            c->failed = 1;
            goto out;
        }
        if (t > 0)
            c->errors++;
        rewind(f);
    }
    /* malformed rows were reported above when the Table Schema found something; when it found
     * nothing, what the records reader finds (a header that is not a column path) is new */
    chuan_diags scratch;
    chuan_diags_init(&scratch, 0);
    int r = chuanp_std_csv_records(f, c->in->name, &e->hints, csv_record, c,
                                   t > 0 ? &scratch : &c->res->diags);
    chuan_diags_clear(&scratch);
    if (r < 0)
        c->failed = 1;
    else if (r > 0)
        c->errors++;
out:
    fclose(f);
}

static int std_check(const chuanp_engine *base, const chuanp_input *in, chuanp_format fmt,
                     chuan_file_result *res)
{
    const std_engine *e = (const std_engine *)base;
    const chuanp_standard *s = e->std;
    record_ctx c = {.e = e, .in = in, .res = res};
    totals_init(&c.totals, e->totals);
    if (c.totals.oom) {
        totals_free(&c.totals);
        return -1;
    }
    int supported = (fmt == CHUANP_FMT_JSON && s->has_json) ||
                    (fmt == CHUANP_FMT_NDJSON && (s->has_ndjson || s->has_json)) ||
                    (fmt == CHUANP_FMT_XML && s->has_xml) || (fmt == CHUANP_FMT_CSV && s->has_csv);
    if (!supported) {
        add_diag(res, "standard.format", "the standard %s does not define %s payloads", s->id,
                 chuanp_format_name(fmt));
        totals_free(&c.totals);
        return -1;
    }
    chuanp_free(res->format);
    res->format = chuanp_strdup(chuanp_format_name(fmt));
    c.vs = chuanp_jsonschema_vstate_new(e->model);
    if (!c.vs) {
        totals_free(&c.totals);
        return -1;
    }
    switch (fmt) {
    case CHUANP_FMT_JSON: c.kind = LOC_JSON; check_json(&c); break;
    case CHUANP_FMT_NDJSON:
        c.kind = LOC_NDJSON;
        if (!e->totals) {
            /* per-record rules only: the JSON Schema engine streams the lines
             * (same diagnostics, its constant-memory reader) */
            int r = e->ndjson->ops->check(e->ndjson, in, fmt, res);
            if (r < 0)
                c.failed = 1;
            else if (r > 0)
                c.errors++;
            break;
        }
        check_ndjson(&c);
        break;
    case CHUANP_FMT_XML: c.kind = LOC_XML; check_xml(&c); break;
    case CHUANP_FMT_CSV: c.kind = LOC_CSV; check_csv(&c); break;
    default: break;
    }
    if (!c.failed)
        c.errors += totals_finish(&c.totals, in->name, &res->diags);
    totals_free(&c.totals);
    chuanp_jsonschema_vstate_free(c.vs);
    if (c.failed)
        return -1;
    return c.errors || res->diags.errors ? 1 : 0;
}

static void std_free(chuanp_engine *base)
{
    std_engine *e = (std_engine *)base;
    if (!e)
        return;
    chuanp_jsonschema_free(e->model);
    chuanp_column_totals_free(e->totals);
    chuanp_engine_free(e->xsd);
    chuanp_engine_free(e->ndjson);
    chuanp_schematron_free(e->sch);
    chuanp_tableschema_free(e->ts);
    chuanp_codelists_free(&e->codelists);
    chuanp_standard_free(e->std);
    chuanp_free(e->label);
    chuanp_free(e);
}

static const struct chuanp_engine_ops std_ops = {"standard", std_check, std_free};

/* The model's root object, for columnTotals. */
static int load_totals(std_engine *e, chuan_diags *d)
{
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_input in = {.name = e->std->model, .path = e->std->model};
    int rc = -1;
    chuanp_jv *root = NULL;
    chuan_diags tmp;
    chuan_diags_init(&tmp, 0);
    if (chuanp_read_all(&in, 64u << 20, &data, &len, &errmsg) == 0 &&
        chuanp_json_parse(&root, data, len, &(chuanp_json_opts){.file = e->std->model, .allow_bom = 1},
                          &arena, &tmp) == 0)
        rc = chuanp_column_totals_compile(&e->totals, root, e->std->model, d);
    chuan_diags_clear(&tmp);
    chuanp_arena_free(&arena);
    chuanp_free(data);
    chuanp_free(errmsg);
    return rc;
}

int chuanp_standard_engine_open(chuanp_engine **out, const chuanp_engine_opts *opts,
                                chuanp_standard *std, chuan_diags *d)
{
    *out = NULL;
    std_engine *e = chuanp_calloc(1, sizeof *e);
    if (!e) {
        chuanp_standard_free(std);
        return -1;
    }
    e->std = std;
    e->base.ops = &std_ops;
    e->base.opts = *opts;
    chuanp_codelists_init(&e->codelists);
    int rc = -1;
    e->label = chuanp_asprintf("%s@%s", std->id, std->version);
    e->base.label = e->label;
    long as_of = 0;
    if (opts->as_of && (as_of = chuanp_date_iso_key(opts->as_of, strlen(opts->as_of))) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "usage.as-of", .offset = -1};
        chuan_diags_addf(d, &dg, "--as-of wants a date YYYY-MM-DD, not '%s'", opts->as_of);
        goto out;
    }
    if (!e->label || chuanp_standard_codelist_dirs(std, &e->codelists) < 0)
        goto out;
    for (size_t i = 0; i < std->ncodelists; i++)
        if (!chuanp_codelists_get(&e->codelists, std->codelists[i], d))
            goto out;
    e->vctx.codelists = &e->codelists;
    e->vctx.settings = std->settings;
    e->vctx.as_of = as_of ? as_of : chuanp_date_today(); /* "today" fixed for the run */
    size_t nexts;
    const chuanp_jsonschema_ext *exts = chuanp_vocab_extensions(&nexts);
    chuanp_jsonschema_opts jo = {.draft = opts->draft, .refs = opts->refs, .nrefs = opts->nrefs,
                                 .assert_formats = opts->assert_formats, .exts = exts,
                                 .nexts = nexts, .ext_user = &e->vctx, .engine_opts = opts,
                                 .as_of = opts->as_of, .package_dir = std->dir};
    if (chuanp_jsonschema_compile_file(&e->model, std->model, &jo, d) != 0)
        goto out;
    chuanp_jsonschema_hints(e->model, &e->hints);
    if (chuanp_jsonschema_engine_wrap(&e->ndjson, opts, e->model) < 0)
        goto out;
    if (load_totals(e, d) != 0)
        goto out;
    if (std->xsd) {
        chuanp_engine_opts xo = *opts;
        xo.type = CHUANP_SCHEMA_XSD;
        xo.schema_path = std->xsd;
        xo.standard = NULL;
        xo.package_dir = std->dir;
        if (chuanp_xml_engine_new(&e->xsd, &xo, d) < 0)
            goto out;
    }
    if (std->schematron) {
        chuanp_schematron_opts so = {.codelists = &e->codelists, .as_of = as_of,
                                     .settings = std->settings, .package_dir = std->dir,
                                     .phase = opts->phase ? opts->phase : std->schematron_phase};
        if (chuanp_schematron_compile(&e->sch, std->schematron, &so, d) < 0)
            goto out;
    }
    if (std->tableschema && chuanp_tableschema_load(&e->ts, std->tableschema, d) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0) {
        std_free(&e->base);
        return -1;
    }
    *out = &e->base;
    return 0;
}

int chuanp_standard_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    *out = NULL;
    const char *spec = opts->standard ? opts->standard : opts->schema_path;
    if (!spec) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.not-found", .offset = -1,
                         .message = N_("no standard given (-s ID[@VERSION] or a path)")};
        chuan_diags_add(d, &dg);
        return -1;
    }
    char *dir = NULL;
    chuanp_standard *std = NULL;
    if (chuanp_standard_find(&dir, spec, d) < 0)
        return -1;
    int rc = chuanp_standard_load(&std, dir, d);
    chuanp_free(dir);
    if (rc != 0)
        return -1;
    return chuanp_standard_engine_open(out, opts, std, d);
}

const chuanp_standard *chuanp_standard_engine_package(const chuanp_engine *e)
{
    return e && e->ops == &std_ops ? ((const std_engine *)e)->std : NULL;
}

const chuanp_schematron *chuanp_standard_engine_schematron(const chuanp_engine *e)
{
    return e && e->ops == &std_ops ? ((const std_engine *)e)->sch : NULL;
}

const chuanp_jsonschema *chuanp_standard_engine_model(const chuanp_engine *e)
{
    return e && e->ops == &std_ops ? ((const std_engine *)e)->model : NULL;
}

const chuanp_schema_hints *chuanp_standard_engine_hints(const chuanp_engine *e)
{
    return e && e->ops == &std_ops ? &((const std_engine *)e)->hints : NULL;
}
