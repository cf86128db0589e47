/* snapshot_calc.c: from stored figures to one snapshot, with the reads shared between the
 * periods of one indicator and area. */
#include "snapshot_calc.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A JSON array of the codes of at and everything below it (codes need no escaping). */
static char *subtree_json(const partners *p, int at)
{
    size_t size = 3, used = 0;
    for (size_t i = 0; i < p->n_areas; i++)
        if (partners_within(p, (int)i, at))
            size += strlen(p->areas[i].code) + 3;
    char *json = malloc(size);
    if (!json)
        return NULL;
    json[used++] = '[';
    for (size_t i = 0; i < p->n_areas; i++)
        if (partners_within(p, (int)i, at))
            used += (size_t)snprintf(json + used, size - used, "%s\"%s\"", used > 1 ? "," : "",
                                     p->areas[i].code);
    snprintf(json + used, size - used, "]");
    return json;
}

static int by_code(const void *a, const void *b)
{
    const metric *const *x = a, *const *y = b;
    return strcmp((*x)->code, (*y)->code);
}

size_t snapcalc_metrics(const indicator *ind, const metric **out)
{
    size_t n = 0;
    const indicator_part *parts[2] = {&ind->num, &ind->den};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < parts[k]->n_metrics; i++) {
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = out[j] == parts[k]->metrics[i];
            if (!seen)
                out[n++] = parts[k]->metrics[i];
        }
    return n;
}

/* Reporter kinds an indicator counts. */
static unsigned indicator_kinds(const indicator *ind)
{
    unsigned kinds = 0;
    const indicator_part *parts[2] = {&ind->num, &ind->den};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < parts[k]->n_metrics; i++)
            kinds |= parts[k]->kinds ? parts[k]->kinds : parts[k]->metrics[i]->kinds;
    return kinds;
}

bool snapcalc_counts(const indicator *ind, const rollup_fig *f)
{
    return indicator_part_counts(&ind->num, f->m, f->kind) ||
           (ind->type == IND_RATIO && indicator_part_counts(&ind->den, f->m, f->kind));
}

int snapcalc_init(snapcalc *c, const registry *reg)
{
    memset(c, 0, sizeof *c);
    c->reg = reg;
    c->n_orgs = reg->parts.n_orgs;
    c->n_set = (c->n_orgs + 7) / 8;
    size_t n = c->n_orgs ? c->n_orgs : 1, n_set = c->n_set ? c->n_set : 1;
    c->expect = calloc(n, sizeof *c->expect);
    c->due = calloc(n, sizeof *c->due);
    c->set = calloc(n_set, 1);
    c->kid = calloc(n_set, 1);
    size_t ids = c->n_orgs > reg->parts.n_areas ? c->n_orgs : reg->parts.n_areas;
    c->counts = calloc(ids + 1, sizeof *c->counts);
    if (!c->expect || !c->due || !c->set || !c->kid || !c->counts) {
        snapcalc_free(c);
        return -1;
    }
    return 0;
}

void snapcalc_free(snapcalc *c)
{
    if (c->fallback) {
        snapcalc_free(c->fallback);
        free(c->fallback);
    }
    free(c->areas_json);
    free(c->self_json);
    free(c->figs);
    free(c->sel);
    free(c->rows);
    free(c->expect);
    free(c->due);
    free(c->set);
    free(c->kid);
    free(c->counts);
    memset(c, 0, sizeof *c);
}

int snapcalc_subject(snapcalc *c, store *db, const indicator *ind, int at, bool with_expected,
                     bool from_children)
{
    const partners *parts = &c->reg->parts;
    free(c->areas_json);
    free(c->self_json);
    c->self_json = NULL;
    c->ind = ind;
    c->at = at;
    c->n_figs = 0;
    c->by_children = false;
    c->n_ms = snapcalc_metrics(ind, c->ms);
    /* In the order of their codes: their figures are read in that order (snapcalc_gather). */
    qsort(c->ms, c->n_ms, sizeof *c->ms, by_code);
    c->carry = 0;
    for (size_t k = 0; k < c->n_ms; k++)
        c->carry = c->ms[k]->carry > c->carry ? c->ms[k]->carry : c->carry;
    if (!(c->areas_json = subtree_json(parts, at)))
        return -1;
    memset(c->expect, 0, c->n_orgs * sizeof *c->expect);
    c->n_expect = 0;
    if (!with_expected)
        return 0;
    unsigned kinds = indicator_kinds(ind);
    for (size_t i = 0; i < c->n_orgs; i++) {
        const organisation *o = &parts->orgs[i];
        if (o->active && ((kinds >> o->kind) & 1u) && partners_within(parts, o->home, at))
            c->expect[i] = 1;
    }
    /* And those that have ever reported these metrics for it (a GGD reporting per wijk). */
    for (size_t k = 0; k < c->n_ms; k++) {
        if (c->cov) {
            const coverage_pair *pairs;
            size_t n;
            if (coverage_of(c->cov, db, c->ms[k], &pairs, &n) < 0)
                return -1;
            for (size_t i = 0; i < n; i++) {
                const organisation *o = &parts->orgs[pairs[i].org];
                if (o->active && ((kinds >> o->kind) & 1u) &&
                    partners_within(parts, pairs[i].area, at))
                    c->expect[pairs[i].org] = 1;
            }
            continue;
        }
        c->n_rows = 0;
        if (store_coverage(db, c->ms[k]->code, c->areas_json, &c->rows, &c->n_rows,
                           &c->cap_rows) < 0)
            return -1;
        for (size_t i = 0; i < c->n_rows; i++) {
            const organisation *o = partners_org(parts, c->rows[i].reporter);
            int a = partners_area(parts, c->rows[i].area);
            if (!o || a < 0)
                continue;
            if (o->active && ((kinds >> o->kind) & 1u))
                c->expect[o - parts->orgs] = 1;
        }
    }
    /* The months each expected one owes a figure in: those of its kind's metrics here. */
    c->all_due = true;
    for (size_t i = 0; i < c->n_orgs; i++) {
        c->due[i] = 0;
        for (size_t k = 0; c->expect[i] && k < c->n_ms; k++)
            if ((c->ms[k]->kinds >> parts->orgs[i].kind) & 1u)
                c->due[i] |= c->ms[k]->due;
        c->n_expect += c->expect[i];
        c->all_due &= !c->expect[i] || c->due[i] == 0xfffu;
    }
    bool kids = false;
    for (size_t i = 0; i < parts->n_areas && !kids; i++)
        kids = parts->areas[i].parent == at;
    if (from_children && kids) {
        size_t size = strlen(parts->areas[at].code) + 5;
        if (!(c->self_json = malloc(size)))
            return -1;
        snprintf(c->self_json, size, "[\"%s\"]", parts->areas[at].code);
        c->by_children = true;
    }
    return 0;
}

/* Append the rows just read (of metric m) as figures. Figures of organisations no longer
 * in the partners file are left out: their kind is unknown. */
static int append_rows(snapcalc *c, const metric *m, rollup_fig **figs, size_t *n, size_t *cap)
{
    const partners *parts = &c->reg->parts;
    if (GROW(*figs, *cap, *n + c->n_rows) != 0)
        return -1;
    const char *last_area = NULL;
    int a = -1;
    for (size_t i = 0; i < c->n_rows; i++) {
        const store_obs *o = &c->rows[i];
        const organisation *org = partners_org(parts, o->reporter);
        /* The rows come area by area. */
        if (!last_area || strcmp(last_area, o->area) != 0) {
            a = partners_area(parts, o->area);
            last_area = o->area;
        }
        period month;
        if (!org || a < 0 || period_parse(o->period, &month) != 0)
            continue;
        (*figs)[(*n)++] = (rollup_fig){(int)(org - parts->orgs), org->kind, a,
                                       period_first_month(&month), m, o->value};
    }
    return 0;
}

int snapcalc_gather(snapcalc *c, store *db, int first, int last)
{
    char from[PERIOD_TEXT_MAX], to[PERIOD_TEXT_MAX];
    first -= c->carry; /* the months a carried figure may come from */
    period pf = period_month_from_number(first), pl = period_month_from_number(last);
    c->n_figs = 0;
    if (period_format(&pf, from, sizeof from) != 0 || period_format(&pl, to, sizeof to) != 0)
        return -1;
    /* All of the subtree's figures; or, from the children, at's own. */
    const char *where = c->by_children ? c->self_json : c->areas_json;
    for (size_t k = 0; k < c->n_ms; k++) {
        c->n_rows = 0;
        if (store_observations(db, c->ms[k]->code, from, to, where, &c->rows, &c->n_rows,
                               &c->cap_rows) < 0 ||
            append_rows(c, c->ms[k], &c->figs, &c->n_figs, &c->cap_figs) < 0)
            return -1;
    }
    /* Once here: each period's selection keeps the order, so rollup_compute need not sort.
     * The figures came metric by metric, each by area and month: counted into order. */
    if (GROW(c->sel, c->cap_sel, c->n_figs ? c->n_figs : 1) == 0)
        rollup_sort_read(c->figs, c->n_figs, c->sel, c->counts, c->n_orgs,
                         c->reg->parts.n_areas);
    else
        rollup_sort(c->figs, c->n_figs);
    return 0;
}

static void copy_result(const rollup_result *r, stored_snapshot *out)
{
    out->has_value = r->has_value;
    out->value = r->value;
    out->has_num = r->has_num;
    out->numerator = r->numerator;
    out->has_den = r->has_den;
    out->denominator = r->denominator;
    snprintf(out->reason, sizeof out->reason, "%s", r->reason);
}

/* The months of the year in months first..last, a bit each (bit 0: January). */
static unsigned months_of(int first, int last)
{
    unsigned months = 0;
    for (int m = first; m <= last && months != 0xfffu; m++)
        months |= 1u << (((m % 12) + 12) % 12);
    return months;
}

/* Does organisation org owe a figure here in one of months? */
static bool owes(const snapcalc *c, size_t org, unsigned months)
{
    return c->expect[org] && (c->all_due || (c->due[org] & months));
}

/* Those expected to report for months: who owes a figure in one of them. */
static int64_t expected_in(const snapcalc *c, unsigned months)
{
    if (c->all_due)
        return (int64_t)c->n_expect;
    int64_t n = 0;
    for (size_t i = 0; i < c->n_orgs; i++)
        n += owes(c, i, months);
    return n;
}

/* Count the reporters of c->set: how many, and how many of them owe nothing in months
 * (counted, but not expected: added to the expected). */
static void count_set(const snapcalc *c, unsigned months, int64_t *reported, int64_t *extra)
{
    *reported = *extra = 0;
    for (size_t i = 0; i < c->n_orgs; i++)
        if (c->set[i / 8] & (1u << (i % 8))) {
            (*reported)++;
            *extra += !owes(c, i, months);
        }
}

/* Add the reporters of figs (n, sorted or not) counted in months first..last to c->set. */
static void add_reporters(snapcalc *c, const rollup_fig *figs, size_t n, int first, int last)
{
    for (size_t i = 0; i < n; i++) {
        const rollup_fig *f = &figs[i];
        if (f->month >= first && f->month <= last && snapcalc_counts(c->ind, f))
            c->set[f->reporter / 8] |= (unsigned char)(1u << (f->reporter % 8));
    }
}

/* From the figures of the whole subtree, for a period whose children cannot all give
 * their reporters (stored before the sets were, or under another partners file). */
static int from_figures(snapcalc *c, store *db, const period *p, stored_snapshot *out)
{
    if (!c->fallback) {
        if (!(c->fallback = malloc(sizeof *c->fallback)))
            return -1;
        if (snapcalc_init(c->fallback, c->reg) < 0) {
            free(c->fallback);
            c->fallback = NULL;
            return -1;
        }
        c->fallback->cov = c->cov;
    }
    snapcalc *f = c->fallback;
    if (snapcalc_subject(f, db, c->ind, c->at, true, false) < 0 ||
        snapcalc_gather(f, db, period_first_month(p), period_last_month(p)) < 0 ||
        snapcalc_compute(f, db, p, out) < 0)
        return -1;
    memcpy(c->set, f->set, c->n_set);
    return 0;
}

/* A child's snapshot and reporters: computed in this refresh, or stored. 1, 0 (no
 * snapshot: nothing was ever counted there), 2 (a snapshot without its reporters), -1. */
static int child(snapcalc *c, store *db, const period *p, const char *ptext, int kid,
                 stored_snapshot *out)
{
    if (c->fresh && c->fresh(c->fresh_ctx, c->ind, p, kid, out, c->kid))
        return 1;
    const char *code = c->reg->parts.areas[kid].code;
    int found = store_snapshot_get(db, c->ind->code, ptext, code, INT64_MAX, out);
    if (found <= 0)
        return found;
    int sets = store_reporters_get(db, c->ind->code, ptext, code, c->kid, c->n_set);
    if (sets != 0)
        return sets;
    /* Without its reporters: a child that counted none needs none. */
    if (out->reported == 0) {
        memset(c->kid, 0, c->n_set);
        return 1;
    }
    return 2;
}

/* From the children's snapshots and reporter sets and at's own figures (sel, n). */
static int from_children(snapcalc *c, store *db, const period *p, rollup_fig *sel, size_t n,
                         stored_snapshot *out)
{
    const partners *parts = &c->reg->parts;
    int first = period_first_month(p), last = period_last_month(p);
    char ptext[PERIOD_TEXT_MAX];
    if (period_format(p, ptext, sizeof ptext) != 0)
        return -1;
    memset(c->set, 0, c->n_set);
    add_reporters(c, sel, n, first, last);
    rollup_result own;
    rollup_compute(c->ind, first, last, sel, n, &own);
    int64_t carried = (int64_t)own.carried;
    bool has_num = own.has_num, has_den = own.has_den;
    double num = own.numerator, den = own.denominator;
    for (size_t i = 0; i < parts->n_areas; i++) {
        if (parts->areas[i].parent != c->at)
            continue;
        stored_snapshot kid;
        int found = child(c, db, p, ptext, (int)i, &kid);
        if (found < 0)
            return -1;
        if (found == 2)
            return from_figures(c, db, p, out);
        if (!found)
            continue; /* no figure ever touched it */
        if (kid.has_num)
            num += kid.numerator;
        if (kid.has_den)
            den += kid.denominator;
        has_num |= kid.has_num;
        has_den |= kid.has_den;
        carried += kid.carried;
        for (size_t b = 0; b < c->n_set; b++)
            c->set[b] |= c->kid[b];
    }
    /* A reporter for several areas here counts once. */
    unsigned months = months_of(first, last);
    int64_t reported, extra;
    count_set(c, months, &reported, &extra);
    out->reported = reported;
    out->expected = expected_in(c, months) + extra;
    rollup_result r;
    rollup_finish(c->ind, has_num, num, has_den, den, &r);
    copy_result(&r, out);
    out->carried = carried;
    return 0;
}

int snapcalc_compute(snapcalc *c, store *db, const period *p, stored_snapshot *out)
{
    int first = period_first_month(p), last = period_last_month(p);
    unsigned months = months_of(first, last);
    memset(out, 0, sizeof *out);
    /* One period's figures, copied: rollup_compute sorts what it is given. The gathered
     * range was allocated at full size, so sel can be too; on failure compute in place. */
    rollup_fig *figs = c->figs;
    size_t n = c->n_figs;
    if (GROW(c->sel, c->cap_sel, c->n_figs ? c->n_figs : 1) == 0) {
        n = 0;
        for (size_t i = 0; i < c->n_figs; i++)
            if (c->figs[i].month >= first - c->carry && c->figs[i].month <= last)
                c->sel[n++] = c->figs[i];
        figs = c->sel;
    }
    if (c->by_children)
        return from_children(c, db, p, figs, n, out);
    memset(c->set, 0, c->n_set);
    add_reporters(c, figs, n, first, last);
    int64_t reported, extra;
    count_set(c, months, &reported, &extra);
    out->reported = reported;
    out->expected = expected_in(c, months) + extra;
    rollup_result r;
    rollup_compute(c->ind, first, last, figs, n, &r);
    copy_result(&r, out);
    out->carried = (int64_t)r.carried;
    return 0;
}
