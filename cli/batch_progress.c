/* cli/batch_progress.c - the progress line of a batch conversion (standard
 * error, only on a terminal unless --progress) and the closing summary. */
#include "convert_batch.h"

#include <string.h>

void chuanp_batch_print_diag(FILE *err, const chuan_diag *g)
{
    const char *sev = g->severity == CHUAN_SEV_ERROR ? "error"
                      : g->severity == CHUAN_SEV_WARNING ? "warning" : "note";
    fprintf(err, "%s", g->file ? g->file : "-");
    if (g->line > 0)
        fprintf(err, ":%ld", g->line);
    if (g->line > 0 && g->column > 0)
        fprintf(err, ":%ld", g->column);
    fprintf(err, ": %s: %s: %s", sev, g->code ? g->code : "convert", chuanp_diag_message(g));
    if (g->path && *g->path) {
        fputs(_(" [at "), err);
        for (const unsigned char *p = (const unsigned char *)g->path; *p; p++)
            if (*p < 0x20 || *p == 0x7F)
                fprintf(err, "\\x%02X", *p);
            else
                fputc(*p, err);
        fputc(']', err);
    }
    fputc('\n', err);
}

void chuanp_batch_progress_clear(brun *run)
{
    chuanp_progress_clear(&run->progress);
}

void chuanp_batch_progress(brun *run, int force)
{
    chuanp_progress_counts c = {.files_done = run->files_done, .files = run->n,
                                .records = run->records, .bad = run->rejected,
                                .bad_label = N_("rejected"), .bytes_done = run->bytes_done,
                                .bytes_total = run->bytes_total};
    chuanp_progress_draw(&run->progress, force, &c);
}

void chuanp_batch_summary(brun *run, int records_line)
{
    size_t converted = 0, partly = 0, failed = 0, skipped = 0;
    long records = 0, written = 0, rejected = 0;
    size_t case_words = 0;
    long deleted = 0;
    long per_enc[CHUANP_ENC_COUNT];
    memset(per_enc, 0, sizeof per_enc);
    for (size_t i = 0; i < run->n; i++) {
        const bfile *f = &run->files[i];
        if (f->skipped) {
            skipped++;
            continue;
        }
        records += f->records;
        written += f->written;
        rejected += f->rejected;
        case_words += f->case_words;
        deleted += f->deleted;
        if (f->rc == 2)
            failed++;
        else if (f->rc == 1)
            partly++;
        else
            converted++;
        if (f->enc > CHUANP_ENC_NONE && f->enc < CHUANP_ENC_COUNT)
            per_enc[f->enc]++;
    }
    FILE *err = run->cli->err;
    if (run->n > 1 || skipped) {
        fprintf(err, _("%zu converted, %zu not converted, %zu failed, "), converted, partly, failed);
        if (skipped)
            fprintf(err, _("%zu skipped (--resume: output already there), "), skipped);
        fprintf(err, _("%zu files\n"), run->n);
    }
    if (!records_line && !deleted)
        return;
    fprintf(err, chuanp_plural(records, N_("%ld record: %ld converted, %ld rejected"),
                               N_("%ld records: %ld converted, %ld rejected")),
            records, written, rejected);
    const char *sep = _("; encodings: ");
    for (int e = 0; e < CHUANP_ENC_COUNT; e++)
        if (per_enc[e]) {
            fprintf(err, "%s%s %ld", sep, chuanp_enc_name((chuanp_enc)e), per_enc[e]);
            sep = ", ";
        }
    if (case_words)
        fprintf(err, chuanp_plural((long)case_words, N_("; %zu word with inferred TCVN3 case"),
                                   N_("; %zu words with inferred TCVN3 case")),
                case_words);
    if (deleted)
        fprintf(err, chuanp_plural(deleted, N_("; %ld deleted record skipped"),
                                   N_("; %ld deleted records skipped")),
                deleted);
    fputc('\n', err);
}
