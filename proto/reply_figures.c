/* reply_figures.c: writing and reading the snapshot and series replies (reply_figures.h).
 * The order of the fields is the order PROTOCOL.md gives. */
#include "reply_figures.h"

#include <stdlib.h>
#include <string.h>

void proto_indicator_write(mpw *w, const proto_indicator *ind)
{
    mpw_map(w);
    mpw_kv_str(w, "code", ind->code);
    mpw_kv_str(w, "label", ind->label);
    mpw_kv_str(w, "unit", ind->unit);
    mpw_kv_str(w, "type", ind->type);
    mpw_kv_str(w, "better", ind->better);
    if (ind->has_ideal)
        mpw_kv_number(w, "ideal", ind->ideal);
    mpw_end(w);
}

void proto_indicator_read(mpr *r, const msgpack_object *m, proto_indicator *ind)
{
    mpr_str(r, m, "code", ind->code, sizeof ind->code);
    mpr_str(r, m, "label", ind->label, sizeof ind->label);
    mpr_str(r, m, "unit", ind->unit, sizeof ind->unit);
    mpr_str(r, m, "type", ind->type, sizeof ind->type);
    mpr_str(r, m, "better", ind->better, sizeof ind->better);
    mpr_opt_number(r, m, "ideal", &ind->has_ideal, &ind->ideal);
}

/* value .. reported, inside an open map. */
static void figure_write(mpw *w, const proto_figure *f)
{
    mpw_kv_opt_number(w, "value", f->has_value, f->value);
    mpw_kv_opt_number(w, "numerator", f->has_num, f->numerator);
    mpw_kv_opt_number(w, "denominator", f->has_den, f->denominator);
    mpw_kv_str(w, "reason", f->reason);
    mpw_kv_int(w, "expected", f->expected);
    mpw_kv_int(w, "reported", f->reported);
    mpw_kv_str(w, "state", f->state);
    mpw_kv_bool(w, "plausible", f->plausible);
    mpw_kv_int(w, "carried", f->carried);
}

static void figure_read(mpr *r, const msgpack_object *m, proto_figure *f)
{
    mpr_opt_number(r, m, "value", &f->has_value, &f->value);
    mpr_opt_number(r, m, "numerator", &f->has_num, &f->numerator);
    mpr_opt_number(r, m, "denominator", &f->has_den, &f->denominator);
    mpr_str(r, m, "reason", f->reason, sizeof f->reason);
    mpr_int(r, m, "expected", &f->expected);
    mpr_int(r, m, "reported", &f->reported);
    mpr_str(r, m, "state", f->state, sizeof f->state);
    mpr_bool(r, m, "plausible", &f->plausible);
    mpr_int(r, m, "carried", &f->carried);
}

/* "verdict": the map, or nil without a target. */
static void verdict_write(mpw *w, bool has, const proto_verdict *v)
{
    mpw_key(w, "verdict");
    if (!has) {
        mpw_nil(w);
        return;
    }
    mpw_map(w);
    mpw_kv_str(w, "verdict", v->verdict);
    mpw_kv_str(w, "reason", v->reason);
    mpw_kv_opt_str(w, "period", v->period);
    mpw_kv_opt_number(w, "value", v->has_value, v->value);
    mpw_kv_opt_number(w, "mark", v->has_mark, v->mark);
    mpw_end(w);
}

static void verdict_read(mpr *r, const msgpack_object *root, proto_verdict *v)
{
    const msgpack_object *m = mpr_opt_map(r, root, "verdict");
    if (!m)
        return;
    mpr_str(r, m, "verdict", v->verdict, sizeof v->verdict);
    mpr_str(r, m, "reason", v->reason, sizeof v->reason);
    mpr_opt_str(r, m, "period", v->period, sizeof v->period);
    mpr_opt_number(r, m, "value", &v->has_value, &v->value);
    mpr_opt_number(r, m, "mark", &v->has_mark, &v->mark);
}

static void area_figure_write(mpw *w, const proto_area_figure *a)
{
    mpw_map(w);
    mpw_kv_str(w, "area", a->area);
    mpw_kv_str(w, "name", a->name);
    figure_write(w, &a->fig);
    mpw_kv_opt_int(w, "computed_at", a->has_computed_at, a->computed_at);
    mpw_kv_int(w, "version", a->version);
    mpw_end(w);
}

static void area_figure_read(mpr *r, const msgpack_object *m, proto_area_figure *a)
{
    mpr_str(r, m, "area", a->area, sizeof a->area);
    mpr_str(r, m, "name", a->name, sizeof a->name);
    figure_read(r, m, &a->fig);
    mpr_opt_int(r, m, "computed_at", &a->has_computed_at, &a->computed_at);
    mpr_int(r, m, "version", &a->version);
}

/* "target": the map, or nil. */
static void target_write(mpw *w, bool has, const proto_target *t)
{
    mpw_key(w, "target");
    if (!has) {
        mpw_nil(w);
        return;
    }
    mpw_map(w);
    mpw_kv_str(w, "area", t->area);
    mpw_kv_str(w, "goal_period", t->goal_period);
    mpw_kv_number(w, "goal", t->goal);
    mpw_kv_opt_str(w, "baseline_period", t->baseline_period);
    mpw_kv_opt_number(w, "baseline", t->has_baseline, t->baseline);
    mpw_kv_str(w, "source", t->source);
    if (t->with_path)
        mpw_kv_opt_number(w, "path", t->has_path, t->path);
    mpw_end(w);
}

static void target_read(mpr *r, const msgpack_object *root, bool *has, proto_target *t)
{
    const msgpack_object *m = mpr_opt_map(r, root, "target");
    *has = m != NULL;
    if (!m)
        return;
    mpr_str(r, m, "area", t->area, sizeof t->area);
    mpr_str(r, m, "goal_period", t->goal_period, sizeof t->goal_period);
    mpr_number(r, m, "goal", &t->goal);
    mpr_opt_str(r, m, "baseline_period", t->baseline_period, sizeof t->baseline_period);
    mpr_opt_number(r, m, "baseline", &t->has_baseline, &t->baseline);
    mpr_str(r, m, "source", t->source, sizeof t->source);
    t->with_path = proto_get(m, "path") != NULL;
    mpr_opt_number(r, m, "path", &t->has_path, &t->path);
}

static void part_write(mpw *w, const proto_reporter_part *p)
{
    mpw_map(w);
    mpw_kv_str(w, "reporter", p->reporter);
    mpw_kv_str(w, "name", p->name);
    mpw_kv_str(w, "kind", p->kind);
    mpw_kv_opt_number(w, "numerator", p->has_num, p->numerator);
    mpw_kv_opt_number(w, "denominator", p->has_den, p->denominator);
    mpw_kv_opt_number(w, "value", p->has_value, p->value);
    mpw_end(w);
}

static void part_read(mpr *r, const msgpack_object *m, proto_reporter_part *p)
{
    mpr_str(r, m, "reporter", p->reporter, sizeof p->reporter);
    mpr_str(r, m, "name", p->name, sizeof p->name);
    mpr_str(r, m, "kind", p->kind, sizeof p->kind);
    mpr_opt_number(r, m, "numerator", &p->has_num, &p->numerator);
    mpr_opt_number(r, m, "denominator", &p->has_den, &p->denominator);
    mpr_opt_number(r, m, "value", &p->has_value, &p->value);
}

void proto_snapshot_reply_write(mpw *w, const char *id, const proto_snapshot_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_key(w, "indicator");
    proto_indicator_write(w, &r->ind);
    mpw_kv_str(w, "period", r->period);
    mpw_kv_opt_int(w, "as_of", r->has_as_of, r->as_of);
    mpw_key(w, "snapshot");
    area_figure_write(w, &r->snapshot);
    target_write(w, r->has_target, &r->target);
    verdict_write(w, r->has_target, &r->verdict);
    mpw_key(w, "breakdown");
    if (r->by == PROTO_BY_NONE) {
        mpw_nil(w);
    } else {
        mpw_array(w);
        for (size_t i = 0; r->by == PROTO_BY_AREA && i < r->n_areas; i++)
            area_figure_write(w, &r->areas[i]);
        for (size_t i = 0; r->by == PROTO_BY_REPORTER && i < r->n_parts; i++)
            part_write(w, &r->parts[i]);
        mpw_end(w);
    }
    mpw_end(w);
}

/* An empty breakdown reads as by area: the asker knows which one it asked for. */
int proto_snapshot_reply_read(const msgpack_object *root, proto_snapshot_reply *out,
                              lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    proto_indicator_read(&r, mpr_map(&r, root, "indicator"), &out->ind);
    mpr_str(&r, root, "period", out->period, sizeof out->period);
    mpr_opt_int(&r, root, "as_of", &out->has_as_of, &out->as_of);
    area_figure_read(&r, mpr_map(&r, root, "snapshot"), &out->snapshot);
    target_read(&r, root, &out->has_target, &out->target);
    verdict_read(&r, root, &out->verdict);
    const msgpack_object *b = mpr_opt_array(&r, root, "breakdown");
    if (b) {
        bool parts = b->via.array.size > 0 && b->via.array.ptr[0].type == MSGPACK_OBJECT_MAP &&
                     proto_get(&b->via.array.ptr[0], "reporter") != NULL;
        out->by = parts ? PROTO_BY_REPORTER : PROTO_BY_AREA;
        if (parts) {
            out->parts = mpr_alloc(&r, b, sizeof *out->parts, &out->n_parts);
            for (size_t i = 0; i < out->n_parts; i++)
                part_read(&r, mpr_elem_map(&r, b, (uint32_t)i), &out->parts[i]);
        } else {
            out->areas = mpr_alloc(&r, b, sizeof *out->areas, &out->n_areas);
            for (size_t i = 0; i < out->n_areas; i++)
                area_figure_read(&r, mpr_elem_map(&r, b, (uint32_t)i), &out->areas[i]);
        }
    }
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_snapshot_reply_free(out);
    return -1;
}

void proto_snapshot_reply_free(proto_snapshot_reply *r)
{
    free(r->areas);
    free(r->parts);
    r->areas = NULL;
    r->parts = NULL;
    r->n_areas = r->n_parts = 0;
}

void proto_series_reply_write(mpw *w, const char *id, const proto_series_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_key(w, "indicator");
    proto_indicator_write(w, &r->ind);
    mpw_kv_str(w, "area", r->area);
    mpw_kv_str(w, "name", r->name);
    target_write(w, r->has_target, &r->target);
    mpw_key(w, "points");
    mpw_array(w);
    for (size_t i = 0; i < r->n_points; i++) {
        const proto_series_point *p = &r->points[i];
        mpw_map(w);
        mpw_kv_str(w, "period", p->period);
        figure_write(w, &p->fig);
        mpw_kv_opt_number(w, "path", p->has_path, p->path);
        mpw_kv_opt_str(w, "verdict", p->verdict);
        mpw_end(w);
    }
    mpw_end(w);
    mpw_end(w);
}

int proto_series_reply_read(const msgpack_object *root, proto_series_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    proto_indicator_read(&r, mpr_map(&r, root, "indicator"), &out->ind);
    mpr_str(&r, root, "area", out->area, sizeof out->area);
    mpr_str(&r, root, "name", out->name, sizeof out->name);
    target_read(&r, root, &out->has_target, &out->target);
    const msgpack_object *pts = mpr_array(&r, root, "points");
    out->points = mpr_alloc(&r, pts, sizeof *out->points, &out->n_points);
    for (size_t i = 0; i < out->n_points; i++) {
        const msgpack_object *m = mpr_elem_map(&r, pts, (uint32_t)i);
        proto_series_point *p = &out->points[i];
        mpr_str(&r, m, "period", p->period, sizeof p->period);
        figure_read(&r, m, &p->fig);
        mpr_opt_number(&r, m, "path", &p->has_path, &p->path);
        mpr_opt_str(&r, m, "verdict", p->verdict, sizeof p->verdict);
    }
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_series_reply_free(out);
    return -1;
}

void proto_series_reply_free(proto_series_reply *r)
{
    free(r->points);
    r->points = NULL;
    r->n_points = 0;
}
