/*
 * core/i18n.h - messages in Vietnamese or English (docs/i18n.md).
 *
 * chuan reads its GNU .mo catalogue itself (core/i18n.c) instead of asking
 * glibc's gettext(), which ignores catalogues when the locale is C/C.UTF-8 or
 * not generated: the language comes from --lang, else LC_ALL / LC_MESSAGES /
 * LANG ("vi*" is Vietnamese), else English. Messages are written in English
 * in the code; the English text is the message id.
 */
#ifndef CHUAN_I18N_H
#define CHUAN_I18N_H

#include <stdarg.h>
#include <stddef.h>

typedef struct chuanp_buf chuanp_buf;

/* Mark a string for extraction without translating it here (tables). */
#define N_(s) (s)

typedef enum { CHUANP_LANG_EN = 0, CHUANP_LANG_VI = 1 } chuanp_lang;

/* The language of messages: the one set, else from the environment (read
 * once). */
chuanp_lang chuanp_lang_get(void);
/* Set it ("vi", "en", "vi_VN.UTF-8"...): 0, or -1 for an unknown name (the
 * language is then unchanged). Call before starting threads. */
int chuanp_lang_set(const char *name);
/* The translation of msgid in the current language, else msgid itself. */
const char *chuanp_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) chuanp_gettext(s)
/* English singular (n == 1) or plural, translated: both are marked N_() at
 * the call (Vietnamese has one form, so both translate alike). */
const char *chuanp_plural(long n, const char *one, const char *many) __attribute__((format_arg(2)))
    __attribute__((format_arg(3)));
/* A diagnostic's message in the language of messages (message_vi when it
 * is Vietnamese and there is one, else the English message). */
struct chuan_diag;
const char *chuanp_diag_message(const struct chuan_diag *d);
/* The Vietnamese translation of msgid, or NULL when there is none. */
const char *chuanp_gettext_vi(const char *msgid) __attribute__((format_arg(1)));
/* For a wrapper that formats its own message: when messages are in
 * Vietnamese and the catalogue translates fmt, format the translation with
 * ap into vi (initialised by the caller) and return vi->data; else NULL. ap
 * is consumed only on the Vietnamese path (pass a va_copy). */
const char *chuanp_i18n_vformat_vi(chuanp_buf *vi, const char *fmt, va_list ap);
/* strerror(e) in the language of messages (core/i18n_lib.c): the C
 * library's text in English, the catalogue's translation of it in
 * Vietnamese when the error is one listed there. */
const char *chuanp_strerror(int e);
/* pcre2_get_error_message() in the language of messages: same return
 * value; Vietnamese for the compile errors listed in core/i18n_lib.c. */
int chuanp_pcre2_error(int code, char *buf, size_t size);

/* Tests: forget the catalogues read and the language set (no thread may be
 * using them). */
void chuanp_i18n_reset(void);

/* Translate a message of a library in English (libxml2) through the table
 * of its templates for one error code: the first template of `tmpls` (NULL
 * terminated) that matches msg is translated and filled with the captured
 * arguments. A template's only conversions are %s, %d/%ld... (each matches
 * at least one character, the shortest that lets the rest match; %% is a
 * literal %); a bounded number of matching steps per template, so a hostile
 * message costs little and does not match. Returns a new string (chuanp_free), or NULL (no template
 * matches, no translation, or out of memory). */
char *chuanp_i18n_translate_shape(const char *const *tmpls, const char *msg);

#endif
