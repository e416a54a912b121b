/* converters/batch_summary.c - the closing summary of a conversion run
 * (converters/batch_run.h). */
#include "batch_run.h"

#include <string.h>

void chuanp_batch_summary(FILE *err, const chuanp_batch_run *run, int records_line)
{
    size_t converted = 0, partly = 0, failed = 0, skipped = 0;
    long records = 0, written = 0, rejected = 0;
    size_t case_words = 0;
    long deleted = 0;
    long per_enc[CHUANP_ENC_COUNT];
    memset(per_enc, 0, sizeof per_enc);
    for (size_t i = 0; i < run->n; i++) {
        const chuanp_batch_file *f = &run->files[i];
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
