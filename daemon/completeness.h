/* completeness.h: who had to report a metric for a period, who did, on time or late, and
 * who has not. A month's figures are due grace_days after the month ends. */
#ifndef LEAMON_COMPLETENESS_H
#define LEAMON_COMPLETENESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "period.h"
#include "store.h"

typedef enum { COMPL_ON_TIME, COMPL_LATE, COMPL_MISSING, COMPL_OPEN } compl_status;
const char *compl_status_name(compl_status s);

/* One month of the period that has begun, for one organisation. */
typedef struct {
    int month;               /* a month number */
    bool due;                /* the metric is owed this month (its due_months) */
    compl_status status;     /* when due */
    bool has_at;
    int64_t at;              /* its first report */
    int64_t deadline;
} compl_month;

/* One organisation that must report the metric. Months are month numbers. */
typedef struct {
    int org;                 /* index into reg->parts.orgs */
    compl_status status;     /* missing > late > open > on time */
    int months_due;          /* months of the period that have begun */
    int months_reported;
    int late[12], n_late;
    int missing[12], n_missing;
    bool has_first;
    int64_t first_reported;  /* the earliest first report of any of its months */
    int64_t deadline;        /* of the last month that has begun */
    compl_month months[12];  /* every month of the period begun, due or not, in order */
    int n_months;
} compl_row;

typedef struct {
    const metric *m;
    compl_row *rows;         /* owned */
    size_t n;
    size_t on_time, late, missing, open;
} compl_metric;

/* Completeness of m over the months of p that have begun by now, for every active
 * organisation of a kind that reports m (only `only` when not NULL). 0 or -1. */
int completeness_compute(store *db, const registry *reg, const metric *m, const period *p,
                         time_t now, long long grace_days, const organisation *only,
                         compl_metric *out);
void completeness_free(compl_metric *c);

#endif
