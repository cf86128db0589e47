/* ops_query.c: replies to snapshot, series and completeness (proto/PROTOCOL.md). */
#include "ops_query.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completeness.h"
#include "ops.h"
#include "query_args.h"
#include "snapshot.h"

/* The snapshot as stored (the newest, or the newest at as_of), or computed now when none is
 * stored yet (version 0). */
static int pack_snap(msgpack_packer *pk, const partners *parts, int at,
                     const stored_snapshot *s)
{
    const area *a = &parts->areas[at];
    if (msgpack_pack_map(pk, 10) != 0 || proto_pack_kv_str(pk, "area", a->code) != 0 ||
        proto_pack_kv_str(pk, "name", a->name) != 0 ||
        proto_pack_kv_opt(pk, "value", s->has_value, s->value) != 0 ||
        proto_pack_kv_opt(pk, "numerator", s->has_num, s->numerator) != 0 ||
        proto_pack_kv_opt(pk, "denominator", s->has_den, s->denominator) != 0 ||
        proto_pack_kv_str(pk, "reason", s->reason) != 0 ||
        proto_pack_kv_int(pk, "expected", s->expected) != 0 ||
        proto_pack_kv_int(pk, "reported", s->reported) != 0 ||
        proto_pack_str(pk, "computed_at") != 0)
        return -1;
    if ((s->version ? msgpack_pack_int64(pk, s->computed_at) : msgpack_pack_nil(pk)) != 0)
        return -1;
    return proto_pack_kv_int(pk, "version", s->version);
}

static int pack_indicator(msgpack_packer *pk, const indicator *ind)
{
    bool closer = ind->better == BETTER_CLOSER;
    if (proto_pack_str(pk, "indicator") != 0 || msgpack_pack_map(pk, closer ? 6 : 5) != 0 ||
        proto_pack_kv_str(pk, "code", ind->code) != 0 ||
        proto_pack_kv_str(pk, "label", ind->label) != 0 ||
        proto_pack_kv_str(pk, "unit", ind->unit) != 0 ||
        proto_pack_kv_str(pk, "type", indicator_type_name(ind->type)) != 0 ||
        proto_pack_kv_str(pk, "better", indicator_better_name(ind->better)) != 0)
        return -1;
    return closer ? proto_pack_kv_double(pk, "ideal", ind->ideal) : 0;
}

/* The target's baseline figure when the target leaves it to the data. */
/* "target": {...} or nil; path at p when p is given. */
static int pack_target(msgpack_packer *pk, server *srv, const indicator *ind, int at,
                       const period *p)
{
    const target *t = snapshot_target(&srv->reg, ind, at);
    if (proto_pack_str(pk, "target") != 0)
        return -1;
    if (!t)
        return msgpack_pack_nil(pk);
    char goal[PERIOD_TEXT_MAX], base[PERIOD_TEXT_MAX];
    double figure = 0, path = 0;
    bool has_figure = snapshot_baseline_figure(srv->db, &srv->reg, t, at, &figure);
    bool has_base = t->has_baseline_value || has_figure;
    if (period_format(&t->goal_period, goal, sizeof goal) != 0 ||
        msgpack_pack_map(pk, p ? 7 : 6) != 0 ||
        proto_pack_kv_str(pk, "area", t->area[0] ? t->area : srv->reg.parts.areas[at].code) != 0 ||
        proto_pack_kv_str(pk, "goal_period", goal) != 0 ||
        proto_pack_kv_double(pk, "goal", t->goal_value) != 0 ||
        proto_pack_str(pk, "baseline_period") != 0)
        return -1;
    if (t->has_baseline) {
        if (period_format(&t->baseline_period, base, sizeof base) != 0 ||
            proto_pack_str(pk, base) != 0)
            return -1;
    } else if (msgpack_pack_nil(pk) != 0) {
        return -1;
    }
    if (proto_pack_kv_opt(pk, "baseline", has_base, t->has_baseline_value ? t->baseline_value : figure) != 0 ||
        proto_pack_kv_str(pk, "source", t->source) != 0)
        return -1;
    if (!p)
        return 0;
    bool has_path = snapshot_path(t, p, has_figure, figure, &path);
    return proto_pack_kv_opt(pk, "path", has_path, path);
}

/* A query sees every figure acknowledged before it: first refresh what it reads, the
 * target's baseline too when the data gives it. */
static void refresh_reads(server *srv, const indicator *ind, int at, int first, int last)
{
    server_refresh_for(srv, ind, first, last);
    const target *t = snapshot_target(&srv->reg, ind, at);
    if (t && t->has_baseline && !t->has_baseline_value)
        server_refresh_for(srv, ind, period_first_month(&t->baseline_period),
                           period_last_month(&t->baseline_period));
}

static int reply_snapshot(msgpack_packer *pk, server *srv, const proto_request *req,
                          query_error *qe)
{
    const partners *parts = &srv->reg.parts;
    const indicator *ind = query_indicator(&srv->reg.cat, req->indicator, qe);
    period p;
    int at;
    if (!ind || query_period(req->period, "period", &p, qe) < 0 ||
        (at = query_area(parts, req->area, qe)) < 0)
        return -1;
    bool by_area = strcmp(req->by, "area") == 0, by_reporter = strcmp(req->by, "reporter") == 0;
    if (req->by[0] && !by_area && !by_reporter)
        return query_refuse(qe, PROTO_BAD_REQUEST, "by must be \"area\" or \"reporter\"");
    if (by_reporter && req->has_as_of)
        return query_refuse(qe, PROTO_BAD_REQUEST,
                      "as_of works for the snapshot and by area, not by reporter");
    if (!req->has_as_of)
        refresh_reads(srv, ind, at, period_first_month(&p), period_last_month(&p));
    stored_snapshot s;
    snapshot_part *rows = NULL;
    size_t n_rows = 0;
    if (snapshot_current(srv->db, &srv->reg, ind, &p, at, req->has_as_of, req->as_of, &s) < 0 ||
        (by_reporter && snapshot_by_reporter(srv->db, &srv->reg, ind, &p, at, &rows, &n_rows) < 0)) {
        free(rows);
        return query_refuse(qe, PROTO_INTERNAL, "cannot compute the snapshot: %s",
                      store_errmsg(srv->db));
    }
    char ptext[PERIOD_TEXT_MAX];
    int rc = -1;
    if (period_format(&p, ptext, sizeof ptext) != 0 ||
        proto_pack_reply_head(pk, 6, req->id, PROTO_OK, NULL) != 0 || pack_indicator(pk, ind) != 0 ||
        proto_pack_kv_str(pk, "period", ptext) != 0 || proto_pack_str(pk, "as_of") != 0 ||
        (req->has_as_of ? msgpack_pack_int64(pk, req->as_of) : msgpack_pack_nil(pk)) != 0 ||
        proto_pack_str(pk, "snapshot") != 0 || pack_snap(pk, parts, at, &s) != 0 ||
        pack_target(pk, srv, ind, at, &p) != 0 || proto_pack_str(pk, "breakdown") != 0)
        goto out;
    if (by_area) {
        size_t n = 0;
        for (size_t i = 0; i < parts->n_areas; i++)
            n += parts->areas[i].parent == at;
        if (msgpack_pack_array(pk, n) != 0)
            goto out;
        for (size_t i = 0; i < parts->n_areas; i++) {
            if (parts->areas[i].parent != at)
                continue;
            stored_snapshot c;
            if (snapshot_current(srv->db, &srv->reg, ind, &p, (int)i, req->has_as_of, req->as_of, &c) < 0 ||
                pack_snap(pk, parts, (int)i, &c) != 0)
                goto out;
        }
    } else if (by_reporter) {
        if (msgpack_pack_array(pk, n_rows) != 0)
            goto out;
        for (size_t i = 0; i < n_rows; i++) {
            const organisation *o = &parts->orgs[rows[i].org];
            if (msgpack_pack_map(pk, 6) != 0 || proto_pack_kv_str(pk, "reporter", o->id) != 0 ||
                proto_pack_kv_str(pk, "name", o->name) != 0 ||
                proto_pack_kv_str(pk, "kind", kind_name(o->kind)) != 0 ||
                proto_pack_kv_opt(pk, "numerator", rows[i].has_num, rows[i].numerator) != 0 ||
                proto_pack_kv_opt(pk, "denominator", rows[i].has_den, rows[i].denominator) != 0 ||
                proto_pack_kv_opt(pk, "value", rows[i].has_value, rows[i].value) != 0)
                goto out;
        }
    } else if (msgpack_pack_nil(pk) != 0) {
        goto out;
    }
    rc = 0;
out:
    free(rows);
    return rc;
}

static int reply_series(msgpack_packer *pk, server *srv, const proto_request *req,
                        query_error *qe)
{
    const partners *parts = &srv->reg.parts;
    const indicator *ind = query_indicator(&srv->reg.cat, req->indicator, qe);
    period from, to;
    int at;
    if (!ind || query_period(req->from, "from", &from, qe) < 0 ||
        query_period(req->to, "to", &to, qe) < 0 || (at = query_area(parts, req->area, qe)) < 0)
        return -1;
    if (from.kind != to.kind)
        return query_refuse(qe, PROTO_BAD_REQUEST, "from and to must be periods of one kind (%s, %s)",
                      period_kind_name(from.kind), period_kind_name(to.kind));
    if (period_compare(&from, &to) > 0)
        return query_refuse(qe, PROTO_BAD_REQUEST, "from comes after to");
    size_t n = 1;
    for (period q = from; period_compare(&q, &to) < 0 && n <= PROTO_MAX_SERIES; n++)
        if (period_next(&q, &q) != 0)
            break;
    if (n > PROTO_MAX_SERIES)
        return query_refuse(qe, PROTO_BAD_REQUEST, "a series holds at most %d periods",
                      PROTO_MAX_SERIES);
    refresh_reads(srv, ind, at, period_first_month(&from), period_last_month(&to));
    const target *t = snapshot_target(&srv->reg, ind, at);
    double figure = 0;
    bool has_figure = t && snapshot_baseline_figure(srv->db, &srv->reg, t, at, &figure);
    if (proto_pack_reply_head(pk, 5, req->id, PROTO_OK, NULL) != 0 || pack_indicator(pk, ind) != 0 ||
        proto_pack_kv_str(pk, "area", parts->areas[at].code) != 0 ||
        proto_pack_kv_str(pk, "name", parts->areas[at].name) != 0 ||
        pack_target(pk, srv, ind, at, NULL) != 0 || proto_pack_str(pk, "points") != 0 ||
        msgpack_pack_array(pk, n) != 0)
        return query_refuse(qe, PROTO_INTERNAL, "cannot encode the reply");
    period q = from;
    for (size_t i = 0; i < n; i++) {
        stored_snapshot s;
        char ptext[PERIOD_TEXT_MAX];
        double path = 0;
        bool has_path = t && snapshot_path(t, &q, has_figure, figure, &path);
        if (snapshot_current(srv->db, &srv->reg, ind, &q, at, false, 0, &s) < 0)
            return query_refuse(qe, PROTO_INTERNAL, "cannot compute the series: %s",
                          store_errmsg(srv->db));
        if (period_format(&q, ptext, sizeof ptext) != 0 || msgpack_pack_map(pk, 8) != 0 ||
            proto_pack_kv_str(pk, "period", ptext) != 0 ||
            proto_pack_kv_opt(pk, "value", s.has_value, s.value) != 0 ||
            proto_pack_kv_opt(pk, "numerator", s.has_num, s.numerator) != 0 ||
            proto_pack_kv_opt(pk, "denominator", s.has_den, s.denominator) != 0 ||
            proto_pack_kv_str(pk, "reason", s.reason) != 0 ||
            proto_pack_kv_int(pk, "expected", s.expected) != 0 ||
            proto_pack_kv_int(pk, "reported", s.reported) != 0 ||
            proto_pack_kv_opt(pk, "path", has_path, path) != 0)
            return query_refuse(qe, PROTO_INTERNAL, "cannot encode the reply");
        if (i + 1 < n && period_next(&q, &q) != 0)
            return query_refuse(qe, PROTO_INTERNAL, "period out of range");
    }
    return 0;
}

static int pack_months(msgpack_packer *pk, const char *key, const int *months, int n)
{
    if (proto_pack_str(pk, key) != 0 || msgpack_pack_array(pk, (size_t)n) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        period m = period_month_from_number(months[i]);
        char text[PERIOD_TEXT_MAX];
        if (period_format(&m, text, sizeof text) != 0 || proto_pack_str(pk, text) != 0)
            return -1;
    }
    return 0;
}

static int pack_compl(msgpack_packer *pk, const partners *parts, const compl_metric *c)
{
    if (msgpack_pack_map(pk, 8) != 0 || proto_pack_kv_str(pk, "metric", c->m->code) != 0 ||
        proto_pack_kv_str(pk, "label", c->m->label) != 0 ||
        proto_pack_kv_int(pk, "expected", (int64_t)c->n) != 0 ||
        proto_pack_kv_int(pk, "on_time", (int64_t)c->on_time) != 0 ||
        proto_pack_kv_int(pk, "late", (int64_t)c->late) != 0 ||
        proto_pack_kv_int(pk, "missing", (int64_t)c->missing) != 0 ||
        proto_pack_kv_int(pk, "open", (int64_t)c->open) != 0 ||
        proto_pack_str(pk, "organisations") != 0 || msgpack_pack_array(pk, c->n) != 0)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const compl_row *r = &c->rows[i];
        const organisation *o = &parts->orgs[r->org];
        if (msgpack_pack_map(pk, 10) != 0 || proto_pack_kv_str(pk, "id", o->id) != 0 ||
            proto_pack_kv_str(pk, "name", o->name) != 0 ||
            proto_pack_kv_str(pk, "kind", kind_name(o->kind)) != 0 ||
            proto_pack_kv_str(pk, "status", compl_status_name(r->status)) != 0 ||
            proto_pack_kv_int(pk, "months_due", r->months_due) != 0 ||
            proto_pack_kv_int(pk, "months_reported", r->months_reported) != 0 ||
            pack_months(pk, "late_months", r->late, r->n_late) != 0 ||
            pack_months(pk, "missing_months", r->missing, r->n_missing) != 0 ||
            proto_pack_str(pk, "first_reported") != 0 ||
            (r->has_first ? msgpack_pack_int64(pk, r->first_reported) : msgpack_pack_nil(pk)) != 0 ||
            proto_pack_kv_int(pk, "deadline", r->deadline) != 0)
            return -1;
    }
    return 0;
}

static int reply_completeness(msgpack_packer *pk, server *srv, const proto_request *req,
                              const identity *who, time_t now, query_error *qe)
{
    const catalog *cat = &srv->reg.cat;
    const organisation *only = who->type == IDENT_ORG ? who->org : NULL;
    period p, current_month;
    if (query_period(req->period, "period", &p, qe) < 0)
        return -1;
    if (period_of_time(now, &current_month) == 0 &&
        period_first_month(&p) > period_first_month(&current_month))
        return query_refuse(qe, PROTO_BAD_REQUEST, "period %s has not begun: nothing is due yet",
                      req->period);
    const metric *one = NULL;
    if (req->metric[0] && !(one = catalog_metric(cat, req->metric))) {
        char q[PROTO_MAX_CODE + 1];
        proto_quote(q, sizeof q, req->metric, strlen(req->metric));
        return query_refuse(qe, PROTO_NOT_FOUND, "unknown metric '%s' (leamon catalog lists them)", q);
    }
    /* The metrics asked about that anyone (or, for a partner, it) must report. */
    size_t n = 0;
    const metric **ms = calloc(cat->n_metrics, sizeof *ms);
    if (!ms)
        return query_refuse(qe, PROTO_INTERNAL, "out of memory");
    for (size_t i = 0; i < cat->n_metrics; i++) {
        const metric *m = &cat->metrics[i];
        if ((!one || m == one) && (!only || ((m->kinds >> only->kind) & 1u)))
            ms[n++] = m;
    }
    char ptext[PERIOD_TEXT_MAX];
    int rc = -1;
    if (period_format(&p, ptext, sizeof ptext) != 0 ||
        proto_pack_reply_head(pk, 3, req->id, PROTO_OK, NULL) != 0 ||
        proto_pack_kv_str(pk, "period", ptext) != 0 ||
        proto_pack_kv_int(pk, "grace_days", srv->set.grace_days) != 0 ||
        proto_pack_str(pk, "metrics") != 0 || msgpack_pack_array(pk, n) != 0) {
        query_refuse(qe, PROTO_INTERNAL, "cannot encode the reply");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        compl_metric c;
        if (completeness_compute(srv->db, &srv->reg, ms[i], &p, now, srv->set.grace_days, only,
                                 &c) < 0) {
            query_refuse(qe, PROTO_INTERNAL, "cannot compute completeness: %s", store_errmsg(srv->db));
            goto out;
        }
        int packed = pack_compl(pk, &srv->reg.parts, &c);
        completeness_free(&c);
        if (packed != 0) {
            query_refuse(qe, PROTO_INTERNAL, "cannot encode the reply");
            goto out;
        }
    }
    rc = 0;
out:
    free(ms);
    return rc;
}

int ops_reply_query(msgpack_packer *pk, server *srv, const proto_request *req,
                    const identity *who, time_t now)
{
    query_error qe = {PROTO_INTERNAL, "cannot encode the reply"};
    int rc;
    if (req->op != PROTO_OP_COMPLETENESS && who->type == IDENT_ORG) {
        return ops_reply_error(pk, req->id, PROTO_FORBIDDEN,
                               "snapshots and series are for municipal staff; a partner reads "
                               "its own completeness");
    }
    /* A failure may leave a half-packed reply: the caller's buffer is rebuilt below. */
    msgpack_sbuffer *buf = pk->data;
    size_t mark = buf->size;
    if (req->op == PROTO_OP_SNAPSHOT)
        rc = reply_snapshot(pk, srv, req, &qe);
    else if (req->op == PROTO_OP_SERIES)
        rc = reply_series(pk, srv, req, &qe);
    else
        rc = reply_completeness(pk, srv, req, who, now, &qe);
    if (rc == 0)
        return 0;
    buf->size = mark;
    return ops_reply_error(pk, req->id, qe.status, qe.why);
}
