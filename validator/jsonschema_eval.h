/* validator/jsonschema_eval.h - evaluation state shared by jsonschema_validate.c
 * and jsonschema_report.c (errors collected during evaluation). */
#ifndef CHUAN_JSONSCHEMA_EVAL_H
#define CHUAN_JSONSCHEMA_EVAL_H

#include "jsonschema_int.h"

typedef struct js_seg {
    const char *s;  /* key, or NULL for an array index */
    size_t len;
    size_t idx;
} js_seg;

typedef struct js_segs {
    js_seg *v;
    size_t n, cap;
} js_segs;

typedef struct js_err {
    const js_node *node;
    const char *kw;          /* keyword (for the code and the message override) */
    const char *code;        /* explicit code, or NULL: rule id / jsonschema.<kw> */
    const chuanp_jv *inst;
    char *ipath, *kpath, *sloc;
    char *detail_en, *detail_vi;
    const js_rule *rule;
    int depth;               /* instance depth, for "closest branch" */
    const void *re;          /* regex limit hits: the expression (reported once per value) */
} js_err;

typedef struct js_frame {
    const js_node *node;
    const chuanp_jv *inst;
} js_frame;

struct chuanp_jsonschema_vstate {
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *jit;
    chuanp_arena scratch;
    js_segs ip, kp;
    const js_resource **scope;
    size_t nscope, capscope;
    js_frame *fr;
    size_t nfr, capfr;
    js_err *errs;
    size_t nerr, caperr;
    js_err *lims;            /* regular-expression limit hits: kept whatever branch */
    size_t nlim, caplim;     /* they came from, reported after the other errors */
};

typedef struct js_ctx {
    const chuanp_jsonschema *s;
    chuanp_jsonschema_vstate *st;
    const chuanp_jv *root;
    int quiet;               /* no error collection: stop at the first failure */
    int prepass;             /* the fast first pass: a warning failure counts as a failure
                                (so that the full pass reports it), except inside probes */
    const js_rule *rule;     /* rule in force */
    unsigned long steps;
    int count_only;          /* the diagnostics list is full: count failures, format nothing */
    size_t max_errs;         /* stop collecting (and evaluating) past this many failures */
    int depth;
    int aborted;             /* a limit was hit: unwind */
    int undecided;           /* a regex hit its limit: the value is invalid, the rest of
                                it is still checked */
    int oom;
} js_ctx;

/* jsonschema_report.c */
int chuanp_js_seg_push(js_segs *s, const char *key, size_t len, size_t idx);
/* Record a failure (full mode). Returns 1 when it counts as passed (warning
 * rule), 0 failed, -1 out of memory. extra: keyword-location suffix or NULL. */
int chuanp_js_fail(js_ctx *c, const js_node *n, const char *kw, const char *code,
                   const chuanp_jv *inst, const char *extra, const char *rel_ptr,
                   const char *vi, const char *fmt, ...) __attribute__((format(printf, 9, 10)));
/* JSON Pointer of the current instance (scratch memory), NULL when out of memory. */
const char *chuanp_js_instance_pointer(js_ctx *c);
/* Short rendering of a value for messages (scratch memory). */
const char *chuanp_js_describe(js_ctx *c, const chuanp_jv *v);
int chuanp_js_emit(js_ctx *c, const char *file, chuan_diags *diags);

#endif /* CHUAN_JSONSCHEMA_EVAL_H */
