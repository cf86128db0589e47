/* query.c: asking the daemon and handling its answer (see query.h). */
#include "query.h"

#include <string.h>

#include "reqid.h"
#include "session.h"

int query_start(leamon_ctx *ctx, proto_request *req, proto_op op)
{
    int rc = ctx_connect(ctx);
    return rc ? rc : ctx_request(ctx, req, op, NULL);
}

int query_request_like(const proto_request *like, proto_request *req, proto_op op)
{
    memset(req, 0, sizeof *req);
    req->version = PROTO_VERSION;
    req->op = op;
    memcpy(req->reporter, like->reporter, sizeof req->reporter);
    return reqid_random(req->id) == 0 ? 0 : -1;
}

int query_refused(leamon_ctx *ctx, const rpc_reply *reply)
{
    leamon_error(ctx, "the daemon refused the request: %d %s", reply->head.status,
                 reply->head.error[0] ? reply->head.error : "(no reason given)");
    if (reply->head.status == PROTO_UNAUTHENTICATED && !ctx->rpc.curve)
        leamon_error(ctx, "in insecure mode, name your organisation with --reporter ID");
    else if (reply->head.status == PROTO_FORBIDDEN && ctx->cmd &&
             (!strcmp(ctx->cmd->name, "snapshot") || !strcmp(ctx->cmd->name, "series")))
        leamon_error(ctx, "a partner sees its own reporting with `leamon completeness "
                          "--period PERIOD`, and its figures with `leamon figures --period "
                          "PERIOD`");
    return LEAMON_EXIT_REJECTED;
}

int query_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply)
{
    int rc = ctx_call(ctx, req, reply);
    if (rc != 0 || reply->head.status == PROTO_OK)
        return rc;
    if (!ctx->json) {
        rc = query_refused(ctx, reply);
    } else {
        rc = LEAMON_EXIT_REJECTED;
        if (ctx_print_json(ctx, reply) != 0)
            leamon_error(ctx, "cannot write the output");
    }
    rpc_reply_free(reply);
    return rc;
}

int query_printed(leamon_ctx *ctx, int rc)
{
    if (rc == 0)
        return LEAMON_EXIT_OK;
    leamon_error(ctx, "cannot write the output (out of memory?)");
    return LEAMON_EXIT_USAGE;
}
