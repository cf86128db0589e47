/* op_retract.c: the retract op (PROTOCOL.md §5.13): a partner takes back one of its figures
 * (an admin may for a partner), as if it had never been sent; the figure stays in the
 * audit. */
#include "op.h"

#include <stdio.h>
#include <string.h>

#include "query_args.h"
#include "reply_figure_ops.h"

/* Whose figure: the sender's own, or for an admin the organisation it names. */
static const organisation *owner(op_ctx *c)
{
    const organisation *o;
    lm_error e;
    if (query_whose(c->who, &c->reg->parts, c->req->organisation, "retracts", &o, &e) < 0) {
        op_fail(c, &e);
        return NULL;
    }
    if (!o)
        op_refuse(c, PROTO_BAD_REQUEST, "an admin's retraction names the organisation whose "
                                        "figure it is (organisation)");
    return o;
}

/* The figure named by the request, checked: 0, or -1 after refusing. */
static int figure_named(op_ctx *c, const organisation *o, store_figure *f)
{
    const proto_request *req = c->req;
    lm_error e;
    period p;
    int at = o->home;
    if (query_period(req->period, "period", &p, &e) < 0 ||
        (req->area[0] && (at = query_area(&c->reg->parts, req->area, &e)) < 0))
        return op_fail(c, &e);
    if (p.kind != PERIOD_MONTH)
        return op_refuse(c, PROTO_BAD_REQUEST, "figures are stored per month: %s is a %s",
                         req->period, period_kind_name(p.kind));
    if (!catalog_metric(&c->reg->cat, req->metric))
        return op_refuse(c, PROTO_NOT_FOUND, "unknown metric '%s' (leamon catalog lists them)",
                         req->metric);
    memset(f, 0, sizeof *f);
    snprintf(f->reporter, sizeof f->reporter, "%s", o->id);
    snprintf(f->metric, sizeof f->metric, "%s", req->metric);
    period_format(&p, f->period, sizeof f->period);
    snprintf(f->area, sizeof f->area, "%s", c->reg->parts.areas[at].code);
    int64_t closed = 0;
    if (store_closed_months(c->db, f->period, f->period, (int64_t)c->now, &closed) < 0)
        return op_refuse(c, PROTO_INTERNAL, "cannot read the database: %s", store_errmsg(c->db));
    if (closed)
        return op_refuse(c, PROTO_CONFLICT, "%s is closed: its figures are agreed; an admin "
                         "reopens it first (leamon reopen %s)", f->period, f->period);
    return 0;
}

static void reply(op_ctx *c, const store_figure *f, bool duplicate)
{
    proto_retract_reply r = {.value = f->value, .duplicate = duplicate};
    snprintf(r.organisation, sizeof r.organisation, "%s", f->reporter);
    snprintf(r.metric, sizeof r.metric, "%s", f->metric);
    snprintf(r.area, sizeof r.area, "%s", f->area);
    snprintf(r.period, sizeof r.period, "%s", f->period);
    proto_retract_reply_write(c->w, c->req->id, &r);
}

void op_retract(op_ctx *c)
{
    const char *by = identity_id(c->who);
    store_figure f;
    /* A retry of a retraction that was done gets the same answer. */
    int found = store_find_retraction(c->db, by, c->req->id, &f);
    if (found < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot read the database: %s", store_errmsg(c->db));
        return;
    }
    if (found) {
        reply(c, &f, true);
        return;
    }
    const organisation *o = owner(c);
    if (!o || figure_named(c, o, &f) < 0)
        return;
    int done = -1;
    if (store_begin(c->db) == 0 &&
        (done = store_retract(c->db, &f, by, c->req->id, (int64_t)c->now)) == 1 &&
        store_commit(c->db) != 0)
        done = -1;
    if (done != 1)
        store_rollback(c->db);
    if (done == 0) {
        op_refuse(c, PROTO_NOT_FOUND, "%s has no figure of %s for %s in %s", f.reporter,
                  f.metric, f.area, f.period);
        return;
    }
    if (done < 0) {
        log_msg(c->log, LOG_ERR, "retract: %s", store_errmsg(c->db));
        op_refuse(c, store_error_transient(c->db) ? PROTO_UNAVAILABLE : PROTO_INTERNAL,
                  "cannot retract the figure now; nothing was changed");
        return;
    }
    log_msg(c->log, LOG_INFO, "retract %s by %s: %s %s %s %s (was %.15g)", c->req->id, by,
            f.reporter, f.metric, f.area, f.period, f.value);
    if (c->changed)
        c->changed(c->hook_self, true);
    reply(c, &f, false);
}
