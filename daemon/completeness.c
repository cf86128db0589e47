/* completeness.c: per organisation and month, reported on time, late, missing or open. */
#include "completeness.h"

#include <stdlib.h>
#include <string.h>

const char *compl_status_name(compl_status s)
{
    switch (s) {
    case COMPL_ON_TIME: return "on_time";
    case COMPL_LATE: return "late";
    case COMPL_MISSING: return "missing";
    case COMPL_OPEN: return "open";
    }
    return "?";
}

void completeness_free(compl_metric *c)
{
    free(c->rows);
    memset(c, 0, sizeof *c);
}

int completeness_compute(store *db, const registry *reg, const metric *m, const period *p,
                         time_t now, long long grace_days, const organisation *only,
                         compl_metric *out)
{
    const partners *parts = &reg->parts;
    memset(out, 0, sizeof *out);
    out->m = m;
    int first = period_first_month(p), last = period_last_month(p);
    period now_month;
    if (period_of_time(now, &now_month) == 0 && period_first_month(&now_month) < last)
        last = period_first_month(&now_month); /* months not begun are not due */
    if (last < first)
        return 0;
    char ftext[PERIOD_TEXT_MAX], ltext[PERIOD_TEXT_MAX];
    period pf = period_month_from_number(first), pl = period_month_from_number(last);
    store_obs *rows = NULL;
    size_t n_rows = 0, cap = 0;
    if (period_format(&pf, ftext, sizeof ftext) != 0 || period_format(&pl, ltext, sizeof ltext) != 0 ||
        store_first_reports(db, m->code, ftext, ltext, &rows, &n_rows, &cap) < 0) {
        free(rows);
        return -1;
    }
    out->rows = calloc(parts->n_orgs ? parts->n_orgs : 1, sizeof *out->rows);
    if (!out->rows) {
        free(rows);
        return -1;
    }
    for (size_t i = 0; i < parts->n_orgs; i++) {
        const organisation *o = &parts->orgs[i];
        if (!o->active || !((m->kinds >> o->kind) & 1u) || (only && o != only))
            continue;
        compl_row *r = &out->rows[out->n++];
        r->org = (int)i;
        r->status = COMPL_ON_TIME;
        bool any_open = false;
        for (int month = first; month <= last && r->n_months < 12; month++) {
            period mp = period_month_from_number(month);
            char mtext[PERIOD_TEXT_MAX];
            int64_t deadline = (int64_t)period_end(&mp) + grace_days * 86400;
            compl_month *cm = &r->months[r->n_months++];
            *cm = (compl_month){.month = month, .due = metric_due(m, month),
                                .deadline = deadline};
            if (!cm->due)
                continue; /* nobody owes this metric for this month */
            if (period_format(&mp, mtext, sizeof mtext) != 0)
                continue;
            for (size_t k = 0; k < n_rows && !cm->has_at; k++)
                if (strcmp(rows[k].reporter, o->id) == 0 && strcmp(rows[k].period, mtext) == 0) {
                    cm->has_at = true;
                    cm->at = rows[k].reported_at;
                }
            r->months_due++;
            r->deadline = deadline;
            if (cm->has_at) {
                r->months_reported++;
                if (!r->has_first || cm->at < r->first_reported)
                    r->first_reported = cm->at;
                r->has_first = true;
                cm->status = cm->at >= deadline ? COMPL_LATE : COMPL_ON_TIME;
                if (cm->at >= deadline)
                    r->late[r->n_late++] = month;
            } else if ((int64_t)now >= deadline) {
                cm->status = COMPL_MISSING;
                r->missing[r->n_missing++] = month;
            } else {
                cm->status = COMPL_OPEN;
                any_open = true;
            }
        }
        r->status = r->n_missing ? COMPL_MISSING
                    : r->n_late  ? COMPL_LATE
                    : any_open   ? COMPL_OPEN
                                 : COMPL_ON_TIME;
        size_t *count[] = {&out->on_time, &out->late, &out->missing, &out->open};
        (*count[r->status])++;
    }
    free(rows);
    return 0;
}
