/* validator/standard_csv.c - CSV rows of a standard payload as records of the model: columns
 * unflattened (A.B -> {"A": {"B": ...}}), cells typed by the model (numbers and booleans only
 * when the text is one), every value with its cell's line:column. */
#include "../converters/csv.h"
#include "standard_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct cell_ctx {
    const chuanp_csv_row *row;
    const chuanp_flat_tree *tree;
    const chuanp_schema_hints *hints;
} cell_ctx;

static chuanp_jv *cell(void *ctx, size_t column, chuanp_arena *a)
{
    cell_ctx *c = ctx;
    if (column >= c->row->count)
        return NULL;
    const chuanp_csv_field *f = &c->row->fields[column];
    if (f->len == 0)
        return NULL; /* an empty cell is a missing value */
    chuanp_hint h = {0};
    size_t depth = 0;
    const char *const *path = chuanp_flat_tree_path(c->tree, column, &depth);
    if (c->hints && c->hints->lookup && path)
        c->hints->lookup(c->hints->ctx, path, depth, &h);
    chuanp_jv *v;
    if ((h.type == CHUANP_HINT_INTEGER || h.type == CHUANP_HINT_NUMBER) &&
        chuanp_json_num_valid(f->text, f->len))
        v = chuanp_jv_number(a, f->text, f->len);
    else if (h.type == CHUANP_HINT_BOOLEAN && (strcmp(f->text, "true") == 0 || strcmp(f->text, "false") == 0))
        v = chuanp_jv_bool(a, f->text[0] == 't');
    else
        v = chuanp_jv_string(a, f->text, f->len);
    if (v) {
        v->line = f->line > 0 ? (uint32_t)f->line : 0;
        v->column = f->column > 0 ? (uint32_t)f->column : 0;
        v->offset = (uint64_t)(c->row->offset + (long long)f->raw_start);
    }
    return v;
}

int chuanp_std_csv_records(FILE *in, const char *file, const chuanp_schema_hints *hints,
                           chuanp_std_record_fn fn, void *ctx, chuan_diags *d)
{
    chuanp_csv_parser_opts po = {.file = file};
    chuanp_csv_parser *p = chuanp_csv_parser_new(in, &po);
    chuanp_flat_tree *tree = NULL;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    char **names = NULL;
    size_t nnames = 0;
    int rc = 0;
    if (!p)
        return -1;
    for (;;) {
        chuanp_csv_row row;
        int r = chuanp_csv_next(p, &row, d);
        if (r == 0)
            break;
        if (r < 0) {
            rc = rc ? rc : 1;
            break;
        }
        if (r == 2) {
            rc = 1;
            continue;
        }
        if (!tree) {
            names = chuanp_calloc(row.count ? row.count : 1, sizeof *names);
            if (!names) {
                rc = -1;
                break;
            }
            for (size_t i = 0; i < row.count; i++) {
                char *nfc = NULL;
                size_t nl = 0;
                if (chuanp_nfc(row.fields[i].text, row.fields[i].len, &nfc, &nl) == 0 && nfc)
                    names[i] = nfc;
                else
                    names[i] = chuanp_strndup(row.fields[i].text, row.fields[i].len);
                if (!names[i])
                    break;
                nnames++;
            }
            if (nnames < row.count) {
                rc = -1; /* out of memory */
                break;
            }
            int t = chuanp_flat_tree_new(&tree, (const char *const *)names, nnames, ".", 0, file, d);
            if (t != 0) {
                rc = t < 0 ? -1 : 1;
                break;
            }
            continue;
        }
        chuanp_csv_row_columns(&row);
        chuanp_arena_reset(&arena);
        cell_ctx cc = {.row = &row, .tree = tree, .hints = hints};
        chuanp_jv *rec = chuanp_flat_tree_build(tree, cell, &cc, &arena);
        if (!rec) {
            rc = -1;
            break;
        }
        rec->line = (uint32_t)row.line;
        rec->column = 1;
        rec->offset = (uint64_t)row.offset;
        chuanp_flat_prune(rec, NULL, 0);
        int f = fn(ctx, rec, row.record);
        if (f < 0) {
            rc = -1;
            break;
        }
    }
    for (size_t i = 0; i < nnames; i++)
        chuanp_free(names[i]);
    chuanp_free(names);
    chuanp_flat_tree_free(tree);
    chuanp_csv_parser_free(p);
    chuanp_arena_free(&arena);
    return rc;
}
