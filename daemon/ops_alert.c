/* ops_alert.c: listing, acknowledging and silencing alerts. */
#include "ops_alert.h"

#include <stdlib.h>
#include <string.h>

#include "alert_msg.h"
#include "alerts.h"
#include "ops.h"
#include "query_args.h"
#include "store_alert.h"

static const alert_rule *find_rule(const catalog *cat, const char *name, query_error *qe)
{
    const alert_rule *r = catalog_rule(cat, name);
    if (!r) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, name, strlen(name));
        query_refuse(qe, PROTO_NOT_FOUND, "unknown rule '%s' (the rules are in the catalogue, "
                                          "catalog.conf)", q);
    }
    return r;
}

static int pack_history(msgpack_packer *pk, server *srv, const stored_alert *a)
{
    stored_alert_change *h = NULL;
    size_t n = 0;
    int rc = -1;
    if (store_alert_history(srv->db, a->id, &h, &n) < 0 || proto_pack_str(pk, "history") != 0 ||
        msgpack_pack_array(pk, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (msgpack_pack_map(pk, 5) != 0 || proto_pack_kv_int(pk, "at", h[i].at) != 0 ||
            proto_pack_kv_opt_str(pk, "from", h[i].from) != 0 ||
            proto_pack_kv_str(pk, "to", h[i].to) != 0 ||
            proto_pack_kv_str(pk, "period", h[i].period) != 0 ||
            proto_pack_kv_opt(pk, "value", h[i].has_value, h[i].value) != 0)
            goto out;
    rc = 0;
out:
    free(h);
    return rc;
}

static int pack_alert(msgpack_packer *pk, server *srv, const stored_alert *a, time_t now)
{
    int64_t until;
    return alerts_silenced_until(srv->db, &srv->reg.parts, a->rule,
                                 partners_area(&srv->reg.parts, a->area), now, &until) == 0 &&
                   alert_msg_pack(pk, &srv->reg, a, until, 1) == 0 &&
                   pack_history(pk, srv, a) == 0
               ? 0
               : -1;
}

static int pack_silence(msgpack_packer *pk, const stored_silence *si, int extra)
{
    return msgpack_pack_map(pk, 6 + (size_t)extra) == 0 &&
                   proto_pack_kv_str(pk, "rule", si->rule) == 0 &&
                   proto_pack_kv_str(pk, "area", si->area) == 0 &&
                   proto_pack_kv_int(pk, "until", si->until) == 0 &&
                   proto_pack_kv_str(pk, "by", si->by) == 0 &&
                   proto_pack_kv_str(pk, "note", si->note) == 0 &&
                   proto_pack_kv_int(pk, "created", si->created) == 0
               ? 0
               : -1;
}

static int reply_alerts(msgpack_packer *pk, server *srv, const proto_request *req, time_t now,
                        query_error *qe)
{
    static const char *const open[] = {"pending", "firing", NULL};
    const char *one[] = {req->state, NULL};
    const char *const *states = open;
    if (!req->state[0] || strcmp(req->state, "open") == 0)
        states = open;
    else if (strcmp(req->state, "all") == 0)
        states = NULL;
    else {
        alert_state st;
        if (alert_state_parse(req->state, &st) != 0)
            return query_refuse(qe, PROTO_BAD_REQUEST,
                                "state must be open, pending, firing, resolved or all");
        states = one;
    }
    if ((req->rule[0] && !find_rule(&srv->reg.cat, req->rule, qe)) ||
        (req->area[0] && query_area(&srv->reg.parts, req->area, qe) < 0))
        return -1;
    stored_alert *rows = NULL;
    stored_silence *sil = NULL;
    size_t n = 0, n_sil = 0;
    bool more = false;
    int rc = -1;
    if (store_alert_list(srv->db, states, req->has_since ? req->since : 0, req->rule, req->area,
                         PROTO_MAX_ALERTS, &rows, &n, &more) < 0 ||
        store_silences(srv->db, (int64_t)now, &sil, &n_sil) < 0) {
        query_refuse(qe, PROTO_INTERNAL, "cannot read the alerts: %s", store_errmsg(srv->db));
        goto out;
    }
    if (proto_pack_reply_head(pk, 3, req->id, PROTO_OK, NULL) != 0 ||
        proto_pack_kv_bool(pk, "truncated", more) != 0 || proto_pack_str(pk, "silences") != 0 ||
        msgpack_pack_array(pk, n_sil) != 0)
        goto out;
    for (size_t i = 0; i < n_sil; i++)
        if (pack_silence(pk, &sil[i], 0) != 0)
            goto out;
    if (proto_pack_str(pk, "alerts") != 0 || msgpack_pack_array(pk, n) != 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (pack_alert(pk, srv, &rows[i], now) != 0)
            goto out;
    rc = 0;
out:
    free(rows);
    free(sil);
    return rc;
}

static int reply_ack(msgpack_packer *pk, server *srv, const proto_request *req,
                     const identity *who, time_t now, query_error *qe)
{
    stored_alert a;
    int found = store_alert_get(srv->db, req->alert, &a);
    if (found == 0)
        return query_refuse(qe, PROTO_NOT_FOUND, "no alert %lld (leamon alerts --state all "
                            "lists them)", (long long)req->alert);
    if (found < 0 || store_alert_ack(srv->db, a.id, identity_id(who), (int64_t)now, req->note) < 0 ||
        store_alert_get(srv->db, a.id, &a) != 1)
        return query_refuse(qe, PROTO_INTERNAL, "cannot acknowledge the alert: %s",
                            store_errmsg(srv->db));
    return proto_pack_reply_head(pk, 1, req->id, PROTO_OK, NULL) == 0 &&
                   proto_pack_str(pk, "alert") == 0 && pack_alert(pk, srv, &a, now) == 0
               ? 0
               : -1;
}

static int reply_silence(msgpack_packer *pk, server *srv, const proto_request *req,
                         const identity *who, time_t now, query_error *qe)
{
    if (!find_rule(&srv->reg.cat, req->rule, qe) ||
        query_area(&srv->reg.parts, req->area, qe) < 0)
        return -1;
    stored_silence si;
    memset(&si, 0, sizeof si);
    snprintf(si.rule, sizeof si.rule, "%s", req->rule);
    snprintf(si.area, sizeof si.area, "%s", req->area);
    snprintf(si.by, sizeof si.by, "%s", identity_id(who));
    snprintf(si.note, sizeof si.note, "%s", req->note);
    si.until = req->until;
    si.created = (int64_t)now;
    bool lifted = req->until <= (int64_t)now;
    if ((lifted ? store_silence_remove(srv->db, si.rule, si.area) : store_silence_put(srv->db, &si)) < 0)
        return query_refuse(qe, PROTO_INTERNAL, "cannot store the silence: %s",
                            store_errmsg(srv->db));
    return proto_pack_reply_head(pk, 1, req->id, PROTO_OK, NULL) == 0 &&
                   proto_pack_str(pk, "silence") == 0 && pack_silence(pk, &si, 1) == 0 &&
                   proto_pack_kv_bool(pk, "lifted", lifted) == 0
               ? 0
               : -1;
}

int ops_reply_alert(msgpack_packer *pk, server *srv, const proto_request *req,
                    const identity *who, time_t now)
{
    query_error qe = {PROTO_INTERNAL, "cannot encode the reply"};
    bool admin = who->type == IDENT_STAFF && who->staff->role == ROLE_ADMIN;
    if (req->op == PROTO_OP_ALERTS && who->type == IDENT_ORG)
        return ops_reply_error(pk, req->id, PROTO_FORBIDDEN, "alerts are for municipal staff");
    if (req->op != PROTO_OP_ALERTS && !admin)
        return ops_reply_error(pk, req->id, PROTO_FORBIDDEN,
                               req->op == PROTO_OP_ACK ? "acknowledging alerts needs the admin role"
                                                       : "silencing alerts needs the admin role");
    msgpack_sbuffer *buf = pk->data;
    size_t mark = buf->size;
    int rc;
    if (req->op == PROTO_OP_ALERTS)
        rc = reply_alerts(pk, srv, req, now, &qe);
    else if (req->op == PROTO_OP_ACK)
        rc = reply_ack(pk, srv, req, who, now, &qe);
    else
        rc = reply_silence(pk, srv, req, who, now, &qe);
    if (rc == 0)
        return 0;
    buf->size = mark;
    return ops_reply_error(pk, req->id, qe.status, qe.why);
}
