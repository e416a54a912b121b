/* core/manpage.c - man pages written from the verb and option tables (the
 * same tables as --help: no hand-kept copy; core/cmdtable.h).
 *   chuan help --man          chuan(1)
 *   chuan help --man VERB     chuan-VERB(1)
 * The Makefile runs these at build time; `make install` installs the
 * results. */
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
        int literal = n >= 2 && (strncmp(s, "  ", 2) == 0 || strncmp(s, "Example:", 8) == 0);
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

static void exit_status(FILE *o)
{
    fputs(".SH EXIT STATUS\n"
          ".TP\n.B 0\nevery input is valid (or was converted)\n"
          ".TP\n.B 1\nat least one input is invalid or could not be converted "
          "(not well\\-formed counts as invalid)\n"
          ".TP\n.B 2\nthe tool could not do its job: usage error, missing or unreadable input, "
          "a schema that does not compile, a write failure, out of memory\n",
          o);
}

static void header(FILE *o, const char *name, const char *summary)
{
    fputs(".TH ", o);
    for (const char *p = name; *p; p++)
        fputc(toupper((unsigned char)*p), o);
    fputs(" 1 \"\" \"chuan " CHUAN_VERSION "\" \"User Commands\"\n.SH NAME\n", o);
    roffs(o, name);
    fputs(" \\- ", o);
    roffs(o, summary);
    fputc('\n', o);
}

void chuanp_man_write(FILE *o, const chuanp_verb *const *verbs, size_t n, const chuanp_verb *v)
{
    if (!v) {
        header(o, "chuan", "validate and convert Vietnamese e-government data-exchange payloads");
        fputs(".SH SYNOPSIS\n", o);
        for (size_t i = 0; i < n; i++) {
            fputs(".B chuan ", o);
            roffs(o, verbs[i]->name);
            fputs("\n[\\fIOPTIONS\\fR] ...\n.br\n", o);
        }
        fputs(".B chuan \\-\\-version\n.SH DESCRIPTION\n.B chuan\n"
              "checks payloads (XML, JSON, NDJSON, CSV) against XSD, RELAX NG, Schematron, JSON "
              "Schema and Table Schema files and against standard packages (schemas, rules, code "
              "lists and fixtures per data category), and converts between XML, JSON/NDJSON and "
              "CSV. Each verb has its own page:\n",
              o);
        for (size_t i = 0; i < n; i++) {
            fprintf(o, ".TP\n.BR chuan\\-%s (1)\n", verbs[i]->name);
            roffs(o, verbs[i]->summary);
            fputc('\n', o);
        }
        exit_status(o);
        fputs(".SH ENVIRONMENT\n.TP\n.B CHUAN_STANDARDS\nfolders searched for standard packages "
              "(colon\\-separated), before the installed ones\n.TP\n.B NO_COLOR\nno colour in the "
              "text report even on a terminal\n.SH SEE ALSO\n",
              o);
        for (size_t i = 0; i < n; i++)
            fprintf(o, ".BR chuan\\-%s (1)%s\n", verbs[i]->name,
                    i + 1 < n ? "," : ",");
        fputs(".BR chuan\\-standard (5),\n.BR xmllint (1)\n", o);
        return;
    }
    char name[64];
    snprintf(name, sizeof name, "chuan-%s", v->name);
    header(o, name, v->summary);
    fputs(".SH SYNOPSIS\n", o);
    roffs(o, v->usage);
    fputs("\n.SH DESCRIPTION\n", o);
    roffs(o, v->summary);
    fputs(".\n", o);
    if (v->opts && v->opts[0].id) {
        fputs(".SH OPTIONS\n", o);
        for (const chuanp_opt *p = v->opts; p->id; p++) {
            opt_head(o, p);
            roffs(o, p->help);
            fputc('\n', o);
        }
        fputs(".TP\n.BR \\-h \", \" \\-\\-help\nshow the options\n", o);
        fputs(".TP\n.BR \\-\\-lang \" \" vi|en\nlanguage of messages (any verb; else LC_ALL, LC_MESSAGES, LANG; "
              "docs/i18n.md)\n", o);
    }
    if (v->details) {
        fputs(".SH NOTES\n", o);
        details(o, v->details);
    }
    exit_status(o);
    fputs(".SH SEE ALSO\n.BR chuan (1)\n", o);
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

