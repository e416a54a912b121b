/* core/i18n.c - the GNU .mo catalogue reader and the language of messages.
 *
 * Why not glibc's gettext(): it returns the message id unchanged whenever
 * setlocale() could not select a locale, so on the many servers and CI
 * images that only have C.UTF-8 a Vietnamese user would get English. The
 * .mo format is simple (magic, count, two tables of (length, offset) pairs,
 * the originals sorted), so chuan reads it itself: one read of the file, a
 * binary search per lookup, no locale needed. docs/i18n.md. */
#define _GNU_SOURCE 1
#include "core.h"
#include "i18n.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CHUAN_LOCALEDIR
#define CHUAN_LOCALEDIR "/usr/local/share/locale"
#endif

typedef struct catalogue {
    int tried;
    unsigned char *data;
    size_t size;
    uint32_t n, orig, trans;
    int swap;
} catalogue;

static catalogue cats[2];
static pthread_mutex_t cat_lock = PTHREAD_MUTEX_INITIALIZER;
static int lang_set = -1; /* -1: not decided yet */
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static int env_lang;

static int name_is_vi(const char *v)
{
    return v && (v[0] == 'v' || v[0] == 'V') && (v[1] == 'i' || v[1] == 'I') &&
           (v[2] == '\0' || v[2] == '_' || v[2] == '-' || v[2] == '.' || v[2] == '@');
}

static void read_env(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    env_lang = CHUANP_LANG_EN;
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            env_lang = name_is_vi(v) ? CHUANP_LANG_VI : CHUANP_LANG_EN;
            return;
        }
    }
}

chuanp_lang chuanp_lang_get(void)
{
    if (lang_set >= 0)
        return (chuanp_lang)lang_set;
    pthread_once(&env_once, read_env);
    return (chuanp_lang)env_lang;
}

int chuanp_lang_set(const char *name)
{
    if (!name)
        return -1;
    if (name_is_vi(name))
        lang_set = CHUANP_LANG_VI;
    else if ((name[0] == 'e' || name[0] == 'E') && (name[1] == 'n' || name[1] == 'N') &&
             (name[2] == '\0' || name[2] == '_' || name[2] == '-' || name[2] == '.'))
        lang_set = CHUANP_LANG_EN;
    else if (strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 || strncmp(name, "C.", 2) == 0)
        lang_set = CHUANP_LANG_EN;
    else
        return -1;
    return 0;
}

static uint32_t word(const catalogue *c, size_t at)
{
    const unsigned char *p = c->data + at;
    if (c->swap)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* String i of the table at `table`: NULL when it is out of the file or not NUL-terminated. */
static const char *table_str(const catalogue *c, uint32_t table, uint32_t i)
{
    size_t at = (size_t)table + (size_t)i * 8;
    if (at + 8 > c->size)
        return NULL;
    uint32_t len = word(c, at), off = word(c, at + 4);
    if ((size_t)off >= c->size || (size_t)len >= c->size - off || c->data[(size_t)off + len] != '\0')
        return NULL;
    return (const char *)c->data + off;
}

/* Read and check a .mo file: 0, or -1 (not there, not a catalogue). */
static int load_file(catalogue *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    chuanp_buf b;
    chuanp_buf_init(&b, 16u << 20);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        chuanp_buf_append(&b, chunk, n);
    int bad = ferror(f);
    fclose(f);
    if (bad || b.err || b.len < 28) {
        chuanp_buf_free(&b);
        return -1;
    }
    c->data = (unsigned char *)b.data;
    c->size = b.len;
    uint32_t magic = (uint32_t)c->data[0] | (uint32_t)c->data[1] << 8 |
                     (uint32_t)c->data[2] << 16 | (uint32_t)c->data[3] << 24;
    if (magic == 0x950412deu)
        c->swap = 0;
    else if (magic == 0xde120495u)
        c->swap = 1;
    else
        goto bad;
    if (word(c, 4) >> 16 != 0) /* major revision 0 only */
        goto bad;
    c->n = word(c, 8);
    c->orig = word(c, 12);
    c->trans = word(c, 16);
    if ((size_t)c->n > c->size / 16 || (size_t)c->orig + (size_t)c->n * 8 > c->size ||
        (size_t)c->trans + (size_t)c->n * 8 > c->size)
        goto bad;
    return 0;
bad:
    chuanp_free(c->data);
    c->data = NULL;
    c->size = 0;
    return -1;
}

static int try_dir(catalogue *c, const char *dir, size_t dirlen, const char *rel, const char *lang)
{
    chuanp_buf p;
    chuanp_buf_init(&p, 0);
    chuanp_buf_printf(&p, "%.*s%s/%s/LC_MESSAGES/chuan.mo", (int)dirlen, dir, rel, lang);
    int rc = p.err ? -1 : load_file(c, p.data);
    chuanp_buf_free(&p);
    return rc;
}

/* Beside the file `path` (a program or library): DIR/locale (the build
 * tree), DIR/../share/locale (PREFIX/bin, PREFIX/lib), DIR/../../share/locale
 * (PREFIX/lib/TRIPLET). 0 found. */
static int try_beside(catalogue *c, const char *path, const char *lang)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return -1;
    size_t len = (size_t)(slash - path) + 1;
    return try_dir(c, path, len, "locale", lang) == 0 ||
                   try_dir(c, path, len, "../share/locale", lang) == 0 ||
                   try_dir(c, path, len, "../../share/locale", lang) == 0
               ? 0
               : -1;
}

/* The catalogue of lang: $CHUAN_LOCALEDIR, then beside the library or
 * program that holds this code (dladdr; for code linked into the program
 * itself dladdr may give only the name it was started by, so then the
 * program's own path, /proc/self/exe), then the compiled-in
 * PREFIX/share/locale. */
static void load(catalogue *c, const char *lang)
{
    const char *env = getenv("CHUAN_LOCALEDIR");
    if (env && *env) {
        try_dir(c, env, strlen(env), "", lang);
        return; /* an explicit folder is the only one looked at */
    }
    Dl_info info;
    const char *so = dladdr((void *)&chuanp_gettext, &info) ? info.dli_fname : NULL;
    if (so && so[0] == '/' && try_beside(c, so, lang) == 0)
        return;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (try_beside(c, exe, lang) == 0)
            return;
    }
    if (so && so[0] != '/' && try_beside(c, so, lang) == 0)
        return;
    try_dir(c, CHUAN_LOCALEDIR "/", strlen(CHUAN_LOCALEDIR) + 1, "", lang);
}

static const catalogue *get_cat(chuanp_lang lang)
{
    catalogue *c = &cats[lang];
    pthread_mutex_lock(&cat_lock);
    if (!c->tried) {
        load(c, lang == CHUANP_LANG_VI ? "vi" : "en");
        c->tried = 1;
    }
    pthread_mutex_unlock(&cat_lock);
    return c->data ? c : NULL;
}

static const char *lookup(const catalogue *c, const char *msgid)
{
    if (!c || !msgid || !*msgid)
        return NULL;
    uint32_t lo = 0, hi = c->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const char *o = table_str(c, c->orig, mid);
        if (!o)
            return NULL;
        int cmp = strcmp(msgid, o);
        if (cmp == 0) {
            const char *t = table_str(c, c->trans, mid);
            return t && *t ? t : NULL;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* English is the message ids themselves: no catalogue is read for it (po/en.po is their
 * identity, kept for translators and tools). */
const char *chuanp_gettext(const char *msgid)
{
    if (chuanp_lang_get() != CHUANP_LANG_VI)
        return msgid;
    const char *t = lookup(get_cat(CHUANP_LANG_VI), msgid);
    return t ? t : msgid;
}

const char *chuanp_plural(long n, const char *one, const char *many)
{
    return chuanp_gettext(n == 1 ? one : many);
}

const char *chuanp_diag_message(const chuan_diag *d)
{
    if (d->message_vi && chuanp_lang_get() == CHUANP_LANG_VI)
        return d->message_vi;
    return d->message ? d->message : d->message_vi ? d->message_vi : "";
}

const char *chuanp_gettext_vi(const char *msgid)
{
    return lookup(get_cat(CHUANP_LANG_VI), msgid);
}

const char *chuanp_i18n_vformat_vi(chuanp_buf *vi, const char *fmt, va_list ap)
{
    if (chuanp_lang_get() != CHUANP_LANG_VI)
        return NULL;
    if (strcmp(fmt, "%s") == 0) { /* a message made elsewhere: looked up whole */
        const char *a = va_arg(ap, const char *);
        const char *t = a ? chuanp_gettext_vi(a) : NULL;
        if (!t)
            return NULL;
        chuanp_buf_puts(vi, t);
        return vi->err ? NULL : vi->data;
    }
    const char *t = chuanp_gettext_vi(fmt);
    if (!t)
        return NULL;
    chuanp_buf_vprintf(vi, t, ap);
    return vi->err ? NULL : vi->data;
}

void chuanp_i18n_reset(void)
{
    pthread_mutex_lock(&cat_lock);
    for (size_t i = 0; i < 2; i++) {
        chuanp_free(cats[i].data);
        memset(&cats[i], 0, sizeof cats[i]);
    }
    pthread_mutex_unlock(&cat_lock);
    lang_set = -1;
}

/* ---------------------------------------------------------- templates */

static int conv_len(const char *t)
{
    /* t points at '%': the length of a %s, %d, %ld, %u, %lu, %zu conversion, else 0 */
    if (t[1] == 's' || t[1] == 'd' || t[1] == 'u')
        return 2;
    if ((t[1] == 'l' || t[1] == 'z') && (t[2] == 'd' || t[2] == 'u'))
        return 3;
    return 0;
}

typedef struct i18n_arg {
    const char *start, *end;
} i18n_arg;

static int match_at(const char *t, const char *m, i18n_arg *args, int max, int k,
                    long *budget)
{
    for (;;) {
        if (--*budget < 0)
            return -1;
        if (*t == '%' && t[1] == '%') {
            if (*m != '%')
                return -1;
            t += 2, m++;
            continue;
        }
        int cl = *t == '%' ? conv_len(t) : 0;
        if (cl) {
            /* an argument: at least one character, the shortest that lets the rest match */
            size_t len = strlen(m);
            for (size_t i = 1; i <= len; i++) {
                int r = match_at(t + cl, m + i, args, max, k + 1, budget);
                if (r >= 0) {
                    if (k < max) {
                        args[k].start = m;
                        args[k].end = m + i;
                    }
                    return r;
                }
                if (*budget < 0)
                    return -1;
            }
            return -1;
        }
        if (*t != *m)
            return -1;
        if (!*t)
            return k;
        t++, m++;
    }
}

/* Match msg against an English template whose only conversions are %s,
 * %d/%ld (any text, at least one character; %% is a literal %). Up to
 * `max` captured arguments go to args[] as [start, end) pointers into msg.
 * Returns the number captured, or -1 when msg does not have that shape. */
static int template_match(const char *tmpl, const char *msg, i18n_arg *args, int max)
{
    if (!tmpl || !msg)
        return -1;
    long budget = 200000; /* steps: a hostile message costs little and does not match */
    return match_at(tmpl, msg, args, max, 0, &budget);
}

char *chuanp_i18n_translate_shape(const char *const *tmpls, const char *msg)
{
    for (const char *const *t = tmpls; t && *t; t++) {
        i18n_arg args[8];
        int n = template_match(*t, msg, args, 8);
        if (n < 0)
            continue;
        const char *vi = chuanp_gettext_vi(*t);
        if (!vi || n > 8)
            return NULL;
        /* fill the translation's conversions, in order, with the captured text */
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        int k = 0;
        for (const char *p = vi; *p;) {
            int cl = *p == '%' ? conv_len(p) : 0;
            if (*p == '%' && p[1] == '%') {
                chuanp_buf_putc(&b, '%');
                p += 2;
            } else if (cl && k < n) {
                chuanp_buf_append(&b, args[k].start, (size_t)(args[k].end - args[k].start));
                k++;
                p += cl;
            } else {
                chuanp_buf_putc(&b, *p++);
            }
        }
        if (b.err) {
            chuanp_buf_free(&b);
            return NULL;
        }
        return b.data;
    }
    return NULL;
}
