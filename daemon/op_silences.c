/* op_silences.c: the silences op (PROTOCOL.md §5.15): the silences in force, those still
 * to start, and the ended ones (of the last 30 days unless all are asked for). */
#include "op.h"

#include <stdlib.h>

#include "alert_list.h"

/* How long ended silences are listed by default. */
#define SILENCES_RECENT_SECONDS (30 * 86400)

void op_silences(op_ctx *c)
{
    int64_t now = (int64_t)c->now;
    stored_silence *rows = NULL;
    size_t n = 0;
    proto_silences_reply r = {0};
    if (store_silences_list(c->db, now, c->req->all ? INT64_MIN : now - SILENCES_RECENT_SECONDS,
                            PROTO_MAX_SILENCES, &rows, &n, &r.truncated) < 0) {
        op_refuse(c, PROTO_INTERNAL, "cannot read the silences: %s", store_errmsg(c->db));
        free(rows);
        return;
    }
    r.silences = calloc(n ? n : 1, sizeof *r.silences);
    if (!r.silences) {
        op_refuse(c, PROTO_INTERNAL, "out of memory");
        free(rows);
        return;
    }
    for (size_t i = 0; i < n; i++)
        alert_list_silence(&r.silences[r.n_silences++], &rows[i], c->now);
    proto_silences_reply_write(c->w, c->req->id, &r);
    proto_silences_reply_free(&r);
    free(rows);
}
