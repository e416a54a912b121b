/* serve/metrics.c - the service's counters in the Prometheus text format
 * (GET /metrics): requests by route and status, a histogram of request
 * durations, bytes in and out, payloads by verdict. */
#include "serve.h"

#include <string.h>

#define MAX_SERIES 64
static const double buckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof buckets / sizeof *buckets)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct { const char *route; int status; unsigned long long n; } series[MAX_SERIES];
static size_t nseries;
static unsigned long long hist[NBUCKETS + 1], hist_count;
static double hist_sum;
static unsigned long long bytes_in, bytes_out;
static unsigned long long verdicts[4]; /* valid invalid failed well-formed */
static const char *const verdict_names[4] = {"valid", "invalid", "failed", "well-formed"};

void chuanp_metrics_request(const char *route, int status, double seconds, size_t in, size_t out)
{
    pthread_mutex_lock(&mu);
    size_t i = 0;
    while (i < nseries && !(series[i].status == status && strcmp(series[i].route, route) == 0))
        i++;
    if (i == nseries && nseries < MAX_SERIES) {
        series[i].route = route; /* routes are string literals */
        series[i].status = status;
        nseries++;
    }
    if (i < nseries)
        series[i].n++;
    size_t b = 0;
    while (b < NBUCKETS && seconds > buckets[b])
        b++;
    hist[b]++;
    hist_count++;
    hist_sum += seconds;
    bytes_in += in;
    bytes_out += out;
    pthread_mutex_unlock(&mu);
}

void chuanp_metrics_verdict(const char *verdict)
{
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < 4; i++)
        if (strcmp(verdict, verdict_names[i]) == 0)
            verdicts[i]++;
    pthread_mutex_unlock(&mu);
}

void chuanp_metrics_write(chuanp_buf *b)
{
    pthread_mutex_lock(&mu);
    chuanp_buf_puts(b, "# HELP chuan_http_requests_total HTTP requests answered, by route and status.\n"
                       "# TYPE chuan_http_requests_total counter\n");
    for (size_t i = 0; i < nseries; i++)
        chuanp_buf_printf(b, "chuan_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                          series[i].route, series[i].status, series[i].n);
    chuanp_buf_puts(b, "# HELP chuan_http_request_duration_seconds Time from the request's first byte "
                       "to its response.\n# TYPE chuan_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t i = 0; i < NBUCKETS; i++) {
        cum += hist[i];
        chuanp_buf_printf(b, "chuan_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", buckets[i],
                          cum);
    }
    chuanp_buf_printf(b, "chuan_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", hist_count);
    chuanp_buf_printf(b, "chuan_http_request_duration_seconds_sum %.6f\n", hist_sum);
    chuanp_buf_printf(b, "chuan_http_request_duration_seconds_count %llu\n", hist_count);
    chuanp_buf_printf(b, "# HELP chuan_http_received_bytes_total Request body bytes received.\n"
                         "# TYPE chuan_http_received_bytes_total counter\n"
                         "chuan_http_received_bytes_total %llu\n"
                         "# HELP chuan_http_sent_bytes_total Response body bytes sent.\n"
                         "# TYPE chuan_http_sent_bytes_total counter\n"
                         "chuan_http_sent_bytes_total %llu\n",
                      bytes_in, bytes_out);
    chuanp_buf_puts(b, "# HELP chuan_payloads_total Payloads validated, by verdict.\n"
                       "# TYPE chuan_payloads_total counter\n");
    for (size_t i = 0; i < 4; i++)
        chuanp_buf_printf(b, "chuan_payloads_total{verdict=\"%s\"} %llu\n", verdict_names[i],
                          verdicts[i]);
    pthread_mutex_unlock(&mu);
}
