/* op_unsilence.c: the unsilence op (PROTOCOL.md §5.16): end a silence now. The row stays,
 * with who ended it; ending one that has already ended changes nothing. */
#include "op.h"

#include "alert_list.h"

void op_unsilence(op_ctx *c)
{
    const proto_request *req = c->req;
    stored_silence si;
    int found = store_silence_get(c->db, req->silence_id, &si);
    if (found == 0) {
        op_refuse(c, PROTO_NOT_FOUND, "no silence %lld (leamon silences --all lists them)",
                  (long long)req->silence_id);
        return;
    }
    int done = found < 0 ? -1
                         : store_silence_expire(c->db, si.id, (int64_t)c->now,
                                                identity_id(c->who));
    if (done < 0 || store_silence_get(c->db, si.id, &si) != 1) {
        op_refuse(c, PROTO_INTERNAL, "cannot end the silence: %s", store_errmsg(c->db));
        return;
    }
    proto_silence_reply r = {.lifted = true, .expired = done};
    alert_list_silence(&r.silence, &si, c->now);
    proto_silence_reply_write(c->w, req->id, &r);
}
