/* op_completeness.c: the completeness op (PROTOCOL.md §5.7): who reported each metric for
 * the months of a period. A partner sees only its own rows, for its own kind's metrics, and
 * so do staff who name an organisation. */
#include "op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completeness.h"
#include "query_args.h"
#include "reply_compl.h"

static void fill_months(char (*out)[PROTO_MAX_PERIOD + 1], size_t *n, const int *months, int k)
{
    *n = 0;
    for (int i = 0; i < k && i < PROTO_COMPL_MONTHS; i++) {
        period m = period_month_from_number(months[i]);
        if (period_format(&m, out[*n], PROTO_MAX_PERIOD + 1) == 0)
            (*n)++;
    }
}

/* Month by month: what was owed, and what became of it. */
static void fill_month_list(proto_compl_org *po, const compl_row *r)
{
    po->n_months = 0;
    for (int i = 0; i < r->n_months && i < PROTO_COMPL_MONTHS; i++) {
        const compl_month *m = &r->months[i];
        proto_compl_month *pm = &po->months[po->n_months];
        period mp = period_month_from_number(m->month);
        if (period_format(&mp, pm->month, sizeof pm->month) != 0)
            continue;
        snprintf(pm->status, sizeof pm->status, "%s",
                 m->due ? compl_status_name(m->status) : "not_due");
        pm->has_reported = m->has_at;
        pm->reported = m->at;
        pm->deadline = m->deadline;
        po->n_months++;
    }
}

static int fill_metric(proto_compl_metric *out, const partners *parts, const compl_metric *c)
{
    snprintf(out->metric, sizeof out->metric, "%s", c->m->code);
    snprintf(out->label, sizeof out->label, "%s", c->m->label);
    out->expected = (int64_t)c->n;
    out->on_time = (int64_t)c->on_time;
    out->late = (int64_t)c->late;
    out->missing = (int64_t)c->missing;
    out->open = (int64_t)c->open;
    out->orgs = calloc(c->n ? c->n : 1, sizeof *out->orgs);
    if (!out->orgs)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const compl_row *r = &c->rows[i];
        const organisation *o = &parts->orgs[r->org];
        proto_compl_org *po = &out->orgs[out->n_orgs++];
        snprintf(po->id, sizeof po->id, "%s", o->id);
        snprintf(po->name, sizeof po->name, "%s", o->name);
        snprintf(po->kind, sizeof po->kind, "%s", kind_name(o->kind));
        snprintf(po->status, sizeof po->status, "%s", compl_status_name(r->status));
        po->months_due = r->months_due;
        po->months_reported = r->months_reported;
        fill_months(po->late_months, &po->n_late, r->late, r->n_late);
        fill_months(po->missing_months, &po->n_missing, r->missing, r->n_missing);
        po->has_first = r->has_first;
        po->first_reported = r->first_reported;
        po->deadline = r->deadline;
        fill_month_list(po, r);
    }
    return 0;
}

void op_completeness(op_ctx *c)
{
    const proto_request *req = c->req;
    const catalog *cat = &c->reg->cat;
    const organisation *only;
    lm_error e;
    period p, current_month;
    if (query_whose(c->who, &c->reg->parts, req->organisation, "reads", &only, &e) < 0 ||
        query_period(req->period, "period", &p, &e) < 0) {
        op_fail(c, &e);
        return;
    }
    if (period_of_time(c->now, &current_month) == 0 &&
        period_first_month(&p) > period_first_month(&current_month)) {
        op_refuse(c, PROTO_BAD_REQUEST, "period %s has not begun: nothing is due yet", req->period);
        return;
    }
    const metric *one = NULL;
    if (req->metric[0] && !(one = catalog_metric(cat, req->metric))) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, req->metric, strlen(req->metric));
        op_refuse(c, PROTO_NOT_FOUND, "unknown metric '%s' (leamon catalog lists them)", q);
        return;
    }
    proto_completeness_reply r = {0};
    period_format(&p, r.period, sizeof r.period);
    r.grace_days = c->set->grace_days;
    snprintf(r.organisation, sizeof r.organisation, "%s", only ? only->id : "");
    if (!(r.metrics = calloc(cat->n_metrics ? cat->n_metrics : 1, sizeof *r.metrics))) {
        op_refuse(c, PROTO_INTERNAL, "out of memory");
        return;
    }
    /* The metrics asked about that anyone (or, for a partner, it) must report. */
    for (size_t i = 0; i < cat->n_metrics; i++) {
        const metric *m = &cat->metrics[i];
        if ((one && m != one) || (only && !((m->kinds >> only->kind) & 1u)))
            continue;
        compl_metric cm;
        if (completeness_compute(c->db, c->reg, m, &p, c->now, c->set->grace_days, only, &cm) < 0) {
            op_refuse(c, PROTO_INTERNAL, "cannot compute completeness: %s", store_errmsg(c->db));
            goto out;
        }
        int filled = fill_metric(&r.metrics[r.n_metrics++], &c->reg->parts, &cm);
        completeness_free(&cm);
        if (filled != 0) {
            op_refuse(c, PROTO_INTERNAL, "out of memory");
            goto out;
        }
    }
    proto_completeness_reply_write(c->w, req->id, &r);
out:
    proto_completeness_reply_free(&r);
}
