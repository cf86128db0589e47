/* op_close.c: the close and reopen ops (PROTOCOL.md §5.14): an admin closes a period once
 * its figures are agreed (DHIS2's data approval): its figures are closed, and a later
 * figure for it is refused until it is reopened, with a reason that stays in the log. */
#include "op.h"

#include <stdio.h>

#include "query_args.h"
#include "reply_figure_ops.h"

static void close_or_reopen(op_ctx *c, bool close)
{
    const proto_request *req = c->req;
    lm_error e;
    period p;
    if (query_period(req->period, "period", &p, &e) < 0) {
        op_fail(c, &e);
        return;
    }
    if (close && c->now < period_end(&p)) {
        op_refuse(c, PROTO_BAD_REQUEST, "%s has not ended: a period is closed once its figures "
                  "are in and agreed", req->period);
        return;
    }
    proto_close_reply r = {.closed = close};
    period_format(&p, r.period, sizeof r.period);
    bool ok = store_begin(c->db) == 0;
    for (int m = period_first_month(&p); ok && m <= period_last_month(&p); m++) {
        period month = period_month_from_number(m);
        char text[PERIOD_TEXT_MAX];
        int64_t closed = 0;
        ok = period_format(&month, text, sizeof text) == 0 &&
             store_closed_months(c->db, text, text, (int64_t)c->now, &closed) == 0;
        if (!ok || (closed != 0) == close)
            continue;
        ok = store_close_month(c->db, text, close, identity_id(c->who), (int64_t)c->now,
                               req->note) == 0;
        r.months++;
    }
    if (!ok || store_commit(c->db) != 0) {
        log_msg(c->log, LOG_ERR, "%s: %s", close ? "close" : "reopen", store_errmsg(c->db));
        store_rollback(c->db);
        op_refuse(c, store_error_transient(c->db) ? PROTO_UNAVAILABLE : PROTO_INTERNAL,
                  "cannot %s the period now; nothing was changed", close ? "close" : "reopen");
        return;
    }
    log_msg(c->log, LOG_INFO, "%s %s by %s: %lld month%s%s%s", close ? "closed" : "reopened",
            r.period, identity_id(c->who), (long long)r.months, r.months == 1 ? "" : "s",
            req->note[0] ? ": " : "", req->note);
    if (r.months && c->changed)
        c->changed(c->hook_self, false);
    proto_close_reply_write(c->w, req->id, &r);
}

void op_close(op_ctx *c)
{
    close_or_reopen(c, true);
}

void op_reopen(op_ctx *c)
{
    close_or_reopen(c, false);
}
