/* core/manpage.c - man pages written from the verb and option tables (the
 * same tables as --help: no hand-kept copy; core/cmdtable.h).
 *   chuan help --man          chuan(1)
 *   chuan help --man VERB     chuan-VERB(1)
 * The Makefile runs these at build time, in English and with --lang vi in
 * Vietnamese (every text through the catalogue, as --help); `make install`
 * installs the results (share/man/man1, share/man/vi/man1). */
#include "cmdtable.h"
#include "core.h"

#include <ctype.h>
#include <string.h>

/* roff-escape s: backslashes, hyphens (so options copy as ASCII), and a
 * leading '.' or '\'' that would start a request. */
static void roff(FILE *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\')
            fputs("\\e", o);
        else if (c == '-')
            fputs("\\-", o);
        else if ((c == '.' || c == '\'') && (i == 0 || s[i - 1] == '\n'))
            fprintf(o, "\\&%c", c);
        else
            fputc(c, o);
    }
}

static void roffs(FILE *o, const char *s)
{
    roff(o, s, strlen(s));
}

static void opt_head(FILE *o, const chuanp_opt *p)
{
    fputs(".TP\n", o);
    if (p->short_name)
        fprintf(o, "\\fB\\-%c\\fR, ", p->short_name);
    fputs("\\fB\\-\\-", o);
    roffs(o, p->long_name);
    fputs("\\fR", o);
    if (p->metavar) {
        fputs(" \\fI", o);
        roffs(o, p->metavar);
        fputs("\\fR", o);
    }
    fputc('\n', o);
}

/* A verb's details: paragraphs separated by blank lines; lines that start
 * with "Example:" or "  " are shown as they are. */
static void details(FILE *o, const char *d)
{
    const char *s = d;
    int nofill = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *ex = _("Example:");
        int literal = n >= 2 && (strncmp(s, "  ", 2) == 0 || strncmp(s, "Example:", 8) == 0 ||
                                 strncmp(s, ex, strlen(ex)) == 0);
        if (n == 0) {
            if (nofill)
                fputs(".fi\n", o);
            nofill = 0;
            fputs(".PP\n", o);
        } else {
            if (literal && !nofill) {
                fputs(".nf\n", o);
                nofill = 1;
            } else if (!literal && nofill) {
                fputs(".fi\n", o);
                nofill = 0;
            }
            roff(o, s, n);
            fputc('\n', o);
        }
        s += n + (e ? 1 : 0);
    }
    if (nofill)
        fputs(".fi\n", o);
}

/* ".SH TITLE" of a section, in the language of messages */
static void section(FILE *o, const char *title)
{
    fputs(".SH ", o);
    roffs(o, _(title));
    fputc('\n', o);
}

static void exit_status(FILE *o)
{
    section(o, N_("EXIT STATUS"));
    fputs(".TP\n.B 0\n", o);
    roffs(o, _("every input is valid (or was converted)"));
    fputs("\n.TP\n.B 1\n", o);
    roffs(o, _("at least one input is invalid or could not be converted (not well-formed counts as "
               "invalid)"));
    fputs("\n.TP\n.B 2\n", o);
    roffs(o, _("the tool could not do its job: usage error, missing or unreadable input, a schema "
               "that does not compile, a write failure, out of memory"));
    fputc('\n', o);
}

static void header(FILE *o, const char *name, const char *summary)
{
    fputs(".TH ", o);
    for (const char *p = name; *p; p++)
        fputc(toupper((unsigned char)*p), o);
    fputs(" 1 \"\" \"chuan " CHUAN_VERSION "\" \"", o);
    roffs(o, _("User Commands"));
    fputs("\"\n", o);
    section(o, N_("NAME"));
    roffs(o, name);
    fputs(" \\- ", o);
    roffs(o, _(summary));
    fputc('\n', o);
}

void chuanp_man_write(FILE *o, const chuanp_verb *const *verbs, size_t n, const chuanp_verb *v)
{
    if (!v) {
        header(o, "chuan", N_("validate and convert Vietnamese e-government data-exchange payloads"));
        section(o, N_("SYNOPSIS"));
        for (size_t i = 0; i < n; i++) {
            fputs(".B chuan ", o);
            roffs(o, verbs[i]->name);
            fputs("\n[\\fIOPTIONS\\fR] ...\n.br\n", o);
        }
        fputs(".B chuan \\-\\-version\n", o);
        section(o, N_("DESCRIPTION"));
        fputs(".B chuan\n", o);
        roffs(o, _("checks payloads (XML, JSON, NDJSON, CSV) against XSD, RELAX NG, Schematron, JSON "
                   "Schema and Table Schema files and against standard packages (schemas, rules, code "
                   "lists and fixtures per data category), and converts between XML, JSON/NDJSON and "
                   "CSV. Each verb has its own page:"));
        fputc('\n', o);
        for (size_t i = 0; i < n; i++) {
            fprintf(o, ".TP\n.BR chuan\\-%s (1)\n", verbs[i]->name);
            roffs(o, _(verbs[i]->summary));
            fputc('\n', o);
        }
        exit_status(o);
        section(o, N_("ENVIRONMENT"));
        fputs(".TP\n.B CHUAN_STANDARDS\n", o);
        roffs(o, _("folders searched for standard packages (colon-separated), before the installed "
                   "ones"));
        fputs("\n.TP\n.B NO_COLOR\n", o);
        roffs(o, _("no colour in the text report even on a terminal"));
        fputc('\n', o);
        section(o, N_("SEE ALSO"));
        for (size_t i = 0; i < n; i++)
            fprintf(o, ".BR chuan\\-%s (1)%s\n", verbs[i]->name,
                    i + 1 < n ? "," : ",");
        fputs(".BR chuan\\-standard (5),\n.BR xmllint (1)\n", o);
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "chuan-%s", v->name);
    header(o, name, v->summary);
    section(o, N_("SYNOPSIS"));
    roffs(o, v->usage);
    fputc('\n', o);
    section(o, N_("DESCRIPTION"));
    roffs(o, _(v->summary));
    fputs(".\n", o);
    if (v->opts && v->opts[0].id) {
        section(o, N_("OPTIONS"));
        for (const chuanp_opt *p = v->opts; p->id; p++) {
            opt_head(o, p);
            roffs(o, _(p->help));
            fputc('\n', o);
        }
        fputs(".TP\n.BR \\-h \", \" \\-\\-help\n", o);
        roffs(o, _("show the options"));
        fputs("\n.TP\n.BR \\-\\-lang \" \" vi|en\n", o);
        roffs(o, _("language of messages (any verb; else LC_ALL, LC_MESSAGES, LANG; docs/i18n.md)"));
        fputc('\n', o);
    }
    if (v->details) {
        section(o, N_("NOTES"));
        details(o, _(v->details));
    }
    exit_status(o);
    section(o, N_("SEE ALSO"));
    fputs(".BR chuan (1)\n", o);
}

/* A list "NAME: a (default), b, c or d" at the end of an option's help:
 * its words into buf (space-separated); 0 when the help ends otherwise. */
static size_t listed_values(const char *help, char *buf, size_t cap)
{
    const char *s = strstr(help, ": ");
    if (!s)
        return 0;
    s += 2;
    size_t j = 0, words = 0;
    while (*s) {
        const char *b = s;
        while (isalnum((unsigned char)*s) || *s == '-' || *s == '.')
            s++;
        if (s == b || j + (size_t)(s - b) + 2 > cap)
            return 0;
        memcpy(buf + j, b, (size_t)(s - b));
        j += (size_t)(s - b);
        buf[j++] = ' ';
        words++;
        if (*s == ' ' && s[1] == '(') { /* "(default)" and other remarks */
            const char *e = strchr(s, ')');
            if (!e)
                return 0;
            s = e + 1;
        }
        if (strncmp(s, ", ", 2) == 0)
            s += 2;
        else if (strncmp(s, " or ", 4) == 0)
            s += 4;
        else if (*s)
            return 0; /* prose, not a list */
    }
    if (words < 2)
        return 0;
    buf[j - 1] = '\0';
    return j - 1;
}

size_t chuanp_opt_values(const chuanp_opt *p, char *buf, size_t cap)
{
    const char *srcs[2] = {p->metavar, p->help};
    for (int k = 0; k < 2; k++) {
        const char *s = srcs[k];
        for (const char *q = s ? strchr(s, '|') : NULL; q; q = strchr(q + 1, '|')) {
            const char *b = q;
            while (b > s && (isalnum((unsigned char)b[-1]) || b[-1] == '-' || b[-1] == '|'))
                b--;
            const char *e = q;
            while (*e && (isalnum((unsigned char)*e) || *e == '-' || *e == '|'))
                e++;
            size_t n = (size_t)(e - b), j = 0;
            if (n + 1 > cap)
                return 0;
            for (size_t i = 0; i < n; i++)
                buf[j++] = b[i] == '|' ? ' ' : b[i];
            buf[j] = '\0';
            return j;
        }
    }
    return p->help ? listed_values(p->help, buf, cap) : 0;
}

