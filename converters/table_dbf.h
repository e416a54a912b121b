/*
 * converters/table_dbf.h - the DBF reader's parts (internal to
 * converters/table_dbf*.c): header and records (table_dbf.c), memo files
 * (table_dbf_memo.c), text decoding (table_dbf_text.c).
 */
#ifndef CHUAN_TABLE_DBF_H
#define CHUAN_TABLE_DBF_H

#include "table.h"
#include "../core/textenc.h"

#include <iconv.h>

typedef struct dbf_field {
    char name[12];        /* ASCII as stored, NUL-terminated */
    char *key;            /* the name as a JSON string with quotes (decoded) */
    char type;            /* C N F D L M I B Y T G P V Q 0 ... */
    unsigned offset;      /* in the record, after the deletion flag */
    unsigned len;
    unsigned dec;
    unsigned flags;       /* VFP: 0x01 system, 0x02 nullable, 0x04 binary */
    int null_bit;         /* VFP _NullFlags bit of this field, -1 none */
    int varlen_bit;       /* VFP V/Q: the bit saying the value is shorter, -1 none */
    int hidden;           /* system column (_NullFlags): not output */
    int warned;           /* a dbf.number warning was given for this field */
} dbf_field;

enum { DBF_MEMO_NONE = 0, DBF_MEMO_DBT3, DBF_MEMO_DBT4, DBF_MEMO_FPT };

typedef struct dbf_text {
    chuanp_enc enc;       /* a chuan decoder; NONE when iconv or plain ASCII */
    chuanp_decoder *dec;
    iconv_t cd;           /* a code page named by the header, (iconv_t)-1 none */
    char label[32];       /* what the text is read as, for the note */
    char why[320];        /* why that encoding (in the language of messages) */
    int quiet;            /* ASCII so far: no note unless bytes >= 0x80 come */
    size_t cells;         /* cells with bytes >= 0x80 decoded */
    long rec;             /* the record and field being decoded (0/NULL: the header) */
    const char *field;
    long case_rec;        /* where TCVN3's first inferred case was */
    char case_field[12];
    chuanp_buf tmp;
} dbf_text;

struct chuanp_dbf {
    FILE *f;
    const char *name;
    chuan_diags *d;
    unsigned char version;
    unsigned char cp_byte;
    int vfp;
    unsigned long nrec;   /* from the header */
    unsigned hdr_len, rec_len;
    long long file_size;
    dbf_field *fields;
    size_t nfields;
    int nullflags;        /* index of _NullFlags, -1 none */
    unsigned char *rec;
    unsigned long cur;    /* records read */
    unsigned long live, deleted;
    int done;
    int omit_empty;       /* CHUANP_TABLE_OMIT_EMPTY */
    /* memo */
    int memo_kind;
    FILE *memo;
    char *memo_name;
    long long memo_size;
    unsigned memo_block;
    chuanp_buf memo_buf;
    dbf_text text;
};

/* table_dbf_memo.c: find and open the memo file beside path (0, 1 not
 * found or unreadable: error in d, -1 oom); read the memo of block `block`
 * into t->memo_buf (0, 1 corrupt: *why set, -1 oom); *binary: not text. */
int chuanp_dbf_memo_open(chuanp_dbf *t, const char *path);
int chuanp_dbf_memo_read(chuanp_dbf *t, unsigned long block, int *binary, const char **why);

/* table_dbf_text.c: choose the encoding (0, 1 undecidable, -1 oom/unknown
 * name; diagnostics in t->d); decode n bytes and append them to out as a
 * JSON string (0, -1 oom; *bad set when some bytes were not valid). */
int chuanp_dbf_text_setup(chuanp_dbf *t, const char *encoding);
int chuanp_dbf_text_json(chuanp_dbf *t, const unsigned char *s, size_t n, chuanp_buf *out,
                         int *bad);
void chuanp_dbf_text_finish(chuanp_dbf *t);
void chuanp_dbf_text_free(dbf_text *x);

/* Read exactly n bytes at offset off of f: 0, or 1 when the file ends first. */
int chuanp_dbf_pread(FILE *f, long long off, void *buf, size_t n);

#endif /* CHUAN_TABLE_DBF_H */
