/* cmd_info.c: the read-only commands ping, status and catalog, their replies read with
 * proto's typed readers (reply_info.h). Names and codes are printed as printable ASCII
 * (proto_quote), cut to the widths below. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "leamon.h"
#include "proto.h"
#include "query.h"
#include "reply_info.h"
#include "rpc.h"
#include "session.h"

/* A command's printer: reads the 200 reply with the op's typed reader and prints it
 * (ctx_take_reply); elapsed_ms is how long the exchange took. Returns as ctx_take_reply. */
typedef int (*info_printer)(leamon_ctx *ctx, const rpc_reply *reply, long long elapsed_ms);

/* Send op, wait, and hand a 200 reply to print. The exit status, after printing why when
 * the daemon refused (as query_call prints it) or the reply was malformed. */
static int info_command(leamon_ctx *ctx, proto_op op, info_printer print)
{
    proto_request req;
    rpc_reply reply;
    int rc = query_start(ctx, &req, op);
    if (rc != 0)
        return rc;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if ((rc = query_call(ctx, &req, &reply)) != 0)
        return rc;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rc = print(ctx, &reply, (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000);
    rpc_reply_free(&reply);
    return rc == REPLY_DONE ? LEAMON_EXIT_OK : rc;
}

/* A text of the reply as printable ASCII into buf (n bytes, cut with "..."). */
static const char *quoted(const char *s, char *buf, size_t n)
{
    proto_quote(buf, n, s, strlen(s));
    return buf;
}

static void format_utc(int64_t t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, n, "%lld", (long long)t);
}

static int print_ping(leamon_ctx *ctx, const rpc_reply *reply, long long ms)
{
    proto_ping_reply r;
    lm_error e;
    int rc = ctx_take_reply(ctx, reply, proto_ping_reply_read(reply->root, &r, &e), &e);
    if (rc != 0)
        return rc;
    char server[64];
    fprintf(ctx->out, "%s at %s answered in %lld ms (%s)", quoted(r.server, server, sizeof server),
            ctx->rpc.endpoint, ms, ctx->rpc.curve ? "CURVE" : "insecure mode");
    long long skew = (long long)r.time - (long long)time(NULL);
    if (skew > 60 || skew < -60)
        fprintf(ctx->out, "; its clock differs from ours by %lld s", skew);
    fputc('\n', ctx->out);
    return 0;
}

int cmd_ping(leamon_ctx *ctx)
{
    return info_command(ctx, PROTO_OP_PING, print_ping);
}

static int print_status(leamon_ctx *ctx, const rpc_reply *reply, long long ms)
{
    (void)ms;
    proto_status_reply r;
    lm_error e;
    int rc = ctx_take_reply(ctx, reply, proto_status_reply_read(reply->root, &r, &e), &e);
    if (rc != 0)
        return rc;
    char a[128], b[64], c[64], d[160];
    int64_t up = r.uptime;
    fprintf(ctx->out, "server:          %s", quoted(r.server, a, sizeof a));
    fprintf(ctx->out, ", up %lldd %lldh %lldm", (long long)(up / 86400),
            (long long)(up / 3600 % 24), (long long)(up / 60 % 60));
    fprintf(ctx->out, ", %s", r.secure ? "secure (CURVE)" : "insecure development mode");
    fputc('\n', ctx->out);
    fprintf(ctx->out, "you:             %s (%s", quoted(r.you.id, a, sizeof a),
            quoted(r.you.role, b, sizeof b));
    if (r.you.has_kind)
        fprintf(ctx->out, ", %s", quoted(r.you.kind, c, sizeof c));
    fprintf(ctx->out, ")");
    if (r.you.has_name)
        fprintf(ctx->out, ": %s", quoted(r.you.name, d, sizeof d));
    fputc('\n', ctx->out);
    fprintf(ctx->out, "observations:    %lld\n", (long long)r.observations);
    fprintf(ctx->out, "submissions:     %lld\n", (long long)r.submissions);
    if (r.has_last) {
        char tbuf[64];
        format_utc(r.last_received, tbuf, sizeof tbuf);
        fprintf(ctx->out, "last submission: %s at %s, %lld record%s\n",
                quoted(r.last_id, a, sizeof a), tbuf, (long long)r.last_records,
                r.last_records == 1 ? "" : "s");
    } else {
        fprintf(ctx->out, "last submission: none\n");
    }
    return 0;
}

int cmd_status(leamon_ctx *ctx)
{
    return info_command(ctx, PROTO_OP_STATUS, print_status);
}

/* Join n texts of size `size` bytes each, as printable ASCII, with ", " into buf. */
static const char *join_texts(const char *texts, size_t size, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++) {
        char s[80];
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                         quoted(texts + i * size, s, sizeof s));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

static void print_catalog(FILE *out, const proto_catalog_reply *r)
{
    char a[200], b[64], c[64], d[64], e[64], f[300];
    fprintf(out, "first period: %s\n\n", quoted(r->first_period, a, sizeof a));
    fprintf(out, "%-28s %-7s %-5s %-14s %-24s %s\n", "METRIC", "UNIT", "TIME", "RANGE",
            "REPORTED BY", "LABEL");
    for (size_t i = 0; i < r->n_metrics; i++) {
        const proto_metric_info *m = &r->metrics[i];
        char range[64];
        snprintf(range, sizeof range, "%.15g..%.15g%s", m->min, m->max, m->integer ? "" : " (dec)");
        fprintf(out, "%-28s %-7s %-5s %-14s %-24s %s\n", quoted(m->code, a, sizeof a),
                quoted(m->unit, b, sizeof b), quoted(m->time, c, sizeof c), range,
                join_texts((const char *)m->kinds, sizeof m->kinds[0], m->n_kinds, f, sizeof f),
                quoted(m->label, e, sizeof e));
    }
    fprintf(out, "\n%-12s %-24s %-10s %s\n", "AREA", "NAME", "LEVEL", "PARENT");
    for (size_t i = 0; i < r->n_areas; i++) {
        const proto_area_info *m = &r->areas[i];
        fprintf(out, "%-12s %-24s %-10s %s\n", quoted(m->code, b, sizeof b),
                quoted(m->name, a, sizeof a), quoted(m->level, c, sizeof c),
                m->parent[0] ? quoted(m->parent, d, sizeof d) : "-");
    }
    fprintf(out, "\n%-24s %-7s %-5s %-6s %s\n", "INDICATOR", "UNIT", "TYPE", "BETTER", "LABEL");
    for (size_t i = 0; i < r->n_indicators; i++) {
        const proto_indicator *m = &r->indicators[i];
        fprintf(out, "%-24s %-7s %-5s %-6s %s\n", quoted(m->code, b, sizeof b),
                quoted(m->unit, c, sizeof c), quoted(m->type, d, sizeof d),
                quoted(m->better, e, sizeof e), quoted(m->label, f, sizeof f));
    }
    if (r->has_may_report) {
        char big[4096];
        fprintf(out, "\nyou may report metrics: %s\n",
                join_texts((const char *)r->may_metrics, sizeof r->may_metrics[0], r->n_may_metrics, big,
                           sizeof big));
        fprintf(out, "for areas:              %s\n",
                join_texts((const char *)r->may_areas, sizeof r->may_areas[0], r->n_may_areas, big,
                           sizeof big));
    }
}

static int read_catalog(leamon_ctx *ctx, const rpc_reply *reply, long long ms)
{
    (void)ms;
    proto_catalog_reply r;
    lm_error e;
    int rc = ctx_take_reply(ctx, reply, proto_catalog_reply_read(reply->root, &r, &e), &e);
    if (rc == 0)
        print_catalog(ctx->out, &r);
    if (rc == 0 || rc == REPLY_DONE)
        proto_catalog_reply_free(&r);
    return rc;
}

int cmd_catalog(leamon_ctx *ctx)
{
    return info_command(ctx, PROTO_OP_CATALOG, read_catalog);
}
