/* fetch.c: the report's questions to the daemon (see fetch.h). */
#include "report/fetch.h"

#include <stdbool.h>
#include <stdio.h>

#include "query.h"
#include "report/text.h"

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

int fetch_catalog(fetcher *f, report_t *r, const char *area_code)
{
    int rc = query_call(f->ctx, &f->base, &r->catalog);
    if (rc != 0)
        return rc;
    r->have_catalog = true;
    char err[512];
    if ((rc = report_read_catalog(r, area_code, err, sizeof err)) != 0)
        leamon_error(f->ctx, "%s", err);
    return rc;
}

int fetch_alerts(fetcher *f, report_t *r)
{
    proto_request req;
    int rc = new_request(f, &req, PROTO_OP_ALERTS);
    if (rc != 0)
        return rc;
    COPY(req.state, "all");
    if ((rc = query_call(f->ctx, &req, &r->alerts)) != 0)
        return rc;
    r->have_alerts = true;
    return 0;
}

int fetch_grid(fetcher *f, report_t *r)
{
    report_grid_months(r);
    for (int m = r->grid_first; m <= r->grid_last; m++) {
        proto_request req;
        rpc_reply reply;
        int rc = new_request(f, &req, PROTO_OP_COMPLETENESS);
        if (rc != 0)
            return rc;
        month_code(req.period, sizeof req.period, m);
        if ((rc = query_call(f->ctx, &req, &reply)) != 0)
            return rc;
        rc = report_grid_add(r, m, reply.root);
        rpc_reply_free(&reply);
        if (rc != 0) {
            leamon_error(f->ctx, "out of memory");
            return LEAMON_EXIT_USAGE;
        }
    }
    report_grid_sort(r);
    return 0;
}

int fetch_indicator(fetcher *f, const report_t *r, const ind_t *ind, rpc_reply *series,
                    rpc_reply *snap)
{
    proto_request req;
    int rc = new_request(f, &req, PROTO_OP_SERIES);
    if (rc != 0)
        return rc;
    COPY(req.indicator, ind->code);
    COPY(req.area, r->top->code);
    month_code(req.from, sizeof req.from, r->first_month);
    month_code(req.to, sizeof req.to, r->last_month);
    if ((rc = query_call(f->ctx, &req, series)) != 0)
        return rc;
    if ((rc = new_request(f, &req, PROTO_OP_SNAPSHOT)) == 0) {
        COPY(req.indicator, ind->code);
        COPY(req.area, r->top->code);
        COPY(req.period, r->period_text);
        COPY(req.by, "area");
        rc = query_call(f->ctx, &req, snap);
    }
    if (rc != 0)
        rpc_reply_free(series);
    return rc;
}
