/* outliers.c: a submission's figures against the reporter's own history (outliers.h). */
#include "outliers.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "period.h"

/* The stored months of the metric and area before month (a month number), within
 * c->months. */
static size_t history(const check_def *c, const store_obs *rows, size_t n, int month,
                      double *out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        period p;
        if (period_parse(rows[i].period, &p) != 0)
            continue;
        int m = period_first_month(&p);
        if (m < month && m >= month - c->months)
            out[k++] = rows[i].value;
    }
    return k;
}

/* A record, to be taken (metric, area) by (metric, area). */
typedef struct {
    const proto_record *r;
    size_t i;
} ref;

static int by_series(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    int c = strcmp(x->r->metric, y->r->metric);
    if (!c)
        c = strcmp(x->r->area, y->r->area);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

static bool same_series(const proto_record *x, const proto_record *y)
{
    return strcmp(x->metric, y->metric) == 0 && strcmp(x->area, y->area) == 0;
}

/* Read the reporter's stored months that the records o..e-1 (one series) look back on. */
static int read_history(store *db, const check_def *c, const char *reporter, const ref *order,
                        size_t o, size_t e, store_obs **rows, size_t *n_rows, size_t *cap)
{
    int lo = INT_MAX, hi = INT_MIN;
    for (size_t j = o; j < e; j++) {
        period q;
        if (period_parse(order[j].r->period, &q) != 0)
            continue;
        int qm = period_first_month(&q);
        lo = qm < lo ? qm : lo;
        hi = qm > hi ? qm : hi;
    }
    *n_rows = 0;
    if (lo > hi)
        return 0;
    period first = period_month_from_number(lo - c->months);
    period last = period_month_from_number(hi - 1);
    char ft[PERIOD_TEXT_MAX], lt[PERIOD_TEXT_MAX];
    if (period_format(&first, ft, sizeof ft) != 0 || period_format(&last, lt, sizeof lt) != 0)
        return -1;
    return store_observations_of(db, reporter, order[o].r->metric, order[o].r->area, ft, lt,
                                 rows, n_rows, cap);
}

long outliers_check(store *db, const catalog *cat, const char *reporter, const proto_request *req,
                    proto_errors *warns)
{
    const check_def *c = checks_outlier(cat);
    if (!c || req->n_records == 0)
        return 0;
    /* Series by series (metric and area): one read of the reporter's history for each. */
    ref *order = malloc(req->n_records * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < req->n_records; i++)
        order[i] = (ref){&req->records[i], i};
    qsort(order, req->n_records, sizeof *order, by_series);
    long found = 0;
    store_obs *rows = NULL;
    size_t n_rows = 0, cap = 0;
    for (size_t o = 0; o < req->n_records;) {
        size_t e = o + 1;
        while (e < req->n_records && same_series(order[o].r, order[e].r))
            e++;
        if (read_history(db, c, reporter, order, o, e, &rows, &n_rows, &cap) < 0) {
            free(rows);
            free(order);
            return -1;
        }
        for (; o < e; o++) {
            const proto_record *r = order[o].r;
            period p;
            if (period_parse(r->period, &p) != 0)
                continue;
            double past[60], median = 0;
            size_t k = history(c, rows, n_rows, period_first_month(&p), past,
                               sizeof past / sizeof past[0]);
            if (!checks_is_outlier(c, r->value, past, k, &median))
                continue;
            proto_errors_add(warns, (long)order[o].i, "value", "outlier",
                             "%.15g for %s in %s %s is far from %s's usual figure (the median of "
                             "its last %zu months is %.15g): stored, but check it (a thousands "
                             "separator read as a decimal point?)",
                             r->value, r->metric, r->area, r->period, reporter, k, median);
            found++;
        }
    }
    free(rows);
    free(order);
    return found;
}
