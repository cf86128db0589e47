/* op_snapshot.c: the snapshot op (PROTOCOL.md §5.5): one indicator for one period and area,
 * with its target, and on request each child area's or each reporter's part. */
#include "op.h"

#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "query_args.h"
#include "snapshot.h"

/* Each child area of at, found as the main figure is (with as_of too). */
static int children(op_ctx *c, const figures_ctx *fc, const indicator *ind, const period *p,
                    int at, proto_snapshot_reply *r)
{
    const partners *parts = &c->reg->parts;
    size_t n = 0;
    for (size_t i = 0; i < parts->n_areas; i++)
        n += parts->areas[i].parent == at;
    r->areas = calloc(n ? n : 1, sizeof *r->areas);
    if (!r->areas)
        return op_refuse(c, PROTO_INTERNAL, "out of memory");
    for (size_t i = 0; i < parts->n_areas; i++) {
        if (parts->areas[i].parent != at)
            continue;
        stored_snapshot s;
        if (snapshot_current(c->db, c->reg, ind, p, (int)i, c->req->has_as_of, c->req->as_of,
                             &s) < 0)
            return op_refuse(c, PROTO_INTERNAL, "cannot compute the snapshot: %s",
                             store_errmsg(c->db));
        if (figures_area(fc, &r->areas[r->n_areas++], ind, p, (int)i, &s) < 0)
            return op_refuse(c, PROTO_INTERNAL, "cannot compute the snapshot: %s",
                             store_errmsg(c->db));
    }
    return 0;
}

/* Each organisation's part, from the figures stored now. */
static int reporters(op_ctx *c, const indicator *ind, const period *p, int at,
                     proto_snapshot_reply *r)
{
    snapshot_part *rows = NULL;
    size_t n = 0;
    if (snapshot_by_reporter(c->db, c->reg, ind, p, at, &rows, &n) < 0) {
        free(rows);
        return op_refuse(c, PROTO_INTERNAL, "cannot compute the snapshot: %s",
                         store_errmsg(c->db));
    }
    r->parts = calloc(n ? n : 1, sizeof *r->parts);
    if (!r->parts) {
        free(rows);
        return op_refuse(c, PROTO_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const organisation *o = &c->reg->parts.orgs[rows[i].org];
        proto_reporter_part *pt = &r->parts[r->n_parts++];
        snprintf(pt->reporter, sizeof pt->reporter, "%s", o->id);
        snprintf(pt->name, sizeof pt->name, "%s", o->name);
        snprintf(pt->kind, sizeof pt->kind, "%s", kind_name(o->kind));
        pt->has_num = rows[i].has_num;
        pt->has_den = rows[i].has_den;
        pt->has_value = rows[i].has_value;
        pt->numerator = rows[i].numerator;
        pt->denominator = rows[i].denominator;
        pt->value = rows[i].value;
    }
    free(rows);
    return 0;
}

void op_snapshot(op_ctx *c)
{
    const proto_request *req = c->req;
    lm_error e;
    const indicator *ind = query_indicator(&c->reg->cat, req->indicator, &e);
    period p;
    int at;
    if (!ind || query_period(req->period, "period", &p, &e) < 0 ||
        (at = query_area(&c->reg->parts, req->area, &e)) < 0) {
        op_fail(c, &e);
        return;
    }
    bool by_area = strcmp(req->by, "area") == 0, by_reporter = strcmp(req->by, "reporter") == 0;
    if (req->by[0] && !by_area && !by_reporter) {
        op_refuse(c, PROTO_BAD_REQUEST, "by must be \"area\" or \"reporter\"");
        return;
    }
    if (by_reporter && req->has_as_of) {
        op_refuse(c, PROTO_BAD_REQUEST,
                  "as_of works for the snapshot and by area, not by reporter");
        return;
    }
    if (!req->has_as_of)
        op_before_read(c, ind, at, &p, &p);
    proto_snapshot_reply r = {0};
    stored_snapshot s;
    if (snapshot_current(c->db, c->reg, ind, &p, at, req->has_as_of, req->as_of, &s) < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot compute the snapshot: %s", store_errmsg(c->db));
        return;
    }
    /* States and verdicts as they were at as_of. */
    time_t at_time = req->has_as_of ? (time_t)req->as_of : c->now;
    figures_ctx fc = {c->db, c->reg, c->set->grace_days, at_time};
    figures_indicator(&r.ind, ind);
    period_format(&p, r.period, sizeof r.period);
    r.has_as_of = req->has_as_of;
    r.as_of = req->as_of;
    r.has_target = figures_target(&r.target, c->db, c->reg, ind, at, &p);
    if (figures_area(&fc, &r.snapshot, ind, &p, at, &s) < 0 ||
        figures_verdict(&fc, &r.verdict, ind, at, &p, &r.snapshot.fig, r.target.has_path,
                        r.target.path) < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot compute the snapshot: %s", store_errmsg(c->db));
        return;
    }
    r.by = by_area ? PROTO_BY_AREA : by_reporter ? PROTO_BY_REPORTER : PROTO_BY_NONE;
    if ((by_area && children(c, &fc, ind, &p, at, &r) == 0) ||
        (by_reporter && reporters(c, ind, &p, at, &r) == 0) || r.by == PROTO_BY_NONE)
        proto_snapshot_reply_write(c->w, req->id, &r);
    proto_snapshot_reply_free(&r);
}
