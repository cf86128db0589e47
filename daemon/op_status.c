/* op_status.c: the status op (PROTOCOL.md §5.3): the daemon's state, who the sender is
 * taken for, and its figures (a partner's own, else all). */
#include "op.h"

#include <stdio.h>

#include "reply_info.h"
#include "version.h"

static void fill_you(proto_you *you, const identity *who)
{
    snprintf(you->id, sizeof you->id, "%s", identity_id(who));
    snprintf(you->role, sizeof you->role, "%s", identity_role(who));
    if (who->type == IDENT_STAFF) {
        you->has_name = true;
        snprintf(you->name, sizeof you->name, "%s", who->staff->name);
    } else if (who->type == IDENT_ORG) {
        you->has_name = you->has_kind = true;
        snprintf(you->name, sizeof you->name, "%s", who->org->name);
        snprintf(you->kind, sizeof you->kind, "%s", kind_name(who->org->kind));
    }
}

void op_status(op_ctx *c)
{
    const char *scope = c->who->type == IDENT_ORG ? c->who->org->id : NULL;
    proto_status_reply r = {.server = "leamond " LEAMOND_VERSION,
                            .uptime = (int64_t)(c->now - c->started),
                            .secure = c->secure};
    stored_submission last;
    int found;
    if (store_counts(c->db, scope, &r.observations, &r.submissions) < 0 ||
        (found = store_last_submission(c->db, scope, r.last_id, sizeof r.last_id, &last)) < 0) {
        log_msg(c->log, LOG_ERR, "status: %s", store_errmsg(c->db));
        op_refuse(c, PROTO_INTERNAL, "cannot read the database");
        return;
    }
    fill_you(&r.you, c->who);
    r.has_last = found == 1;
    r.last_received = last.received;
    r.last_records = last.records;
    proto_status_reply_write(c->w, c->req->id, &r);
}
