/* op_silence.c: the silence op (PROTOCOL.md §5.10): stop publishing a rule's changes for
 * an area until a time; an until in the past lifts the silence. */
#include "op.h"

#include <stdio.h>
#include <string.h>

#include "query_args.h"
#include "alert_list.h"

void op_silence(op_ctx *c)
{
    const proto_request *req = c->req;
    lm_error e;
    if (!query_rule(&c->reg->cat, req->rule, &e) || query_area(&c->reg->parts, req->area, &e) < 0) {
        op_fail(c, &e);
        return;
    }
    stored_silence si;
    memset(&si, 0, sizeof si);
    snprintf(si.rule, sizeof si.rule, "%s", req->rule);
    snprintf(si.area, sizeof si.area, "%s", req->area);
    snprintf(si.by, sizeof si.by, "%s", identity_id(c->who));
    snprintf(si.note, sizeof si.note, "%s", req->note);
    si.until = req->until;
    si.created = (int64_t)c->now;
    proto_silence_reply r = {.lifted = req->until <= (int64_t)c->now};
    int rc = r.lifted ? store_silence_remove(c->db, si.rule, si.area)
                      : store_silence_put(c->db, &si);
    if (rc < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot store the silence: %s", store_errmsg(c->db));
        return;
    }
    alert_list_silence(&r.silence, &si);
    proto_silence_reply_write(c->w, req->id, &r);
}
