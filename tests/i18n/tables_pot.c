/* tests/i18n/tables_pot.c - the message ids of the CLI's verb and option
 * tables (summaries, option help, details) as a POT fragment on standard
 * output: scripts/i18n-pot.sh merges it with xgettext's extraction, so the
 * tables need no marker (docs/i18n.md). */
#include "../../cli/cli.h"

#include <stdio.h>
#include <string.h>

static void po_str(const char *s)
{
    fputs("msgid \"", stdout);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p == '\n')
            fputs(p[1] ? "\\n\"\n\"" : "\\n", stdout);
        else if (*p == '\t')
            fputs("\\t", stdout);
        else
            putchar(*p);
    }
    fputs("\"\nmsgstr \"\"\n\n", stdout);
}

static const char *seen[2048];
static size_t nseen;

static void entry(const char *where, const char *s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < nseen; i++)
        if (strcmp(seen[i], s) == 0)
            return;
    if (nseen < sizeof seen / sizeof *seen)
        seen[nseen++] = s;
    printf("#: %s\n", where);
    /* no c-format flag: these are printed with %s, never as a format */
    fputs("#, no-c-format\n", stdout);
    po_str(s);
}

int main(void)
{
    fputs("msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n", stdout);
    for (size_t i = 0; i < chuanp_nverbs; i++) {
        const chuanp_verb *v = chuanp_verbs[i];
        char where[64];
        snprintf(where, sizeof where, "cli/verb:%s", v->name);
        entry(where, v->summary);
        entry(where, v->details);
        for (const chuanp_opt *o = v->opts; o && o->id; o++)
            entry(where, o->help);
    }
    return 0;
}
