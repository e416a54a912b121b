/* libFuzzer target: the MDB/ACCDB front end (converters/table_mdb.c), which
 * runs mdbtools' mdb-tables and mdb-json as child processes.
 *
 * Input: the database file's bytes (written as t.mdb). What mdbtools does
 * with a corrupt file is the child's business (it may fail, crash or print
 * anything); the properties are chuan's:
 *   - open returns 0, 1 or -1; a failure leaves a diagnostic;
 *   - reading the stream to its end and closing it never crashes, leaks or
 *     hangs, and leaves no exited child unreaped (no zombie);
 *   - a child that fails is reported (mdb.read), never taken as an empty
 *     table in silence.
 * Each input costs two fork+exec: run it on its corpus, not for long. */
#define _GNU_SOURCE
#include "table.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void need_at(int ok, int line)
{
    if (!ok) {
        fprintf(stderr, "fuzz_mdb: property at line %d violated\n", line);
        abort();
    }
}
#define need(ok) need_at((ok) != 0, __LINE__)

static void cleanup(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/t.mdb", dir);
    unlink(p);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/chuan-fuzz-mdb.XXXXXX");
        need(mkdtemp(dir) != NULL);
        atexit(cleanup);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/t.mdb", dir);
    FILE *w = fopen(path, "wb");
    need(w && (size == 0 || fwrite(data, 1, size, w) == size) && fclose(w) == 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *s = NULL;
    int rc = chuanp_table_open(&s, path, NULL, "fuzz", CHUANP_FMT_MDB, NULL, NULL, 0, &d);
    need(rc == 0 || rc == 1 || rc == -1);
    need((rc == 0) == (s != NULL));
    need(rc == 0 || d.errors > 0);
    if (s) {
        char buf[4096];
        size_t total = 0, k;
        while ((k = fread(buf, 1, sizeof buf, s)) > 0)
            total += k;
        int failed = 0, noted = 0;
        for (size_t i = 0; i < d.count; i++) {
            failed += d.items[i].code && strcmp(d.items[i].code, "mdb.read") == 0;
            noted += d.items[i].code && strcmp(d.items[i].code, "mdb.table") == 0;
        }
        need(failed + noted == 1); /* the child's end is always said, one way or the other */
        fclose(s);
        (void)total;
    }
    /* no child left unreaped (a zombie); children alive may be the sanitizer's symbolizer */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int wr = waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT);
    need(wr == -1 ? errno == ECHILD : si.si_pid == 0);
    chuan_diags_clear(&d);
    return 0;
}
