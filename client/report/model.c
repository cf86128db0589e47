/* model.c: what the report is made of, read from the daemon's replies (see
 * model.h). */
#include "report/model.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "grow.h"
#include "indicator.h"
#include "leamon.h"
#include "reply_fields.h"
#include "report/text.h"
#include "reqid.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))
#define MAX_AREA_DEPTH 32

void report_free(report_t *r)
{
    if (r->have_catalog)
        rpc_reply_free(&r->catalog);
    if (r->have_alerts)
        rpc_reply_free(&r->alerts);
    for (size_t i = 0; i < r->norgs; i++)
        free(r->orgs[i].n);
    free(r->orgs);
    free(r->areas);
    free(r->inds);
}

/* ---- the catalogue ------------------------------------------------------ */

int report_read_catalog(report_t *r, const char *area_code, char *err, size_t errlen)
{
    const msgpack_object *areas = reply_array(r->catalog.root, "areas"),
                         *inds = reply_array(r->catalog.root, "indicators");
    size_t na = areas ? areas->via.array.size : 0, ni = inds ? inds->via.array.size : 0;
    if (na == 0) {
        errmsg(err, errlen, "the daemon's catalog lists no areas");
        return LEAMON_EXIT_REJECTED;
    }
    if (!(r->areas = calloc(na, sizeof *r->areas)) ||
        (ni && !(r->inds = calloc(ni, sizeof *r->inds)))) {
        errmsg(err, errlen, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    for (size_t i = 0; i < na; i++) {
        const msgpack_object *m = &areas->via.array.ptr[i];
        area_t *a = &r->areas[r->nareas];
        reply_text(m, "code", a->code, sizeof a->code);
        reply_text(m, "name", a->name, sizeof a->name);
        reply_text(m, "level", a->level, sizeof a->level);
        reply_text(m, "parent", a->parent, sizeof a->parent);
        if (a->code[0])
            r->nareas++;
    }
    for (size_t i = 0; i < ni; i++) {
        const msgpack_object *m = &inds->via.array.ptr[i];
        ind_t *d = &r->inds[r->ninds];
        reply_text(m, "code", d->code, sizeof d->code);
        reply_text(m, "label", d->label, sizeof d->label);
        reply_text(m, "unit", d->unit, sizeof d->unit);
        reply_text(m, "type", d->type, sizeof d->type);
        reply_text(m, "better", d->better, sizeof d->better);
        d->has_ideal = reply_number(m, "ideal", &d->ideal);
        /* the codes go back to the daemon in requests */
        if (d->code[0] && reqid_check(d->code) == 0 && strlen(d->code) <= PROTO_MAX_CODE)
            r->ninds++;
    }
    if (area_code) {
        if (!(r->top = report_find_area(r, area_code))) {
            errmsg(err, errlen, "unknown area '%s' (leamon catalog lists them)", area_code);
            return LEAMON_EXIT_REJECTED;
        }
    } else {
        for (size_t i = 0; i < r->nareas && !r->top; i++)
            if (!r->areas[i].parent[0])
                r->top = &r->areas[i];
        if (!r->top)
            r->top = &r->areas[0];
    }
    if (reqid_check(r->top->code) != 0 || strlen(r->top->code) > PROTO_MAX_AREA) {
        errmsg(err, errlen, "the daemon's catalog names an area this leamon cannot ask about");
        return LEAMON_EXIT_REJECTED;
    }
    return 0;
}

const ind_t *report_find_ind(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->ninds; i++)
        if (!strcmp(r->inds[i].code, code))
            return &r->inds[i];
    return NULL;
}

const area_t *report_find_area(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->nareas; i++)
        if (!strcmp(r->areas[i].code, code))
            return &r->areas[i];
    return NULL;
}

bool report_in_area(const report_t *r, const char *code)
{
    const area_t *a = report_find_area(r, code);
    for (int depth = 0; a && depth < MAX_AREA_DEPTH; depth++) {
        if (a == r->top)
            return true;
        a = a->parent[0] ? report_find_area(r, a->parent) : NULL;
    }
    return false;
}

/* ---- the completeness grid ---------------------------------------------- */

void report_grid_months(report_t *r)
{
    period cur;
    int now_month = period_of_time(r->now, &cur) == 0 ? period_first_month(&cur) : r->last_month;
    r->grid_last = r->last_month < now_month ? r->last_month : now_month;
    r->grid_first = r->first_month > r->grid_last - (GRID_MONTHS - 1)
                        ? r->first_month
                        : r->grid_last - (GRID_MONTHS - 1);
}

/* The row of organisation o, added when it is new; NULL when out of memory. */
static org_row *grid_org(report_t *r, const msgpack_object *o)
{
    char id[PROTO_MAX_CODE + 1];
    reply_text(o, "id", id, sizeof id);
    if (!id[0])
        return NULL;
    for (size_t i = 0; i < r->norgs; i++)
        if (!strcmp(r->orgs[i].id, id))
            return &r->orgs[i];
    if (GROW(r->orgs, r->orgs_cap, r->norgs + 1) != 0)
        return NULL;
    size_t months = (size_t)(r->grid_last - r->grid_first + 1);
    org_row *row = &r->orgs[r->norgs];
    memset(row, 0, sizeof *row);
    if (!(row->n = calloc(months, sizeof *row->n)))
        return NULL;
    r->norgs++;
    COPY(row->id, id);
    reply_text(o, "name", row->name, sizeof row->name);
    reply_text(o, "kind", row->kind, sizeof row->kind);
    return row;
}

int report_grid_add(report_t *r, int month, const msgpack_object *reply)
{
    const msgpack_object *metrics = reply_array(reply, "metrics");
    for (uint32_t i = 0; metrics && i < metrics->via.array.size; i++) {
        const msgpack_object *orgs = reply_array(&metrics->via.array.ptr[i], "organisations");
        for (uint32_t k = 0; orgs && k < orgs->via.array.size; k++) {
            const msgpack_object *o = &orgs->via.array.ptr[k];
            char status[16], id[8];
            if (!reply_text(o, "id", id, sizeof id)[0])
                continue;
            reply_text(o, "status", status, sizeof status);
            org_row *row = grid_org(r, o);
            if (!row)
                return -1;
            int st = !strcmp(status, "on_time")   ? ST_ON_TIME
                     : !strcmp(status, "open")    ? ST_OPEN
                     : !strcmp(status, "late")    ? ST_LATE
                     : !strcmp(status, "missing") ? ST_MISSING
                                                  : -1;
            if (st >= 0)
                row->n[month - r->grid_first][st]++;
        }
    }
    return 0;
}

static int org_cmp(const void *a, const void *b)
{
    const org_row *x = a, *y = b;
    int k = partner_kind_rank(x->kind) - partner_kind_rank(y->kind);
    if (k)
        return k;
    int n = strcmp(x->name, y->name);
    return n ? n : strcmp(x->id, y->id);
}

void report_grid_sort(report_t *r)
{
    if (r->norgs)
        qsort(r->orgs, r->norgs, sizeof *r->orgs, org_cmp);
}

const org_row *report_find_org(const report_t *r, const char *id)
{
    for (size_t i = 0; i < r->norgs; i++)
        if (!strcmp(r->orgs[i].id, id))
            return &r->orgs[i];
    return NULL;
}

/* ---- alert levels for the charts ---------------------------------------- */

size_t report_find_bands(const report_t *r, const ind_t *ind, band_src *out, size_t max)
{
    const msgpack_object *list = reply_array(r->catalog.root, "rules");
    bool from_catalog = list != NULL;
    if (!list && r->have_alerts)
        list = reply_array(r->alerts.root, "alerts");
    size_t n = 0;
    for (uint32_t i = 0; list && i < list->via.array.size && n < max; i++) {
        const msgpack_object *m = &list->via.array.ptr[i];
        char code[PROTO_MAX_CODE + 1], rule[PROTO_MAX_CODE + 1], kind[16], area[PROTO_MAX_AREA + 1];
        double threshold;
        if (strcmp(reply_text(m, "indicator", code, sizeof code), ind->code) ||
            !reply_number(m, "threshold", &threshold))
            continue;
        reply_text(m, from_catalog ? "name" : "rule", rule, sizeof rule);
        reply_text(m, "kind", kind, sizeof kind);
        if (strcmp(kind, "below") && strcmp(kind, "above") && strcmp(kind, "off_track"))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= !strcmp(out[k].rule, rule);
        if (seen)
            continue;
        band_src *s = &out[n];
        memset(s, 0, sizeof *s);
        COPY(s->rule, rule);
        COPY(s->kind, kind);
        reply_text(m, "severity", s->severity, sizeof s->severity);
        s->threshold = threshold;
        if (from_catalog) {
            reply_text(m, "level", s->where, sizeof s->where);
        } else {
            const area_t *a = report_find_area(r, reply_text(m, "area", area, sizeof area));
            if (a && a != r->top)
                COPY(s->where, a->level);
        }
        const char *where = s->where[0] && strcmp(s->where, r->top->level) ? s->where : "";
        nl_band_label(s->label, sizeof s->label, kind, where, threshold, ind->unit, ind->better);
        n++;
    }
    return n;
}

/* ---- figures and targets ------------------------------------------------ */

void fig_read(const msgpack_object *m, fig_t *f)
{
    memset(f, 0, sizeof *f);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return;
    reply_text(m, "area", f->area, sizeof f->area);
    reply_text(m, "name", f->name, sizeof f->name);
    reply_text(m, "period", f->period, sizeof f->period);
    reply_text(m, "reason", f->reason, sizeof f->reason);
    f->has_value = reply_number(m, "value", &f->value);
    f->has_num = reply_number(m, "numerator", &f->num);
    f->has_den = reply_number(m, "denominator", &f->den);
    f->has_counts = proto_get_int(m, "expected", &f->expected) == 0 &&
                    proto_get_int(m, "reported", &f->reported) == 0;
    f->has_path = reply_number(m, "path", &f->path);
}

bool fig_incomplete(const fig_t *f)
{
    return f->has_counts && f->reported < f->expected;
}

void target_read(const msgpack_object *m, target_t *t)
{
    memset(t, 0, sizeof *t);
    if (!m || m->type != MSGPACK_OBJECT_MAP)
        return;
    t->set = true;
    reply_text(m, "goal_period", t->goal_period, sizeof t->goal_period);
    reply_text(m, "baseline_period", t->baseline_period, sizeof t->baseline_period);
    reply_text(m, "source", t->source, sizeof t->source);
    t->has_goal = reply_number(m, "goal", &t->goal);
    t->has_baseline = reply_number(m, "baseline", &t->baseline);
    t->has_path = reply_number(m, "path", &t->path);
}

/* ---- indicators ------------------------------------------------------------ */

bool ind_is_count(const ind_t *ind)
{
    return !strcmp(ind->type, "sum") && !strcmp(ind->unit, "count");
}

bool ind_is_ratio(const ind_t *ind)
{
    return !strcmp(ind->type, "ratio");
}

int ind_judge(const ind_t *ind, double value, double mark)
{
    return indicator_judge(ind->better, ind->has_ideal, ind->ideal, value, mark);
}

void ind_take_ideal(ind_t *ind, const msgpack_object *snapshot_reply)
{
    const msgpack_object *im = proto_get(snapshot_reply, "indicator");
    if (im && im->type == MSGPACK_OBJECT_MAP && reply_number(im, "ideal", &ind->ideal))
        ind->has_ideal = true;
}

int ind_figures_read(ind_figures *f, const report_t *r, const ind_t *ind,
                     const msgpack_object *series, const msgpack_object *snap)
{
    memset(f, 0, sizeof *f);
    fig_read(proto_get(snap, "snapshot"), &f->top);
    target_read(proto_get(snap, "target"), &f->tg);
    const msgpack_object *pts = reply_array(series, "points"), *kids = reply_array(snap, "breakdown");
    f->npts = pts ? pts->via.array.size : 0;
    f->nkids = kids ? kids->via.array.size : 0;
    f->pts = calloc(f->npts + 1, sizeof *f->pts);
    f->kids = calloc(f->nkids + 1, sizeof *f->kids);
    if (!f->pts || !f->kids)
        return -1;
    for (size_t i = 0; i < f->npts; i++)
        fig_read(&pts->via.array.ptr[i], &f->pts[i]);
    for (size_t i = 0; i < f->nkids; i++)
        fig_read(&kids->via.array.ptr[i], &f->kids[i]);
    f->nbands = report_find_bands(r, ind, f->bands, MODEL_MAX_BANDS);
    return 0;
}

void ind_figures_free(ind_figures *f)
{
    free(f->pts);
    free(f->kids);
    f->pts = f->kids = NULL;
}
