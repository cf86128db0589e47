/* fetch.c: the report's questions to the daemon (see fetch.h). */
#include "report/fetch.h"

#include <stdbool.h>
#include <stdio.h>

#include "query.h"
#include "report/text.h"
#include "session.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

int fetch_start(fetcher *f, leamon_ctx *ctx)
{
    f->ctx = ctx;
    return query_start(ctx, &f->base, PROTO_OP_CATALOG);
}

/* A request for op, as the same reporter as the first. */
static int new_request(const fetcher *f, proto_request *req, proto_op op)
{
    if (query_request_like(&f->base, req, op) != 0) {
        leamon_error(f->ctx, "cannot make a random request id (no getrandom or /dev/urandom)");
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

/* After a typed reader ran on reply (read_rc, e): reply freed; 0, or the exit status of
 * a malformed reply, said. */
static int taken(const fetcher *f, rpc_reply *reply, int read_rc, const lm_error *e)
{
    rpc_reply_free(reply);
    return read_rc == 0 ? 0 : ctx_malformed(f->ctx, e);
}

int fetch_catalog(fetcher *f, report_t *r, const char *area_code)
{
    proto_catalog_reply cat;
    rpc_reply reply;
    lm_error e;
    int rc = query_call(f->ctx, &f->base, &reply);
    if (rc == 0)
        rc = taken(f, &reply, proto_catalog_reply_read(reply.root, &cat, &e), &e);
    if (rc != 0)
        return rc;
    lm_error err;
    if ((rc = report_read_catalog(r, &cat, area_code, &err)) != 0)
        leamon_error(f->ctx, "%s", err.msg);
    proto_catalog_reply_free(&cat);
    return rc;
}

int fetch_alerts(fetcher *f, report_t *r)
{
    proto_request req;
    int rc = new_request(f, &req, PROTO_OP_ALERTS);
    if (rc != 0)
        return rc;
    COPY(req.state, "all");
    rpc_reply reply;
    lm_error e;
    if ((rc = query_call(f->ctx, &req, &reply)) != 0)
        return rc;
    return taken(f, &reply, proto_alerts_reply_read(reply.root, &r->alerts, &e), &e);
}

int fetch_grid(fetcher *f, report_t *r)
{
    report_grid_months(r);
    for (int m = r->grid_first; m <= r->grid_last; m++) {
        proto_request req;
        proto_completeness_reply c;
        rpc_reply reply;
        lm_error e;
        int rc = new_request(f, &req, PROTO_OP_COMPLETENESS);
        if (rc != 0)
            return rc;
        month_code(req.period, sizeof req.period, m);
        if ((rc = query_call(f->ctx, &req, &reply)) != 0 ||
            (rc = taken(f, &reply, proto_completeness_reply_read(reply.root, &c, &e), &e)) != 0)
            return rc;
        rc = report_grid_add(r, m, &c);
        proto_completeness_reply_free(&c);
        if (rc != 0) {
            leamon_error(f->ctx, "out of memory");
            return LEAMON_EXIT_USAGE;
        }
    }
    report_grid_sort(r);
    return 0;
}

int fetch_indicator(fetcher *f, const report_t *r, const proto_indicator *ind, ind_figures *fg)
{
    proto_request req;
    rpc_reply series, snap;
    int rc = new_request(f, &req, PROTO_OP_SERIES);
    if (rc != 0)
        return rc;
    COPY(req.indicator, ind->code);
    COPY(req.area, r->top->code);
    month_code(req.from, sizeof req.from, r->first_month);
    month_code(req.to, sizeof req.to, r->last_month);
    if ((rc = query_call(f->ctx, &req, &series)) != 0)
        return rc;
    if ((rc = new_request(f, &req, PROTO_OP_SNAPSHOT)) == 0) {
        COPY(req.indicator, ind->code);
        COPY(req.area, r->top->code);
        COPY(req.period, r->period_text);
        COPY(req.by, "area");
        rc = query_call(f->ctx, &req, &snap);
    }
    if (rc == 0) {
        lm_error e;
        if (ind_figures_read(fg, r, ind, series.root, snap.root, &e) != 0)
            rc = ctx_malformed(f->ctx, &e);
        rpc_reply_free(&snap);
    }
    rpc_reply_free(&series);
    return rc;
}
