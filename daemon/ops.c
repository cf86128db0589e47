/* ops.c: reply bodies of ping, status, catalog and submit (proto/PROTOCOL.md). */
#include "ops.h"

#include <string.h>

#include "period.h"

int ops_reply_error(msgpack_packer *pk, const char *id, int status, const char *why)
{
    return proto_pack_reply_head(pk, 0, id, status, why);
}

int ops_reply_ping(msgpack_packer *pk, const proto_request *req, time_t now)
{
    return proto_pack_reply_head(pk, 2, req->id, PROTO_OK, NULL) == 0 &&
                   proto_pack_kv_str(pk, "server", "leamond " LEAMOND_VERSION) == 0 &&
                   proto_pack_kv_int(pk, "time", (int64_t)now) == 0
               ? 0
               : -1;
}

static int pack_you(msgpack_packer *pk, const identity *who)
{
    bool org = who->type == IDENT_ORG;
    size_t n = who->type == IDENT_ANONYMOUS ? 2 : (org ? 4 : 3);
    if (proto_pack_str(pk, "you") != 0 || msgpack_pack_map(pk, n) != 0 ||
        proto_pack_kv_str(pk, "id", identity_id(who)) != 0 ||
        proto_pack_kv_str(pk, "role", identity_role(who)) != 0)
        return -1;
    if (who->type == IDENT_STAFF && proto_pack_kv_str(pk, "name", who->staff->name) != 0)
        return -1;
    if (org && (proto_pack_kv_str(pk, "name", who->org->name) != 0 ||
                proto_pack_kv_str(pk, "kind", kind_name(who->org->kind)) != 0))
        return -1;
    return 0;
}

int ops_reply_status(msgpack_packer *pk, server *srv, const proto_request *req,
                     const identity *who, time_t now)
{
    /* A partner sees its own figures; staff and the insecure-mode anonymous see all. */
    const char *scope = who->type == IDENT_ORG ? who->org->id : NULL;
    int64_t obs = 0, subs = 0;
    stored_submission last;
    char last_id[PROTO_MAX_ID + 1];
    int found;
    if (store_counts(srv->db, scope, &obs, &subs) < 0 ||
        (found = store_last_submission(srv->db, scope, last_id, sizeof last_id, &last)) < 0) {
        log_msg(&srv->log, LOG_ERR, "status: %s", store_errmsg(srv->db));
        return ops_reply_error(pk, req->id, PROTO_INTERNAL, "cannot read the database");
    }
    if (proto_pack_reply_head(pk, 7, req->id, PROTO_OK, NULL) != 0 ||
        proto_pack_kv_str(pk, "server", "leamond " LEAMOND_VERSION) != 0 ||
        proto_pack_kv_int(pk, "uptime", (int64_t)(now - srv->started)) != 0 ||
        proto_pack_kv_bool(pk, "secure", srv->secure) != 0 || pack_you(pk, who) != 0 ||
        proto_pack_kv_int(pk, "observations", obs) != 0 ||
        proto_pack_kv_int(pk, "submissions", subs) != 0 ||
        proto_pack_str(pk, "last_submission") != 0)
        return -1;
    if (!found)
        return msgpack_pack_nil(pk);
    return msgpack_pack_map(pk, 3) == 0 && proto_pack_kv_str(pk, "id", last_id) == 0 &&
                   proto_pack_kv_int(pk, "received", last.received) == 0 &&
                   proto_pack_kv_int(pk, "records", last.records) == 0
               ? 0
               : -1;
}

static int pack_kinds(msgpack_packer *pk, unsigned kinds)
{
    size_t n = 0;
    for (int k = 0; k < KIND_COUNT; k++)
        n += (kinds >> k) & 1u;
    if (proto_pack_str(pk, "kinds") != 0 || msgpack_pack_array(pk, n) != 0)
        return -1;
    for (int k = 0; k < KIND_COUNT; k++)
        if ((kinds & (1u << k)) && proto_pack_str(pk, kind_name((org_kind)k)) != 0)
            return -1;
    return 0;
}

static int pack_metric(msgpack_packer *pk, const metric *m)
{
    return msgpack_pack_map(pk, 8) == 0 && proto_pack_kv_str(pk, "code", m->code) == 0 &&
                   proto_pack_kv_str(pk, "label", m->label) == 0 &&
                   proto_pack_kv_str(pk, "unit", m->unit) == 0 &&
                   proto_pack_kv_str(pk, "time", rollup_name(m->time)) == 0 &&
                   pack_kinds(pk, m->kinds) == 0 && proto_pack_kv_double(pk, "min", m->min) == 0 &&
                   proto_pack_kv_double(pk, "max", m->max) == 0 &&
                   proto_pack_kv_bool(pk, "integer", m->integer) == 0
               ? 0
               : -1;
}

static int pack_area(msgpack_packer *pk, const partners *p, const area *a)
{
    if (msgpack_pack_map(pk, 4) != 0 || proto_pack_kv_str(pk, "code", a->code) != 0 ||
        proto_pack_kv_str(pk, "name", a->name) != 0 ||
        proto_pack_kv_str(pk, "level", a->level) != 0 || proto_pack_str(pk, "parent") != 0)
        return -1;
    return a->parent < 0 ? msgpack_pack_nil(pk) : proto_pack_str(pk, p->areas[a->parent].code);
}

/* What this organisation may submit: its kind's metrics and its areas. */
static int pack_may_report(msgpack_packer *pk, const registry *reg, const organisation *org)
{
    const catalog *cat = &reg->cat;
    const partners *p = &reg->parts;
    size_t nm = 0, na = 0;
    for (size_t i = 0; i < cat->n_metrics; i++)
        nm += (cat->metrics[i].kinds >> org->kind) & 1u;
    for (size_t i = 0; i < p->n_areas; i++)
        na += partners_may_report(p, org, (int)i);
    if (proto_pack_str(pk, "may_report") != 0 || msgpack_pack_map(pk, 2) != 0 ||
        proto_pack_str(pk, "metrics") != 0 || msgpack_pack_array(pk, nm) != 0)
        return -1;
    for (size_t i = 0; i < cat->n_metrics; i++)
        if (((cat->metrics[i].kinds >> org->kind) & 1u) &&
            proto_pack_str(pk, cat->metrics[i].code) != 0)
            return -1;
    if (proto_pack_str(pk, "areas") != 0 || msgpack_pack_array(pk, na) != 0)
        return -1;
    for (size_t i = 0; i < p->n_areas; i++)
        if (partners_may_report(p, org, (int)i) && proto_pack_str(pk, p->areas[i].code) != 0)
            return -1;
    return 0;
}

int ops_reply_catalog(msgpack_packer *pk, const server *srv, const proto_request *req,
                      const identity *who)
{
    const catalog *cat = &srv->reg.cat;
    const partners *p = &srv->reg.parts;
    bool org = who->type == IDENT_ORG;
    char first[PERIOD_TEXT_MAX];
    if (period_format(&cat->first, first, sizeof first) != 0 ||
        proto_pack_reply_head(pk, org ? 5 : 4, req->id, PROTO_OK, NULL) != 0 ||
        proto_pack_kv_str(pk, "first_period", first) != 0 ||
        proto_pack_str(pk, "metrics") != 0 || msgpack_pack_array(pk, cat->n_metrics) != 0)
        return -1;
    for (size_t i = 0; i < cat->n_metrics; i++)
        if (pack_metric(pk, &cat->metrics[i]) != 0)
            return -1;
    if (proto_pack_str(pk, "areas") != 0 || msgpack_pack_array(pk, p->n_areas) != 0)
        return -1;
    for (size_t i = 0; i < p->n_areas; i++)
        if (pack_area(pk, p, &p->areas[i]) != 0)
            return -1;
    if (proto_pack_str(pk, "indicators") != 0 || msgpack_pack_array(pk, cat->n_indicators) != 0)
        return -1;
    for (size_t i = 0; i < cat->n_indicators; i++) {
        const indicator *ind = &cat->indicators[i];
        if (msgpack_pack_map(pk, 5) != 0 || proto_pack_kv_str(pk, "code", ind->code) != 0 ||
            proto_pack_kv_str(pk, "label", ind->label) != 0 ||
            proto_pack_kv_str(pk, "unit", ind->unit) != 0 ||
            proto_pack_kv_str(pk, "type", indicator_type_name(ind->type)) != 0 ||
            proto_pack_kv_str(pk, "better", indicator_better_name(ind->better)) != 0)
            return -1;
    }
    return org ? pack_may_report(pk, &srv->reg, who->org) : 0;
}

int ops_reply_submit(msgpack_packer *pk, const proto_request *req, int status, const char *why,
                     const submit_result *res, const proto_errors *errs)
{
    bool with_errors = status == PROTO_INVALID;
    size_t extra = 3 + (with_errors ? 2 : 0) + (status == PROTO_UNAVAILABLE ? 1 : 0);
    if (proto_pack_reply_head(pk, extra, req->id, status, why) != 0 ||
        proto_pack_kv_int(pk, "accepted", status == PROTO_OK ? res->accepted : 0) != 0 ||
        proto_pack_kv_bool(pk, "duplicate", res->duplicate) != 0 ||
        proto_pack_kv_bool(pk, "dry_run", req->dry_run) != 0)
        return -1;
    if (with_errors && proto_pack_errors(pk, errs) != 0)
        return -1;
    if (status == PROTO_UNAVAILABLE &&
        proto_pack_kv_int(pk, "retry_after_ms", res->retry_after_ms ? res->retry_after_ms : 5000) != 0)
        return -1;
    return 0;
}
