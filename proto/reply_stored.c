/* reply_stored.c: writing and reading the figures reply (reply_stored.h). */
#include "reply_stored.h"

#include <stdlib.h>
#include <string.h>

static void change_write(mpw *w, const proto_figure_change *c)
{
    mpw_map(w);
    mpw_kv_int(w, "at", c->at);
    mpw_kv_str(w, "change", c->change);
    mpw_kv_number(w, "old", c->old_value);
    mpw_kv_opt_number(w, "new", c->has_new, c->new_value);
    mpw_kv_str(w, "by", c->by);
    mpw_kv_str(w, "request", c->request);
    mpw_end(w);
}

static void change_read(mpr *r, const msgpack_object *m, proto_figure_change *c)
{
    mpr_int(r, m, "at", &c->at);
    mpr_str(r, m, "change", c->change, sizeof c->change);
    mpr_number(r, m, "old", &c->old_value);
    mpr_opt_number(r, m, "new", &c->has_new, &c->new_value);
    mpr_str(r, m, "by", c->by, sizeof c->by);
    mpr_str(r, m, "request", c->request, sizeof c->request);
}

static void figure_write(mpw *w, const proto_stored_figure *f)
{
    mpw_map(w);
    mpw_kv_str(w, "metric", f->metric);
    mpw_kv_str(w, "area", f->area);
    mpw_kv_str(w, "period", f->period);
    mpw_kv_opt_number(w, "value", f->has_value, f->value);
    mpw_kv_opt_int(w, "reported_at", f->has_reported, f->reported_at);
    mpw_kv_opt_int(w, "updated_at", f->has_updated, f->updated_at);
    mpw_kv_opt_str(w, "submission", f->submission);
    mpw_key(w, "changes");
    mpw_array(w);
    for (size_t i = 0; i < f->n_changes; i++)
        change_write(w, &f->changes[i]);
    mpw_end(w);
    mpw_end(w);
}

static void figure_read(mpr *r, const msgpack_object *m, proto_stored_figure *f)
{
    mpr_str(r, m, "metric", f->metric, sizeof f->metric);
    mpr_str(r, m, "area", f->area, sizeof f->area);
    mpr_str(r, m, "period", f->period, sizeof f->period);
    mpr_opt_number(r, m, "value", &f->has_value, &f->value);
    mpr_opt_int(r, m, "reported_at", &f->has_reported, &f->reported_at);
    mpr_opt_int(r, m, "updated_at", &f->has_updated, &f->updated_at);
    mpr_opt_str(r, m, "submission", f->submission, sizeof f->submission);
    const msgpack_object *cs = mpr_array(r, m, "changes");
    if (cs && cs->via.array.size > PROTO_MAX_FIGURE_CHANGES) {
        mpr_fail(r, "a figure lists more than %d changes", PROTO_MAX_FIGURE_CHANGES);
        return;
    }
    f->changes = mpr_alloc(r, cs, sizeof *f->changes, &f->n_changes);
    for (size_t i = 0; i < f->n_changes; i++)
        change_read(r, mpr_elem_map(r, cs, (uint32_t)i), &f->changes[i]);
}

void proto_figures_reply_write(mpw *w, const char *id, const proto_figures_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "organisation", r->organisation);
    mpw_kv_str(w, "name", r->name);
    mpw_kv_str(w, "from", r->from);
    mpw_kv_str(w, "to", r->to);
    mpw_kv_bool(w, "truncated", r->truncated);
    mpw_key(w, "figures");
    mpw_array(w);
    for (size_t i = 0; i < r->n_figures; i++)
        figure_write(w, &r->figures[i]);
    mpw_end(w);
    mpw_end(w);
}

int proto_figures_reply_read(const msgpack_object *root, proto_figures_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_str(&r, root, "organisation", out->organisation, sizeof out->organisation);
    mpr_str(&r, root, "name", out->name, sizeof out->name);
    mpr_str(&r, root, "from", out->from, sizeof out->from);
    mpr_str(&r, root, "to", out->to, sizeof out->to);
    mpr_bool(&r, root, "truncated", &out->truncated);
    const msgpack_object *fs = mpr_array(&r, root, "figures");
    if (fs && fs->via.array.size > PROTO_MAX_FIGURES)
        mpr_fail(&r, "the reply lists more than %d figures", PROTO_MAX_FIGURES);
    else
        out->figures = mpr_alloc(&r, fs, sizeof *out->figures, &out->n_figures);
    for (size_t i = 0; i < out->n_figures && !r.failed; i++)
        figure_read(&r, mpr_elem_map(&r, fs, (uint32_t)i), &out->figures[i]);
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_figures_reply_free(out);
    return -1;
}

void proto_figures_reply_free(proto_figures_reply *r)
{
    for (size_t i = 0; i < r->n_figures; i++)
        free(r->figures[i].changes);
    free(r->figures);
    r->figures = NULL;
    r->n_figures = 0;
}
