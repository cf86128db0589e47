/* model.c: what the report is made of, as proto's readers read the daemon's replies (see
 * model.h). */
#include "report/model.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "leamon.h"
#include "report/text.h"
#include "reqid.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))
#define MAX_AREA_DEPTH 32

void report_free(report_t *r)
{
    proto_alerts_reply_free(&r->alerts);
    for (size_t i = 0; i < r->norgs; i++)
        free(r->orgs[i].n);
    free(r->orgs);
    free(r->areas);
    free(r->inds);
    free(r->metrics);
    free(r->hidden);
}

int report_hide(report_t *r, const char *ind, const char *area)
{
    if (report_hidden(r, ind, area))
        return 0;
    if (GROW(r->hidden, r->hidden_cap, r->nhidden + 1) != 0)
        return -1;
    COPY(r->hidden[r->nhidden].ind, ind);
    COPY(r->hidden[r->nhidden].area, area);
    r->nhidden++;
    return 0;
}

bool report_hidden(const report_t *r, const char *ind, const char *area)
{
    for (size_t i = 0; i < r->nhidden; i++)
        if (!strcmp(r->hidden[i].ind, ind) && !strcmp(r->hidden[i].area, area))
            return true;
    return false;
}

/* ---- the catalogue ------------------------------------------------------ */

int report_read_catalog(report_t *r, const proto_catalog_reply *cat, const char *area_code,
                        lm_error *err)
{
    if (cat->n_areas == 0) {
        lm_fail(err, 0, "the daemon's catalog lists no areas");
        return LEAMON_EXIT_REJECTED;
    }
    if (!(r->areas = calloc(cat->n_areas, sizeof *r->areas)) ||
        (cat->n_indicators && !(r->inds = calloc(cat->n_indicators, sizeof *r->inds)))) {
        lm_fail(err, 0, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    if (cat->n_metrics && !(r->metrics = calloc(cat->n_metrics, sizeof *r->metrics))) {
        lm_fail(err, 0, "out of memory");
        return LEAMON_EXIT_USAGE;
    }
    for (size_t i = 0; i < cat->n_metrics; i++)
        if (cat->metrics[i].code[0])
            r->metrics[r->nmetrics++] = cat->metrics[i];
    for (size_t i = 0; i < cat->n_areas; i++)
        if (cat->areas[i].code[0])
            r->areas[r->nareas++] = cat->areas[i];
    for (size_t i = 0; i < cat->n_indicators; i++) {
        const proto_indicator *d = &cat->indicators[i];
        /* the codes go back to the daemon in requests */
        if (d->code[0] && reqid_check(d->code) == 0 && strlen(d->code) <= PROTO_MAX_CODE)
            r->inds[r->ninds++] = *d;
    }
    if (area_code) {
        if (!(r->top = report_find_area(r, area_code))) {
            lm_fail(err, 0, "unknown area '%s' (leamon catalog lists them)", area_code);
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
        lm_fail(err, 0, "the daemon's catalog names an area this leamon cannot ask about");
        return LEAMON_EXIT_REJECTED;
    }
    return 0;
}

const proto_indicator *report_find_ind(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->ninds; i++)
        if (!strcmp(r->inds[i].code, code))
            return &r->inds[i];
    return NULL;
}

const proto_metric_info *report_find_metric(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->nmetrics; i++)
        if (!strcmp(r->metrics[i].code, code))
            return &r->metrics[i];
    return NULL;
}

/* A character of a metric's code. */
static bool code_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

void report_reason(const report_t *r, char *buf, size_t n, const char *reason)
{
    char nl[400];
    nl_reason(nl, sizeof nl, reason);
    size_t o = 0;
    for (const char *p = nl; *p && o + 1 < n;) {
        /* a word that may be a code: at its start, the longest run of code characters */
        size_t len = code_char(*p) && (p == nl || !code_char(p[-1]))
                         ? strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789._-")
                         : 0;
        char code[PROTO_MAX_CODE + 1];
        const proto_metric_info *m = NULL;
        if (len && len <= PROTO_MAX_CODE) {
            memcpy(code, p, len);
            code[len] = '\0';
            m = report_find_metric(r, code);
        }
        if (m && m->label[0]) {
            int w = snprintf(buf + o, n - o, "%s", m->label);
            o += w < 0 ? 0 : (size_t)w < n - o ? (size_t)w : n - o - 1;
            p += len;
        } else {
            size_t k = len ? len : 1;
            for (size_t i = 0; i < k && o + 1 < n; i++)
                buf[o++] = *p++;
        }
    }
    buf[o < n ? o : n - 1] = '\0';
}

const proto_area_info *report_find_area(const report_t *r, const char *code)
{
    for (size_t i = 0; i < r->nareas; i++)
        if (!strcmp(r->areas[i].code, code))
            return &r->areas[i];
    return NULL;
}

bool report_in_area(const report_t *r, const char *code)
{
    const proto_area_info *a = report_find_area(r, code);
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
static org_row *grid_org(report_t *r, const proto_compl_org *o)
{
    for (size_t i = 0; i < r->norgs; i++)
        if (!strcmp(r->orgs[i].id, o->id))
            return &r->orgs[i];
    if (GROW(r->orgs, r->orgs_cap, r->norgs + 1) != 0)
        return NULL;
    size_t months = (size_t)(r->grid_last - r->grid_first + 1);
    org_row *row = &r->orgs[r->norgs];
    memset(row, 0, sizeof *row);
    if (!(row->n = calloc(months, sizeof *row->n)))
        return NULL;
    r->norgs++;
    COPY(row->id, o->id);
    COPY(row->name, o->name);
    COPY(row->kind, o->kind);
    return row;
}

/* Whether the catalogue owes a figure of metric in month (a month number): a summer-school
 * figure is not expected in October. A metric it does not list counts as monthly. */
static bool metric_due(const report_t *r, const char *metric, int month)
{
    const proto_metric_info *mi = report_find_metric(r, metric);
    period p = period_month_from_number(month);
    return !mi || p.index < 1 || p.index > 12 || (mi->due >> (p.index - 1)) & 1u;
}

int report_grid_add(report_t *r, int month, const proto_completeness_reply *c)
{
    for (size_t i = 0; i < c->n_metrics; i++) {
        const proto_compl_metric *m = &c->metrics[i];
        if (!metric_due(r, m->metric, month))
            continue;
        for (size_t k = 0; k < m->n_orgs; k++) {
            const proto_compl_org *o = &m->orgs[k];
            if (!o->id[0])
                continue;
            org_row *row = grid_org(r, o);
            if (!row)
                return -1;
            int st = !strcmp(o->status, "on_time")   ? ST_ON_TIME
                     : !strcmp(o->status, "open")    ? ST_OPEN
                     : !strcmp(o->status, "late")    ? ST_LATE
                     : !strcmp(o->status, "missing") ? ST_MISSING
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

size_t report_find_bands(const report_t *r, const proto_indicator *ind, band_src *out,
                         size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->alerts.n_alerts && n < max; i++) {
        const proto_alert *a = &r->alerts.alerts[i];
        if (strcmp(a->indicator, ind->code))
            continue;
        if (strcmp(a->kind, "below") && strcmp(a->kind, "above") && strcmp(a->kind, "off_track"))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= !strcmp(out[k].rule, a->rule);
        if (seen)
            continue;
        band_src *s = &out[n];
        memset(s, 0, sizeof *s);
        COPY(s->rule, a->rule);
        COPY(s->kind, a->kind);
        COPY(s->severity, a->severity);
        s->threshold = a->threshold;
        const proto_area_info *at = report_find_area(r, a->area);
        if (at && at != r->top)
            COPY(s->where, at->level);
        const char *where = s->where[0] && strcmp(s->where, r->top->level) ? s->where : "";
        nl_band_label(s->label, sizeof s->label, a->kind, where, a->threshold, ind->unit,
                      ind->better);
        n++;
    }
    return n;
}

/* ---- indicators ------------------------------------------------------------ */

bool ind_is_count(const proto_indicator *ind)
{
    return !strcmp(ind->type, "sum") && !strcmp(ind->unit, "count");
}

bool ind_is_ratio(const proto_indicator *ind)
{
    return !strcmp(ind->type, "ratio");
}

int ind_figures_read(ind_figures *f, const report_t *r, const proto_indicator *ind,
                     const msgpack_object *series, const msgpack_object *snap, lm_error *e)
{
    memset(f, 0, sizeof *f);
    if (proto_series_reply_read(series, &f->series, e) != 0)
        return -1;
    if (proto_snapshot_reply_read(snap, &f->snap, e) != 0) {
        proto_series_reply_free(&f->series);
        return -1;
    }
    /* The catalogue leaves out an indicator's ideal value; a snapshot reply has it. */
    f->ind = *ind;
    if (f->snap.ind.has_ideal) {
        f->ind.has_ideal = true;
        f->ind.ideal = f->snap.ind.ideal;
    }
    f->nbands = report_find_bands(r, &f->ind, f->bands, MODEL_MAX_BANDS);
    return 0;
}

void ind_figures_free(ind_figures *f)
{
    proto_series_reply_free(&f->series);
    proto_snapshot_reply_free(&f->snap);
}
