/* bench_refresh.c: the incremental snapshot refresh, timed in-process. */
#include "bench_refresh.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "period.h"
#include "snapshot.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int store_failed(store *db, const char *what, lm_error *err)
{
    lm_fail(err, 0, "%s: %s", what, store_errmsg(db));
    if (store_in_transaction(db))
        store_rollback(db);
    return -1;
}

static int repeat_refresh(store *db, const registry *reg, const refresh_job *job,
                          long long repeat, const snapshot_yield *as_leamond,
                          refresh_series *out, lm_error *err)
{
    for (long long r = 0; r < repeat; r++) {
        char req[80];
        int64_t sub;
        time_t now = time(NULL);
        double t0 = now_ms();
        snprintf(req, sizeof req, "%s-%lld", job->tag, r);
        if (store_begin(db) < 0 || store_savepoint(db) < 0 ||
            store_add_submission(db, job->reporter, req, (int64_t)now, out->records,
                                 mix((uint64_t)r ^ ((uint64_t)job->n_months << 32)), &sub) < 0)
            return store_failed(db, "submission", err);
        for (int mo = job->last_month - job->n_months + 1; mo <= job->last_month; mo++) {
            period mp = period_month_from_number(mo);
            char ptext[PERIOD_TEXT_MAX];
            if (period_format(&mp, ptext, sizeof ptext) != 0) {
                store_rollback(db);
                return lm_fail(err, 0, "month number %d is out of range", mo);
            }
            for (size_t k = 0; k < job->n_metrics; k++) {
                double v = job->value(job->ctx, job->metrics[k], mo, r);
                if (store_put_observation(db, job->reporter, job->metrics[k]->code, ptext,
                                          job->area, v, sub, (int64_t)now) < 0)
                    return store_failed(db, "put observation", err);
            }
        }
        if (store_release(db) < 0 || store_commit(db) < 0)
            return store_failed(db, "commit", err);
        double t1 = now_ms();
        if (snapshot_refresh_ticking(db, reg, now, &out->versions[r], NULL, NULL, NULL,
                                     as_leamond) < 0)
            return store_failed(db, "snapshot_refresh", err);
        out->ms[r] = now_ms() - t1;
        out->submit_ms += t1 - t0;
        out->n = r + 1;
    }
    return 0;
}

int refresh_run(store *db, const registry *reg, const refresh_job *job, long long repeat,
                refresh_series *out, lm_error *err)
{
    memset(out, 0, sizeof *out);
    if (repeat < 1 || job->n_metrics == 0 || job->n_months < 1)
        return lm_fail(err, 0, "nothing to repeat");
    out->records = (long long)job->n_metrics * job->n_months;
    out->ms = calloc((size_t)repeat, sizeof *out->ms);
    out->versions = calloc((size_t)repeat, sizeof *out->versions);
    /* As leamond's derive thread refreshes: with the coverage kept in memory. */
    snapshot_yield as_leamond = {NULL, NULL, NULL, NULL, NULL};
    if (!out->ms || !out->versions || coverage_new(&as_leamond.cov, reg) < 0)
        return lm_fail(err, 0, "out of memory");
    int rc = repeat_refresh(db, reg, job, repeat, &as_leamond, out, err);
    coverage_free(&as_leamond.cov);
    return rc;
}

void refresh_series_free(refresh_series *s)
{
    free(s->ms);
    free(s->versions);
    memset(s, 0, sizeof *s);
}

int refresh_summarise(const refresh_series *s, refresh_summary *out)
{
    if (s->n < 1)
        return -1;
    size_t n = (size_t)s->n;
    double *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, s->ms, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_double);
    out->median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    size_t rank = (size_t)ceil(0.9 * (double)n);
    out->p90 = sorted[rank ? rank - 1 : 0];
    out->max = sorted[n - 1];
    out->vmin = out->vmax = s->versions[0];
    for (size_t i = 1; i < n; i++) {
        out->vmin = s->versions[i] < out->vmin ? s->versions[i] : out->vmin;
        out->vmax = s->versions[i] > out->vmax ? s->versions[i] : out->vmax;
    }
    free(sorted);
    return 0;
}

double refresh_changed_value(const metric *m, double v0, long long i)
{
    double step = m->integer ? 1.0 : 0.5, span = m->max - m->min;
    double v = v0 + step * (double)(1 + i % 40);
    if (v > m->max)
        v = m->min + fmod(v - m->min, span > 0 ? span : 1);
    return v;
}
