/* outliers.c: a submission's figures against the reporter's own history (outliers.h). */
#include "outliers.h"

#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "period.h"

static int by_area(const void *a, const void *b)
{
    return strcmp(((const store_obs *)a)->area, ((const store_obs *)b)->area);
}

/* The stored months of metric m before month (a month number) within c->months, for area;
 * rows sorted by area (a submission for many areas looks each up, not through all). */
static size_t history(const check_def *c, const store_obs *rows, size_t n, const char *area,
                      int month, double *out, size_t max)
{
    size_t lo = 0, hi = n, k = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(rows[mid].area, area) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n && k < max && strcmp(rows[i].area, area) == 0; i++) {
        period p;
        if (period_parse(rows[i].period, &p) != 0)
            continue;
        int m = period_first_month(&p);
        if (m < month && m >= month - c->months)
            out[k++] = rows[i].value;
    }
    return k;
}

/* A record, to be taken metric by metric. */
typedef struct {
    const char *metric;
    size_t i;
} ref;

static int by_metric(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    int c = strcmp(x->metric, y->metric);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

long outliers_check(store *db, const catalog *cat, const char *reporter, const proto_request *req,
                    proto_errors *warns)
{
    const check_def *c = checks_outlier(cat);
    if (!c || req->n_records == 0)
        return 0;
    /* Metric by metric: one read of the reporter's history for each. */
    ref *order = malloc(req->n_records * sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < req->n_records; i++)
        order[i] = (ref){req->records[i].metric, i};
    qsort(order, req->n_records, sizeof *order, by_metric);
    long found = 0;
    store_obs *rows = NULL;
    size_t n_rows = 0, cap = 0;
    const char *fetched = NULL; /* the metric rows holds */
    for (size_t o = 0; o < req->n_records; o++) {
        size_t i = order[o].i;
        const proto_record *r = &req->records[i];
        period p;
        if (period_parse(r->period, &p) != 0)
            continue;
        int month = period_first_month(&p);
        if (!fetched || strcmp(fetched, r->metric) != 0) {
            /* Every month of this metric the records could look back on, in one read. */
            int lo = month, hi = month;
            for (size_t oj = o; oj < req->n_records; oj++) {
                period q;
                size_t j = order[oj].i;
                if (strcmp(req->records[j].metric, r->metric) != 0)
                    break;
                if (period_parse(req->records[j].period, &q) != 0)
                    continue;
                int qm = period_first_month(&q);
                lo = qm < lo ? qm : lo;
                hi = qm > hi ? qm : hi;
            }
            period first = period_month_from_number(lo - c->months);
            period last = period_month_from_number(hi - 1);
            char ft[PERIOD_TEXT_MAX], lt[PERIOD_TEXT_MAX];
            n_rows = 0;
            if (period_format(&first, ft, sizeof ft) != 0 || period_format(&last, lt, sizeof lt) != 0 ||
                store_observations_of(db, reporter, r->metric, ft, lt, &rows, &n_rows, &cap) < 0) {
                free(rows);
                free(order);
                return -1;
            }
            if (n_rows > 1)
                qsort(rows, n_rows, sizeof *rows, by_area);
            fetched = r->metric;
        }
        double past[60], median = 0;
        size_t k = history(c, rows, n_rows, r->area, month, past, sizeof past / sizeof past[0]);
        if (!checks_is_outlier(c, r->value, past, k, &median))
            continue;
        proto_errors_add(warns, (long)i, "value", "outlier",
                         "%.15g for %s in %s %s is far from %s's usual figure (the median of its "
                         "last %zu months is %.15g): stored, but check it (a thousands separator "
                         "read as a decimal point?)",
                         r->value, r->metric, r->area, r->period, reporter, k, median);
        found++;
    }
    free(rows);
    free(order);
    return found;
}
