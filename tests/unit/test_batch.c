/* tests/unit/test_batch.c - record-aligned splitting, the ordered pipeline,
 * part files and the resume journal (batch conversion, issue 7). */
#include "unit.h"

#include "../../converters/batch.h"
#include "../../core/journal.h"
#include "../../core/pipeline.h"

#include <stdatomic.h>

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Feed `text` in blocks of `step` bytes; collect every cut (absolute). */
static size_t cuts_of(chuanp_split_kind kind, const char *text, size_t step, size_t *cuts,
                      long *lines)
{
    chuanp_splitter s;
    chuanp_splitter_init(&s, kind, ',', '"');
    size_t len = strlen(text), n = 0;
    for (size_t at = 0; at < len;) {
        size_t k = len - at < step ? len - at : step;
        /* one byte at a time inside the block, so every cut is seen */
        for (size_t i = 0; i < k; i++) {
            long c = chuanp_splitter_feed(&s, text + at + i, 1);
            if (c >= 0) {
                cuts[n] = at + i + (size_t)c;
                lines[n] = s.lines;
                n++;
            }
        }
        at += k;
    }
    return n;
}

static void test_split_ndjson_lines(void **state)
{
    (void)state;
    size_t cuts[8];
    long lines[8];
    size_t n = cuts_of(CHUANP_SPLIT_LINES, "{\"a\":1}\n\n{\"b\":\"x\\ny\"}\r\n{}", 3, cuts, lines);
    assert_int_equal(n, 3);
    assert_int_equal(cuts[0], 8);
    assert_int_equal(cuts[1], 9);
    assert_int_equal(cuts[2], 23);
    assert_int_equal(lines[2], 3);
}

static void test_split_csv_quotes(void **state)
{
    (void)state;
    /* quoted newline, "" escape, CR LF, a lone CR, a stray quote ending at its line end */
    const char *csv = "a,b\r\n1,\"x\ny\"\n2,\"q\"\"\n\"\r3,z\"w\n4,5";
    size_t cuts[16];
    long lines[16];
    size_t n = cuts_of(CHUANP_SPLIT_CSV, csv, 1, cuts, lines);
    assert_int_equal(n, 4);
    assert_int_equal(cuts[0], 5);            /* after "a,b\r\n" */
    assert_int_equal(cuts[1], 13);           /* after the quoted newline record */
    assert_int_equal(cuts[2], 22);           /* the lone CR ends "2,"q""\n"" */
    assert_int_equal(lines[2], 5);
    assert_int_equal(cuts[3], 28);           /* the stray quote record ends at its LF */
    /* the same cuts whatever the block size (last cut per block) */
    chuanp_splitter s;
    chuanp_splitter_init(&s, CHUANP_SPLIT_CSV, ',', '"');
    long c = chuanp_splitter_feed(&s, csv, strlen(csv));
    assert_int_equal(c, 28);
    assert_int_equal(s.records, 4);
}

/* Where the input is cut into pieces changes nothing: on random CSV-like
 * text (quotes where they open and close fields and where they do not,
 * doubled quotes, LF, CR LF and lone CRs inside and outside quotes, blank
 * lines), the splitter fed pieces of every size (its jumps to the next
 * quote or line end span up to a whole piece) reports the cuts, counts and
 * state of feeding it one byte at a time. The rules themselves are
 * test_split_csv_quotes'. */
static void test_split_blocks_match_bytes(void **state)
{
    (void)state;
    unsigned seed = 2026;
    char text[1500];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        size_t want = 64 + (seed >> 16) % (sizeof text - 80);
        /* rows of fields: plain, empty or quoted (with delimiters, doubled
         * quotes and line ends inside); rows end with LF, CR LF or a lone CR;
         * blank lines; in three rounds of four, a stray quote now and then */
        int noisy = round % 4 != 0, field = 0;
        while (len < want) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            static const char *const ends[] = {"\n", "\r\n", "\r\n", "\r", "\n\n", "\r\n\r\n"};
            static const char *const quoted[] = {"\"a,b\"", "\"x\"\"y\"", "\"l\nf\"", "\"c\r\nl\"",
                                                 "\"c\rr\"", "\"\"", "\"\"\"\"", "\"long quoted text, 1\""};
            static const char *const plain[] = {"abc", "", "Viet Nam", "12345", "x y", "a\"b", "q\""};
            const char *piece;
            if (field == 4 || r % 9 == 0) {
                piece = ends[r % 6];
                field = 0;
            } else {
                if (field++)
                    text[len++] = ',';
                piece = r % 3 == 0 ? quoted[(r >> 2) % 8] : plain[(r >> 2) % (noisy ? 7 : 5)];
            }
            size_t n = strlen(piece);
            if (len + n >= sizeof text)
                break;
            memcpy(text + len, piece, n);
            len += n;
        }
        chuanp_splitter one, blk;
        chuanp_splitter_init(&one, CHUANP_SPLIT_CSV, ',', '"');
        chuanp_splitter_init(&blk, CHUANP_SPLIT_CSV, ',', '"');
        size_t at = 0;
        while (at < len) {
            seed = seed * 1103515245u + 12345u;
            size_t piece = (seed >> 16) % 4 == 0 ? 1 + (seed >> 20) % 70 : 64 + (seed >> 18) % 400;
            if (piece > len - at)
                piece = len - at;
            long want_cut = -1;
            for (size_t i = 0; i < piece; i++) {
                long c = chuanp_splitter_feed(&one, text + at + i, 1);
                if (c >= 0)
                    want_cut = (long)i + c;
            }
            long got_cut = chuanp_splitter_feed(&blk, text + at, piece);
            if (got_cut != want_cut || blk.lines != one.lines || blk.lines_scan != one.lines_scan ||
                blk.records != one.records || blk.records_scan != one.records_scan ||
                blk.state != one.state || blk.prev_cr != one.prev_cr || blk.nonempty != one.nonempty)
                fail_msg("round %d, piece at %zu (+%zu): cut %ld/%ld lines %ld/%ld scan %ld/%ld "
                         "records %ld/%ld scan %ld/%ld state %d/%d cr %d/%d nonempty %d/%d",
                         round, at, piece, got_cut, want_cut, blk.lines, one.lines, blk.lines_scan,
                         one.lines_scan, blk.records, one.records, blk.records_scan, one.records_scan,
                         blk.state, one.state, blk.prev_cr, one.prev_cr, blk.nonempty, one.nonempty);
            at += piece;
        }
    }
}

static void test_split_spans(void **state)
{
    (void)state;
    const char *csv = "1,\"x\ny\"\r\n\r\n2,b\n3,c";
    size_t *st, *en;
    long n = chuanp_split_spans(CHUANP_SPLIT_CSV, ',', '"', csv, strlen(csv), &st, &en);
    assert_int_equal(n, 3);
    assert_int_equal(st[0], 0);
    assert_int_equal(en[0], 7);
    assert_int_equal(st[1], 11);
    assert_int_equal(en[1], 14);
    assert_int_equal(st[2], 15);
    assert_int_equal(en[2], 18);
    free(st);
    free(en);
    const char *nd = "{}\n  \n{\"a\":1}\r\n";
    n = chuanp_split_spans(CHUANP_SPLIT_LINES, 0, 0, nd, strlen(nd), &st, &en);
    assert_int_equal(n, 2);
    assert_int_equal(st[1], 6);
    assert_int_equal(en[1], 13);
    free(st);
    free(en);
}

typedef struct order_ctx {
    int next;
    int bad;
} order_ctx;

static int square(void *ctx, int worker, void *chunk)
{
    (void)ctx;
    (void)worker;
    int *v = chunk;
    if (*v % 7 == 0)
        usleep(200);
    *v = *v * *v;
    return 0;
}

static int in_order(void *vctx, void *chunk, int rc)
{
    order_ctx *c = vctx;
    int *v = chunk;
    if (rc != 0 || *v != c->next * c->next)
        c->bad++;
    c->next++;
    free(v);
    return 0;
}

/* emit() must never run twice at once, whichever threads call it */
static atomic_int emitting_now, emit_overlaps;

static int in_order_alone(void *vctx, void *chunk, int rc)
{
    if (atomic_fetch_add(&emitting_now, 1) != 0)
        atomic_fetch_add(&emit_overlaps, 1);
    if (*(int *)chunk % 5 == 0)
        usleep(100); /* a slow write: workers finish more chunks meanwhile */
    int r = in_order(vctx, chunk, rc);
    atomic_fetch_sub(&emitting_now, 1);
    return r;
}

static void test_pipeline_keeps_order(void **state)
{
    (void)state;
    for (int run = 0; run < 6; run++) {
        int jobs = run % 3 + 1, from_workers = run >= 3;
        order_ctx oc = {0, 0};
        atomic_store(&emit_overlaps, 0);
        chuanp_pipeline *p = chuanp_pipeline_new(jobs, 4, square, from_workers ? in_order_alone : in_order, &oc);
        assert_non_null(p);
        if (from_workers)
            chuanp_pipeline_emit_from_workers(p);
        for (int i = 0; i < 500; i++) {
            int *v = malloc(sizeof *v);
            *v = i;
            assert_int_equal(chuanp_pipeline_push(p, v), 0);
        }
        assert_int_equal(chuanp_pipeline_finish(p), 0);
        chuanp_pipeline_free(p);
        assert_int_equal(oc.next, 500);
        assert_int_equal(oc.bad, 0);
        assert_int_equal(atomic_load(&emit_overlaps), 0);
    }
}

/* An emit() that asks to stop, on a worker: push() reports it, the chunks pushed after it are
 * still handed to emit() (processed_rc 1) so they are freed, and every chunk is emitted once. */
typedef struct stop_ctx {
    atomic_int seen, dropped;
} stop_ctx;

static int stop_at_ten(void *vctx, void *chunk, int rc)
{
    stop_ctx *c = vctx;
    int v = *(int *)chunk;
    free(chunk);
    atomic_fetch_add(&c->seen, 1);
    if (rc == 1)
        atomic_fetch_add(&c->dropped, 1);
    return v == 100 ? -1 : 0; /* 10 squared */
}

static void test_pipeline_stop_from_worker(void **state)
{
    (void)state;
    stop_ctx sc;
    atomic_init(&sc.seen, 0);
    atomic_init(&sc.dropped, 0);
    chuanp_pipeline *p = chuanp_pipeline_new(2, 4, square, stop_at_ten, &sc);
    assert_non_null(p);
    chuanp_pipeline_emit_from_workers(p);
    int pushed = 0, refused = 0;
    for (int i = 0; i < 200; i++) {
        int *v = malloc(sizeof *v);
        *v = i;
        pushed++;
        if (chuanp_pipeline_push(p, v) < 0) {
            refused = 1;
            break;
        }
    }
    assert_true(chuanp_pipeline_finish(p) < 0);
    chuanp_pipeline_free(p);
    assert_true(refused);
    assert_int_equal(atomic_load(&sc.seen), pushed);
}

static void test_journal_resume(void **state)
{
    (void)state;
    char dir[] = "/tmp/chuan-unit-journal.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *out = chuanp_asprintf("%s/o.ndjson", dir), *err = NULL;
    chuanp_partfile pf;
    assert_int_equal(chuanp_partfile_open(&pf, out, NULL, NULL, -1, &err), 0);
    /* a unique part file beside the output */
    assert_non_null(strstr(pf.part, ".chuan-part."));
    char suffix[32];
    snprintf(suffix, sizeof suffix, "%s", strstr(pf.part, ".chuan-part.") + strlen(".chuan-part."));
    fputs("one\ntwo\n", pf.fp);
    chuanp_journal j;
    chuanp_journal_state js;
    chuanp_checkpoint cp = {.seq = 1, .in_offset = 10, .next_line = 3, .records = 2, .written = 2};
    assert_int_equal(chuanp_journal_open(&j, out, "job-1", 1, &js, &err), 0);
    assert_int_equal(js.found, 0);
    assert_int_equal(chuanp_journal_parts(&j, &pf, NULL, &err), 0);
    cp.out_bytes = chuanp_partfile_flush(&pf, &err);
    assert_int_equal(cp.out_bytes, 8);
    assert_int_equal(chuanp_journal_add(&j, &cp, &err), 0);
    fputs("three (never checkpointed)\n", pf.fp);
    fputs("chunk 2 99", j.fp); /* a line torn by a kill */
    chuanp_partfile_close(&pf);
    chuanp_journal_close(&j, 0);
    /* another job's journal is ignored */
    assert_int_equal(chuanp_journal_open(&j, out, "job-2", 1, &js, &err), 0);
    assert_int_equal(js.found, 0);
    chuanp_journal_close(&j, 0);
    /* rewrite job-1's journal and resume it */
    assert_int_equal(chuanp_journal_open(&j, out, "job-1", 0, &js, &err), 0);
    fprintf(j.fp, "parts %s -\n", suffix);
    assert_int_equal(chuanp_journal_add(&j, &cp, &err), 0);
    fputs("chunk 2 9", j.fp);
    chuanp_journal_close(&j, 0);
    assert_int_equal(chuanp_journal_open(&j, out, "job-1", 1, &js, &err), 0);
    assert_int_equal(js.found, 1);
    assert_int_equal(js.last.seq, 1);
    assert_int_equal(js.last.in_offset, 10);
    assert_int_equal(js.last.next_line, 3);
    assert_int_equal(js.last.out_bytes, 8);
    assert_string_equal(js.out_part, suffix);
    assert_string_equal(js.rej_part, "");
    assert_int_equal(chuanp_partfile_open(&pf, out, NULL, js.out_part, js.last.out_bytes, &err), 0);
    fputs("three\n", pf.fp);
    long long size;
    uint64_t sum;
    assert_int_equal(chuanp_partfile_flush(&pf, &err), 14);
    assert_int_equal(chuanp_file_sum(pf.part, &size, &sum), 0);
    assert_int_equal(size, 14);
    assert_int_equal(chuanp_journal_commit(&j, size, sum, -1, 0, &err), 0);
    assert_int_equal(chuanp_partfile_commit(&pf, 0, &err), 0);
    chuanp_journal_close(&j, 0);
    /* the commit line proves the output: size and checksum */
    assert_int_equal(chuanp_journal_open(&j, out, "job-1", 1, &js, &err), 0);
    assert_int_equal(js.found, 2);
    assert_int_equal(js.out_size, 14);
    assert_true(js.out_sum == sum);
    chuanp_journal_close(&j, 1);
    FILE *f = fopen(out, "r");
    char buf[64] = {0};
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf - 1, f), 14);
    fclose(f);
    assert_string_equal(buf, "one\ntwo\nthree\n");
    char *jp = chuanp_asprintf("%s.chuan-journal", out);
    assert_int_not_equal(access(jp, F_OK), 0);
    /* a part file the journal names but that is gone cannot be resumed */
    assert_int_equal(chuanp_partfile_open(&pf, out, NULL, "123-abcdef", 0, &err), -1);
    free(err);
    err = NULL;
    /* two part files of one output never share a name */
    chuanp_partfile p1, p2;
    assert_int_equal(chuanp_partfile_open(&p1, out, NULL, NULL, -1, &err), 0);
    assert_int_equal(chuanp_partfile_open(&p2, out, NULL, NULL, -1, &err), 0);
    assert_string_not_equal(p1.part, p2.part);
    chuanp_partfile_abort(&p1);
    chuanp_partfile_abort(&p2);
    /* one lock per output: a second taker is refused */
    chuanp_lock l1, l2;
    assert_int_equal(chuanp_lock_output(&l1, out, &err), 0);
    assert_int_equal(chuanp_lock_output(&l2, out, &err), -1);
    assert_non_null(strstr(err, "another chuan run"));
    free(err);
    err = NULL;
    chuanp_unlock_output(&l1);
    assert_int_equal(chuanp_lock_output(&l2, out, &err), 0);
    chuanp_unlock_output(&l2);
    unlink(out);
    assert_int_equal(rmdir(dir), 0); /* nothing left: no part, lock or journal */
    free(jp);
    free(out);
}

static void test_check_outputs(void **state)
{
    (void)state;
    char dir[] = "/tmp/chuan-unit-outputs.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *in = chuanp_asprintf("%s/in.json", dir), *hard = chuanp_asprintf("%s/hard.json", dir);
    char *sym = chuanp_asprintf("%s/sym.json", dir), *sub = chuanp_asprintf("%s/sub", dir);
    char *dotdot = chuanp_asprintf("%s/sub/../new.json", dir);
    char *fresh = chuanp_asprintf("%s/new.json", dir), *other = chuanp_asprintf("%s/o.json", dir);
    char *err = NULL;
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    fputs("{}\n", f);
    fclose(f);
    assert_int_equal(link(in, hard), 0);
    assert_int_equal(symlink(in, sym), 0);
    assert_int_equal(mkdir(sub, 0700), 0);
    const char *reads[1] = {in};
    /* the input itself, through a hard link, through a symbolic link */
    const char *outs1[1] = {in}, *outs2[1] = {hard}, *outs3[1] = {sym};
    const char *const *bad[3] = {outs1, outs2, outs3};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(chuanp_check_outputs(bad[i], 1, reads, 1, &err), -1);
        assert_non_null(strstr(err, "refusing to overwrite the input"));
        free(err);
        err = NULL;
    }
    /* two outputs that do not exist yet but name one file */
    const char *twice[2] = {fresh, dotdot};
    assert_int_equal(chuanp_check_outputs(twice, 2, reads, 1, &err), -1);
    assert_non_null(strstr(err, "same file"));
    free(err);
    err = NULL;
    /* distinct outputs, standard output, /dev/null twice: fine */
    const char *good[5] = {fresh, other, "-", "/dev/null", "/dev/null"};
    assert_int_equal(chuanp_check_outputs(good, 5, reads, 1, &err), 0);
    assert_null(err);
    unlink(sym);
    unlink(hard);
    unlink(in);
    rmdir(sub);
    rmdir(dir);
    free(in), free(hard), free(sym), free(sub), free(dotdot), free(fresh), free(other);
}

static void test_partfile_direct_and_full(void **state)
{
    (void)state;
    chuanp_partfile pf;
    char *err = NULL;
    assert_int_equal(chuanp_partfile_open(&pf, "/dev/full", NULL, NULL, -1, &err), 0);
    assert_null(pf.part);
    for (int i = 0; i < 2000; i++)
        fputs("0123456789", pf.fp);
    assert_int_equal(chuanp_partfile_commit(&pf, 0, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, "No space left"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_ndjson_lines),
        cmocka_unit_test(test_split_csv_quotes),
        cmocka_unit_test(test_split_blocks_match_bytes),
        cmocka_unit_test(test_split_spans),
        cmocka_unit_test(test_pipeline_keeps_order),
        cmocka_unit_test(test_pipeline_stop_from_worker),
        cmocka_unit_test(test_journal_resume),
        cmocka_unit_test(test_partfile_direct_and_full),
        cmocka_unit_test(test_check_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
