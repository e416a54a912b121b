/* libFuzzer target: whole `chuan_main` invocations on a temporary file.
 *
 * Input: byte 0 picks a command line from the table below, the rest is the
 * payload, written to a fresh file in a scratch folder (with the extension
 * the row names). In a row, @IN is the payload's path, @OUT an output path in
 * the scratch folder, @ a path under the repository (found from
 * /proc/self/exe: build-fuzz/fuzz_cli -> ..). Every row runs with -j 1 where
 * the verb has it (no threads) and writes its outputs into the scratch
 * folder, which is emptied after each run.
 *
 * Some rows name the payload as the output too: it must stay untouched. The
 * "-" rows give the payload on standard input, a pipe (convert peeks 64 KiB
 * and replays it, validate spools it to a temporary file).
 *
 * Properties (abort() on violation): no crash or leak (ASan/UBSan/LSan); the
 * exit code is 0, 1 or 2; the payload file is never modified; no
 * temporary or partial output (*.chuan-tmp*, *.chuan-part*) is left behind;
 * what a run wrote to @OUT (and @OUT.rej) is valid UTF-8. */
#define _GNU_SOURCE
#include "chuan.h"
#include "core.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

typedef struct row {
    const char *ext;     /* the payload's file name: "in" + ext */
    const char *argv[16];
} row;

/* validate with and without --schema on fixtures, convert to every format,
 * --mapping, --record, -s with a bundled standard, encoding detect; a few
 * rows put the payload in the schema's place. */
static const row rows[] = {
    {".xml", {"validate", "-j", "1", "@IN"}},
    {".xml", {"validate", "-j", "1", "--schema", "@fixtures/xml/person.xsd", "@IN"}},
    {".xml", {"validate", "-j", "1", "--schema", "@fixtures/xml/person.rng", "@IN"}},
    {".json", {"validate", "-j", "1", "--schema", "@fixtures/jsonschema/hoso.schema.json", "@IN"}},
    {".ndjson", {"validate", "-j", "1", "-r", "json", "--schema", "@fixtures/jsonschema/hoso.schema.json", "@IN"}},
    {".csv", {"validate", "-j", "1", "--schema", "@fixtures/csv/hoso.tableschema.json", "@IN"}},
    {".xml", {"validate", "-j", "1", "-s", "@standards/dvc-hoso", "@IN"}},
    {".json", {"validate", "-j", "1", "-s", "@standards/dvc-hoso", "@IN"}},
    {".csv", {"validate", "-j", "1", "-s", "@standards/dvc-hoso", "@IN"}},
    {".xml", {"validate", "-j", "1", "-s", "@standards/edxml", "-r", "sarif", "@IN"}},
    {".json", {"validate", "-j", "1", "--schema", "@IN", "@fixtures/jsonschema/hoso-valid.json"}},
    {".xsd", {"validate", "-j", "1", "--schema", "@IN", "@fixtures/xml/person-valid.xml"}},
    {".rng", {"validate", "-j", "1", "--schema", "@IN", "@fixtures/xml/person-valid.xml"}},
    {".json", {"validate", "-j", "1", "--schema", "@IN", "@fixtures/csv/hoso.csv"}},
    {"", {"validate", "-j", "1", "-o", "@OUT", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "json", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "json", "--mapping", "jsonml", "-o", "@OUT", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "json", "--mapping", "w3c", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "--record", "/DanhSachHoSo/HoSo", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "csv", "--record", "/DanhSachHoSo/HoSo", "-o", "@OUT", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "-s", "@standards/dvc-hoso", "@IN"}},
    {".xml", {"convert", "-j", "1", "--no-progress", "--to", "json", "--schema", "@fixtures/convert/schema/hoso.xsd", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "xml", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "xml", "--mapping", "jsonml", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "xml", "--mapping", "w3c", "-o", "@OUT", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "csv", "-o", "@OUT", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "@IN"}},
    {".ndjson", {"convert", "-j", "1", "--no-progress", "--to", "csv", "-o", "@OUT", "@IN"}},
    {".ndjson", {"convert", "-j", "1", "--no-progress", "--to", "xml", "--record", "/DanhSachHoSo/HoSo",
                 "--schema", "@fixtures/convert/schema/hoso.xsd", "@IN"}},
    {".ndjson", {"convert", "-j", "1", "--no-progress", "--to", "json", "--rejects", "@OUT.rej", "-o", "@OUT", "@IN"}},
    {".csv", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "@IN"}},
    {".csv", {"convert", "-j", "1", "--no-progress", "--to", "xml", "--rejects", "@OUT.rej", "-o", "@OUT", "@IN"}},
    {".csv", {"convert", "-j", "1", "--no-progress", "--to", "json", "--schema", "@fixtures/csv/hoso.tableschema.json", "@IN"}},
    {"", {"convert", "-j", "1", "--no-progress", "--to", "json", "@IN"}},
    {"", {"convert", "-j", "1", "--no-progress", "--to", "csv", "--encoding", "tcvn3", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "xml", "--schema", "@IN", "@fixtures/jsonschema/hoso-valid.json"}},
    {"", {"encoding", "detect", "@IN"}},
    {"", {"encoding", "detect", "-r", "json", "@IN"}},
    /* an output that is the input: refused, the input untouched */
    {".json", {"validate", "-j", "1", "-o", "@IN", "@IN"}},
    {".json", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "-o", "@IN", "@IN"}},
    /* standard input ("-" rows): a pipe, so convert peeks and replays, validate spools */
    {"-", {"validate", "-j", "1", "-"}},
    {"-", {"validate", "-j", "1", "--schema", "@fixtures/jsonschema/hoso.schema.json", "-"}},
    {"-", {"convert", "-j", "1", "--no-progress", "--to", "json", "-"}},
    {"-", {"convert", "-j", "1", "--no-progress", "--to", "ndjson", "--from", "csv", "-o", "@OUT", "-"}},
    {"-", {"convert", "-j", "1", "--no-progress", "--to", "csv", "--from", "ndjson", "-o", "@OUT", "-"}},
};
#define NROWS (sizeof rows / sizeof *rows)

static char root[PATH_MAX], dir[64];
static FILE *devnull_out, *devnull_err;

static void sweep(void);

/* At exit: the scratch folder goes (a crash leaves it for inspection). */
static void remove_scratch(void)
{
    sweep();
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        abort();
    exe[n] = '\0';
    for (int up = 0; up < 2; up++) { /* build-fuzz/fuzz_cli -> the repository */
        char *slash = strrchr(exe, '/');
        if (!slash)
            abort();
        *slash = '\0';
    }
    snprintf(root, sizeof root, "%s", exe);
    snprintf(dir, sizeof dir, "/tmp/chuan-fuzz-cli.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(remove_scratch);
    devnull_out = fopen("/dev/null", "w");
    devnull_err = getenv("CHUAN_FUZZ_VERBOSE") ? stderr : fopen("/dev/null", "w");
    if (!devnull_out || !devnull_err)
        abort();
    return 0;
}

/* Standard input becomes a pipe holding the payload (written whole, the
 * write end closed: no thread needed). Returns -1 when it does not fit. */
static int stdin_pipe(const uint8_t *p, size_t n)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    if (n > 65536 && (fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) < 0 ||
                      (size_t)fcntl(fds[1], F_GETPIPE_SZ) < n)) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    for (size_t off = 0; off < n;) {
        ssize_t k = write(fds[1], p + off, n - off);
        if (k <= 0)
            abort();
        off += (size_t)k;
    }
    close(fds[1]);
    fclose(stdin); /* glibc: stdin is assignable; the old stream and fd 0 go */
    if (dup2(fds[0], 0) != 0)
        abort();
    close(fds[0]);
    if (!(stdin = fdopen(0, "rb")))
        abort();
    return 0;
}

/* An output, when the run wrote one, is valid UTF-8 (a reader can take
 * it back). */
static void utf8_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    for (;;) {
        if (n + 65536 > cap) {
            cap = (n + 65536) * 2;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        if ((k = fread(buf + n, 1, 65536, f)) == 0)
            break;
        n += k;
    }
    fclose(f);
    long long at = chuanp_utf8_invalid_at(buf, n);
    if (at >= 0) {
        fprintf(stderr, "fuzz_cli: %s: invalid UTF-8 at byte %lld\n", path, at);
        abort();
    }
    free(buf);
}

/* Empty the scratch folder; abort when a run left a temporary behind. */
static void sweep(void)
{
    DIR *dp = opendir(dir);
    if (!dp)
        abort();
    struct dirent *e;
    int leftover = 0;
    while ((e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strstr(e->d_name, ".chuan-tmp") || strstr(e->d_name, ".chuan-part")) {
            fprintf(stderr, "fuzz_cli: left behind: %s\n", e->d_name);
            leftover = 1;
        }
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) != 0)
            abort();
    }
    closedir(dp);
    if (leftover)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const row *r = &rows[data[0] % NROWS];
    const uint8_t *payload = data + 1;
    size_t len = size - 1;
    char in[PATH_MAX], out[PATH_MAX];
    int use_stdin = strcmp(r->ext, "-") == 0;
    snprintf(in, sizeof in, use_stdin ? "-" : "%s/in%s", dir, r->ext);
    snprintf(out, sizeof out, "%s/out", dir);
    if (use_stdin) {
        if (stdin_pipe(payload, len) != 0)
            return 0; /* larger than a pipe holds: not this row */
    } else {
        FILE *w = fopen(in, "wb");
        if (!w || fwrite(payload, 1, len, w) != len || fclose(w) != 0)
            abort();
    }

    char args[16][PATH_MAX];
    const char *argv[18];
    int argc = 0;
    argv[argc++] = "chuan";
    for (int i = 0; r->argv[i]; i++) {
        const char *a = r->argv[i];
        if (strncmp(a, "@IN", 3) == 0)
            snprintf(args[i], sizeof args[i], "%s%s", in, a + 3);
        else if (strncmp(a, "@OUT", 4) == 0)
            snprintf(args[i], sizeof args[i], "%s%s", out, a + 4);
        else if (a[0] == '@')
            snprintf(args[i], sizeof args[i], "%s/%s", root, a + 1);
        else
            snprintf(args[i], sizeof args[i], "%s", a);
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;

    int rc = chuan_main(argc, argv, devnull_out, devnull_err);
    if (rc != 0 && rc != 1 && rc != 2) {
        fprintf(stderr, "fuzz_cli: row %u exited %d\n", (unsigned)(data[0] % NROWS), rc);
        abort();
    }

    if (use_stdin)
        goto outputs;
    /* the input is never overwritten */
    FILE *c = fopen(in, "rb");
    if (!c)
        abort();
    struct stat st;
    if (fstat(fileno(c), &st) != 0 || (size_t)st.st_size != len)
        abort();
    char buf[65536];
    size_t off = 0, n;
    while ((n = fread(buf, 1, sizeof buf, c)) > 0) {
        if (off + n > len || memcmp(buf, payload + off, n) != 0)
            abort();
        off += n;
    }
    fclose(c);
    if (off != len)
        abort();
outputs:
    utf8_file(out);
    char rej[PATH_MAX];
    snprintf(rej, sizeof rej, "%s.rej", out);
    utf8_file(rej);
    sweep();
    return 0;
}
