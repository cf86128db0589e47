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

/* Finishing from the children stops paying when many organisations report for several
 * areas: their figures are read one organisation at a time. */
#define MULTI_MAX 32

int snapcalc_init(snapcalc *c, const registry *reg)
{
    memset(c, 0, sizeof *c);
    c->reg = reg;
    c->n_orgs = reg->parts.n_orgs;
    size_t n = c->n_orgs ? c->n_orgs : 1, n_areas = reg->parts.n_areas ? reg->parts.n_areas : 1;
    c->expect = calloc(n, sizeof *c->expect);
    c->due = calloc(n, sizeof *c->due);
    c->stamp = calloc(n, sizeof *c->stamp);
    c->multi = calloc(n, sizeof *c->multi);
    c->first_area = calloc(n, sizeof *c->first_area);
    c->multi_orgs = calloc(n, sizeof *c->multi_orgs);
    c->kid_of = calloc(n_areas, sizeof *c->kid_of);
    if (!c->expect || !c->due || !c->stamp || !c->multi || !c->first_area || !c->multi_orgs || !c->kid_of) {
        snapcalc_free(c);
        return -1;
    }
    return 0;
}

void snapcalc_free(snapcalc *c)
{
    free(c->areas_json);
    free(c->self_json);
    free(c->figs);
    free(c->sel);
    free(c->mfigs);
    free(c->pairs);
    free(c->rows);
    free(c->expect);
    free(c->due);
    free(c->stamp);
    free(c->multi);
    free(c->first_area);
    free(c->multi_orgs);
    free(c->kid_of);
    memset(c, 0, sizeof *c);
}

static void mark_multi(snapcalc *c, size_t org)
{
    if (!c->multi[org]) {
        c->multi[org] = 1;
        c->multi_orgs[c->n_multi++] = (int)org;
    }
}

/* Which child of at holds each area. */
static void map_children(snapcalc *c)
{
    const partners *parts = &c->reg->parts;
    for (size_t i = 0; i < parts->n_areas; i++) {
        int a = (int)i, below = -2;
        if (a == c->at) {
            c->kid_of[i] = -1;
            continue;
        }
        while (a >= 0 && a != c->at) {
            below = a;
            a = parts->areas[a].parent;
        }
        c->kid_of[i] = a == c->at ? below : -2;
    }
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
    c->n_figs = c->n_mfigs = c->n_multi = 0;
    c->by_children = false;
    c->n_ms = snapcalc_metrics(ind, c->ms);
    c->carry = 0;
    for (size_t k = 0; k < c->n_ms; k++)
        c->carry = c->ms[k]->carry > c->carry ? c->ms[k]->carry : c->carry;
    if (!(c->areas_json = subtree_json(parts, at)))
        return -1;
    memset(c->expect, 0, c->n_orgs * sizeof *c->expect);
    memset(c->multi, 0, c->n_orgs * sizeof *c->multi);
    for (size_t i = 0; i < c->n_orgs; i++)
        c->first_area[i] = -1;
    c->n_expect = 0;
    if (!with_expected)
        return 0;
    unsigned kinds = indicator_kinds(ind);
    for (size_t i = 0; i < c->n_orgs; i++) {
        const organisation *o = &parts->orgs[i];
        if (o->active && ((kinds >> o->kind) & 1u) && partners_within(parts, o->home, at))
            c->expect[i] = 1;
    }
    /* Those that have ever reported these metrics for it (a GGD reporting per wijk); and
     * who of them reports for more than one area here, or is counted but not expected. */
    for (size_t k = 0; k < c->n_ms; k++) {
        c->n_rows = 0;
        if (store_coverage(db, c->ms[k]->code, c->areas_json, &c->rows, &c->n_rows,
                           &c->cap_rows) < 0)
            return -1;
        for (size_t i = 0; i < c->n_rows; i++) {
            const organisation *o = partners_org(parts, c->rows[i].reporter);
            int a = partners_area(parts, c->rows[i].area);
            if (!o || a < 0)
                continue;
            size_t org = (size_t)(o - parts->orgs);
            if (o->active && ((kinds >> o->kind) & 1u))
                c->expect[org] = 1;
            if (!o->active || (c->first_area[org] >= 0 && c->first_area[org] != a))
                mark_multi(c, org);
            c->first_area[org] = a;
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
    /* Children's counts add up only when every expected one owes every month: with a
     * cadence, who reported outside their months is read from the figures instead. */
    if (from_children && kids && c->n_multi <= MULTI_MAX && c->all_due) {
        size_t size = strlen(parts->areas[at].code) + 5;
        if (!(c->self_json = malloc(size)))
            return -1;
        snprintf(c->self_json, size, "[\"%s\"]", parts->areas[at].code);
        map_children(c);
        c->by_children = true;
    }
    return 0;
}

/* Append the rows just read (of metric m) as figures; with subtree, only those within at.
 * Figures of organisations no longer in the partners file are left out: their kind is
 * unknown. */
static int append_rows(snapcalc *c, const metric *m, bool subtree, rollup_fig **figs,
                       size_t *n, size_t *cap)
{
    const partners *parts = &c->reg->parts;
    if (GROW(*figs, *cap, *n + c->n_rows) != 0)
        return -1;
    for (size_t i = 0; i < c->n_rows; i++) {
        const store_obs *o = &c->rows[i];
        const organisation *org = partners_org(parts, o->reporter);
        int a = partners_area(parts, o->area);
        period month;
        if (!org || a < 0 || (subtree && c->kid_of[a] == -2) ||
            period_parse(o->period, &month) != 0)
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
    c->n_figs = c->n_mfigs = 0;
    if (period_format(&pf, from, sizeof from) != 0 || period_format(&pl, to, sizeof to) != 0)
        return -1;
    /* All of the subtree's figures; or, from the children, at's own ... */
    const char *where = c->by_children ? c->self_json : c->areas_json;
    for (size_t k = 0; k < c->n_ms; k++) {
        c->n_rows = 0;
        if (store_observations(db, c->ms[k]->code, from, to, where, &c->rows, &c->n_rows,
                               &c->cap_rows) < 0 ||
            append_rows(c, c->ms[k], false, &c->figs, &c->n_figs, &c->cap_figs) < 0)
            return -1;
    }
    /* ... and those of the organisations to count once. */
    for (size_t i = 0; c->by_children && i < c->n_multi; i++)
        for (size_t k = 0; k < c->n_ms; k++) {
            c->n_rows = 0;
            if (store_observations_of(db, c->reg->parts.orgs[c->multi_orgs[i]].id,
                                      c->ms[k]->code, from, to, &c->rows, &c->n_rows,
                                      &c->cap_rows) < 0 ||
                append_rows(c, c->ms[k], true, &c->mfigs, &c->n_mfigs, &c->cap_mfigs) < 0)
                return -1;
        }
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
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

/* From the children's stored snapshots, at's own figures (sel, n) and the multi
 * organisations' figures. */
static int from_children(snapcalc *c, store *db, const period *p, rollup_fig *sel, size_t n,
                         stored_snapshot *out)
{
    const partners *parts = &c->reg->parts;
    int first = period_first_month(p), last = period_last_month(p);
    unsigned months = months_of(first, last);
    char ptext[PERIOD_TEXT_MAX];
    if (period_format(p, ptext, sizeof ptext) != 0)
        return -1;
    /* at's own reporters, but the multi ones, once each */
    int64_t reported = 0, extra = 0;
    for (size_t i = 0; i < n; i++) {
        const rollup_fig *f = &sel[i];
        if (f->month < first || f->month > last || c->multi[f->reporter] ||
            !snapcalc_counts(c->ind, f) || c->stamp[f->reporter] == c->serial)
            continue;
        c->stamp[f->reporter] = c->serial;
        reported++;
    }
    rollup_result own;
    rollup_compute(c->ind, first, last, sel, n, &own);
    int64_t carried = (int64_t)own.carried;
    bool has_num = own.has_num, has_den = own.has_den;
    double num = own.numerator, den = own.denominator;
    for (size_t i = 0; i < parts->n_areas; i++) {
        if (parts->areas[i].parent != c->at)
            continue;
        stored_snapshot kid;
        int found = c->fresh ? c->fresh(c->fresh_ctx, c->ind, p, (int)i, &kid) : 0;
        if (!found)
            found = store_snapshot_get(db, c->ind->code, ptext, parts->areas[i].code,
                                       INT64_MAX, &kid);
        if (found < 0)
            return -1;
        if (!found)
            continue; /* no figure ever touched it */
        if (kid.has_num)
            num += kid.numerator;
        if (kid.has_den)
            den += kid.denominator;
        has_num |= kid.has_num;
        has_den |= kid.has_den;
        reported += kid.reported;
        carried += kid.carried;
    }
    /* The multi ones: once here, and out of each child's count they are in. */
    if (c->n_mfigs > c->cap_pairs) {
        long long *more = realloc(c->pairs, c->n_mfigs * sizeof *more);
        if (!more)
            return -1;
        c->pairs = more;
        c->cap_pairs = c->n_mfigs;
    }
    size_t n_pairs = 0;
    for (size_t i = 0; i < c->n_mfigs; i++) {
        const rollup_fig *f = &c->mfigs[i];
        if (f->month < first || f->month > last || !snapcalc_counts(c->ind, f))
            continue;
        if (c->stamp[f->reporter] != c->serial) {
            c->stamp[f->reporter] = c->serial;
            reported++;
            extra += !owes(c, (size_t)f->reporter, months);
        }
        int kid = c->kid_of[f->area];
        if (kid >= 0)
            c->pairs[n_pairs++] = (long long)kid * (long long)c->n_orgs + f->reporter;
    }
    if (n_pairs)
        qsort(c->pairs, n_pairs, sizeof *c->pairs, cmp_pair);
    for (size_t i = 0; i < n_pairs; i++)
        reported -= i == 0 || c->pairs[i] != c->pairs[i - 1];
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
    if (++c->serial == 0) {
        memset(c->stamp, 0, c->n_orgs * sizeof *c->stamp);
        c->serial = 1;
    }
    if (c->by_children)
        return from_children(c, db, p, figs, n, out);
    int64_t reported = 0, extra = 0;
    for (size_t i = 0; i < n; i++) {
        const rollup_fig *f = &figs[i];
        if (f->month < first || f->month > last || !snapcalc_counts(c->ind, f) ||
            c->stamp[f->reporter] == c->serial)
            continue;
        c->stamp[f->reporter] = c->serial;
        reported++;
        extra += !owes(c, (size_t)f->reporter, months);
    }
    out->reported = reported;
    out->expected = expected_in(c, months) + extra;
    rollup_result r;
    rollup_compute(c->ind, first, last, figs, n, &r);
    copy_result(&r, out);
    out->carried = (int64_t)r.carried;
    return 0;
}
