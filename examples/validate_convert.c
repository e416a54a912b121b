/*
 * examples/validate_convert.c - libchuan from C: validate a payload against
 * a standard package, then convert it through the same package (its forms
 * shape the output; records that fail its rules are rejected).
 *
 *   cc validate_convert.c $(pkg-config --cflags --libs chuan) -o validate_convert
 *   ./validate_convert hotich payload.json csv
 *
 * Prints the verdict and every diagnostic (file:line:col: severity: code:
 * message (at PATH)), then the payload converted to the format named by the
 * third argument on standard output, then the rejected records (one NDJSON
 * line each: what `chuan convert -s STANDARD --rejects F` writes). Exit
 * status as the CLI's: 0 valid, 1 invalid, 2 could not check or convert.
 */
#include <chuan.h>

#include <stdio.h>
#include <string.h>

static int to_stdout(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* Rejects: kept in memory here, printed after the output. */
typedef struct text {
    char buf[65536];
    size_t len;
} text;

static int to_text(void *ctx, const void *data, size_t len)
{
    text *t = ctx;
    if (len > sizeof t->buf - t->len)
        return -1; /* too much for this example: the conversion fails (exit 2) */
    memcpy(t->buf + t->len, data, len);
    t->len += len;
    return 0;
}

static void print_diags(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        const chuan_diag *g = &d->items[i];
        const char *sev = g->severity == CHUAN_SEV_ERROR     ? "error"
                          : g->severity == CHUAN_SEV_WARNING ? "warning"
                                                             : "info";
        printf("%s:%ld:%ld: %s: %s: %s", g->file ? g->file : "-", g->line, g->column, sev,
               g->code ? g->code : "", g->message ? g->message : "");
        if (g->path)
            printf(" (at %s)", g->path);
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s STANDARD PAYLOAD FORMAT\n", argv[0]);
        return 2;
    }
    chuan_diags errors;
    chuan_diags_init(&errors, 0);

    chuan_validator_opts vo = {.standard = argv[1]};
    chuan_validator *v = chuan_validator_new(&vo, &errors);
    if (!v) {
        print_diags(&errors);
        chuan_diags_clear(&errors);
        return 2;
    }
    chuan_file_result res;
    int rc = chuan_validate_file(v, argv[2], NULL, &res);
    printf("%s: %s (%s, %s)\n", argv[2],
           rc == 0 ? "valid" : rc > 0 ? "invalid" : "not checked", res.format ? res.format : "?",
           res.standard ? res.standard : "-");
    print_diags(&res.diags);
    chuan_file_result_clear(&res);
    chuan_validator_free(v);
    if (rc < 0)
        return 2;

    chuan_converter_opts co = {.to = argv[3], .standard = argv[1]};
    chuan_converter *c = chuan_converter_new(&co, &errors);
    if (!c) {
        print_diags(&errors);
        chuan_diags_clear(&errors);
        return 2;
    }
    chuan_diags diags;
    chuan_diags_init(&diags, 0);
    static text rejects;
    chuan_convert_job job = {.path = argv[2], .out = to_stdout, .rejects = to_text,
                             .rejects_ctx = &rejects};
    int crc = chuan_convert(c, &job, &diags);
    printf("records read: %ld, converted: %ld, rejected: %ld\n", job.records, job.written,
           job.rejected);
    fwrite(rejects.buf, 1, rejects.len, stdout);
    chuan_diags_clear(&diags);
    chuan_converter_free(c);
    chuan_diags_clear(&errors);
    if (fflush(stdout) != 0)
        return 2;
    return crc < 0 ? 2 : (rc > 0 || crc > 0) ? 1 : 0;
}
