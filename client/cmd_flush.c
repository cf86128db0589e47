/* cmd_flush.c: deliver spooled submissions in order (`leamon flush`), and the
 * delivery step that `leamon submit --spool` runs before its own request. */
#include "cmd_flush.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "leamon.h"
#include "opts.h"
#include "proto.h"
#include "rpc.h"
#include "session.h"
#include "spool.h"

#define FLUSH_SHOW_ERRORS 20 /* per rejected file; the .why file has the summary */

typedef struct {
    leamon_ctx *ctx;
    const char *dir;
} flush_job;

int submit_reply_read(const rpc_reply *reply, proto_submit_reply *sr, lm_error *e)
{
    switch (reply->head.status) {
    case PROTO_OK:
    case PROTO_UNAUTHENTICATED:
    case PROTO_FORBIDDEN:
    case PROTO_CONFLICT:
    case PROTO_INVALID:
    case PROTO_UNAVAILABLE:
        return proto_submit_reply_read(reply->root, sr, e);
    default:
        break;
    }
    memset(sr, 0, sizeof *sr);
    return 0;
}

/* Say which record a daemon error is about, from the spooled request itself. */
static void print_spooled_error(leamon_ctx *ctx, const char *name, const proto_request *req,
                                const proto_error *e)
{
    if (e->index >= 0 && (size_t)e->index < req->n_records) {
        const proto_record *r = &req->records[e->index];
        fprintf(ctx->err, "%s: record %lld (%s, %s, %s): %s: %s (%s)\n", name,
                (long long)e->index + 1, r->metric, r->area[0] ? r->area : "home area", r->period,
                e->field, e->message, e->code);
    } else {
        fprintf(ctx->err, "%s: %s: %s (%s)\n", name, e->field, e->message, e->code);
    }
}

/* What the daemon's reply (head, sr) to the spooled request req (file name) means. */
static spool_outcome delivered(leamon_ctx *ctx, const flush_job *job, const char *name,
                               const proto_request *req, const proto_head *head,
                               const proto_submit_reply *sr, lm_error *why)
{
    if (head->status == PROTO_OK) {
        long long n = (long long)sr->accepted;
        const char *records = n == 1 ? "record" : "records";
        if (!ctx->json && sr->duplicate)
            fprintf(ctx->out, "delivered %s: already stored (request %s): %lld %s\n", name,
                    req->id, n, records);
        else if (!ctx->json)
            fprintf(ctx->out, "delivered %s: stored %lld %s (request %s)\n", name, n, records,
                    req->id);
        return SPOOL_DELIVERED;
    }
    if (head->status >= 500) {
        leamon_error(ctx, "the daemon is unavailable: %d %s", head->status, head->error);
        return SPOOL_STOP;
    }
    size_t total = sr->errors.total;
    if (total)
        lm_fail(why, 0, "rejected by the daemon: %d %s; %zu record error%s (request %s)",
                head->status, head->error, total, total == 1 ? "" : "s", req->id);
    else
        lm_fail(why, 0, "rejected by the daemon: %d %s (request %s)", head->status,
                head->error, req->id);
    for (size_t i = 0; i < sr->errors.count && i < FLUSH_SHOW_ERRORS; i++)
        print_spooled_error(ctx, name, req, &sr->errors.items[i]);
    fprintf(ctx->err, "leamon: %s %s; moved to %s/rejected/\n", name, why->msg, job->dir);
    return SPOOL_REJECTED;
}

static spool_outcome deliver(void *arg, const char *name, const void *buf, size_t len,
                             lm_error *why)
{
    flush_job *job = arg;
    leamon_ctx *ctx = job->ctx;
    proto_request req;
    proto_errors errs;
    lm_error bad;
    proto_errors_init(&errs);
    int st = proto_request_decode(buf, len, &req, &errs, &bad);
    if (st != PROTO_OK || req.op != PROTO_OP_SUBMIT) {
        lm_fail(why, 0, "not a spooled submission: %s", st != PROTO_OK ? bad.msg : "wrong op");
        fprintf(ctx->err, "leamon: %s: %s; moved to %s/rejected/\n", name, why->msg, job->dir);
        proto_request_free(&req);
        proto_errors_free(&errs);
        return SPOOL_REJECTED;
    }
    proto_errors_free(&errs);

    rpc_reply reply;
    lm_error err = {0};
    spool_outcome out = SPOOL_STOP;
    rpc_result r = rpc_call(&ctx->rpc, buf, len, req.id, &reply, &err);
    if (r == RPC_REFUSED) {
        ctx->key_refused = true;
        leamon_error(ctx, "%s", err.msg);
    } else if (r != RPC_REPLY) {
        leamon_error(ctx, "%s", err.msg);
    } else {
        proto_submit_reply sr;
        lm_error e;
        if (submit_reply_read(&reply, &sr, &e) != 0) {
            ctx_malformed(ctx, &e);
        } else {
            if (ctx->json && ctx_print_json(ctx, &reply) != 0)
                leamon_error(ctx, "cannot write the output");
            out = delivered(ctx, job, name, &req, &reply.head, &sr, why);
            proto_submit_reply_free(&sr);
        }
        rpc_reply_free(&reply);
    }
    proto_request_free(&req);
    return out;
}

int flush_pending(leamon_ctx *ctx, const char *dir, spool_stats *stats)
{
    flush_job job = {ctx, dir};
    lm_error err;
    if (spool_flush(dir, deliver, &job, stats, &err) != 0) {
        leamon_error(ctx, "%s", err.msg);
        return LEAMON_EXIT_USAGE;
    }
    if (ctx->key_refused)
        return LEAMON_EXIT_REJECTED;
    return 0;
}

int cmd_flush(leamon_ctx *ctx)
{
    const char *dir = opts_str(&ctx->opts, OPT_SPOOL);
    if (!dir) {
        leamon_error(ctx, "flush needs a spool directory: --spool DIR (or LEAMON_SPOOL, or "
                          "spool in the config file)");
        return LEAMON_EXIT_USAGE;
    }
    if (ctx->npos) {
        leamon_error(ctx, "flush takes no arguments (see leamon flush --help)");
        return LEAMON_EXIT_USAGE;
    }
    char **names = NULL;
    size_t count = 0;
    lm_error err;
    if (spool_list(dir, &names, &count, &err) != 0) {
        leamon_error(ctx, "%s", err.msg);
        return LEAMON_EXIT_USAGE;
    }
    spool_list_free(names, count);
    if (count == 0) {
        if (!ctx->json)
            fprintf(ctx->out, "nothing to deliver: %s is empty\n", dir);
        return LEAMON_EXIT_OK;
    }
    int rc = ctx_connect(ctx);
    if (rc != 0)
        return rc;
    int lock = spool_lock(dir, &err);
    if (lock < 0) {
        leamon_error(ctx, "%s", err.msg);
        return LEAMON_EXIT_USAGE;
    }
    spool_stats st;
    rc = flush_pending(ctx, dir, &st);
    spool_unlock(lock);
    if (rc != 0)
        return rc;
    if (!ctx->json)
        fprintf(ctx->out, "flush: %zu delivered, %zu rejected, %zu still spooled in %s\n",
                st.delivered, st.rejected, st.remaining, dir);
    if (st.rejected)
        return LEAMON_EXIT_REJECTED;
    if (st.remaining) {
        leamon_error(ctx, "%zu submission%s still spooled; run leamon flush again later",
                     st.remaining, st.remaining == 1 ? "" : "s");
        return LEAMON_EXIT_SPOOLED;
    }
    return LEAMON_EXIT_OK;
}
