/* cmd_silence.c: the silence commands: silence (a new silence of the alerts its matchers
 * match, admin only), silences (those in force, to start and recently ended, as a table,
 * CSV or JSON) and unsilence (end one now, admin only). */
#include "cmd_silence.h"

#include <stddef.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "format.h"
#include "leamon.h"
#include "query.h"
#include "session.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define COPY(dst, src) memcpy((dst), (src), strlen(src) + 1) /* lengths checked before */

/* ---- printing --------------------------------------------------------- */

/* "rule=R indicator=I area=A organisation=O severity=S", the matchers set. */
static void describe_matchers(const proto_silence *s, char *buf, size_t n)
{
    const char *names[] = {"rule", "indicator", "area", "organisation", "severity"};
    const char *values[] = {s->rule, s->indicator, s->area, s->organisation, s->severity};
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < COUNT(names) && used < n; i++)
        if (values[i][0])
            used += (size_t)snprintf(buf + used, n - used, "%s%s=%s", used ? " " : "", names[i],
                                     values[i]);
}

static const table_col text_cols[] = {
    {"ID", TABLE_RIGHT},   {"STATE", TABLE_LEFT}, {"MATCHERS", TABLE_LEFT},
    {"STARTS", TABLE_LEFT}, {"UNTIL", TABLE_LEFT}, {"BY", TABLE_LEFT},
    {"NOTE", TABLE_LEFT}};
static const table_col csv_cols[] = {
    {"id", 0},     {"state", 0}, {"rule", 0},       {"indicator", 0},  {"area", 0},
    {"organisation", 0}, {"severity", 0}, {"starts", 0}, {"until", 0}, {"by", 0},
    {"note", 0},   {"created", 0}, {"expired_by", 0}};

int silence_print_table(FILE *out, const proto_silence *s, size_t n, const char *indent)
{
    table_t *t = table_new(text_cols, COUNT(text_cols));
    int rc = t ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char matchers[400], starts[FMT_NUMBER_MAX], until[FMT_NUMBER_MAX];
        describe_matchers(&s[i], matchers, sizeof matchers);
        fmt_time(starts, sizeof starts, s[i].starts);
        fmt_time(until, sizeof until, s[i].until);
        rc |= cell_int(t, true, s[i].id);
        rc |= table_add(t, s[i].state);
        rc |= table_add(t, matchers);
        rc |= table_add(t, starts);
        rc |= table_add(t, until);
        /* Who made it, and who ended it early. */
        if (s[i].expired_by[0])
            rc |= table_addf(t, "%s, ended by %s", s[i].by, s[i].expired_by);
        else
            rc |= table_add(t, s[i].by);
        rc |= table_add(t, s[i].note);
    }
    if (rc == 0)
        rc = table_print(t, out, indent);
    table_destroy(&t);
    return rc;
}

int silence_print_csv(FILE *out, const proto_silence *s, size_t n)
{
    table_t *t = table_new(csv_cols, COUNT(csv_cols));
    int rc = t ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc |= cell_int(t, true, s[i].id);
        rc |= table_add(t, s[i].state);
        rc |= table_add(t, s[i].rule);
        rc |= table_add(t, s[i].indicator);
        rc |= table_add(t, s[i].area);
        rc |= table_add(t, s[i].organisation);
        rc |= table_add(t, s[i].severity);
        rc |= cell_time_iso(t, true, s[i].starts);
        rc |= cell_time_iso(t, true, s[i].until);
        rc |= table_add(t, s[i].by);
        rc |= table_add(t, s[i].note);
        rc |= cell_time_iso(t, true, s[i].created);
        rc |= table_add(t, s[i].expired_by);
    }
    if (rc == 0)
        rc = table_print_csv(t, out);
    table_destroy(&t);
    return rc;
}

int silence_print_reply(FILE *out, const proto_silence_reply *r)
{
    const proto_silence *s = &r->silence;
    char matchers[400], until[FMT_NUMBER_MAX], starts[FMT_NUMBER_MAX];
    describe_matchers(s, matchers, sizeof matchers);
    fmt_time(until, sizeof until, s->until);
    fmt_time(starts, sizeof starts, s->starts);
    int rc;
    if (r->lifted && r->expired == 0)
        rc = fprintf(out, "silence #%lld (%s) had already ended at %s\n", (long long)s->id,
                     matchers, until);
    else if (r->lifted)
        rc = fprintf(out, "ended %lld silence%s of %s (the last #%lld): its alerts' changes "
                          "are published again\n",
                     (long long)r->expired, r->expired == 1 ? "" : "s", matchers,
                     (long long)s->id);
    else
        rc = fprintf(out, "silence #%lld of %s %s %s until %s: its alerts' changes are "
                          "stored, not published\n",
                     (long long)s->id, matchers, strcmp(s->state, "pending") ? "from" : "starts",
                     starts, until);
    if (rc < 0)
        return -1;
    if (!r->lifted && (s->by[0] || s->note[0]) &&
        fprintf(out, "  %s%s%s%s\n", s->by[0] ? "by " : "", s->by,
                s->by[0] && s->note[0] ? ": " : "", s->note) < 0)
        return -1;
    return 0;
}

/* ---- the commands ----------------------------------------------------- */

/* Send req; read its 200 reply as a silence reply and print it. */
static int call_and_show(leamon_ctx *ctx, const proto_request *req)
{
    rpc_reply reply;
    int rc = query_call(ctx, req, &reply);
    if (rc != 0)
        return rc;
    proto_silence_reply s;
    lm_error e;
    if (proto_silence_reply_read(reply.root, &s, &e) != 0)
        rc = ctx_malformed(ctx, &e);
    else
        rc = query_printed(ctx, ctx->json ? ctx_print_json(ctx, &reply)
                                          : silence_print_reply(ctx->out, &s));
    rpc_reply_free(&reply);
    return rc;
}

/* The matchers: --rule (or the RULE of before), --indicator, --area, --org, --severity. */
static const struct {
    const char *opt;
    size_t max;   /* bytes */
    size_t at;    /* where it goes in proto_request */
} matchers[] = {
    {"rule", PROTO_MAX_CODE, offsetof(proto_request, rule)},
    {"indicator", PROTO_MAX_CODE, offsetof(proto_request, indicator)},
    {"area", PROTO_MAX_AREA, offsetof(proto_request, area)},
    {"org", PROTO_MAX_CODE, offsetof(proto_request, organisation)},
    {"severity", sizeof(((proto_request *)0)->severity) - 1, offsetof(proto_request, severity)}};

int cmd_silence(leamon_ctx *ctx)
{
    const char *until = ctx_opt(ctx, "until"), *starts = ctx_opt(ctx, "starts"),
               *note = ctx_opt(ctx, "note"), *value[COUNT(matchers)];
    int64_t when = 0, from = 0;
    /* `leamon silence RULE --area AREA` as before, or --rule RULE. */
    int rc = arg_count_noted(ctx, ctx->npos && !ctx_opt(ctx, "rule") ? 1 : 0, "RULE");
    size_t given = 0;
    for (size_t i = 0; rc == 0 && i < COUNT(matchers); i++) {
        char opt[24];
        value[i] = ctx_opt(ctx, matchers[i].opt);
        if (i == 0 && !value[i] && ctx->npos)
            value[i] = ctx->pos[0];
        snprintf(opt, sizeof opt, "--%s", matchers[i].opt);
        if (value[i] && (rc = arg_code(ctx, opt, value[i], matchers[i].max)) == 0)
            given++;
    }
    if (rc == 0 && given == 0) {
        leamon_error(ctx, "silence needs a matcher: --rule RULE, --indicator IND, --area AREA, "
                          "--org ORG or --severity warning|critical");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0)
        rc = arg_needed(ctx, until, "--until WHEN",
                        "a date, or a span from now such as 7d (now ends the silences in force "
                        "with exactly these matchers)");
    if (rc == 0)
        rc = arg_when(ctx, "until", until, true, &when);
    if (rc == 0 && starts)
        rc = arg_when(ctx, "starts", starts, true, &from);
    if (rc == 0 && note)
        rc = arg_note(ctx, note);
    proto_request req;
    if (rc != 0 || (rc = query_start(ctx, &req, PROTO_OP_SILENCE)) != 0)
        return rc;
    for (size_t i = 0; i < COUNT(matchers); i++)
        if (value[i])
            COPY((char *)&req + matchers[i].at, value[i]);
    req.has_until = true;
    req.until = when;
    req.has_starts = starts != NULL;
    req.starts = from;
    if (note)
        COPY(req.note, note);
    return call_and_show(ctx, &req);
}

int cmd_silences(leamon_ctx *ctx)
{
    proto_request req;
    int rc = arg_count(ctx, 0, "");
    if (rc != 0 || (rc = query_start(ctx, &req, PROTO_OP_SILENCES)) != 0)
        return rc;
    req.all = ctx_opt(ctx, "all") != NULL;
    rpc_reply reply;
    if ((rc = query_call(ctx, &req, &reply)) != 0)
        return rc;
    proto_silences_reply r;
    lm_error e;
    if (proto_silences_reply_read(reply.root, &r, &e) != 0) {
        rc = ctx_malformed(ctx, &e);
    } else if (ctx->json) {
        rc = query_printed(ctx, ctx_print_json(ctx, &reply));
    } else if (ctx->csv) {
        rc = query_printed(ctx, silence_print_csv(ctx->out, r.silences, r.n_silences));
    } else {
        int out = 0;
        if (r.n_silences == 0)
            out = fprintf(ctx->out, "no silences%s\n", req.all ? "" : " in force, to start or "
                                                                  "ended in the last 30 days") < 0;
        else
            out = silence_print_table(ctx->out, r.silences, r.n_silences, "");
        if (out == 0 && r.truncated &&
            fprintf(ctx->out, "\nmore silences than the daemon lists (%d)\n",
                    PROTO_MAX_SILENCES) < 0)
            out = -1;
        rc = query_printed(ctx, out ? -1 : 0);
    }
    proto_silences_reply_free(&r);
    rpc_reply_free(&reply);
    return rc;
}

int cmd_unsilence(leamon_ctx *ctx)
{
    int64_t id = 0;
    int rc = arg_count(ctx, 1, "ID");
    if (rc == 0)
        rc = arg_number(ctx, "silence ID", ctx->pos[0], 1,
                        "the silence's number, from the ID column of leamon silences", &id);
    proto_request req;
    if (rc != 0 || (rc = query_start(ctx, &req, PROTO_OP_UNSILENCE)) != 0)
        return rc;
    req.has_silence_id = true;
    req.silence_id = id;
    return call_and_show(ctx, &req);
}
