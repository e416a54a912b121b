/* libFuzzer target: the DBF reader (converters/table_dbf*.c) and its NDJSON
 * front end (converters/table_input.c).
 *
 * Input: byte 0 = memo knob, byte 1 = encoding knob, then the memo file's
 * bytes (knob * 32 of them, fewer when the input is shorter), then the table.
 * The table is written as t.dbf, the memo bytes as T.DBT and t.fpt beside it
 * (the reader picks the one its version byte names, matching case).
 *
 * Properties (abort() on violation):
 *   - no crash, no over-read, no leak, no hang (every length and block number
 *     read from the file is checked against the file's size);
 *   - open returns 0, 1 or -1; next returns 0, 1, 2, 3 or -1, and 0/3/-1 once
 *     are final (the next call gives 0);
 *   - every live record is one JSON object that chuan's JSON reader parses
 *     without an error, with exactly the table's visible fields as members;
 *   - live + deleted records never exceed the header's record count, and the
 *     `dbf.deleted` note says the deleted count the reader skipped;
 *   - the NDJSON stream of the same table has one line per record read
 *     (deleted ones empty) and is valid UTF-8. */
#define _GNU_SOURCE
#include "table_dbf.h"
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void need(int ok)
{
    if (!ok)
        abort();
}

static void cleanup(void)
{
    char p[128];
    const char *names[] = {"t.dbf", "T.DBT", "t.fpt"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void put(const char *name, const uint8_t *s, size_t n)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *w = fopen(p, "wb");
    need(w && (n == 0 || fwrite(s, 1, n, w) == n) && fclose(w) == 0);
}

static const char *const encodings[] = {NULL, "auto", "tcvn3", "vni", "utf-8", "cp1258", "vps",
                                        "viscii"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/chuan-fuzz-dbf.XXXXXX");
        need(mkdtemp(dir) != NULL);
        atexit(cleanup);
    }
    size_t memo = (size_t)data[0] * 32;
    if (memo > size - 2)
        memo = size - 2;
    const char *encoding = encodings[data[1] & 7];
    put("T.DBT", data + 2, memo);
    put("t.fpt", data + 2, memo);
    put("t.dbf", data + 2 + memo, size - 2 - memo);
    char path[128];
    snprintf(path, sizeof path, "%s/t.dbf", dir);

    /* the reader itself */
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *f = fopen(path, "rb");
    need(f != NULL);
    chuanp_dbf *t = NULL;
    int rc = chuanp_dbf_open(&t, f, path, "fuzz", encoding, &d);
    need(rc == 0 || rc == 1 || rc == -1);
    need((rc == 0) == (t != NULL));
    long lines = 0;
    if (t) {
        size_t visible = 0;
        for (size_t i = 0; i < t->nfields; i++)
            visible += !t->fields[i].hidden;
        chuanp_buf line;
        chuanp_buf_init(&line, 0);
        chuanp_arena arena;
        chuanp_arena_init(&arena, 0);
        unsigned long live = 0, deleted = 0;
        int r;
        while ((r = chuanp_dbf_next(t, &line)) == 1 || r == 2) {
            lines++;
            if (r == 2) {
                need(line.len == 0);
                deleted++;
                continue;
            }
            live++;
            chuanp_jv *v = NULL;
            chuan_diags jd;
            chuan_diags_init(&jd, 0);
            int pr = chuanp_json_parse(&v, line.data, line.len, NULL, &arena, &jd);
            /* duplicate field names are the table's, reported by the JSON reader */
            need(pr == 0 || (pr > 0 && v != NULL));
            need(v && v->type == CHUANP_JOBJECT && v->u.obj.count == visible);
            chuan_diags_clear(&jd);
            chuanp_arena_reset(&arena);
            chuanp_buf_reset(&line);
        }
        need(r == 0 || r == 3 || r == -1);
        need(chuanp_dbf_next(t, &line) == 0);
        need(live + deleted <= t->nrec);
        need(live == t->live && deleted == t->deleted);
        chuanp_arena_free(&arena);
        chuanp_buf_free(&line);
        chuanp_dbf_close(t);
    }
    fclose(f);
    chuan_diags_clear(&d);

    /* the NDJSON stream over the same file */
    chuan_diags_init(&d, 0);
    FILE *s = NULL;
    int sr = chuanp_table_open(&s, path, NULL, "fuzz", CHUANP_FMT_DBF, encoding, NULL, 0, &d);
    need(sr == 0 || sr == 1 || sr == -1);
    need(sr == rc || sr == -1 || rc == -1);
    if (s) {
        chuanp_buf all;
        chuanp_buf_init(&all, 0);
        char buf[4096];
        size_t k;
        while ((k = fread(buf, 1, sizeof buf, s)) > 0)
            chuanp_buf_append(&all, buf, k);
        long nl = 0;
        for (size_t i = 0; i < all.len; i++)
            nl += all.data[i] == '\n';
        need(ferror(s) || nl == lines);
        need(all.len == 0 || chuanp_utf8_invalid_at(all.data, all.len) < 0);
        chuanp_buf_free(&all);
        fclose(s);
    }
    chuan_diags_clear(&d);
    return 0;
}
