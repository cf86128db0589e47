/* cmd_flush.c: deliver spooled submissions in order (`leamon flush`), and the
 * delivery step that `leamon submit --spool` runs before its own request. */
#include "cmd_flush.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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

/* Say which record a daemon error is about, from the spooled request itself. */
static void print_spooled_error(leamon_ctx *ctx, const char *name, const proto_request *req,
                                const msgpack_object *e)
{
    int64_t index = -1;
    char field[32] = "?", code[32] = "?", msg[256] = "";
    proto_get_int(e, "index", &index);
    proto_get_str(e, "field", field, sizeof field);
    proto_get_str(e, "code", code, sizeof code);
    proto_get_str(e, "message", msg, sizeof msg);
    if (index >= 0 && (size_t)index < req->n_records) {
        const proto_record *r = &req->records[index];
        fprintf(ctx->err, "%s: record %lld (%s, %s, %s): %s: %s (%s)\n", name,
                (long long)index + 1, r->metric, r->area[0] ? r->area : "home area", r->period,
                field, msg, code);
    } else {
        fprintf(ctx->err, "%s: %s: %s (%s)\n", name, field, msg, code);
    }
}

static spool_outcome deliver(void *arg, const char *name, const void *buf, size_t len, char *why,
                             size_t whylen)
{
    flush_job *job = arg;
    leamon_ctx *ctx = job->ctx;
    proto_request req;
    proto_errors errs;
    char text[512];
    proto_errors_init(&errs);
    int st = proto_request_decode(buf, len, &req, &errs, text, sizeof text);
    if (st != PROTO_OK || req.op != PROTO_OP_SUBMIT) {
        snprintf(why, whylen, "not a spooled submission: %s", st != PROTO_OK ? text : "wrong op");
        fprintf(ctx->err, "leamon: %s: %s; moved to %s/rejected/\n", name, why, job->dir);
        proto_request_free(&req);
        proto_errors_free(&errs);
        return SPOOL_REJECTED;
    }
    proto_errors_free(&errs);

    rpc_reply reply;
    char err[512] = "";
    spool_outcome out = SPOOL_STOP;
    rpc_result r = rpc_call(&ctx->rpc, buf, len, req.id, &reply, err, sizeof err);
    if (r == RPC_REFUSED) {
        ctx->key_refused = true;
        leamon_error(ctx, "%s", err);
    } else if (r != RPC_REPLY) {
        leamon_error(ctx, "%s", err);
    } else {
        if (ctx->json && ctx_print_json(ctx, &reply) != 0)
            leamon_error(ctx, "cannot write the output");
        int64_t accepted = 0;
        bool dup = false;
        proto_get_int(reply.root, "accepted", &accepted);
        proto_get_bool(reply.root, "duplicate", &dup);
        if (reply.head.status == PROTO_OK) {
            if (!ctx->json && dup)
                fprintf(ctx->out, "delivered %s: already stored (request %s): %lld records\n",
                        name, req.id, (long long)accepted);
            else if (!ctx->json)
                fprintf(ctx->out, "delivered %s: stored %lld records (request %s)\n", name,
                        (long long)accepted, req.id);
            out = SPOOL_DELIVERED;
        } else if (reply.head.status < 500) {
            const msgpack_object *list = proto_get(reply.root, "errors");
            int64_t total = 0;
            proto_get_int(reply.root, "error_count", &total);
            if (total)
                snprintf(why, whylen, "rejected by the daemon: %d %s; %lld record error%s "
                                      "(request %s)",
                         reply.head.status, reply.head.error, (long long)total, total == 1 ? "" : "s",
                         req.id);
            else
                snprintf(why, whylen, "rejected by the daemon: %d %s (request %s)", reply.head.status,
                         reply.head.error, req.id);
            if (list && list->type == MSGPACK_OBJECT_ARRAY)
                for (uint32_t i = 0; i < list->via.array.size && i < FLUSH_SHOW_ERRORS; i++)
                    print_spooled_error(ctx, name, &req, &list->via.array.ptr[i]);
            fprintf(ctx->err, "leamon: %s %s; moved to %s/rejected/\n", name, why, job->dir);
            out = SPOOL_REJECTED;
        } else {
            leamon_error(ctx, "the daemon is unavailable: %d %s", reply.head.status, reply.head.error);
        }
        rpc_reply_free(&reply);
    }
    proto_request_free(&req);
    return out;
}

int flush_pending(leamon_ctx *ctx, const char *dir, spool_stats *stats)
{
    flush_job job = {ctx, dir};
    char err[512];
    if (spool_flush(dir, deliver, &job, stats, err, sizeof err) != 0) {
        leamon_error(ctx, "%s", err);
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
    char err[512];
    if (spool_list(dir, &names, &count, err, sizeof err) != 0) {
        leamon_error(ctx, "%s", err);
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
    int lock = spool_lock(dir, err, sizeof err);
    if (lock < 0) {
        leamon_error(ctx, "%s", err);
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
