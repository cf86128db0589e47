/* session.c: what commands share to talk to the daemon: keys, request
 * set-up, sending, and turning failures into exit statuses. */
#include "session.h"

#include <msgpack.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

#include "keyfile.h"
#include "opts.h"
#include "reqid.h"

/* A public key given where the secret one belongs: a NAME.pub, or a file that says it
 * holds a public key (keygen's first line). Made 0600, the daemon would refuse it. */
static bool public_key_file(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && !strcmp(path + n - 4, ".pub"))
        return true;
    FILE *f = fopen(path, "r");
    if (!f)
        return false; /* keyfile_read_secret says why */
    char line[64];
    bool pub = fgets(line, sizeof line, f) && !strncmp(line, "# leamon CURVE public key", 25);
    fclose(f);
    return pub;
}

int ctx_connect(leamon_ctx *ctx)
{
    if (ctx->rpc_ready)
        return 0;
    if (!ctx->zctx && !(ctx->zctx = zmq_ctx_new())) {
        leamon_error(ctx, "cannot create a ZeroMQ context: %s", zmq_strerror(zmq_errno()));
        return LEAMON_EXIT_USAGE;
    }
    rpc_init(&ctx->rpc, ctx->zctx, opts_str(&ctx->opts, OPT_ENDPOINT),
             (int)opts_int(&ctx->opts, OPT_TIMEOUT), (int)opts_int(&ctx->opts, OPT_RETRIES),
             ctx->err);
    const char *server = opts_str(&ctx->opts, OPT_SERVER_KEY);
    const char *key = opts_str(&ctx->opts, OPT_KEY);
    lm_error err;
    if (server) {
        /* The daemon's secret key given as its public one would leak it into a config. */
        size_t n = strlen(server);
        if (n > 4 && !strcmp(server + n - 4, ".key")) {
            leamon_error(ctx, "server key (%s): %s looks like a secret key file; give the "
                              "daemon's public key (its .pub file or the 40-character key)",
                         ctx->opts.source[OPT_SERVER_KEY], server);
            return LEAMON_EXIT_USAGE;
        }
        if (keyfile_read_public(server, ctx->rpc.server_key, &err) != 0) {
            leamon_error(ctx, "server key (%s): %s", ctx->opts.source[OPT_SERVER_KEY], err.msg);
            return LEAMON_EXIT_USAGE;
        }
        if (!key) {
            leamon_error(ctx, "a server key is set (%s) but no client key: make one with "
                              "`leamon keygen NAME` and give --key NAME.key",
                         ctx->opts.source[OPT_SERVER_KEY]);
            return LEAMON_EXIT_USAGE;
        }
        if (public_key_file(key)) {
            char secret[4096];
            size_t len = strlen(key);
            if (len > 4 && len < sizeof secret && !strcmp(key + len - 4, ".pub"))
                snprintf(secret, sizeof secret, "%.*s.key", (int)(len - 4), key);
            else
                snprintf(secret, sizeof secret, "NAME.key");
            leamon_error(ctx, "client key (%s): %s is a public key; --key needs the secret key "
                              "file (%s, made with it by leamon keygen)",
                         ctx->opts.source[OPT_KEY], key, secret);
            return LEAMON_EXIT_USAGE;
        }
        if (keyfile_read_secret(key, ctx->rpc.secret_key, &err) != 0) {
            leamon_error(ctx, "%s", err.msg);
            return LEAMON_EXIT_USAGE;
        }
        if (keyfile_public_from_secret(ctx->rpc.secret_key, ctx->rpc.public_key) != 0) {
            leamon_error(ctx, "%s: cannot derive the public key", key);
            return LEAMON_EXIT_USAGE;
        }
        ctx->rpc.curve = true;
    } else if (key) {
        leamon_error(ctx, "a client key is set (%s) but no server key: give --server-key too "
                          "(or neither, for an insecure daemon)",
                     ctx->opts.source[OPT_KEY]);
        return LEAMON_EXIT_USAGE;
    }
    ctx->rpc_ready = true;
    return 0;
}

int ctx_request(leamon_ctx *ctx, proto_request *req, proto_op op, const char *id)
{
    memset(req, 0, sizeof *req);
    req->version = PROTO_VERSION;
    req->op = op;
    if (id) {
        if (reqid_check(id) != 0) {
            leamon_error(ctx, "--id: must be 1 to %d printable ASCII characters without spaces",
                         PROTO_MAX_ID);
            return LEAMON_EXIT_USAGE;
        }
        memcpy(req->id, id, strlen(id) + 1);
    } else if (reqid_random(req->id) != 0) {
        leamon_error(ctx, "cannot make a random request id (no getrandom or /dev/urandom)");
        return LEAMON_EXIT_USAGE;
    }
    const char *reporter = opts_str(&ctx->opts, OPT_REPORTER);
    if (reporter && ctx->rpc.curve && !strcmp(ctx->opts.source[OPT_REPORTER], "--reporter"))
        leamon_error(ctx, "note: --reporter is ignored with CURVE: the daemon knows you by "
                          "your key");
    if (reporter && !ctx->rpc.curve) {
        if (reqid_check(reporter) != 0 || strlen(reporter) > PROTO_MAX_CODE) {
            leamon_error(ctx, "reporter (%s): must be an organisation id of 1 to %d characters",
                         ctx->opts.source[OPT_REPORTER], PROTO_MAX_CODE);
            return LEAMON_EXIT_USAGE;
        }
        memcpy(req->reporter, reporter, strlen(reporter) + 1);
    }
    return 0;
}

int ctx_rpc_failure(leamon_ctx *ctx, rpc_result r, const lm_error *err)
{
    switch (r) {
    case RPC_REFUSED:
        leamon_error(ctx, "%s", err->msg);
        return LEAMON_EXIT_REJECTED;
    case RPC_UNREACHABLE:
    case RPC_MALFORMED:
        leamon_error(ctx, "%s", err->msg);
        return LEAMON_EXIT_UNAVAILABLE;
    default:
        leamon_error(ctx, "%s", err->msg);
        return LEAMON_EXIT_USAGE;
    }
}

int ctx_malformed(leamon_ctx *ctx, const lm_error *e)
{
    lm_error why;
    rpc_malformed(&why, e);
    leamon_error(ctx, "%s", why.msg);
    return LEAMON_EXIT_UNAVAILABLE;
}

int ctx_print_json(leamon_ctx *ctx, const rpc_reply *reply)
{
    if (proto_write_json(ctx->out, reply->root) != 0 || fputc('\n', ctx->out) == EOF)
        return -1;
    return 0;
}

int ctx_take_reply(leamon_ctx *ctx, const rpc_reply *reply, int read_rc, const lm_error *e)
{
    if (read_rc != 0)
        return ctx_malformed(ctx, e);
    if (!ctx->json)
        return 0;
    if (ctx_print_json(ctx, reply) != 0)
        leamon_error(ctx, "cannot write the output");
    return REPLY_DONE;
}

int ctx_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply)
{
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    if (proto_request_encode(req, &buf) != 0) {
        msgpack_sbuffer_destroy(&buf);
        leamon_error(ctx, "cannot encode the request (out of memory?)");
        return LEAMON_EXIT_USAGE;
    }
    lm_error err = {0};
    rpc_result r = rpc_call(&ctx->rpc, buf.data, buf.size, req->id, reply, &err);
    msgpack_sbuffer_destroy(&buf);
    if (r != RPC_REPLY)
        return ctx_rpc_failure(ctx, r, &err);
    if (reply->head.status >= 500) {
        leamon_error(ctx, "the daemon is unavailable: %d %s", reply->head.status,
                     reply->head.error[0] ? reply->head.error : "");
        rpc_reply_free(reply);
        return LEAMON_EXIT_UNAVAILABLE;
    }
    return 0;
}
