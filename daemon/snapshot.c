/* snapshot.c: from stored figures to indicator snapshots, and keeping them current. */
#include "snapshot.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup.h"

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

/* The distinct metrics of an indicator. */
static size_t indicator_metrics(const indicator *ind, const metric **out)
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

static bool counts(const indicator *ind, const rollup_fig *f, int first, int last)
{
    return f->month >= first && f->month <= last &&
           (indicator_part_counts(&ind->num, f->m, f->kind) ||
            (ind->type == IND_RATIO && indicator_part_counts(&ind->den, f->m, f->kind)));
}

typedef struct {
    rollup_fig *figs;
    size_t n;
    store_obs *rows;  /* scratch */
    size_t n_rows, cap_rows;
    char *areas_json;
    int first, last;  /* month numbers */
} gathered;

static void gathered_free(gathered *g)
{
    free(g->figs);
    free(g->rows);
    free(g->areas_json);
    memset(g, 0, sizeof *g);
}

/* The figures of ind's metrics for p in at and below, as roll-up input. Figures of
 * organisations no longer in the partners file are left out: their kind is unknown. */
static int gather(store *db, const registry *reg, const indicator *ind, const period *p,
                  int at, gathered *g)
{
    const partners *parts = &reg->parts;
    const metric *ms[2 * INDICATOR_MAX_METRICS];
    size_t n_ms = indicator_metrics(ind, ms);
    char first[PERIOD_TEXT_MAX], last[PERIOD_TEXT_MAX];
    memset(g, 0, sizeof *g);
    g->first = period_first_month(p);
    g->last = period_last_month(p);
    period pf = period_month_from_number(g->first), pl = period_month_from_number(g->last);
    if (period_format(&pf, first, sizeof first) != 0 || period_format(&pl, last, sizeof last) != 0 ||
        !(g->areas_json = subtree_json(parts, at)))
        return -1;
    size_t cap = 0;
    for (size_t k = 0; k < n_ms; k++) {
        g->n_rows = 0;
        if (store_observations(db, ms[k]->code, first, last, g->areas_json, &g->rows, &g->n_rows,
                               &g->cap_rows) < 0)
            return -1;
        if (g->n_rows && g->n + g->n_rows > cap) {
            size_t want = (g->n + g->n_rows) * 2;
            rollup_fig *more = realloc(g->figs, want * sizeof *more);
            if (!more)
                return -1;
            g->figs = more;
            cap = want;
        }
        for (size_t i = 0; i < g->n_rows; i++) {
            const store_obs *o = &g->rows[i];
            const organisation *org = partners_org(parts, o->reporter);
            int a = partners_area(parts, o->area);
            period month;
            if (!org || a < 0 || period_parse(o->period, &month) != 0)
                continue;
            g->figs[g->n++] = (rollup_fig){(int)(org - parts->orgs), org->kind, a,
                                           period_first_month(&month), ms[k], o->value};
        }
    }
    return 0;
}

int snapshot_compute(store *db, const registry *reg, const indicator *ind, const period *p,
                     int at, stored_snapshot *out)
{
    const partners *parts = &reg->parts;
    gathered g;
    memset(out, 0, sizeof *out);
    bool *expected = calloc(parts->n_orgs ? parts->n_orgs : 1, sizeof *expected);
    bool *reported = calloc(parts->n_orgs ? parts->n_orgs : 1, sizeof *reported);
    int rc = -1;
    if (!expected || !reported || gather(db, reg, ind, p, at, &g) < 0)
        goto out;
    for (size_t i = 0; i < g.n; i++)
        if (counts(ind, &g.figs[i], g.first, g.last))
            reported[g.figs[i].reporter] = expected[g.figs[i].reporter] = true;
    /* Expected: active organisations of a counted kind based in the at, and those that
     * have ever reported these metrics for it (a GGD reporting per wijk). */
    unsigned kinds = indicator_kinds(ind);
    for (size_t i = 0; i < parts->n_orgs; i++) {
        const organisation *o = &parts->orgs[i];
        if (o->active && ((kinds >> o->kind) & 1u) && partners_within(parts, o->home, at))
            expected[i] = true;
    }
    const metric *ms[2 * INDICATOR_MAX_METRICS];
    size_t n_ms = indicator_metrics(ind, ms);
    for (size_t k = 0; k < n_ms; k++) {
        g.n_rows = 0;
        if (store_coverage(db, ms[k]->code, g.areas_json, &g.rows, &g.n_rows, &g.cap_rows) < 0)
            goto out;
        for (size_t i = 0; i < g.n_rows; i++) {
            const organisation *o = partners_org(parts, g.rows[i].reporter);
            if (o && o->active && ((kinds >> o->kind) & 1u))
                expected[o - parts->orgs] = true;
        }
    }
    for (size_t i = 0; i < parts->n_orgs; i++) {
        out->expected += expected[i];
        out->reported += reported[i];
    }
    rollup_result r;
    rollup_compute(ind, g.first, g.last, g.figs, g.n, &r);
    out->has_value = r.has_value;
    out->value = r.value;
    out->has_num = r.has_num;
    out->numerator = r.numerator;
    out->has_den = r.has_den;
    out->denominator = r.denominator;
    snprintf(out->reason, sizeof out->reason, "%s", r.reason);
    rc = 0;
out:
    gathered_free(&g);
    free(expected);
    free(reported);
    return rc;
}

int snapshot_by_reporter(store *db, const registry *reg, const indicator *ind, const period *p,
                         int at, snapshot_part **rows, size_t *n)
{
    gathered g;
    *rows = NULL;
    *n = 0;
    if (gather(db, reg, ind, p, at, &g) < 0) {
        gathered_free(&g);
        return -1;
    }
    /* rollup_compute sorts by reporter first: each reporter's figures are one run. */
    rollup_result all;
    rollup_compute(ind, g.first, g.last, g.figs, g.n, &all);
    snapshot_part *out = calloc(g.n ? g.n : 1, sizeof *out);
    if (!out) {
        gathered_free(&g);
        return -1;
    }
    for (size_t i = 0; i < g.n;) {
        size_t j = i;
        while (j < g.n && g.figs[j].reporter == g.figs[i].reporter)
            j++;
        bool any = false;
        for (size_t k = i; k < j && !any; k++)
            any = counts(ind, &g.figs[k], g.first, g.last);
        if (any) {
            rollup_result r;
            rollup_compute(ind, g.first, g.last, g.figs + i, j - i, &r);
            out[*n] = (snapshot_part){g.figs[i].reporter, r.has_value, r.has_num, r.has_den,
                                      r.value, r.numerator, r.denominator};
            (*n)++;
        }
        i = j;
    }
    *rows = out;
    gathered_free(&g);
    return 0;
}

/* ---- keeping snapshots current ------------------------------------------- */

typedef struct {
    const indicator *ind;
    period p;
    int at;
} snap_key;

static int key_cmp(const void *a, const void *b)
{
    const snap_key *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    if (x->p.kind != y->p.kind)
        return x->p.kind < y->p.kind ? -1 : 1;
    return period_compare(&x->p, &y->p);
}

/* The month, its quarter, year and school year. */
static size_t containing_periods(const period *month, period out[4])
{
    static const period_kind kinds[] = {PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR,
                                        PERIOD_SCHOOLYEAR};
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        if (period_containing(month, kinds[i], &out[n]) == 0)
            n++;
    return n;
}

static bool same_result(const stored_snapshot *a, const stored_snapshot *b)
{
    return a->has_value == b->has_value && (!a->has_value || a->value == b->value) &&
           a->has_num == b->has_num && (!a->has_num || a->numerator == b->numerator) &&
           a->has_den == b->has_den && (!a->has_den || a->denominator == b->denominator) &&
           a->expected == b->expected && a->reported == b->reported &&
           strcmp(a->reason, b->reason) == 0;
}

/* Expand marks into the snapshot keys they affect, sorted and without repeats. */
static snap_key *expand(const registry *reg, const store_dirty_mark *marks, size_t n_marks,
                        size_t *n_keys)
{
    const partners *parts = &reg->parts;
    const catalog *cat = &reg->cat;
    size_t cap = 64, n = 0;
    snap_key *keys = malloc(cap * sizeof *keys);
    if (!keys)
        return NULL;
    for (size_t i = 0; i < n_marks; i++) {
        const metric *m = catalog_metric(cat, marks[i].metric);
        int at = partners_area(parts, marks[i].area);
        period month, ps[4];
        if (!m || at < 0 || period_parse(marks[i].period, &month) != 0)
            continue; /* no longer in the catalogue or partners file: nothing depends on it */
        size_t n_p = containing_periods(&month, ps);
        for (size_t k = 0; k < cat->n_indicators; k++) {
            if (!indicator_uses(&cat->indicators[k], m))
                continue;
            for (int a = at; a >= 0; a = parts->areas[a].parent)
                for (size_t j = 0; j < n_p; j++) {
                    if (n == cap) {
                        snap_key *more = realloc(keys, 2 * cap * sizeof *more);
                        if (!more) {
                            free(keys);
                            return NULL;
                        }
                        keys = more;
                        cap *= 2;
                    }
                    keys[n++] = (snap_key){&cat->indicators[k], ps[j], a};
                }
        }
    }
    if (n)
        qsort(keys, n, sizeof *keys, key_cmp);
    size_t out = 0;
    for (size_t i = 0; i < n; i++)
        if (out == 0 || key_cmp(&keys[out - 1], &keys[i]) != 0)
            keys[out++] = keys[i];
    *n_keys = out;
    return keys;
}

void snapshot_changes_free(snapshot_changes *c)
{
    free(c->items);
    free(c->seen);
    memset(c, 0, sizeof *c);
}

/* Each pair once: a bit per (indicator, area), allocated on first use. */
static int note_touched(snapshot_changes *c, const registry *reg, const snap_key *k)
{
    size_t bits = reg->cat.n_indicators * reg->parts.n_areas;
    size_t bit = (size_t)(k->ind - reg->cat.indicators) * reg->parts.n_areas + (size_t)k->at;
    if (!c->seen && !(c->seen = calloc((bits + 7) / 8, 1)))
        return -1;
    if (c->seen[bit / 8] & (1u << (bit % 8)))
        return 0;
    c->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
    if (c->n == c->cap) {
        size_t want = c->cap ? c->cap * 2 : 32;
        snapshot_touched *more = realloc(c->items, want * sizeof *more);
        if (!more)
            return -1;
        c->items = more;
        c->cap = want;
    }
    c->items[c->n++] = (snapshot_touched){k->ind, k->at};
    return 0;
}

/* One key: compute, compare with the newest stored version, store a new one if changed. */
static int refresh_one(store *db, const registry *reg, const snap_key *k, time_t now,
                       size_t *changed, snapshot_changes *touched)
{
    char ptext[PERIOD_TEXT_MAX];
    const char *acode = reg->parts.areas[k->at].code;
    stored_snapshot fresh, old;
    if (period_format(&k->p, ptext, sizeof ptext) != 0 ||
        snapshot_compute(db, reg, k->ind, &k->p, k->at, &fresh) < 0)
        return -1;
    int found = store_snapshot_get(db, k->ind->code, ptext, acode, INT64_MAX, &old);
    if (found < 0)
        return -1;
    if (found && same_result(&old, &fresh))
        return 0;
    fresh.version = found ? old.version + 1 : 1;
    fresh.computed_at = (int64_t)now;
    if (store_snapshot_put(db, k->ind->code, ptext, acode, &fresh) < 0 ||
        (touched && note_touched(touched, reg, k) < 0))
        return -1;
    (*changed)++;
    return 0;
}

#define MARKS_PER_ROUND 2048

int snapshot_refresh(store *db, const registry *reg, time_t now, size_t *changed,
                     snapshot_changes *touched)
{
    return snapshot_refresh_ticking(db, reg, now, changed, touched, NULL, NULL);
}

int snapshot_refresh_ticking(store *db, const registry *reg, time_t now, size_t *changed,
                             snapshot_changes *touched, void (*tick)(void *), void *tick_ctx)
{
    store_dirty_mark *marks = malloc(MARKS_PER_ROUND * sizeof *marks);
    *changed = 0;
    if (!marks)
        return -1;
    int rc = 0;
    for (;;) {
        int n = store_dirty_take(db, marks, MARKS_PER_ROUND);
        if (n <= 0) {
            rc = n;
            break;
        }
        size_t n_keys = 0;
        snap_key *keys = expand(reg, marks, (size_t)n, &n_keys);
        bool ok = keys && store_begin(db) == 0;
        for (size_t i = 0; ok && i < n_keys; i++)
            ok = refresh_one(db, reg, &keys[i], now, changed, touched) == 0;
        ok = ok && store_dirty_clear(db, marks, (size_t)n) == 0 && store_commit(db) == 0;
        free(keys);
        if (!ok) {
            store_rollback(db);
            rc = -1;
            break;
        }
        if (tick)
            tick(tick_ctx);
    }
    free(marks);
    return rc;
}

int snapshot_current(store *db, const registry *reg, const indicator *ind, const period *p,
                     int at, bool has_as_of, int64_t as_of, stored_snapshot *out)
{
    char ptext[PERIOD_TEXT_MAX];
    if (period_format(p, ptext, sizeof ptext) != 0)
        return -1;
    int found = store_snapshot_get(db, ind->code, ptext, reg->parts.areas[at].code,
                                   has_as_of ? as_of : INT64_MAX, out);
    if (found != 0)
        return found < 0 ? -1 : 0;
    if (has_as_of) {
        memset(out, 0, sizeof *out);
        snprintf(out->reason, sizeof out->reason, "no figure had been computed by then");
        return 0;
    }
    return snapshot_compute(db, reg, ind, p, at, out);
}

bool snapshot_baseline_figure(store *db, const registry *reg, const target *t, int at,
                              double *out)
{
    if (!t->has_baseline || t->has_baseline_value)
        return false;
    int base_area = t->area[0] ? partners_area(&reg->parts, t->area) : at;
    stored_snapshot s;
    if (base_area < 0 ||
        snapshot_current(db, reg, t->ind, &t->baseline_period, base_area, false, 0, &s) < 0 ||
        !s.has_value)
        return false;
    *out = s.value;
    return true;
}

/* ---- targets ------------------------------------------------------------- */

const target *snapshot_target(const registry *reg, const indicator *ind, int at)
{
    const catalog *cat = &reg->cat;
    const partners *parts = &reg->parts;
    const target *general = NULL;
    for (size_t i = 0; i < cat->n_targets; i++) {
        const target *t = &cat->targets[i];
        if (t->ind != ind)
            continue;
        if (t->area[0]) {
            if (partners_area(parts, t->area) == at)
                return t;
            continue;
        }
        /* A count belongs to the whole gemeente; a ratio or mean holds for every area. */
        bool top = parts->areas[at].parent < 0 ||
                   strcmp(parts->areas[at].level, "gemeente") == 0;
        if (!general && (ind->type != IND_SUM || top))
            general = t;
    }
    return general;
}

bool snapshot_path(const target *t, const period *p, bool has_baseline_figure,
                   double baseline_figure, double *out)
{
    int x = period_last_month(p), x1 = period_last_month(&t->goal_period);
    if (x >= x1) {
        *out = t->goal_value;
        return true;
    }
    if (!t->has_baseline)
        return false;
    double base = t->has_baseline_value ? t->baseline_value : baseline_figure;
    if (!t->has_baseline_value && !has_baseline_figure)
        return false;
    int x0 = period_last_month(&t->baseline_period);
    if (x < x0)
        return false;
    *out = base + (t->goal_value - base) * (double)(x - x0) / (double)(x1 - x0);
    return isfinite(*out);
}
