/* reply_info.c: writing and reading the ping, status and catalog replies (reply_info.h). */
#include "reply_info.h"

#include <stdlib.h>
#include <string.h>

void proto_ping_reply_write(mpw *w, const char *id, const proto_ping_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "server", r->server);
    mpw_kv_int(w, "time", r->time);
    mpw_end(w);
}

int proto_ping_reply_read(const msgpack_object *root, proto_ping_reply *r, lm_error *e)
{
    mpr rd;
    mpr_init(&rd);
    mpr_str(&rd, root, "server", r->server, sizeof r->server);
    mpr_int(&rd, root, "time", &r->time);
    return mpr_done(&rd, e);
}

void proto_status_reply_write(mpw *w, const char *id, const proto_status_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "server", r->server);
    mpw_kv_int(w, "uptime", r->uptime);
    mpw_kv_bool(w, "secure", r->secure);
    mpw_key(w, "you");
    mpw_map(w);
    mpw_kv_str(w, "id", r->you.id);
    mpw_kv_str(w, "role", r->you.role);
    if (r->you.has_name)
        mpw_kv_str(w, "name", r->you.name);
    if (r->you.has_kind)
        mpw_kv_str(w, "kind", r->you.kind);
    mpw_end(w);
    mpw_kv_int(w, "observations", r->observations);
    mpw_kv_int(w, "submissions", r->submissions);
    mpw_key(w, "last_submission");
    if (r->has_last) {
        mpw_map(w);
        mpw_kv_str(w, "id", r->last_id);
        mpw_kv_int(w, "received", r->last_received);
        mpw_kv_int(w, "records", r->last_records);
        mpw_end(w);
    } else {
        mpw_nil(w);
    }
    mpw_end(w);
}

int proto_status_reply_read(const msgpack_object *root, proto_status_reply *r, lm_error *e)
{
    mpr rd;
    mpr_init(&rd);
    memset(r, 0, sizeof *r);
    mpr_str(&rd, root, "server", r->server, sizeof r->server);
    mpr_int(&rd, root, "uptime", &r->uptime);
    mpr_bool(&rd, root, "secure", &r->secure);
    const msgpack_object *you = mpr_map(&rd, root, "you");
    mpr_str(&rd, you, "id", r->you.id, sizeof r->you.id);
    mpr_str(&rd, you, "role", r->you.role, sizeof r->you.role);
    r->you.has_name = you && proto_get(you, "name");
    r->you.has_kind = you && proto_get(you, "kind");
    if (r->you.has_name)
        mpr_str(&rd, you, "name", r->you.name, sizeof r->you.name);
    if (r->you.has_kind)
        mpr_str(&rd, you, "kind", r->you.kind, sizeof r->you.kind);
    mpr_int(&rd, root, "observations", &r->observations);
    mpr_int(&rd, root, "submissions", &r->submissions);
    const msgpack_object *last = mpr_opt_map(&rd, root, "last_submission");
    r->has_last = last != NULL;
    if (last) {
        mpr_str(&rd, last, "id", r->last_id, sizeof r->last_id);
        mpr_int(&rd, last, "received", &r->last_received);
        mpr_int(&rd, last, "records", &r->last_records);
    }
    return mpr_done(&rd, e);
}

static void codes_write(mpw *w, const char *key, const proto_code *codes, size_t n)
{
    mpw_key(w, key);
    mpw_array(w);
    for (size_t i = 0; i < n; i++)
        mpw_str(w, codes[i]);
    mpw_end(w);
}

static proto_code *codes_read(mpr *r, const msgpack_object *m, const char *key, size_t *n)
{
    const msgpack_object *a = mpr_array(r, m, key);
    proto_code *codes = mpr_alloc(r, a, sizeof *codes, n);
    for (size_t i = 0; i < *n; i++)
        mpr_elem_str(r, a, (uint32_t)i, codes[i], sizeof codes[i]);
    return codes;
}

void proto_catalog_reply_write(mpw *w, const char *id, const proto_catalog_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "first_period", r->first_period);
    mpw_key(w, "metrics");
    mpw_array(w);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const proto_metric_info *m = &r->metrics[i];
        mpw_map(w);
        mpw_kv_str(w, "code", m->code);
        mpw_kv_str(w, "label", m->label);
        mpw_kv_str(w, "unit", m->unit);
        mpw_kv_str(w, "time", m->time);
        mpw_key(w, "kinds");
        mpw_array(w);
        for (size_t k = 0; k < m->n_kinds; k++)
            mpw_str(w, m->kinds[k]);
        mpw_end(w);
        mpw_kv_number(w, "min", m->min);
        mpw_kv_number(w, "max", m->max);
        mpw_kv_bool(w, "integer", m->integer);
        mpw_key(w, "due_months");
        mpw_array(w);
        for (int k = 0; k < 12; k++)
            if ((m->due >> k) & 1u)
                mpw_int(w, k + 1);
        mpw_end(w);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_key(w, "areas");
    mpw_array(w);
    for (size_t i = 0; i < r->n_areas; i++) {
        const proto_area_info *a = &r->areas[i];
        mpw_map(w);
        mpw_kv_str(w, "code", a->code);
        mpw_kv_str(w, "name", a->name);
        mpw_kv_str(w, "level", a->level);
        mpw_kv_opt_str(w, "parent", a->parent);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_key(w, "indicators");
    mpw_array(w);
    for (size_t i = 0; i < r->n_indicators; i++)
        proto_indicator_write(w, &r->indicators[i]);
    mpw_end(w);
    if (r->has_may_report) {
        mpw_key(w, "may_report");
        mpw_map(w);
        codes_write(w, "metrics", r->may_metrics, r->n_may_metrics);
        codes_write(w, "areas", r->may_areas, r->n_may_areas);
        mpw_end(w);
    }
    mpw_end(w);
}

int proto_catalog_reply_read(const msgpack_object *root, proto_catalog_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_str(&r, root, "first_period", out->first_period, sizeof out->first_period);
    const msgpack_object *ms = mpr_array(&r, root, "metrics");
    out->metrics = mpr_alloc(&r, ms, sizeof *out->metrics, &out->n_metrics);
    for (size_t i = 0; i < out->n_metrics; i++) {
        const msgpack_object *m = mpr_elem_map(&r, ms, (uint32_t)i);
        proto_metric_info *mi = &out->metrics[i];
        mpr_str(&r, m, "code", mi->code, sizeof mi->code);
        mpr_str(&r, m, "label", mi->label, sizeof mi->label);
        mpr_str(&r, m, "unit", mi->unit, sizeof mi->unit);
        mpr_str(&r, m, "time", mi->time, sizeof mi->time);
        const msgpack_object *kinds = mpr_array(&r, m, "kinds");
        if (kinds && kinds->via.array.size > PROTO_MAX_KINDS)
            mpr_fail(&r, "metric %s lists more than %d kinds", mi->code, PROTO_MAX_KINDS);
        for (uint32_t k = 0; kinds && !r.failed && k < kinds->via.array.size; k++)
            mpr_elem_str(&r, kinds, k, mi->kinds[k], sizeof mi->kinds[k]);
        mi->n_kinds = kinds && !r.failed ? kinds->via.array.size : 0;
        mpr_number(&r, m, "min", &mi->min);
        mpr_number(&r, m, "max", &mi->max);
        mpr_bool(&r, m, "integer", &mi->integer);
        const msgpack_object *due = mpr_array(&r, m, "due_months");
        for (uint32_t k = 0; due && !r.failed && k < due->via.array.size; k++) {
            const msgpack_object *mo = &due->via.array.ptr[k];
            if (mo->type != MSGPACK_OBJECT_POSITIVE_INTEGER || mo->via.u64 < 1 || mo->via.u64 > 12)
                mpr_fail(&r, "metric %s: due_months holds a month from 1 to 12", mi->code);
            else
                mi->due |= 1u << (mo->via.u64 - 1);
        }
    }
    const msgpack_object *as = mpr_array(&r, root, "areas");
    out->areas = mpr_alloc(&r, as, sizeof *out->areas, &out->n_areas);
    for (size_t i = 0; i < out->n_areas; i++) {
        const msgpack_object *m = mpr_elem_map(&r, as, (uint32_t)i);
        proto_area_info *a = &out->areas[i];
        mpr_str(&r, m, "code", a->code, sizeof a->code);
        mpr_str(&r, m, "name", a->name, sizeof a->name);
        mpr_str(&r, m, "level", a->level, sizeof a->level);
        mpr_opt_str(&r, m, "parent", a->parent, sizeof a->parent);
    }
    const msgpack_object *is = mpr_array(&r, root, "indicators");
    out->indicators = mpr_alloc(&r, is, sizeof *out->indicators, &out->n_indicators);
    for (size_t i = 0; i < out->n_indicators; i++)
        proto_indicator_read(&r, mpr_elem_map(&r, is, (uint32_t)i), &out->indicators[i]);
    const msgpack_object *may = mpr_opt_map(&r, root, "may_report");
    out->has_may_report = may != NULL;
    if (may) {
        out->may_metrics = codes_read(&r, may, "metrics", &out->n_may_metrics);
        out->may_areas = codes_read(&r, may, "areas", &out->n_may_areas);
    }
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_catalog_reply_free(out);
    return -1;
}

void proto_catalog_reply_free(proto_catalog_reply *r)
{
    free(r->metrics);
    free(r->areas);
    free(r->indicators);
    free(r->may_metrics);
    free(r->may_areas);
    memset(r, 0, sizeof *r);
}
