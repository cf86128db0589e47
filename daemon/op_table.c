/* op_table.c: the table of operations, the one check of rights, and the dispatch to the
 * handlers (op.h). */
#include "op.h"

#include <stdarg.h>
#include <stdio.h>

#include "reply.h"
#include "snapshot.h"
#include "verdict.h"

static const op_def ops[PROTO_OP_COUNT] = {
    [PROTO_OP_PING] = {PROTO_OP_PING, WHO_ANYONE, 0, NULL, NULL, op_ping},
    [PROTO_OP_SUBMIT] = {PROTO_OP_SUBMIT, WHO_PARTNER, OP_BATCHED | OP_FIGURES | OP_OWN_ERRORS,
                         "staff read figures; only partner organisations submit them",
                         "a submission must name its reporter in insecure mode "
                         "(leamon --reporter ID)",
                         op_submit},
    [PROTO_OP_STATUS] = {PROTO_OP_STATUS, WHO_ANYONE, 0, NULL, NULL, op_status},
    [PROTO_OP_CATALOG] = {PROTO_OP_CATALOG, WHO_ANYONE, 0, NULL, NULL, op_catalog},
    [PROTO_OP_SNAPSHOT] = {PROTO_OP_SNAPSHOT, WHO_ANONYMOUS | WHO_STAFF, OP_DERIVED,
                           "snapshots and series are for municipal staff; a partner reads its "
                           "own completeness",
                           NULL, op_snapshot},
    [PROTO_OP_SERIES] = {PROTO_OP_SERIES, WHO_ANONYMOUS | WHO_STAFF, OP_DERIVED,
                         "snapshots and series are for municipal staff; a partner reads its "
                         "own completeness",
                         NULL, op_series},
    [PROTO_OP_COMPLETENESS] = {PROTO_OP_COMPLETENESS, WHO_ANYONE, OP_DERIVED, NULL, NULL,
                               op_completeness},
    [PROTO_OP_ALERTS] = {PROTO_OP_ALERTS, WHO_ANONYMOUS | WHO_STAFF, OP_DERIVED | OP_JUDGED,
                         "alerts are for municipal staff", NULL, op_alerts},
    [PROTO_OP_ACK] = {PROTO_OP_ACK, WHO_ADMIN, OP_DERIVED | OP_JUDGED,
                      "acknowledging alerts needs the admin role", NULL, op_ack},
    [PROTO_OP_SILENCE] = {PROTO_OP_SILENCE, WHO_ADMIN, OP_DERIVED,
                          "silencing alerts needs the admin role", NULL, op_silence},
    [PROTO_OP_BACKUP] = {PROTO_OP_BACKUP, WHO_ADMIN, 0, "a backup needs the admin role", NULL,
                         op_backup},
    [PROTO_OP_RETRACT] = {PROTO_OP_RETRACT, WHO_PARTNER | WHO_ADMIN, OP_FIGURES,
                          "a partner retracts its own figures, an admin on a partner's behalf",
                          "a retraction must name its reporter in insecure mode "
                          "(leamon --reporter ID)",
                          op_retract},
    [PROTO_OP_CLOSE] = {PROTO_OP_CLOSE, WHO_ADMIN, 0, "closing a period needs the admin role",
                        NULL, op_close},
    [PROTO_OP_REOPEN] = {PROTO_OP_REOPEN, WHO_ADMIN, 0, "reopening a period needs the admin role",
                         NULL, op_reopen},
    [PROTO_OP_SILENCES] = {PROTO_OP_SILENCES, WHO_ANONYMOUS | WHO_STAFF, OP_DERIVED,
                           "silences are for municipal staff", NULL, op_silences},
    [PROTO_OP_UNSILENCE] = {PROTO_OP_UNSILENCE, WHO_ADMIN, OP_DERIVED,
                            "ending a silence needs the admin role", NULL, op_unsilence},
    /* Anyone: the handler keeps an organisation to its own figures. */
    [PROTO_OP_FIGURES] = {PROTO_OP_FIGURES, WHO_ANYONE, 0, NULL, NULL, op_figures},
};

const op_def *op_find(proto_op op)
{
    return op >= 0 && op < PROTO_OP_COUNT ? &ops[op] : NULL;
}

static unsigned who_bit(const identity *who)
{
    switch (who->type) {
    case IDENT_ANONYMOUS:
        return WHO_ANONYMOUS;
    case IDENT_ORG:
        return WHO_PARTNER;
    case IDENT_STAFF:
        return who->staff->role == ROLE_ADMIN ? WHO_ADMIN : WHO_VIEWER;
    }
    return 0;
}

int op_allowed(const op_def *d, const identity *who, lm_error *e)
{
    unsigned bit = who_bit(who);
    if (!(d->who & bit)) {
        if (bit == WHO_ANONYMOUS && d->anonymous)
            return lm_fail(e, PROTO_UNAUTHENTICATED, "%s", d->anonymous);
        return lm_fail(e, PROTO_FORBIDDEN, "%s", d->denied ? d->denied : "not allowed");
    }
    if ((d->flags & OP_FIGURES) && bit == WHO_PARTNER && !who->org->active)
        return lm_fail(e, PROTO_FORBIDDEN, "organisation %s is inactive in the partners file",
                       who->org->id);
    return 0;
}

void op_reply(const op_def *d, op_ctx *c)
{
    c->replied = c->status;
    snprintf(c->reason, sizeof c->reason, "%s", c->status == PROTO_OK ? "" : c->why);
    /* A submission that was read as one answers with its fields in the error cases too;
     * a request that could not be read, with the common fields only. */
    bool own = d && (d->flags & OP_OWN_ERRORS) && c->req->version &&
               c->status != PROTO_BAD_REQUEST;
    mpw_reset(c->w);
    if (d && (c->status == PROTO_OK || own))
        d->handler(c);
    else
        proto_reply_error(c->w, c->req->id, c->status, c->why);
    if (!mpw_ok(c->w)) {
        log_msg(c->log, LOG_ERR, "cannot encode the reply to %s", c->req->id);
        op_refuse(c, PROTO_INTERNAL, "cannot encode the reply");
    }
}

int op_refuse(op_ctx *c, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    c->replied = status;
    proto_reply_error(c->w, c->req->id, status, c->reason);
    return -1;
}

int op_fail(op_ctx *c, const lm_error *e)
{
    return op_refuse(c, e->status ? e->status : PROTO_INTERNAL, "%s", e->msg);
}

void op_before_read(op_ctx *c, const indicator *ind, int at, const period *from,
                    const period *to)
{
    if (!c->before_read)
        return;
    c->before_read(c->hook_self, ind, from->kind, period_first_month(from),
                   period_last_month(to));
    const target *t = snapshot_target(c->reg, ind, at);
    if (!t)
        return;
    if (t->has_baseline && !t->has_baseline_value)
        c->before_read(c->hook_self, ind, t->baseline_period.kind,
                       period_first_month(&t->baseline_period),
                       period_last_month(&t->baseline_period));
    if (verdict_after_goal(t, to))
        c->before_read(c->hook_self, ind, t->goal_period.kind,
                       period_first_month(&t->goal_period),
                       period_last_month(&t->goal_period));
}
