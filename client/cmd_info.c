/* cmd_info.c: the read-only commands ping, status and catalog. */
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "leamon.h"
#include "proto.h"
#include "rpc.h"
#include "session.h"

/* A reply that is not 200 ends a read-only command the same way everywhere. */
static int refused(leamon_ctx *ctx, const rpc_reply *reply)
{
    leamon_error(ctx, "the daemon refused the request: %d %s", reply->head.status,
                 reply->head.error[0] ? reply->head.error : "(no reason given)");
    if (reply->head.status == PROTO_UNAUTHENTICATED && !ctx->rpc.curve)
        leamon_error(ctx, "in insecure mode, name your organisation with --reporter ID");
    return LEAMON_EXIT_REJECTED;
}

/* simple_call's result when the reply was printed as JSON and all is done. */
#define CALL_DONE (-1)

/* Send op and wait. Returns 0 with a 200 reply to print, CALL_DONE, or an
 * exit status (after printing why). */
static int simple_call(leamon_ctx *ctx, proto_op op, rpc_reply *reply, long long *elapsed_ms)
{
    int rc = ctx_connect(ctx);
    if (rc != 0)
        return rc;
    proto_request req;
    if ((rc = ctx_request(ctx, &req, op, NULL)) != 0)
        return rc;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = ctx_call(ctx, &req, reply)) != 0)
        return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (elapsed_ms)
        *elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (ctx->json) {
        if (ctx_print_json(ctx, reply) != 0)
            leamon_error(ctx, "cannot write the output");
        rc = reply->head.status == PROTO_OK ? CALL_DONE : LEAMON_EXIT_REJECTED;
        rpc_reply_free(reply);
        return rc;
    }
    if (reply->head.status != PROTO_OK) {
        rc = refused(ctx, reply);
        rpc_reply_free(reply);
        return rc;
    }
    return 0;
}

/* Copy a msgpack string (or "-" for nil/absent) into buf. */
static const char *obj_str(const msgpack_object *o, char *buf, size_t n)
{
    if (!o || o->type != MSGPACK_OBJECT_STR) {
        snprintf(buf, n, "-");
        return buf;
    }
    proto_quote(buf, n, o->via.str.ptr, o->via.str.size);
    return buf;
}

static const char *field_str(const msgpack_object *map, const char *key, char *buf, size_t n)
{
    return obj_str(proto_get(map, key), buf, n);
}

static void format_utc(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, n, "%lld", (long long)t);
}

int cmd_ping(leamon_ctx *ctx)
{
    rpc_reply reply;
    long long ms = 0;
    int rc = simple_call(ctx, PROTO_OP_PING, &reply, &ms);
    if (rc != 0)
        return rc == CALL_DONE ? LEAMON_EXIT_OK : rc;
    char server[64];
    int64_t t = 0;
    field_str(reply.root, "server", server, sizeof server);
    fprintf(ctx->out, "%s at %s answered in %lld ms (%s)", server, ctx->rpc.endpoint, ms,
            ctx->rpc.curve ? "CURVE" : "insecure mode");
    if (proto_get_int(reply.root, "time", &t) == 0) {
        long long skew = (long long)t - (long long)time(NULL);
        if (skew > 60 || skew < -60)
            fprintf(ctx->out, "; its clock differs from ours by %lld s", skew);
    }
    fputc('\n', ctx->out);
    rpc_reply_free(&reply);
    return 0;
}

int cmd_status(leamon_ctx *ctx)
{
    rpc_reply reply;
    int rc = simple_call(ctx, PROTO_OP_STATUS, &reply, NULL);
    if (rc != 0)
        return rc == CALL_DONE ? LEAMON_EXIT_OK : rc;
    const msgpack_object *r = reply.root;
    char a[128], b[64], c[64], d[160];
    int64_t up = 0, n = 0;
    bool secure = false;
    fprintf(ctx->out, "server:          %s", field_str(r, "server", a, sizeof a));
    if (proto_get_int(r, "uptime", &up) == 0)
        fprintf(ctx->out, ", up %lldd %lldh %lldm", (long long)(up / 86400),
                (long long)(up / 3600 % 24), (long long)(up / 60 % 60));
    if (proto_get_bool(r, "secure", &secure) == 0)
        fprintf(ctx->out, ", %s", secure ? "secure (CURVE)" : "insecure development mode");
    fputc('\n', ctx->out);
    const msgpack_object *you = proto_get(r, "you");
    if (you && you->type == MSGPACK_OBJECT_MAP) {
        fprintf(ctx->out, "you:             %s (%s", field_str(you, "id", a, sizeof a),
                field_str(you, "role", b, sizeof b));
        if (proto_get(you, "kind") && proto_get(you, "kind")->type == MSGPACK_OBJECT_STR)
            fprintf(ctx->out, ", %s", field_str(you, "kind", c, sizeof c));
        fprintf(ctx->out, ")");
        if (proto_get(you, "name") && proto_get(you, "name")->type == MSGPACK_OBJECT_STR)
            fprintf(ctx->out, ": %s", field_str(you, "name", d, sizeof d));
        fputc('\n', ctx->out);
    }
    if (proto_get_int(r, "observations", &n) == 0)
        fprintf(ctx->out, "observations:    %lld\n", (long long)n);
    if (proto_get_int(r, "submissions", &n) == 0)
        fprintf(ctx->out, "submissions:     %lld\n", (long long)n);
    const msgpack_object *last = proto_get(r, "last_submission");
    if (last && last->type == MSGPACK_OBJECT_MAP) {
        int64_t when = 0, recs = 0;
        char tbuf[64] = "?";
        if (proto_get_int(last, "received", &when) == 0)
            format_utc(when, tbuf, sizeof tbuf);
        proto_get_int(last, "records", &recs);
        fprintf(ctx->out, "last submission: %s at %s, %lld record%s\n",
                field_str(last, "id", a, sizeof a), tbuf, (long long)recs, recs == 1 ? "" : "s");
    } else if (last) {
        fprintf(ctx->out, "last submission: none\n");
    }
    rpc_reply_free(&reply);
    return 0;
}

/* Join the strings of an array with ", " into buf. */
static const char *join_strs(const msgpack_object *arr, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    if (!arr || arr->type != MSGPACK_OBJECT_ARRAY) {
        snprintf(buf, n, "-");
        return buf;
    }
    for (uint32_t i = 0; i < arr->via.array.size && used < n; i++) {
        char s[80];
        obj_str(&arr->via.array.ptr[i], s, sizeof s);
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

static void format_number(const msgpack_object *map, const char *key, char *buf, size_t n)
{
    double v;
    if (proto_get_double(map, key, &v) == 0)
        snprintf(buf, n, "%.15g", v);
    else
        snprintf(buf, n, "-");
}

int cmd_catalog(leamon_ctx *ctx)
{
    rpc_reply reply;
    int rc = simple_call(ctx, PROTO_OP_CATALOG, &reply, NULL);
    if (rc != 0)
        return rc == CALL_DONE ? LEAMON_EXIT_OK : rc;
    const msgpack_object *r = reply.root;
    char a[200], b[64], c[64], d[64], e[64], f[300];
    fprintf(ctx->out, "first period: %s\n\n", field_str(r, "first_period", a, sizeof a));
    const msgpack_object *metrics = proto_get(r, "metrics");
    fprintf(ctx->out, "%-28s %-7s %-5s %-14s %-24s %s\n", "METRIC", "UNIT", "TIME", "RANGE",
            "REPORTED BY", "LABEL");
    if (metrics && metrics->type == MSGPACK_OBJECT_ARRAY) {
        for (uint32_t i = 0; i < metrics->via.array.size; i++) {
            const msgpack_object *m = &metrics->via.array.ptr[i];
            char range[64], lo[24], hi[24];
            bool integer = false;
            format_number(m, "min", lo, sizeof lo);
            format_number(m, "max", hi, sizeof hi);
            proto_get_bool(m, "integer", &integer);
            snprintf(range, sizeof range, "%s..%s%s", lo, hi, integer ? "" : " (dec)");
            fprintf(ctx->out, "%-28s %-7s %-5s %-14s %-24s %s\n",
                    field_str(m, "code", a, sizeof a), field_str(m, "unit", b, sizeof b),
                    field_str(m, "time", c, sizeof c), range,
                    join_strs(proto_get(m, "kinds"), f, sizeof f),
                    field_str(m, "label", e, sizeof e));
        }
    }
    const msgpack_object *areas = proto_get(r, "areas");
    fprintf(ctx->out, "\n%-12s %-24s %-10s %s\n", "AREA", "NAME", "LEVEL", "PARENT");
    if (areas && areas->type == MSGPACK_OBJECT_ARRAY) {
        for (uint32_t i = 0; i < areas->via.array.size; i++) {
            const msgpack_object *m = &areas->via.array.ptr[i];
            fprintf(ctx->out, "%-12s %-24s %-10s %s\n", field_str(m, "code", b, sizeof b),
                    field_str(m, "name", a, sizeof a), field_str(m, "level", c, sizeof c),
                    field_str(m, "parent", d, sizeof d));
        }
    }
    const msgpack_object *inds = proto_get(r, "indicators");
    if (inds && inds->type == MSGPACK_OBJECT_ARRAY) {
        fprintf(ctx->out, "\n%-24s %-7s %-5s %-6s %s\n", "INDICATOR", "UNIT", "TYPE", "BETTER",
                "LABEL");
        for (uint32_t i = 0; i < inds->via.array.size; i++) {
            const msgpack_object *m = &inds->via.array.ptr[i];
            fprintf(ctx->out, "%-24s %-7s %-5s %-6s %s\n", field_str(m, "code", b, sizeof b),
                    field_str(m, "unit", c, sizeof c), field_str(m, "type", d, sizeof d),
                    field_str(m, "better", e, sizeof e), field_str(m, "label", f, sizeof f));
        }
    }
    const msgpack_object *may = proto_get(r, "may_report");
    if (may && may->type == MSGPACK_OBJECT_MAP) {
        char big[4096];
        fprintf(ctx->out, "\nyou may report metrics: %s\n",
                join_strs(proto_get(may, "metrics"), big, sizeof big));
        fprintf(ctx->out, "for areas:              %s\n",
                join_strs(proto_get(may, "areas"), big, sizeof big));
    }
    rpc_reply_free(&reply);
    return 0;
}
