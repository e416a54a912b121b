/* converters/batch_split.c - record boundaries in NDJSON and CSV byte
 * streams, mirroring the readers' rules (see converters/batch.h). */
#include "batch.h"
#include "csv.h"

#include <stdlib.h>
#include <string.h>

enum { ST_START = 0, ST_UNQ, ST_QUOTED, ST_AFTERQ, ST_SKIP, ST_CR };

void chuanp_splitter_init(chuanp_splitter *s, chuanp_split_kind kind, char delimiter, char quote)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->delimiter = delimiter ? delimiter : ',';
    s->quote = quote ? quote : '"';
}

/* One CSV byte. Returns 1 when a record ends after it, 2 when one ended
 * just before it (a lone CR), 0 otherwise. */
static inline int csv_step(int *state, unsigned char b, unsigned char dl, unsigned char q)
{
    int ended = 0;
    if (*state == ST_CR) {
        *state = ST_START;
        if (b == '\n')
            return 1;
        ended = 2;
    }
    switch (*state) {
    case ST_START:
    case ST_UNQ:
        if (b == '\n') {
            *state = ST_START;
            return 1;
        }
        if (b == '\r') {
            *state = ST_CR;
            return ended;
        }
        if (b == dl)
            *state = ST_START;
        else if (b == q)
            *state = *state == ST_START ? ST_QUOTED : ST_SKIP;
        else
            *state = ST_UNQ;
        return ended;
    case ST_QUOTED:
        if (b == q)
            *state = ST_AFTERQ;
        return ended;
    case ST_AFTERQ:
        if (b == '\n') {
            *state = ST_START;
            return 1;
        }
        if (b == '\r')
            *state = ST_CR;
        else if (b == q)
            *state = ST_QUOTED;
        else if (b == dl)
            *state = ST_START;
        else
            *state = ST_SKIP;
        return ended;
    case ST_SKIP:
        if (b == '\n') {
            *state = ST_START;
            return 1;
        }
        if (b == '\r')
            *state = ST_CR;
        return ended;
    }
    return ended;
}

long chuanp_splitter_feed(chuanp_splitter *s, const char *data, size_t len)
{
    long cut = -1;
    const unsigned char *p = (const unsigned char *)data;
    if (s->kind == CHUANP_SPLIT_LINES) {
        for (const unsigned char *q = p; (q = memchr(q, '\n', len - (size_t)(q - p))) != NULL; q++) {
            s->lines_scan++;
            cut = (long)(q - p) + 1;
            s->lines = s->lines_scan;
        }
        return cut;
    }
    const unsigned char dl = (unsigned char)s->delimiter, q = (unsigned char)s->quote;
    for (size_t i = 0; i < len; i++) {
        /* fast path: jump to the next quote or line end. Inside quotes
         * nothing else matters; outside, a delimiter only decides whether a
         * quote after it opens a quoted field, which the byte before that
         * quote tells. */
        if (!s->prev_cr && (s->state == ST_START || s->state == ST_UNQ || s->state == ST_QUOTED)) {
            int high = 0;
            size_t j = chuanp_csv_scan4(data, i, len, q, q, '\n', '\r', &high);
            if (j > i) {
                if (s->state != ST_QUOTED) {
                    s->state = p[j - 1] == dl ? ST_START : ST_UNQ;
                    s->nonempty = 1;
                }
                if (j == len)
                    break;
                i = j;
            }
        }
        unsigned char b = p[i];
        if (s->prev_cr && b != '\n')
            s->lines_scan++;
        if (b == '\n')
            s->lines_scan++;
        s->prev_cr = b == '\r';
        int e = csv_step(&s->state, b, dl, q);
        if (e) {
            s->records_scan += s->nonempty;
            s->nonempty = 0;
            s->records = s->records_scan;
            s->lines = s->lines_scan; /* a lone CR was counted just above */
            cut = e == 1 ? (long)i + 1 : (long)i;
        }
        if (e != 1 && b != '\n' && b != '\r')
            s->nonempty = 1;
    }
    return cut;
}

static int blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static int push_span(size_t **st, size_t **en, size_t *count, size_t *cap, size_t a, size_t b)
{
    if (*count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 256;
        size_t *ns = chuanp_realloc(*st, ncap * sizeof *ns);
        if (!ns)
            return -1;
        *st = ns;
        size_t *ne = chuanp_realloc(*en, ncap * sizeof *ne);
        if (!ne)
            return -1;
        *en = ne;
        *cap = ncap;
    }
    (*st)[*count] = a;
    (*en)[*count] = b;
    (*count)++;
    return 0;
}

long chuanp_split_spans(chuanp_split_kind kind, char delimiter, char quote, const char *data,
                        size_t len, size_t **starts, size_t **ends)
{
    size_t count = 0, cap = 0, rs = 0;
    *starts = *ends = NULL;
    if (kind == CHUANP_SPLIT_LINES) {
        while (rs < len) {
            const char *nl = memchr(data + rs, '\n', len - rs);
            size_t e = nl ? (size_t)(nl - data) : len;
            size_t re = e > rs && data[e - 1] == '\r' ? e - 1 : e;
            if (!blank_line(data + rs, e - rs) && push_span(starts, ends, &count, &cap, rs, re) < 0)
                goto oom;
            rs = e + 1;
        }
        return (long)count;
    }
    int state = ST_START;
    const unsigned char dl = (unsigned char)(delimiter ? delimiter : ','),
                        q = (unsigned char)(quote ? quote : '"');
    for (size_t i = 0; i < len; i++) {
        int was_cr = state == ST_CR;
        int e = csv_step(&state, (unsigned char)data[i], dl, q);
        size_t re;
        if (e == 1) {
            /* LF ends the record; a CR just before it belongs to the line end */
            re = was_cr ? i - 1 : i;
            if (re > rs && push_span(starts, ends, &count, &cap, rs, re) < 0)
                goto oom;
            rs = i + 1;
        } else if (e == 2) {
            re = i - 1;
            if (re > rs && push_span(starts, ends, &count, &cap, rs, re) < 0)
                goto oom;
            rs = i;
        }
    }
    if (state == ST_CR && len > 0) {
        if (len - 1 > rs && push_span(starts, ends, &count, &cap, rs, len - 1) < 0)
            goto oom;
    } else if (rs < len && push_span(starts, ends, &count, &cap, rs, len) < 0) {
        goto oom;
    }
    return (long)count;
oom:
    chuanp_free(*starts);
    chuanp_free(*ends);
    *starts = *ends = NULL;
    return -1;
}
