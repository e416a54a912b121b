/* core/progress.c - the one-line progress display of a batch run on standard
 * error (convert and validate): files, records, MB/s and ETA, redrawn in
 * place at most five times a second. Callers serialise the calls (their run
 * mutex) and clear the line before anything else goes to standard error. */
#include "progress.h"
#include "core.h"

void chuanp_progress_start(chuanp_progress *p, FILE *err, int mode, int err_is_tty)
{
    p->err = err;
    p->on = mode == 1 || (mode == -1 && err_is_tty);
    p->drawn = 0;
    p->started = chuanp_now();
    p->last_draw = 0;
}

void chuanp_progress_clear(chuanp_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", p->err);
        fflush(p->err);
        p->drawn = 0;
    }
}

void chuanp_progress_draw(chuanp_progress *p, int force, const chuanp_progress_counts *c)
{
    if (!p->on)
        return;
    double now = chuanp_now();
    if (!force && now - p->last_draw < 0.2)
        return;
    p->last_draw = now;
    double secs = now - p->started;
    double mb = (double)c->bytes_done / 1e6;
    double rate = secs > 0 ? mb / secs : 0;
    char eta[32] = "--:--";
    if (c->bytes_total > 0 && c->bytes_done > 0 && rate > 0) {
        double left = ((double)(c->bytes_total - c->bytes_done) / 1e6) / rate;
        if (left < 0)
            left = 0;
        snprintf(eta, sizeof eta, "%ld:%02ld", (long)left / 60, (long)left % 60);
    }
    double pct = c->bytes_total > 0 ? 100.0 * (double)c->bytes_done / (double)c->bytes_total : 0;
    fputs("\r\033[K", p->err);
    fprintf(p->err, _("[%5.1f%%] files %zu/%zu  records %ld (%ld %s)  %.1f MB/s  ETA %s"),
            pct > 100 ? 100 : pct, c->files_done, c->files, c->records, c->bad,
            chuanp_gettext(c->bad_label ? c->bad_label : N_("bad")), rate, eta);
    fflush(p->err);
    p->drawn = 1;
}
