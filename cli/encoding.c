/* cli/encoding.c - `chuan encoding detect FILE...`: which encoding each file is in. */
#include "cli.h"

#include "../core/textenc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_REPORT = 1 };

static const chuanp_opt encoding_opts[] = {
    {"report", 'r', "text|json", OPT_REPORT, "output format (default text)"},
    {0},
};

typedef struct encoding_args {
    chuanp_cli *cli;
    int json;
} encoding_args;

static int on_opt(void *ctx, int id, const char *value)
{
    encoding_args *a = ctx;
    if (id == OPT_REPORT) {
        if (strcmp(value, "text") == 0)
            a->json = 0;
        else if (strcmp(value, "json") == 0)
            a->json = 1;
        else
            return chuanp_cli_usage_error(a->cli, "--report wants text or json, not '%s'", value), -1;
    }
    return 0;
}

/* One file: 0 detected, 1 ambiguous, 2 unreadable. */
static int detect_one(chuanp_cli *cli, const char *path, int json, chuanp_buf *js, int first)
{
    FILE *raw = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!raw) {
        fprintf(cli->err, _("chuan: cannot open %s: %s\n"), path, chuanp_strerror(errno));
        return 2;
    }
    chuan_diags d;
    chuan_diags_init(&d, 16);
    chuanp_textin_info info;
    FILE *in = NULL;
    int rc = chuanp_textin_open(&in, raw, path, "auto", &info, &d);
    if (rc < 0) {
        fprintf(cli->err, _("chuan: cannot read %s\n"), path);
        rc = 2;
        goto out;
    }
    const char *verdict = rc > 0 ? "ambiguous" : chuanp_enc_name(info.detected);
    if (rc == 0 && info.from_declaration && info.detected == CHUANP_ENC_UTF8 && info.declared[0])
        verdict = info.declared; /* an encoding iconv decodes */
    if (json) {
        chuanp_buf_puts(js, first ? "\n  {\"file\": " : ",\n  {\"file\": ");
        chuanp_buf_json_string(js, path, strlen(path));
        chuanp_buf_puts(js, ", \"encoding\": ");
        chuanp_buf_json_string(js, verdict, strlen(verdict));
        chuanp_buf_printf(js, ", \"confidence\": %.2f, \"declared\": %s, "
                          "\"candidates\": {", rc > 0 ? info.best_conf : info.confidence,
                          info.from_declaration ? "true" : "false");
        int n = 0;
        for (int e = CHUANP_ENC_UTF8; e < CHUANP_ENC_COUNT && !info.from_declaration; e++)
            if (info.detected != CHUANP_ENC_ASCII)
                chuanp_buf_printf(js, "%s\"%s\": %.2f", n++ ? ", " : "",
                                  chuanp_enc_name((chuanp_enc)e), info.conf[e]);
        chuanp_buf_puts(js, "}}");
    } else if (rc > 0) {
        fprintf(cli->out, _("%s: ambiguous (best: %s %.2f, %s %.2f)\n"), path,
                chuanp_enc_name(info.best), info.best_conf, chuanp_enc_name(info.second),
                info.second_conf);
    } else if (info.from_declaration) {
        fprintf(cli->out, _("%s: %s (declared in the XML declaration)\n"), path, verdict);
    } else {
        fprintf(cli->out, _("%s: %s (confidence %.2f)\n"), path, verdict, info.confidence);
    }
out:
    if (in)
        fclose(in);
    if (raw != stdin)
        fclose(raw);
    chuan_diags_clear(&d);
    return rc;
}

static int run_encoding(chuanp_cli *cli, int argc, const char **argv)
{
    encoding_args a = {.cli = cli};
    const char **pos = NULL;
    size_t npos = 0;
    int rc = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (rc != 0)
        return rc > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    int status = CHUAN_EXIT_OK;
    chuanp_buf js;
    chuanp_buf_init(&js, 0);
    if (npos == 0 || strcmp(pos[0], "detect") != 0) {
        status = npos == 0 ? chuanp_cli_usage_error(cli, "missing sub-command (detect)")
                           : chuanp_cli_usage_error(cli, "unknown sub-command '%s'", pos[0]);
        goto out;
    }
    if (npos < 2) {
        status = chuanp_cli_usage_error(cli, "detect needs at least one FILE");
        goto out;
    }
    if (a.json)
        chuanp_buf_puts(&js, "{\"files\": [");
    for (size_t i = 1; i < npos; i++) {
        int r = detect_one(cli, pos[i], a.json, &js, i == 1);
        if (r > status)
            status = r;
    }
    if (a.json) {
        chuanp_buf_puts(&js, "\n]}\n");
        if (js.err) {
            status = chuanp_cli_fail(cli, "out of memory");
            goto out;
        }
        fwrite(js.data, 1, js.len, cli->out);
    }
out:
    chuanp_buf_free(&js);
    chuanp_free(pos);
    return status;
}

const chuanp_verb chuanp_verb_encoding = {
    "encoding",
    "tell which text encoding files are in (UTF-8, TCVN3, VNI, VISCII, VPS, CP1258)",
    "chuan encoding detect [OPTIONS] FILE...",
    "Prints one line per file: 'FILE: ENCODING (confidence C)', or\n"
    "'FILE: ambiguous (best: E1 C1, E2 C2)' when no encoding reaches confidence 0.90.\n"
    "The first 64 KiB of each file are examined, as `convert --encoding auto` does;\n"
    "an XML declaration naming a legacy encoding is taken as it stands.\n"
    "Exit status: 0 all detected, 1 some file ambiguous, 2 some file unreadable.",
    encoding_opts,
    run_encoding,
};
