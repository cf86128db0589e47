/* snapshot_calc.c: from stored figures to one snapshot, with the reads shared between the
 * periods of one indicator and area. */
#include "snapshot_calc.h"

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

int snapcalc_init(snapcalc *c, const registry *reg)
{
    memset(c, 0, sizeof *c);
    c->reg = reg;
    c->n_orgs = reg->parts.n_orgs;
    size_t n = c->n_orgs ? c->n_orgs : 1;
    c->expect = calloc(n, sizeof *c->expect);
    c->stamp = calloc(n, sizeof *c->stamp);
    if (!c->expect || !c->stamp) {
        snapcalc_free(c);
        return -1;
    }
    return 0;
}

void snapcalc_free(snapcalc *c)
{
    free(c->areas_json);
    free(c->figs);
    free(c->sel);
    free(c->rows);
    free(c->expect);
    free(c->stamp);
    memset(c, 0, sizeof *c);
}

int snapcalc_subject(snapcalc *c, store *db, const indicator *ind, int at, bool with_expected)
{
    const partners *parts = &c->reg->parts;
    free(c->areas_json);
    c->ind = ind;
    c->at = at;
    c->n_figs = 0;
    c->n_ms = snapcalc_metrics(ind, c->ms);
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
    /* Those that have ever reported these metrics for it (a GGD reporting per wijk). */
    for (size_t k = 0; k < c->n_ms; k++) {
        c->n_rows = 0;
        if (store_coverage(db, c->ms[k]->code, c->areas_json, &c->rows, &c->n_rows,
                           &c->cap_rows) < 0)
            return -1;
        for (size_t i = 0; i < c->n_rows; i++) {
            const organisation *o = partners_org(parts, c->rows[i].reporter);
            if (o && o->active && ((kinds >> o->kind) & 1u))
                c->expect[o - parts->orgs] = 1;
        }
    }
    for (size_t i = 0; i < c->n_orgs; i++)
        c->n_expect += c->expect[i];
    return 0;
}

static int grow_figs(rollup_fig **figs, size_t *cap, size_t want)
{
    if (want <= *cap)
        return 0;
    size_t size = *cap ? *cap : 256;
    while (size < want)
        size *= 2;
    rollup_fig *more = realloc(*figs, size * sizeof *more);
    if (!more)
        return -1;
    *figs = more;
    *cap = size;
    return 0;
}

/* Figures of organisations no longer in the partners file are left out: their kind is
 * unknown. */
int snapcalc_gather(snapcalc *c, store *db, int first, int last)
{
    const partners *parts = &c->reg->parts;
    char from[PERIOD_TEXT_MAX], to[PERIOD_TEXT_MAX];
    period pf = period_month_from_number(first), pl = period_month_from_number(last);
    c->n_figs = 0;
    c->first = first;
    c->last = last;
    if (period_format(&pf, from, sizeof from) != 0 || period_format(&pl, to, sizeof to) != 0)
        return -1;
    for (size_t k = 0; k < c->n_ms; k++) {
        c->n_rows = 0;
        if (store_observations(db, c->ms[k]->code, from, to, c->areas_json, &c->rows,
                               &c->n_rows, &c->cap_rows) < 0 ||
            grow_figs(&c->figs, &c->cap_figs, c->n_figs + c->n_rows) < 0)
            return -1;
        for (size_t i = 0; i < c->n_rows; i++) {
            const store_obs *o = &c->rows[i];
            const organisation *org = partners_org(parts, o->reporter);
            int a = partners_area(parts, o->area);
            period month;
            if (!org || a < 0 || period_parse(o->period, &month) != 0)
                continue;
            c->figs[c->n_figs++] = (rollup_fig){(int)(org - parts->orgs), org->kind, a,
                                                period_first_month(&month), c->ms[k], o->value};
        }
    }
    return 0;
}

void snapcalc_compute(snapcalc *c, int first, int last, stored_snapshot *out)
{
    memset(out, 0, sizeof *out);
    /* One period's figures, copied: rollup_compute sorts what it is given. The gathered
     * range was allocated at full size, so sel can be too; on failure compute in place. */
    rollup_fig *figs = c->figs;
    size_t n = c->n_figs;
    if (grow_figs(&c->sel, &c->cap_sel, c->n_figs ? c->n_figs : 1) == 0) {
        n = 0;
        for (size_t i = 0; i < c->n_figs; i++)
            if (c->figs[i].month >= first && c->figs[i].month <= last)
                c->sel[n++] = c->figs[i];
        figs = c->sel;
    }
    if (++c->serial == 0) {
        memset(c->stamp, 0, c->n_orgs * sizeof *c->stamp);
        c->serial = 1;
    }
    int64_t reported = 0, extra = 0;
    for (size_t i = 0; i < n; i++) {
        const rollup_fig *f = &figs[i];
        if (f->month < first || f->month > last || !snapcalc_counts(c->ind, f) ||
            c->stamp[f->reporter] == c->serial)
            continue;
        c->stamp[f->reporter] = c->serial;
        reported++;
        extra += !c->expect[f->reporter];
    }
    out->reported = reported;
    out->expected = (int64_t)c->n_expect + extra;
    rollup_result r;
    rollup_compute(c->ind, first, last, figs, n, &r);
    out->has_value = r.has_value;
    out->value = r.value;
    out->has_num = r.has_num;
    out->numerator = r.numerator;
    out->has_den = r.has_den;
    out->denominator = r.denominator;
    snprintf(out->reason, sizeof out->reason, "%s", r.reason);
}
