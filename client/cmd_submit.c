/* cmd_submit.c: `leamon submit`: read records (CSV file or metric=value
 * arguments), send them in one atomic request, and report the outcome
 * against the user's own lines. */
#include <errno.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cmd_flush.h"
#include "csv.h"
#include "kvargs.h"
#include "leamon.h"
#include "opts.h"
#include "proto.h"
#include "records.h"
#include "rpc.h"
#include "session.h"
#include "spool.h"

#define SHOW_LOCAL_ERRORS 50 /* a file full of errors needs fixing, not a full list */

typedef struct {
    const char *source; /* file name as shown; NULL for metric=value arguments */
    records_t recs;
} input_t;

/* Where a record (origin) or the input as a whole (origin 0) came from. */
static void print_place(FILE *f, const input_t *in, long origin)
{
    if (in->source && origin > 0)
        fprintf(f, "%s:%ld: ", in->source, origin);
    else if (in->source)
        fprintf(f, "%s: ", in->source);
    else if (origin > 0)
        fprintf(f, "argument %ld: ", origin);
}

static int local_errors(leamon_ctx *ctx, const input_t *in, const proto_errors *errs)
{
    for (size_t i = 0; i < errs->count && i < SHOW_LOCAL_ERRORS; i++) {
        const proto_error *e = &errs->items[i];
        print_place(ctx->err, in, e->index);
        fprintf(ctx->err, "%s: %s\n", e->field, e->message);
    }
    if (errs->total > SHOW_LOCAL_ERRORS)
        fprintf(ctx->err, "... and %zu more problems\n", errs->total - SHOW_LOCAL_ERRORS);
    leamon_error(ctx, "%zu problem%s in the input; nothing sent", errs->total,
                 errs->total == 1 ? "" : "s");
    return LEAMON_EXIT_USAGE;
}

/* Arguments that are neither one file nor all metric=value: say which and how to write it.
 * Returns LEAMON_EXIT_USAGE, or 0 when the arguments are metric=value pairs. */
static int check_arguments(leamon_ctx *ctx)
{
    for (size_t i = 0; i < ctx->npos; i++) {
        const char *a = ctx->pos[i];
        if (strchr(a, '='))
            continue;
        if (access(a, F_OK) == 0) {
            leamon_error(ctx, "'%s': give one FILE.csv, or metric=value arguments (not both)", a);
            return LEAMON_EXIT_USAGE;
        }
        leamon_error(ctx, "argument %zu, '%s': expected metric=value, as one argument without "
                          "spaces (vve.plaatsen=40)", i + 1, a);
        return LEAMON_EXIT_USAGE;
    }
    return 0;
}

/* vve.plaatsen rather than a file name: a code, no directory, no file extension. */
static bool looks_like_metric(const char *s)
{
    static const char *const exts[] = {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"};
    const char *why, *dot = strrchr(s, '.');
    if (strchr(s, '/') || records_check_code(s, PROTO_MAX_CODE, &why) != 0)
        return false;
    for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
        if (!strcasecmp(dot, exts[i]))
            return false;
    return true;
}

static FILE *open_input(leamon_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f)
        return f;
    int saved = errno;
    if (saved == ENOENT && looks_like_metric(path))
        /* a figure without its value, not a file */
        leamon_error(ctx, "%s: no such file; a figure is given as metric=value (%s=40)", path,
                     path);
    else
        leamon_error(ctx, "%s: cannot open: %s", path, strerror(saved));
    return NULL;
}

static int read_input(leamon_ctx *ctx, input_t *in, const char *period_text)
{
    const char *area = ctx_opt(ctx, "area");
    bool is_file = ctx->npos == 1 && (!strchr(ctx->pos[0], '=') || strchr(ctx->pos[0], '/'));
    proto_errors errs;
    proto_errors_init(&errs);
    int rc = 0;
    if (is_file) {
        const char *path = ctx->pos[0];
        if (area) {
            leamon_error(ctx, "--area is for metric=value arguments; in a CSV file the area is "
                              "a column (area or wijk)");
            return LEAMON_EXIT_USAGE;
        }
        bool use_stdin = !strcmp(path, "-");
        in->source = use_stdin ? "stdin" : path;
        FILE *f = use_stdin ? stdin : open_input(ctx, path);
        if (!f)
            return LEAMON_EXIT_USAGE;
        const char *map_path = ctx_opt(ctx, "map");
        csv_map map;
        lm_error merr;
        if (map_path && csv_map_load(&map, map_path, &merr) != 0) {
            leamon_error(ctx, "--map: %s", merr.msg);
            if (!use_stdin)
                fclose(f);
            return LEAMON_EXIT_USAGE;
        }
        rc = csv_parse(f, period_text, map_path ? &map : NULL, &in->recs, &errs);
        if (map_path)
            csv_map_free(&map);
        if (!use_stdin)
            fclose(f);
    } else {
        if (ctx_opt(ctx, "map")) {
            leamon_error(ctx, "--map is for a file an administration system exported; "
                              "metric=value arguments name the catalogue's codes");
            return LEAMON_EXIT_USAGE;
        }
        if ((rc = check_arguments(ctx)) != 0)
            return rc;
        rc = kvargs_parse(ctx->pos, ctx->npos, period_text, area, &in->recs, &errs);
    }
    if (rc != 0)
        rc = local_errors(ctx, in, &errs);
    proto_errors_free(&errs);
    return rc;
}

/* "2026-10", or "2026-09 to 2026-10" when the records span several periods. */
static void describe_periods(const records_t *recs, char *buf, size_t n)
{
    const char *lo = recs->items[0].period, *hi = lo;
    for (size_t i = 1; i < recs->count; i++) {
        if (strcmp(recs->items[i].period, lo) < 0)
            lo = recs->items[i].period;
        if (strcmp(recs->items[i].period, hi) > 0)
            hi = recs->items[i].period;
    }
    if (!strcmp(lo, hi))
        snprintf(buf, n, "%s", lo);
    else
        snprintf(buf, n, "%s to %s", lo, hi);
}

/* A daemon error's message. The daemon names another record by its index in the request,
 * from 0 ("same metric, area and period as record 0"); the user knows it by its line. */
static void print_message(FILE *f, const input_t *in, const proto_error *e)
{
    const char *m = e->message, *r = NULL;
    if (!strcmp(e->code, "duplicate_record") || !strcmp(e->code, "implausible"))
        r = strstr(m, "record ");
    if (r && r[7] >= '0' && r[7] <= '9') {
        char *end;
        unsigned long index = strtoul(r + 7, &end, 10);
        if (index < in->recs.count) {
            fprintf(f, "%.*s%s %zu%s", (int)(r - m), m, in->source ? "line" : "argument",
                    in->recs.origin[index], end);
            return;
        }
    }
    fputs(m, f);
}

static int rejected(leamon_ctx *ctx, const input_t *in, const proto_request *req,
                    const proto_head *head, const proto_submit_reply *sr)
{
    const proto_errors *errs = &sr->errors;
    for (size_t i = 0; i < errs->count; i++) {
        const proto_error *e = &errs->items[i];
        long origin = e->index >= 0 && (size_t)e->index < in->recs.count
                          ? (long)in->recs.origin[e->index] : 0;
        print_place(ctx->err, in, origin);
        fprintf(ctx->err, "%s: ", e->field);
        print_message(ctx->err, in, e);
        fprintf(ctx->err, " (%s)\n", e->code);
    }
    if (head->status == PROTO_INVALID) {
        /* The daemon's summary says how many records are affected ("3 errors in 2 of 4"). */
        if (head->error[0])
            leamon_error(ctx, "rejected: %s (request %s)", head->error, req->id);
        else
            leamon_error(ctx, "rejected: %zu error%s; nothing stored (request %s)", errs->total,
                         errs->total == 1 ? "" : "s", req->id);
        if (errs->total > errs->count)
            leamon_error(ctx, "%zu of the %zu errors are listed; fix them and send again to see "
                              "the rest", errs->count, errs->total);
        return LEAMON_EXIT_REJECTED;
    }
    leamon_error(ctx, "rejected by the daemon: %d %s; nothing stored (request %s)", head->status,
                 head->error[0] ? head->error : "(no reason given)", req->id);
    if (head->status == PROTO_CONFLICT)
        leamon_error(ctx, "request id %s was used before for different records: "
                          "give a new --id (or none, for a random one)", req->id);
    else if (head->status == PROTO_UNAUTHENTICATED && !ctx->rpc.curve)
        leamon_error(ctx, "in insecure mode, name your organisation with --reporter ID");
    return LEAMON_EXIT_REJECTED;
}

/* Figures stored that look wrong: each against the user's own line, on stderr. */
static void warnings(leamon_ctx *ctx, const input_t *in, const proto_errors *warns)
{
    for (size_t i = 0; i < warns->count; i++) {
        const proto_error *w = &warns->items[i];
        long origin = w->index >= 0 && (size_t)w->index < in->recs.count
                          ? (long)in->recs.origin[w->index] : 0;
        print_place(ctx->err, in, origin);
        fprintf(ctx->err, "warning: %s: %s (%s)\n", w->field, w->message, w->code);
    }
}

static int stored(leamon_ctx *ctx, const input_t *in, const proto_request *req,
                  const rpc_reply *reply, const proto_submit_reply *sr)
{
    warnings(ctx, in, &sr->warnings);
    int64_t accepted = sr->accepted;
    char periods[64];
    describe_periods(&in->recs, periods, sizeof periods);
    if (sr->dry_run || req->dry_run)
        fprintf(ctx->out, "valid: %zu record%s for %s (dry run, nothing stored)\n",
                in->recs.count, in->recs.count == 1 ? "" : "s", periods);
    else if (sr->duplicate && reply->attempts > 1 && !ctx_opt(ctx, "id"))
        /* A random id is ours alone: the "earlier" submission was our own timed-out attempt. */
        fprintf(ctx->out, "stored %lld record%s for %s (request %s; on retry %d, an earlier "
                          "attempt had arrived)\n",
                (long long)accepted, accepted == 1 ? "" : "s", periods, req->id,
                reply->attempts - 1);
    else if (sr->duplicate)
        fprintf(ctx->out, "already stored (request %s): %lld record%s\n", req->id,
                (long long)accepted, accepted == 1 ? "" : "s");
    else
        fprintf(ctx->out, "stored %lld record%s for %s (request %s)\n", (long long)accepted,
                accepted == 1 ? "" : "s", periods, req->id);
    return LEAMON_EXIT_OK;
}

/* Keep the request for `leamon flush`. The caller holds the spool lock. */
static int spool_it(leamon_ctx *ctx, const char *dir, const proto_request *req,
                    const msgpack_sbuffer *buf)
{
    char name[256];
    lm_error err;
    if (spool_write(dir, req->id, buf->data, buf->size, time(NULL), name, sizeof name, &err) != 0) {
        leamon_error(ctx, "%s", err.msg);
        leamon_error(ctx, "could not spool the submission; nothing stored (request %s)", req->id);
        return LEAMON_EXIT_UNAVAILABLE;
    }
    leamon_error(ctx, "spooled as %s/%s; `leamon flush --spool %s` delivers it (request %s)",
                 dir, name, dir, req->id);
    return LEAMON_EXIT_SPOOLED;
}

static int send_it(leamon_ctx *ctx, const input_t *in, const proto_request *req,
                   const msgpack_sbuffer *buf, const char *spool_dir)
{
    if (spool_dir) {
        /* Older spooled figures go first: a later figure supersedes an earlier one. */
        spool_stats st;
        int rc = flush_pending(ctx, spool_dir, &st);
        if (rc != 0)
            return rc;
        if (st.remaining)
            return spool_it(ctx, spool_dir, req, buf);
    }
    rpc_reply reply;
    lm_error err = {0};
    rpc_result r = rpc_call(&ctx->rpc, buf->data, buf->size, req->id, &reply, &err);
    if (r == RPC_UNREACHABLE || (r == RPC_REPLY && reply.head.status >= 500)) {
        if (r == RPC_REPLY) {
            lm_fail(&err, 0, "the daemon is unavailable: %d %.200s", reply.head.status,
                    reply.head.error);
            rpc_reply_free(&reply);
        }
        leamon_error(ctx, "%s", err.msg);
        if (spool_dir)
            return spool_it(ctx, spool_dir, req, buf);
        leamon_error(ctx, "nothing stored; sending again with --id %s is safe", req->id);
        return LEAMON_EXIT_UNAVAILABLE;
    }
    if (r != RPC_REPLY)
        return ctx_rpc_failure(ctx, r, &err);
    proto_submit_reply sr;
    lm_error e;
    int rc;
    if (submit_reply_read(&reply, &sr, &e) != 0) {
        rc = ctx_malformed(ctx, &e);
    } else {
        if (ctx->json && ctx_print_json(ctx, &reply) != 0)
            leamon_error(ctx, "cannot write the output");
        if (reply.head.status == PROTO_OK)
            rc = ctx->json ? LEAMON_EXIT_OK : stored(ctx, in, req, &reply, &sr);
        else
            rc = rejected(ctx, in, req, &reply.head, &sr);
        proto_submit_reply_free(&sr);
    }
    rpc_reply_free(&reply);
    return rc;
}

int cmd_submit(leamon_ctx *ctx)
{
    const char *period_text = ctx_opt(ctx, "period");
    bool dry = ctx_opt(ctx, "dry-run") != NULL;
    const char *spool_dir = dry ? NULL : opts_str(&ctx->opts, OPT_SPOOL);
    const char *why = NULL;
    if (period_text && records_check_month(period_text, &why) != 0) {
        leamon_error(ctx, "--period '%.20s': %s", period_text, why);
        return LEAMON_EXIT_USAGE;
    }
    if (ctx->npos == 0) {
        leamon_error(ctx, "submit needs FILE.csv (or - for stdin) or metric=value arguments; "
                          "see leamon submit --help");
        return LEAMON_EXIT_USAGE;
    }
    input_t in = {0};
    records_init(&in.recs);
    proto_request req;
    msgpack_sbuffer buf;
    msgpack_sbuffer_init(&buf);
    int rc = read_input(ctx, &in, period_text);
    if (rc == 0)
        rc = ctx_connect(ctx);
    if (rc == 0)
        rc = ctx_request(ctx, &req, PROTO_OP_SUBMIT, ctx_opt(ctx, "id"));
    if (rc == 0) {
        /* The records stay owned by in.recs; req only points at them to encode. */
        req.dry_run = dry;
        req.records = in.recs.items;
        req.n_records = in.recs.count;
        if (proto_request_encode(&req, &buf) != 0) {
            leamon_error(ctx, "cannot encode the request (out of memory?)");
            rc = LEAMON_EXIT_USAGE;
        } else if (buf.size > PROTO_MAX_MESSAGE) {
            leamon_error(ctx, "the request is %zu bytes; the limit is %d: split the input",
                         buf.size, PROTO_MAX_MESSAGE);
            rc = LEAMON_EXIT_USAGE;
        }
    }
    if (rc == 0) {
        int lock = -1;
        lm_error err;
        if (spool_dir && (lock = spool_lock(spool_dir, &err)) < 0) {
            leamon_error(ctx, "%s", err.msg);
            rc = LEAMON_EXIT_USAGE;
        } else {
            rc = send_it(ctx, &in, &req, &buf, spool_dir);
            spool_unlock(lock);
        }
    }
    msgpack_sbuffer_destroy(&buf);
    records_free(&in.recs);
    return rc;
}
