/* compl_grid.c: a partner's completeness in one table (compl_grid.h): a row per metric, a
 * column per month of the period that has begun, each cell what became of that month. */
#include "compl_grid.h"

#include <string.h>
#include <time.h>

#include "format.h"

/* A day in local time, "2026-11-23". */
static void day(char *buf, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%d", &tm) == 0)
        snprintf(buf, n, "%lld", (long long)t);
}

/* A deadline is a midnight: due before it, so the last day to send is the day before. */
static void last_day(char *buf, size_t n, int64_t deadline)
{
    day(buf, n, deadline - 1);
}

typedef struct {
    int owed, on_time, late, missing, open;
    int64_t next;            /* the earliest deadline still open; 0: none */
} totals;

static int cell(table_t *t, const proto_compl_month *m, totals *sum)
{
    char d[FMT_NUMBER_MAX];
    if (!strcmp(m->status, "not_due"))
        return table_add(t, "not owed");
    sum->owed++;
    if (m->has_reported)
        day(d, sizeof d, m->reported);
    else
        last_day(d, sizeof d, m->deadline);
    if (!strcmp(m->status, "on_time")) {
        sum->on_time++;
        return table_addf(t, "sent %s", d);
    }
    if (!strcmp(m->status, "late")) {
        sum->late++;
        return table_addf(t, "LATE, sent %s", d);
    }
    if (!strcmp(m->status, "missing")) {
        sum->missing++;
        return table_addf(t, "MISSING, was due %s", d);
    }
    sum->open++;
    if (!sum->next || m->deadline < sum->next)
        sum->next = m->deadline;
    return table_addf(t, "due by %s", d);
}

/* The organisation's row of metric i, or NULL when it has none (inactive). */
static const proto_compl_org *row_of(const proto_completeness_reply *r, size_t i)
{
    return r->metrics[i].n_orgs ? &r->metrics[i].orgs[0] : NULL;
}

int compl_print_grid(FILE *out, const proto_completeness_reply *r)
{
    /* The months: those of the first row (every row has the same). */
    const proto_compl_org *first = NULL;
    for (size_t i = 0; !first && i < r->n_metrics; i++)
        first = row_of(r, i);
    if (fprintf(out, "Completeness of %s%s%s%s, %s; a month's figures are due %lld day%s "
                     "after it ends\n\n",
                r->organisation, first ? " (" : "", first ? first->name : "", first ? ")" : "",
                r->period, (long long)r->grace_days, r->grace_days == 1 ? "" : "s") < 0)
        return -1;
    if (!first || first->n_months == 0)
        return fprintf(out, "nothing to report for this period\n") < 0 ? -1 : 0;
    table_col cols[1 + PROTO_COMPL_MONTHS];
    cols[0] = (table_col){"METRIC", TABLE_LEFT};
    for (size_t k = 0; k < first->n_months; k++)
        cols[1 + k] = (table_col){first->months[k].month, TABLE_LEFT};
    table_t *t = table_new(cols, 1 + first->n_months);
    if (!t)
        return -1;
    totals sum = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n_metrics; i++) {
        const proto_compl_org *o = row_of(r, i);
        if (!o)
            continue;
        rc |= table_add(t, r->metrics[i].metric);
        for (size_t k = 0; rc == 0 && k < first->n_months; k++)
            rc |= k < o->n_months ? cell(t, &o->months[k], &sum) : table_add(t, "");
    }
    if (rc == 0)
        rc = table_print(t, out, "");
    table_destroy(&t);
    if (rc != 0)
        return -1;
    char next[FMT_NUMBER_MAX + 32] = "";
    if (sum.next) {
        char d[FMT_NUMBER_MAX];
        last_day(d, sizeof d, sum.next);
        snprintf(next, sizeof next, " (the first by %s)", d);
    }
    return fprintf(out, "\n%d owed: %d sent on time, %d late, %d missing, %d still due%s\n",
                   sum.owed, sum.on_time, sum.late, sum.missing, sum.open, next) < 0
               ? -1
               : 0;
}
