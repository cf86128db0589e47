/* op_alerts.c: the alerts op (PROTOCOL.md §5.8): the alerts the rules raised, newest
 * change first, each with the silence holding it, and the silences not yet ended. */
#include "op.h"

#include <stdlib.h>
#include <string.h>

#include "alert_list.h"
#include "alert_eval.h"
#include "query_args.h"

void op_alerts(op_ctx *c)
{
    const proto_request *req = c->req;
    static const char *const open[] = {"pending", "firing", NULL};
    const char *one[] = {req->state, NULL};
    const char *const *states = open;
    lm_error e;
    if (strcmp(req->state, "all") == 0) {
        states = NULL;
    } else if (req->state[0] && strcmp(req->state, "open") != 0) {
        alert_state st;
        if (alert_state_parse(req->state, &st) != 0) {
            op_refuse(c, PROTO_BAD_REQUEST, "state must be open, pending, firing, resolved or all");
            return;
        }
        states = one;
    }
    if ((req->rule[0] && !query_rule(&c->reg->cat, req->rule, &e)) ||
        (req->area[0] && query_area(&c->reg->parts, req->area, &e) < 0)) {
        op_fail(c, &e);
        return;
    }
    stored_alert *rows = NULL;
    stored_silence *sil = NULL;
    size_t n = 0, n_sil = 0;
    proto_alerts_reply r = {0};
    if (store_alert_list(c->db, states, req->has_since ? req->since : 0, req->rule, req->area,
                         PROTO_MAX_ALERTS, &rows, &n, &r.truncated) < 0 ||
        store_silences_open(c->db, (int64_t)c->now, &sil, &n_sil) < 0)
        goto failed;
    r.silences = calloc(n_sil ? n_sil : 1, sizeof *r.silences);
    r.alerts = calloc(n ? n : 1, sizeof *r.alerts);
    if (!r.silences || !r.alerts)
        goto failed;
    for (size_t i = 0; i < n_sil; i++)
        alert_list_silence(&r.silences[r.n_silences++], &sil[i], c->now);
    for (size_t i = 0; i < n; i++, r.n_alerts++)
        if (alert_list_fill(&r.alerts[i], c->db, c->reg, c->rt, &rows[i], c->now) < 0)
            goto failed;
    proto_alerts_reply_write(c->w, req->id, &r);
    goto out;
failed:
    op_refuse(c, PROTO_INTERNAL, "cannot read the alerts: %s", store_errmsg(c->db));
out:
    proto_alerts_reply_free(&r);
    free(rows);
    free(sil);
}
