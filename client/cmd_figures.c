/* cmd_figures.c: `leamon retract`, `leamon close` and `leamon reopen`: taking back a figure
 * that should not have been sent, and closing a period whose figures are agreed. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "leamon.h"
#include "query.h"
#include "reply_figure_ops.h"
#include "session.h"

/* METRIC or METRIC@AREA into req's metric and area. */
static int figure_arg(leamon_ctx *ctx, const char *arg, proto_request *req)
{
    const char *at = strchr(arg, '@');
    size_t n = at ? (size_t)(at - arg) : strlen(arg);
    char metric[PROTO_MAX_CODE + 2];
    if (n == 0 || n > PROTO_MAX_CODE) {
        leamon_error(ctx, "'%s': give a figure as METRIC or METRIC@AREA, like "
                          "vve.doelgroep.geplaatst@WK016404", arg);
        return LEAMON_EXIT_USAGE;
    }
    memcpy(metric, arg, n);
    metric[n] = '\0';
    int rc = arg_code(ctx, "metric", metric, PROTO_MAX_CODE);
    if (rc == 0 && at)
        rc = arg_code(ctx, "area", at + 1, PROTO_MAX_AREA);
    if (rc != 0)
        return rc;
    memcpy(req->metric, metric, n + 1);
    if (at)
        snprintf(req->area, sizeof req->area, "%s", at + 1);
    return 0;
}

/* Send req; print the reply as JSON, or through print. */
static int call(leamon_ctx *ctx, const proto_request *req,
                int (*print)(leamon_ctx *, const msgpack_object *))
{
    rpc_reply reply;
    int rc = query_call(ctx, req, &reply);
    if (rc != 0)
        return rc;
    rc = ctx->json ? ctx_print_json(ctx, &reply) : print(ctx, reply.root);
    rpc_reply_free(&reply);
    return rc < 0 ? query_printed(ctx, rc) : rc;
}

static int print_retracted(leamon_ctx *ctx, const msgpack_object *root)
{
    proto_retract_reply r;
    lm_error e;
    if (proto_retract_reply_read(root, &r, &e) != 0) {
        leamon_error(ctx, "%s", e.msg);
        return LEAMON_EXIT_UNAVAILABLE;
    }
    return fprintf(ctx->out, "%s %s's %s for %s in %s (it was %.15g)\n",
                   r.duplicate ? "already retracted:" : "retracted", r.organisation, r.metric,
                   r.area, r.period, r.value) < 0
               ? -1
               : 0;
}

int cmd_retract(leamon_ctx *ctx)
{
    const char *month = ctx_opt(ctx, "period"), *org = ctx_opt(ctx, "for");
    period p;
    int rc = arg_period(ctx, "--period", month, &p);
    if (rc == 0 && ctx->npos == 0) {
        leamon_error(ctx, "retract needs the figures to take back: METRIC or METRIC@AREA "
                          "(see leamon retract --help)");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && org)
        rc = arg_code(ctx, "--for", org, PROTO_MAX_CODE);
    /* One request a figure: each is taken back, or not, by itself. */
    for (size_t i = 0; rc == 0 && i < ctx->npos; i++) {
        proto_request req;
        if ((rc = query_start(ctx, &req, PROTO_OP_RETRACT)) != 0 ||
            (rc = figure_arg(ctx, ctx->pos[i], &req)) != 0)
            break;
        snprintf(req.period, sizeof req.period, "%s", month);
        if (org)
            snprintf(req.organisation, sizeof req.organisation, "%s", org);
        rc = call(ctx, &req, print_retracted);
    }
    return rc;
}

static int print_closed(leamon_ctx *ctx, const msgpack_object *root)
{
    proto_close_reply r;
    lm_error e;
    if (proto_close_reply_read(root, &r, &e) != 0) {
        leamon_error(ctx, "%s", e.msg);
        return LEAMON_EXIT_UNAVAILABLE;
    }
    int n;
    if (r.months == 0)
        n = fprintf(ctx->out, "%s was already %s\n", r.period, r.closed ? "closed" : "open");
    else
        n = fprintf(ctx->out, "%s %s (%lld month%s)\n", r.closed ? "closed" : "reopened",
                    r.period, (long long)r.months, r.months == 1 ? "" : "s");
    return n < 0 ? -1 : 0;
}

static int close_or_reopen(leamon_ctx *ctx, proto_op op)
{
    const char *note = ctx_opt(ctx, "note");
    period p;
    int rc = arg_count(ctx, 1, "PERIOD");
    if (rc == 0)
        rc = arg_period(ctx, "PERIOD", ctx->pos[0], &p);
    if (rc == 0 && op == PROTO_OP_REOPEN)
        rc = arg_needed(ctx, note, "--note TEXT", "why the agreed figures may change again");
    if (rc == 0 && note)
        rc = arg_note(ctx, note);
    proto_request req;
    if (rc != 0 || (rc = query_start(ctx, &req, op)) != 0)
        return rc;
    snprintf(req.period, sizeof req.period, "%s", ctx->pos[0]);
    if (note)
        snprintf(req.note, sizeof req.note, "%s", note);
    return call(ctx, &req, print_closed);
}

int cmd_close(leamon_ctx *ctx)
{
    return close_or_reopen(ctx, PROTO_OP_CLOSE);
}

int cmd_reopen(leamon_ctx *ctx)
{
    return close_or_reopen(ctx, PROTO_OP_REOPEN);
}
