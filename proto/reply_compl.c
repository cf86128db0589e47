/* reply_compl.c: writing and reading the completeness reply (reply_compl.h). */
#include "reply_compl.h"

#include <stdlib.h>
#include <string.h>

static void months_write(mpw *w, const char *key, const char (*months)[PROTO_MAX_PERIOD + 1],
                         size_t n)
{
    mpw_key(w, key);
    mpw_array(w);
    for (size_t i = 0; i < n; i++)
        mpw_str(w, months[i]);
    mpw_end(w);
}

static void months_read(mpr *r, const msgpack_object *m, const char *key,
                        char months[][PROTO_MAX_PERIOD + 1], size_t *n)
{
    const msgpack_object *a = mpr_array(r, m, key);
    *n = 0;
    if (!a)
        return;
    if (a->via.array.size > PROTO_COMPL_MONTHS) {
        mpr_fail(r, "'%s' lists more than %d months", key, PROTO_COMPL_MONTHS);
        return;
    }
    for (uint32_t i = 0; i < a->via.array.size; i++)
        mpr_elem_str(r, a, i, months[i], PROTO_MAX_PERIOD + 1);
    *n = a->via.array.size;
}

static void month_list_write(mpw *w, const proto_compl_org *o)
{
    mpw_key(w, "months");
    mpw_array(w);
    for (size_t i = 0; i < o->n_months; i++) {
        const proto_compl_month *m = &o->months[i];
        mpw_map(w);
        mpw_kv_str(w, "month", m->month);
        mpw_kv_str(w, "status", m->status);
        mpw_kv_opt_int(w, "reported", m->has_reported, m->reported);
        mpw_kv_int(w, "deadline", m->deadline);
        mpw_end(w);
    }
    mpw_end(w);
}

/* Optional: a reply of a daemon that did not send months yet reads as none. */
static void month_list_read(mpr *r, const msgpack_object *map, proto_compl_org *o)
{
    const msgpack_object *a = mpr_opt_array(r, map, "months");
    o->n_months = 0;
    if (!a)
        return;
    if (a->via.array.size > PROTO_COMPL_MONTHS) {
        mpr_fail(r, "'months' lists more than %d months", PROTO_COMPL_MONTHS);
        return;
    }
    for (uint32_t i = 0; i < a->via.array.size; i++) {
        const msgpack_object *e = mpr_elem_map(r, a, i);
        proto_compl_month *m = &o->months[i];
        mpr_str(r, e, "month", m->month, sizeof m->month);
        mpr_str(r, e, "status", m->status, sizeof m->status);
        mpr_opt_int(r, e, "reported", &m->has_reported, &m->reported);
        mpr_int(r, e, "deadline", &m->deadline);
    }
    o->n_months = a->via.array.size;
}

static void org_write(mpw *w, const proto_compl_org *o)
{
    mpw_map(w);
    mpw_kv_str(w, "id", o->id);
    mpw_kv_str(w, "name", o->name);
    mpw_kv_str(w, "kind", o->kind);
    mpw_kv_str(w, "status", o->status);
    mpw_kv_int(w, "months_due", o->months_due);
    mpw_kv_int(w, "months_reported", o->months_reported);
    months_write(w, "late_months", o->late_months, o->n_late);
    months_write(w, "missing_months", o->missing_months, o->n_missing);
    mpw_kv_opt_int(w, "first_reported", o->has_first, o->first_reported);
    mpw_kv_int(w, "deadline", o->deadline);
    month_list_write(w, o);
    mpw_end(w);
}

static void org_read(mpr *r, const msgpack_object *m, proto_compl_org *o)
{
    mpr_str(r, m, "id", o->id, sizeof o->id);
    mpr_str(r, m, "name", o->name, sizeof o->name);
    mpr_str(r, m, "kind", o->kind, sizeof o->kind);
    mpr_str(r, m, "status", o->status, sizeof o->status);
    mpr_int(r, m, "months_due", &o->months_due);
    mpr_int(r, m, "months_reported", &o->months_reported);
    months_read(r, m, "late_months", o->late_months, &o->n_late);
    months_read(r, m, "missing_months", o->missing_months, &o->n_missing);
    mpr_opt_int(r, m, "first_reported", &o->has_first, &o->first_reported);
    mpr_int(r, m, "deadline", &o->deadline);
    month_list_read(r, m, o);
}

void proto_completeness_reply_write(mpw *w, const char *id, const proto_completeness_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "period", r->period);
    mpw_kv_int(w, "grace_days", r->grace_days);
    mpw_kv_opt_str(w, "organisation", r->organisation);
    mpw_key(w, "metrics");
    mpw_array(w);
    for (size_t i = 0; i < r->n_metrics; i++) {
        const proto_compl_metric *c = &r->metrics[i];
        mpw_map(w);
        mpw_kv_str(w, "metric", c->metric);
        mpw_kv_str(w, "label", c->label);
        mpw_kv_int(w, "expected", c->expected);
        mpw_kv_int(w, "on_time", c->on_time);
        mpw_kv_int(w, "late", c->late);
        mpw_kv_int(w, "missing", c->missing);
        mpw_kv_int(w, "open", c->open);
        mpw_key(w, "organisations");
        mpw_array(w);
        for (size_t k = 0; k < c->n_orgs; k++)
            org_write(w, &c->orgs[k]);
        mpw_end(w);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_end(w);
}

int proto_completeness_reply_read(const msgpack_object *root, proto_completeness_reply *out,
                                  lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_str(&r, root, "period", out->period, sizeof out->period);
    mpr_int(&r, root, "grace_days", &out->grace_days);
    mpr_opt_str(&r, root, "organisation", out->organisation, sizeof out->organisation);
    const msgpack_object *ms = mpr_array(&r, root, "metrics");
    out->metrics = mpr_alloc(&r, ms, sizeof *out->metrics, &out->n_metrics);
    for (size_t i = 0; i < out->n_metrics && !r.failed; i++) {
        const msgpack_object *m = mpr_elem_map(&r, ms, (uint32_t)i);
        proto_compl_metric *c = &out->metrics[i];
        mpr_str(&r, m, "metric", c->metric, sizeof c->metric);
        mpr_str(&r, m, "label", c->label, sizeof c->label);
        mpr_int(&r, m, "expected", &c->expected);
        mpr_int(&r, m, "on_time", &c->on_time);
        mpr_int(&r, m, "late", &c->late);
        mpr_int(&r, m, "missing", &c->missing);
        mpr_int(&r, m, "open", &c->open);
        const msgpack_object *os = mpr_array(&r, m, "organisations");
        c->orgs = mpr_alloc(&r, os, sizeof *c->orgs, &c->n_orgs);
        for (size_t k = 0; k < c->n_orgs; k++)
            org_read(&r, mpr_elem_map(&r, os, (uint32_t)k), &c->orgs[k]);
    }
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_completeness_reply_free(out);
    return -1;
}

void proto_completeness_reply_free(proto_completeness_reply *r)
{
    for (size_t i = 0; i < r->n_metrics; i++)
        free(r->metrics[i].orgs);
    free(r->metrics);
    r->metrics = NULL;
    r->n_metrics = 0;
}
