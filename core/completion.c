/* core/completion.c - bash and zsh completion scripts written from the verb
 * and option tables (core/cmdtable.h):
 *   chuan help --completion bash|zsh
 * The Makefile runs it at build time; `make install` installs the results. */
#include "cmdtable.h"

#include <ctype.h>
#include <string.h>

static int takes_path(const chuanp_opt *p)
{
    return p->metavar && (strstr(p->metavar, "FILE") || strstr(p->metavar, "DIR") ||
                          strcmp(p->metavar, "PATH") == 0);
}

static void bash_completion(FILE *o, const chuanp_verb *const *verbs, size_t n)
{
    fputs("# bash completion for chuan, written by `chuan help --completion bash` from the\n"
          "# option tables.\n_chuan()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} verb=${COMP_WORDS[1]}\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        COMPREPLY=($(compgen -W \"",
          o);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%s ", verbs[i]->name);
    fputs("--version --help\" -- \"$cur\"))\n        return\n    fi\n    local opts values\n"
          "    case $verb in\n",
          o);
    for (size_t i = 0; i < n; i++) {
        const chuanp_verb *v = verbs[i];
        fprintf(o, "    %s)\n        opts=\"", v->name);
        for (const chuanp_opt *p = v->opts; p && p->id; p++)
            fprintf(o, "--%s ", p->long_name);
        fputs("--help\"\n        case $prev in\n", o);
        for (const chuanp_opt *p = v->opts; p && p->id; p++) {
            char vals[256];
            if (!p->metavar)
                continue;
            fprintf(o, "        --%s", p->long_name);
            if (p->short_name)
                fprintf(o, "|-%c", p->short_name);
            if (strcmp(p->long_name, "standard") == 0)
                fputs(") COMPREPLY=($(compgen -W \"$(chuan standards list 2>/dev/null | "
                      "awk 'NR>1 {print $1}')\" -- \"$cur\")); return ;;\n",
                      o);
            else if (chuanp_opt_values(p, vals, sizeof vals))
                fprintf(o, ") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", vals);
            else if (takes_path(p))
                fputs(") COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", o);
            else
                fputs(") return ;;\n", o);
        }
        fputs("        esac ;;\n", o);
    }
    fputs("    esac\n    if [[ $cur == -* ]]; then\n        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n    fi\n}\n"
          "complete -o filenames -F _chuan chuan\n",
          o);
}

static void zsh_quote(FILE *o, const char *s)
{
    for (; *s; s++) {
        if (*s == '\'' )
            fputs("'\\''", o);
        else if (*s == '[' || *s == ']' || *s == ':')
            fprintf(o, "\\%c", *s);
        else
            fputc(*s, o);
    }
}

static void zsh_completion(FILE *o, const chuanp_verb *const *verbs, size_t n)
{
    fputs("#compdef chuan\n# zsh completion for chuan, written by `chuan help --completion zsh` from "
          "the option tables.\n_chuan() {\n  local -a verbs\n  verbs=(\n",
          o);
    for (size_t i = 0; i < n; i++) {
        fprintf(o, "    '%s:", verbs[i]->name);
        zsh_quote(o, verbs[i]->summary);
        fputs("'\n", o);
    }
    fputs("  )\n  if (( CURRENT == 2 )); then\n    _describe 'verb' verbs\n    return\n  fi\n"
          "  local verb=$words[2]\n  shift words; (( CURRENT-- ))\n  case $verb in\n",
          o);
    for (size_t i = 0; i < n; i++) {
        const chuanp_verb *v = verbs[i];
        fprintf(o, "    %s)\n      _arguments -s \\\n", v->name);
        for (const chuanp_opt *p = v->opts; p && p->id; p++) {
            char vals[256];
            fprintf(o, "        '--%s[", p->long_name);
            zsh_quote(o, p->help);
            fputc(']', o);
            if (p->metavar) {
                fputc(':', o);
                zsh_quote(o, p->metavar);
                fputc(':', o);
                if (strcmp(p->long_name, "standard") == 0)
                    fputs("{_values standard ${(f)\"$(chuan standards list 2>/dev/null | awk "
                          "'NR>1 {print $1}')\"}}",
                          o);
                else if (chuanp_opt_values(p, vals, sizeof vals))
                    fprintf(o, "(%s)", vals);
                else if (takes_path(p))
                    fputs("_files", o);
            }
            fputs("' \\\n", o);
            if (p->short_name)
                fprintf(o, "        '-%c[same as --%s]%s' \\\n", p->short_name, p->long_name,
                        p->metavar ? (takes_path(p) ? ":value:_files" : ":value:") : "");
        }
        fputs("        '*:file:_files' ;;\n", o);
    }
    fputs("  esac\n}\n_chuan \"$@\"\n", o);
}

int chuanp_completion_write(FILE *o, const chuanp_verb *const *verbs, size_t n, const char *shell)
{
    if (strcmp(shell, "bash") == 0)
        bash_completion(o, verbs, n);
    else if (strcmp(shell, "zsh") == 0)
        zsh_completion(o, verbs, n);
    else
        return -1;
    return 0;
}
