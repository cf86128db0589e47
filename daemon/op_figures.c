/* op_figures.c: the figures op (PROTOCOL.md §5.17): an organisation's figures as the
 * daemon holds them now, each with its corrections and retractions. A partner reads its
 * own only; staff name the organisation. */
#include "op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query_args.h"
#include "reply_stored.h"

/* The months asked for: period's, or from's first to to's last. 0, or -1 after refusing. */
static int months_asked(op_ctx *c, int *first, int *last)
{
    const proto_request *req = c->req;
    lm_error e;
    period p, q;
    if (req->period[0] && (req->from[0] || req->to[0]))
        return op_refuse(c, PROTO_BAD_REQUEST, "give period, or from and to, not both");
    if (req->period[0]) {
        if (query_period(req->period, "period", &p, &e) < 0)
            return op_fail(c, &e);
        *first = period_first_month(&p);
        *last = period_last_month(&p);
        return 0;
    }
    if (!req->from[0] || !req->to[0])
        return op_refuse(c, PROTO_BAD_REQUEST, "figures needs period, or from and to");
    if (query_period(req->from, "from", &p, &e) < 0 || query_period(req->to, "to", &q, &e) < 0)
        return op_fail(c, &e);
    *first = period_first_month(&p);
    *last = period_last_month(&q);
    if (*first > *last)
        return op_refuse(c, PROTO_BAD_REQUEST, "from comes after to");
    return 0;
}

/* The request's checks, in PROTOCOL.md's order: whose, the months, metric, area. */
static const organisation *checked(op_ctx *c, int *first, int *last)
{
    const proto_request *req = c->req;
    const organisation *o;
    lm_error e;
    if (query_whose(c->who, &c->reg->parts, req->organisation, "reads", &o, &e) < 0) {
        op_fail(c, &e);
        return NULL;
    }
    if (!o) {
        op_refuse(c, PROTO_BAD_REQUEST, "staff name the organisation whose figures to list "
                                        "(organisation)");
        return NULL;
    }
    if (months_asked(c, first, last) < 0)
        return NULL;
    if (req->metric[0] && !catalog_metric(&c->reg->cat, req->metric)) {
        op_refuse(c, PROTO_NOT_FOUND, "unknown metric '%s' (leamon catalog lists them)",
                  req->metric);
        return NULL;
    }
    if (req->area[0] && query_area(&c->reg->parts, req->area, &e) < 0) {
        op_fail(c, &e);
        return NULL;
    }
    return o;
}

static void fill_figure(proto_stored_figure *out, const store_own_figure *f)
{
    snprintf(out->metric, sizeof out->metric, "%s", f->metric);
    snprintf(out->area, sizeof out->area, "%s", f->area);
    snprintf(out->period, sizeof out->period, "%s", f->period);
    out->has_value = out->has_reported = out->has_updated = f->stored;
    out->value = f->value;
    out->reported_at = f->reported_at;
    out->updated_at = f->updated_at;
    snprintf(out->submission, sizeof out->submission, "%s", f->stored ? f->submission : "");
}

static void fill_change(proto_figure_change *out, const store_own_change *ch)
{
    out->at = ch->at;
    snprintf(out->change, sizeof out->change, "%s", ch->retracted ? "retracted" : "corrected");
    out->old_value = ch->old_value;
    out->has_new = !ch->retracted;
    out->new_value = ch->new_value;
    snprintf(out->by, sizeof out->by, "%s", ch->by);
    snprintf(out->request, sizeof out->request, "%s", ch->request);
}

/* Each figure's changes, the newest PROTO_MAX_FIGURE_CHANGES. 0, or -1 after refusing. */
static int fill_changes(op_ctx *c, const organisation *o, const store_own_figure *rows,
                        proto_figures_reply *r)
{
    store_own_change ch[PROTO_MAX_FIGURE_CHANGES + 1];
    for (size_t i = 0; i < r->n_figures; i++) {
        size_t n;
        if (store_own_changes(c->db, o->id, &rows[i], PROTO_MAX_FIGURE_CHANGES + 1, ch, &n) < 0)
            return op_refuse(c, PROTO_INTERNAL, "cannot read the figures: %s",
                             store_errmsg(c->db));
        /* One more than listed was found: the oldest is left out. */
        size_t skip = n > PROTO_MAX_FIGURE_CHANGES ? n - PROTO_MAX_FIGURE_CHANGES : 0;
        r->truncated |= skip > 0;
        proto_stored_figure *f = &r->figures[i];
        if (n - skip && !(f->changes = calloc(n - skip, sizeof *f->changes)))
            return op_refuse(c, PROTO_INTERNAL, "out of memory");
        for (size_t k = skip; k < n; k++)
            fill_change(&f->changes[f->n_changes++], &ch[k]);
    }
    return 0;
}

void op_figures(op_ctx *c)
{
    int first = 0, last = 0;
    const organisation *o = checked(c, &first, &last);
    if (!o)
        return;
    proto_figures_reply r = {0};
    snprintf(r.organisation, sizeof r.organisation, "%s", o->id);
    snprintf(r.name, sizeof r.name, "%s", o->name);
    period pf = period_month_from_number(first), pl = period_month_from_number(last);
    if (period_format(&pf, r.from, sizeof r.from) != 0 ||
        period_format(&pl, r.to, sizeof r.to) != 0) {
        op_refuse(c, PROTO_BAD_REQUEST, "the months asked for lie outside 1900 to 9998");
        return;
    }
    /* One row more than is listed tells that the list was cut. */
    size_t n = 0;
    bool began = false;
    store_own_figure *rows = calloc(PROTO_MAX_FIGURES + 1, sizeof *rows);
    r.figures = calloc(PROTO_MAX_FIGURES, sizeof *r.figures);
    if (!rows || !r.figures) {
        op_refuse(c, PROTO_INTERNAL, "out of memory");
        goto out;
    }
    /* Both reads in one transaction: the changes belong to the figures listed. */
    began = !store_in_transaction(c->db);
    if ((began && store_read_begin(c->db) < 0) ||
        store_own_figures(c->db, o->id, r.from, r.to, c->req->metric, c->req->area,
                          PROTO_MAX_FIGURES + 1, rows, &n) < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot read the figures: %s", store_errmsg(c->db));
        goto out;
    }
    r.truncated = n > PROTO_MAX_FIGURES;
    r.n_figures = r.truncated ? PROTO_MAX_FIGURES : n;
    for (size_t i = 0; i < r.n_figures; i++)
        fill_figure(&r.figures[i], &rows[i]);
    if (fill_changes(c, o, rows, &r) == 0)
        proto_figures_reply_write(c->w, c->req->id, &r);
out:
    if (began)
        store_read_end(c->db);
    proto_figures_reply_free(&r);
    free(rows);
}
