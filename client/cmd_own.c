/* cmd_own.c: `leamon figures`: a partner's own figures as the daemon holds them now, each
 * with its corrections and retractions; staff name the organisation (--org). */
#include "cmd_own.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "leamon.h"
#include "query.h"
#include "session.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const table_col text_cols[] = {
    {"METRIC", TABLE_LEFT},  {"AREA", TABLE_LEFT}, {"PERIOD", TABLE_LEFT},
    {"VALUE", TABLE_RIGHT},  {"STORED", TABLE_LEFT}, {"BY", TABLE_LEFT},
    {"REQUEST", TABLE_LEFT}};
static const table_col csv_cols[] = {
    {"organisation", 0}, {"metric", 0}, {"area", 0}, {"period", 0}, {"row", 0},
    {"value", 0},        {"old", 0},    {"at", 0},   {"by", 0},     {"request", 0}};

/* "beleid (admin)" for a change made on the organisation's behalf. */
static int by_cell(table_t *t, const char *by, const char *org)
{
    return strcmp(by, org) ? table_addf(t, "%s (admin)", by) : table_add(t, by);
}

static int text_rows(table_t *t, const proto_figures_reply *r, const proto_stored_figure *f)
{
    char when[FMT_NUMBER_MAX], a[FMT_NUMBER_MAX], b[FMT_NUMBER_MAX];
    int rc = table_add(t, f->metric) | table_add(t, f->area) | table_add(t, f->period);
    rc |= cell_number(t, f->has_value, f->value, false);
    if (f->has_reported)
        fmt_time(when, sizeof when, f->reported_at);
    rc |= table_add(t, f->has_reported ? when : "retracted");
    rc |= table_add(t, "") | table_add(t, f->submission);
    for (size_t i = 0; rc == 0 && i < f->n_changes; i++) {
        const proto_figure_change *c = &f->changes[i];
        fmt_number(a, sizeof a, c->old_value);
        if (c->has_new)
            fmt_number(b, sizeof b, c->new_value);
        fmt_time(when, sizeof when, c->at);
        rc |= table_addf(t, "  %s", c->change) | table_add(t, "") | table_add(t, "");
        rc |= table_addf(t, "%s -> %s", a, c->has_new ? b : FMT_MISSING);
        rc |= table_add(t, when) | by_cell(t, c->by, r->organisation) | table_add(t, c->request);
    }
    return rc ? -1 : 0;
}

static int csv_rows(table_t *t, const proto_figures_reply *r, const proto_stored_figure *f)
{
    int rc = table_add(t, r->organisation) | table_add(t, f->metric) | table_add(t, f->area) |
             table_add(t, f->period) | table_add(t, "figure") |
             cell_number(t, f->has_value, f->value, true) | table_add(t, "") |
             cell_time_iso(t, f->has_reported, f->reported_at) | table_add(t, "") |
             table_add(t, f->submission);
    for (size_t i = 0; rc == 0 && i < f->n_changes; i++) {
        const proto_figure_change *c = &f->changes[i];
        rc |= table_add(t, r->organisation) | table_add(t, f->metric) | table_add(t, f->area) |
              table_add(t, f->period) | table_add(t, c->change) |
              cell_number(t, c->has_new, c->new_value, true) |
              cell_number(t, true, c->old_value, true) | cell_time_iso(t, true, c->at) |
              table_add(t, c->by) | table_add(t, c->request);
    }
    return rc ? -1 : 0;
}

int own_print_figures(FILE *out, const proto_figures_reply *r, bool csv)
{
    table_t *t = table_new(csv ? csv_cols : text_cols, csv ? COUNT(csv_cols) : COUNT(text_cols));
    if (!t)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n_figures; i++)
        rc = (csv ? csv_rows : text_rows)(t, r, &r->figures[i]);
    if (rc == 0 && csv) {
        rc = table_print_csv(t, out);
    } else if (rc == 0) {
        char span[2 * PROTO_MAX_PERIOD + 8];
        snprintf(span, sizeof span, strcmp(r->from, r->to) ? "%s to %s" : "%s", r->from, r->to);
        if (fprintf(out, "Figures of %s (%s) for %s, as the daemon holds them\n\n",
                    r->organisation, r->name, span) < 0)
            rc = -1;
        else if (r->n_figures == 0)
            rc = fprintf(out, "none stored\n") < 0 ? -1 : 0;
        else
            rc = table_print(t, out, "");
        if (rc == 0 && r->truncated &&
            fprintf(out, "\nnot all are listed (at most %d figures, and the newest %d changes "
                         "of each): ask for fewer months, or one --metric\n",
                    PROTO_MAX_FIGURES, PROTO_MAX_FIGURE_CHANGES) < 0)
            rc = -1;
    }
    table_destroy(&t);
    return rc;
}

/* --period, or --from and --to (months, quarters, years); the rest as given. */
static int figures_args(leamon_ctx *ctx, proto_request *req)
{
    const char *p = ctx_opt(ctx, "period"), *from = ctx_opt(ctx, "from"), *to = ctx_opt(ctx, "to"),
               *metric = ctx_opt(ctx, "metric"), *area = ctx_opt(ctx, "area"),
               *org = ctx_opt(ctx, "org");
    period pp;
    int rc = arg_count(ctx, 0, "");
    if (rc == 0 && (p ? from || to : !from || !to)) {
        leamon_error(ctx, "give --period PERIOD, or --from PERIOD and --to PERIOD "
                          "(see leamon figures --help)");
        rc = LEAMON_EXIT_USAGE;
    }
    if (rc == 0 && p)
        rc = arg_period(ctx, "--period", p, &pp);
    if (rc == 0 && from)
        rc = arg_period(ctx, "--from", from, &pp);
    if (rc == 0 && to)
        rc = arg_period(ctx, "--to", to, &pp);
    if (rc == 0 && metric)
        rc = arg_code(ctx, "--metric", metric, PROTO_MAX_CODE);
    if (rc == 0 && area)
        rc = arg_code(ctx, "--area", area, PROTO_MAX_AREA);
    if (rc == 0 && org)
        rc = arg_code(ctx, "--org", org, PROTO_MAX_CODE);
    if (rc != 0 || (rc = query_start(ctx, req, PROTO_OP_FIGURES)) != 0)
        return rc;
    /* Lengths were checked above. */
    snprintf(req->period, sizeof req->period, "%s", p ? p : "");
    snprintf(req->from, sizeof req->from, "%s", from ? from : "");
    snprintf(req->to, sizeof req->to, "%s", to ? to : "");
    snprintf(req->metric, sizeof req->metric, "%s", metric ? metric : "");
    snprintf(req->area, sizeof req->area, "%s", area ? area : "");
    snprintf(req->organisation, sizeof req->organisation, "%s", org ? org : "");
    return 0;
}

int cmd_figures(leamon_ctx *ctx)
{
    proto_request req;
    int rc = figures_args(ctx, &req);
    if (rc != 0)
        return rc;
    rpc_reply reply;
    if ((rc = query_call(ctx, &req, &reply)) != 0)
        return rc;
    proto_figures_reply r;
    lm_error e;
    int read = proto_figures_reply_read(reply.root, &r, &e);
    rc = ctx_take_reply(ctx, &reply, read, &e);
    if (rc == 0)
        rc = query_printed(ctx, own_print_figures(ctx->out, &r, ctx->csv));
    if (read == 0)
        proto_figures_reply_free(&r);
    rpc_reply_free(&reply);
    return rc == REPLY_DONE ? LEAMON_EXIT_OK : rc;
}
