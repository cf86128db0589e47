/* op_ack.c: the ack op (PROTOCOL.md §5.9): someone has seen the alert and is on it. It
 * does not resolve or silence the alert; a new ack replaces the old. */
#include "op.h"

#include "alert_list.h"

void op_ack(op_ctx *c)
{
    const proto_request *req = c->req;
    stored_alert a;
    int found = store_alert_get(c->db, req->alert, &a);
    if (found == 0) {
        op_refuse(c, PROTO_NOT_FOUND, "no alert %lld (leamon alerts --state all lists them)",
                  (long long)req->alert);
        return;
    }
    proto_alert out = {0};
    if (found < 0 ||
        store_alert_ack(c->db, a.id, identity_id(c->who), (int64_t)c->now, req->note) < 0 ||
        store_alert_get(c->db, a.id, &a) != 1 ||
        alert_list_fill(&out, c->db, c->reg, c->rt, &a, c->now) < 0)
        op_refuse(c, PROTO_INTERNAL, "cannot acknowledge the alert: %s", store_errmsg(c->db));
    else
        proto_ack_reply_write(c->w, req->id, &out);
    proto_alert_free(&out);
}
