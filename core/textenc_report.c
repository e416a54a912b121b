/* core/textenc_report.c - `chuan encoding detect`: which encoding one file
 * is in, as a text line or a JSON array element (core/textenc.h). */
#include "textenc.h"

#include <errno.h>
#include <string.h>

int chuanp_enc_detect_file(FILE *out, FILE *err, const char *path, chuanp_buf *js, int first)
{
    FILE *raw = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!raw) {
        fprintf(err, _("chuan: cannot open %s: %s\n"), path, chuanp_strerror(errno));
        return 2;
    }
    chuan_diags d;
    chuan_diags_init(&d, 16);
    chuanp_textin_info info;
    FILE *in = NULL;
    int rc = chuanp_textin_open(&in, raw, path, "auto", &info, &d);
    if (rc < 0) {
        fprintf(err, _("chuan: cannot read %s\n"), path);
        rc = 2;
        goto out;
    }
    const char *verdict = rc > 0 ? "ambiguous" : chuanp_enc_name(info.detected);
    if (rc == 0 && info.from_declaration && info.detected == CHUANP_ENC_UTF8 && info.declared[0])
        verdict = info.declared; /* an encoding iconv decodes */
    if (js) {
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
        fprintf(out, _("%s: ambiguous (best: %s %.2f, %s %.2f)\n"), path,
                chuanp_enc_name(info.best), info.best_conf, chuanp_enc_name(info.second),
                info.second_conf);
    } else if (info.from_declaration) {
        fprintf(out, _("%s: %s (declared in the XML declaration)\n"), path, verdict);
    } else {
        fprintf(out, _("%s: %s (confidence %.2f)\n"), path, verdict, info.confidence);
    }
out:
    if (in)
        fclose(in);
    if (raw != stdin)
        fclose(raw);
    chuan_diags_clear(&d);
    return rc;
}

