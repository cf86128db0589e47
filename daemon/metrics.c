/* metrics.c: counters, histograms and the textfile (metrics.h). */
#include "metrics.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const int statuses[METRICS_STATUSES] = {200, 400, 401, 403, 404, 409, 413, 422, 429,
                                               500, 503, 0};
/* Latency and commit buckets, seconds; batch sizes use the same numbers times 1000. */
static const double bounds[METRICS_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                               0.05, 0.1, 0.5, 2.5};

static const char *const error_codes[METRICS_ERROR_CODES] = {
    "type", "missing", "bad_chars", "too_long", "unknown_field", "duplicate_field",
    "unknown_metric", "metric_not_allowed", "unknown_area", "area_not_allowed", "bad_period",
    "not_a_month", "future_period", "period_too_early", "not_finite", "not_integer",
    "out_of_range", "duplicate_record", "implausible", "period_closed", "other"};
static const char *const causes[REFUSED_CAUSES] = {"database", "busy", "queries",
                                                   "submissions_a_minute", "records_a_day",
                                                   "corrections_a_day"};

void metrics_record_errors(metrics *m, const char *code, uint64_t n)
{
    size_t i = 0;
    while (code && i < METRICS_ERROR_CODES - 1 && strcmp(error_codes[i], code) != 0)
        i++;
    if (!code)
        i = METRICS_ERROR_CODES - 1;
    atomic_fetch_add(&m->errors_by_code[i], n);
}

void metrics_init(metrics *m, time_t started)
{
    memset(m, 0, sizeof *m);
    m->started = started;
}

int64_t metrics_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void metrics_observe(metrics_hist *h, double value)
{
    atomic_fetch_add(&h->count, 1);
    atomic_fetch_add(&h->sum_us, (uint_fast64_t)(value * 1e6));
    /* One bucket per observation, on the hot path; the file adds them up. */
    size_t i = 0;
    while (i < METRICS_BUCKETS && value > bounds[i])
        i++;
    if (i < METRICS_BUCKETS)
        atomic_fetch_add(&h->le[i], 1);
}

void metrics_request(metrics *m, int op, int status, double seconds)
{
    size_t s = 0;
    while (s < METRICS_STATUSES - 1 && statuses[s] != status)
        s++;
    if (op < 0 || op > PROTO_OP_COUNT)
        op = PROTO_OP_COUNT;
    atomic_fetch_add(&m->requests[op][s], 1);
    metrics_observe(&m->latency[op], seconds);
}

static const char *op_label(int op)
{
    return op == PROTO_OP_COUNT ? "unknown" : proto_op_name((proto_op)op);
}

static void write_hist(FILE *f, const char *name, const char *labels, const metrics_hist *h,
                       double scale)
{
    unsigned long long below = 0;
    for (size_t i = 0; i < METRICS_BUCKETS; i++) {
        below += atomic_load(&h->le[i]);
        fprintf(f, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, labels[0] ? "," : "",
                bounds[i] * scale, below);
    }
    fprintf(f, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, labels[0] ? "," : "",
            (unsigned long long)atomic_load(&h->count));
    fprintf(f, "%s_sum%s%s%s %.6f\n", name, labels[0] ? "{" : "", labels, labels[0] ? "}" : "",
            (double)atomic_load(&h->sum_us) / 1e6 * scale);
    fprintf(f, "%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels, labels[0] ? "}" : "",
            (unsigned long long)atomic_load(&h->count));
}

static void alert_row(void *ctx, const char *state, const char *severity, int64_t n)
{
    fprintf(ctx, "leamond_alerts{state=\"%s\",severity=\"%s\"} %lld\n", state, severity,
            (long long)n);
}

static void last_row(void *ctx, const char *reporter, const char *unused, int64_t at)
{
    (void)unused;
    fprintf(ctx, "leamond_last_submission_timestamp_seconds{organisation=\"%s\"} %lld\n",
            reporter, (long long)at);
}

static long long file_size(const char *path, const char *suffix)
{
    char p[CONFIG_PATH_MAX + 8];
    struct stat st;
    snprintf(p, sizeof p, "%s%s", path, suffix);
    return stat(p, &st) == 0 ? (long long)st.st_size : 0;
}

static int write_all(FILE *f, const metrics *m, store *db, const registry *reg,
                     const settings *set)
{
    fprintf(f, "# HELP leamond_requests_total Requests answered, by op and reply status.\n"
               "# TYPE leamond_requests_total counter\n");
    for (int op = 0; op <= PROTO_OP_COUNT; op++)
        for (size_t s = 0; s < METRICS_STATUSES; s++) {
            unsigned long long n = atomic_load(&m->requests[op][s]);
            if (n || (op == PROTO_OP_SUBMIT && s == 0))
                fprintf(f, "leamond_requests_total{op=\"%s\",status=\"%s%.0d\"} %llu\n",
                        op_label(op), statuses[s] ? "" : "other", statuses[s], n);
        }
    fprintf(f, "# HELP leamond_records_stored_total Figures stored (submissions answered 200).\n"
               "# TYPE leamond_records_stored_total counter\n"
               "leamond_records_stored_total %llu\n"
               "# HELP leamond_record_errors_total Records refused, each with its own error.\n"
               "# TYPE leamond_record_errors_total counter\n"
               "leamond_record_errors_total %llu\n"
               "# HELP leamond_received_bytes_total Bytes of requests read.\n"
               "# TYPE leamond_received_bytes_total counter\n"
               "leamond_received_bytes_total %llu\n"
               "# HELP leamond_queued_requests Requests read and not yet answered.\n"
               "# TYPE leamond_queued_requests gauge\n"
               "leamond_queued_requests %lld\n"
               "# HELP leamond_connections Connections open on the request socket.\n"
               "# TYPE leamond_connections gauge\n"
               "leamond_connections %lld\n",
            (unsigned long long)atomic_load(&m->records_stored),
            (unsigned long long)atomic_load(&m->record_errors),
            (unsigned long long)atomic_load(&m->bytes_in), (long long)atomic_load(&m->queued),
            (long long)atomic_load(&m->connections));
    fprintf(f, "# HELP leamond_record_errors_by_code_total Records refused, by error code "
               "(PROTOCOL.md §6).\n# TYPE leamond_record_errors_by_code_total counter\n");
    for (size_t i = 0; i < METRICS_ERROR_CODES; i++) {
        unsigned long long n = atomic_load(&m->errors_by_code[i]);
        if (n)
            fprintf(f, "leamond_record_errors_by_code_total{code=\"%s\"} %llu\n",
                    error_codes[i], n);
    }
    static const char *const conn_causes[CONN_CAUSES] = {"unknown_key", "key_cap",
                                                         "no_request"};
    fprintf(f, "# HELP leamond_connections_ended_total Connections refused at the handshake "
               "(unknown_key, key_cap) or closed by leamond (no_request), by cause.\n"
               "# TYPE leamond_connections_ended_total counter\n");
    for (size_t i = 0; i < CONN_CAUSES; i++)
        fprintf(f, "leamond_connections_ended_total{cause=\"%s\"} %llu\n", conn_causes[i],
                (unsigned long long)atomic_load(&m->connections_ended[i]));
    fprintf(f, "# HELP leamond_refused_total Requests refused for now (503, 429), by cause.\n"
               "# TYPE leamond_refused_total counter\n");
    for (size_t i = 0; i < REFUSED_CAUSES; i++)
        fprintf(f, "leamond_refused_total{cause=\"%s\"} %llu\n", causes[i],
                (unsigned long long)atomic_load(&m->refused[i]));
    fprintf(f, "# HELP leamond_request_duration_seconds From reading a request to its reply.\n"
               "# TYPE leamond_request_duration_seconds histogram\n");
    for (int op = 0; op <= PROTO_OP_COUNT; op++) {
        if (!atomic_load(&m->latency[op].count))
            continue;
        char labels[64];
        snprintf(labels, sizeof labels, "op=\"%s\"", op_label(op));
        write_hist(f, "leamond_request_duration_seconds", labels, &m->latency[op], 1);
    }
    fprintf(f, "# HELP leamond_commit_seconds One group commit of a batch, fsync included.\n"
               "# TYPE leamond_commit_seconds histogram\n");
    write_hist(f, "leamond_commit_seconds", "", &m->commit, 1);
    fprintf(f, "# HELP leamond_batch_requests Requests in one batch.\n"
               "# TYPE leamond_batch_requests histogram\n");
    write_hist(f, "leamond_batch_requests", "", &m->batch_requests, 1000);
    fprintf(f, "# HELP leamond_snapshot_refresh_seconds One refresh of the snapshots after "
               "new figures.\n# TYPE leamond_snapshot_refresh_seconds histogram\n");
    write_hist(f, "leamond_snapshot_refresh_seconds", "", &m->refresh, 1);
    fprintf(f, "# HELP leamond_alerts Open alerts, by state and severity.\n"
               "# TYPE leamond_alerts gauge\n");
    if (store_open_alert_counts(db, alert_row, f) < 0)
        return -1;
    fprintf(f, "# HELP leamond_last_submission_timestamp_seconds When each organisation last "
               "submitted.\n# TYPE leamond_last_submission_timestamp_seconds gauge\n");
    if (store_last_submissions(db, last_row, f) < 0)
        return -1;
    fprintf(f, "# HELP leamond_database_bytes The database file and its WAL.\n"
               "# TYPE leamond_database_bytes gauge\n"
               "leamond_database_bytes{file=\"db\"} %lld\n"
               "leamond_database_bytes{file=\"wal\"} %lld\n"
               "# HELP leamond_organisations Organisations in the partners file.\n"
               "# TYPE leamond_organisations gauge\n"
               "leamond_organisations %zu\n"
               "# HELP leamond_start_time_seconds When leamond started.\n"
               "# TYPE leamond_start_time_seconds gauge\n"
               "leamond_start_time_seconds %lld\n",
            file_size(set->database, ""), file_size(set->database, "-wal"), reg->parts.n_orgs,
            (long long)m->started);
    return 0;
}

int metrics_write(const metrics *m, store *db, const registry *reg, const settings *set,
                  const char *path, lm_error *err)
{
    char tmp[CONFIG_PATH_MAX + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return lm_fail(err, 0, "%s: %s", tmp, strerror(errno));
    /* node_exporter reads it as its own user; nothing in it is a figure. */
    if (fchmod(fileno(f), 0644) != 0) {
        fclose(f);
        remove(tmp);
        return lm_fail(err, 0, "%s: %s", tmp, strerror(errno));
    }
    int rc = write_all(f, m, db, reg, set);
    if (fclose(f) != 0 || rc < 0) {
        remove(tmp);
        return lm_fail(err, 0, "%s: %s", tmp, rc < 0 ? store_errmsg(db) : strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        remove(tmp);
        return lm_fail(err, 0, "%s: %s", path, strerror(errno));
    }
    return 0;
}
