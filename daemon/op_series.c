/* op_series.c: the series op (PROTOCOL.md §5.6): one indicator for one area over
 * consecutive periods of one kind, with the target's path at each. */
#include "op.h"

#include <stdio.h>
#include <stdlib.h>

#include "figures.h"
#include "query_args.h"
#include "snapshot.h"

/* The periods from..to, at most PROTO_MAX_SERIES of them: how many, or -1 (refused). */
static long count_periods(op_ctx *c, const period *from, const period *to)
{
    if (from->kind != to->kind)
        return op_refuse(c, PROTO_BAD_REQUEST, "from and to must be periods of one kind (%s, %s)",
                         period_kind_name(from->kind), period_kind_name(to->kind));
    if (period_compare(from, to) > 0)
        return op_refuse(c, PROTO_BAD_REQUEST, "from comes after to");
    long n = 1;
    for (period q = *from; period_compare(&q, to) < 0 && n <= PROTO_MAX_SERIES; n++)
        if (period_next(&q, &q) != 0)
            break;
    if (n > PROTO_MAX_SERIES)
        return op_refuse(c, PROTO_BAD_REQUEST, "a series holds at most %d periods",
                         PROTO_MAX_SERIES);
    return n;
}

void op_series(op_ctx *c)
{
    const proto_request *req = c->req;
    const partners *parts = &c->reg->parts;
    lm_error e;
    const indicator *ind = query_indicator(&c->reg->cat, req->indicator, &e);
    period from, to;
    int at;
    long n;
    if (!ind || query_period(req->from, "from", &from, &e) < 0 ||
        query_period(req->to, "to", &to, &e) < 0 || (at = query_area(parts, req->area, &e)) < 0) {
        op_fail(c, &e);
        return;
    }
    if ((n = count_periods(c, &from, &to)) < 0)
        return;
    op_before_read(c, ind, at, &from, &to);
    proto_series_reply r = {0};
    figures_indicator(&r.ind, ind);
    snprintf(r.area, sizeof r.area, "%s", parts->areas[at].code);
    snprintf(r.name, sizeof r.name, "%s", parts->areas[at].name);
    r.has_target = figures_target(&r.target, c->db, c->reg, ind, at, NULL);
    const target *t = snapshot_target(c->reg, ind, at);
    double figure = 0;
    bool has_figure = t && snapshot_baseline_figure(c->db, c->reg, t, at, &figure);
    if (!(r.points = calloc((size_t)n, sizeof *r.points))) {
        op_refuse(c, PROTO_INTERNAL, "out of memory");
        return;
    }
    figures_ctx fc = {c->db, c->reg, c->set->grace_days, c->now};
    period q = from;
    for (long i = 0; i < n; i++) {
        proto_series_point *pt = &r.points[r.n_points++];
        stored_snapshot s;
        if (snapshot_current(c->db, c->reg, ind, &q, at, false, 0, &s) < 0) {
            op_refuse(c, PROTO_INTERNAL, "cannot compute the series: %s", store_errmsg(c->db));
            goto out;
        }
        period_format(&q, pt->period, sizeof pt->period);
        pt->has_path = t && snapshot_path(t, &q, has_figure, figure, &pt->path);
        proto_verdict v;
        if (figures_figure(&fc, &pt->fig, ind, &q, &s) < 0 ||
            figures_verdict(&fc, &v, ind, at, &q, &pt->fig, pt->has_path, pt->path) < 0) {
            op_refuse(c, PROTO_INTERNAL, "cannot compute the series: %s", store_errmsg(c->db));
            goto out;
        }
        snprintf(pt->verdict, sizeof pt->verdict, "%s", v.verdict);
        if (i + 1 < n && period_next(&q, &q) != 0) {
            op_refuse(c, PROTO_INTERNAL, "period out of range");
            goto out;
        }
    }
    proto_series_reply_write(c->w, req->id, &r);
out:
    proto_series_reply_free(&r);
}
