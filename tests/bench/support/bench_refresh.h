/* bench_refresh.h: the incremental snapshot refresh, timed in-process: one small submission
 * committed through the store, then the refresh alone, as leamond's derive thread runs it
 * after a commit (with the coverage in memory). Shared by bench_snapshot and bench_load. */
#ifndef LEAMON_BENCH_REFRESH_H
#define LEAMON_BENCH_REFRESH_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "store.h"

/* What one repetition submits: every metric of metrics for each of the months
 * last_month - n_months + 1 .. last_month (month numbers), by reporter for area. */
typedef struct {
    const char *reporter;
    const char *area;
    const metric *const *metrics;
    size_t n_metrics;
    int last_month;
    int n_months;
    /* The figure of repetition rep; it must differ from the one of rep - 1, so that every
     * repetition changes what the snapshots are computed from. */
    double (*value)(void *ctx, const metric *m, int month, long long rep);
    void *ctx;
    const char *tag;     /* request ids are TAG-REP, unique per reporter within a database */
} refresh_job;

typedef struct {
    double *ms;          /* the refresh of each repetition */
    size_t *versions;    /* snapshot versions it wrote */
    long long n;
    long long records;   /* per submission */
    double submit_ms;    /* total of the submissions' transactions */
} refresh_series;

/* repeat repetitions of job on db into out (freed with refresh_series_free, also after a
 * failure). 0, or -1 with err set. */
int refresh_run(store *db, const registry *reg, const refresh_job *job, long long repeat,
                refresh_series *out, lm_error *err);
void refresh_series_free(refresh_series *s);

typedef struct {
    double median, p90, max;
    size_t vmin, vmax;   /* fewest and most versions one refresh wrote */
} refresh_summary;

/* 0, or -1 when out of memory or s holds nothing. */
int refresh_summarise(const refresh_series *s, refresh_summary *out);

/* The i-th replacement of a figure v0 of m: each differs from the one before and stays
 * within m's range. */
double refresh_changed_value(const metric *m, double v0, long long i);

#endif
