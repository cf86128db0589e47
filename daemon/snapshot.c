/* snapshot.c: from stored figures to indicator snapshots, and keeping them current. */
#include "snapshot.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup.h"
#include "snapshot_calc.h"
#include "grow.h"

int snapshot_compute(store *db, const registry *reg, const indicator *ind, const period *p,
                     int at, stored_snapshot *out)
{
    snapcalc c;
    int first = period_first_month(p), last = period_last_month(p), rc = -1;
    memset(out, 0, sizeof *out);
    if (snapcalc_init(&c, reg) < 0)
        return -1;
    /* From the figures themselves: this is also the reference the refresh is tested by. */
    if (snapcalc_subject(&c, db, ind, at, true, false) == 0 &&
        snapcalc_gather(&c, db, first, last) == 0)
        rc = snapcalc_compute(&c, db, p, out);
    snapcalc_free(&c);
    return rc;
}

int snapshot_by_reporter(store *db, const registry *reg, const indicator *ind, const period *p,
                         int at, snapshot_part **rows, size_t *n)
{
    snapcalc c;
    int first = period_first_month(p), last = period_last_month(p);
    *rows = NULL;
    *n = 0;
    if (snapcalc_init(&c, reg) < 0)
        return -1;
    if (snapcalc_subject(&c, db, ind, at, false, false) < 0 ||
        snapcalc_gather(&c, db, first, last) < 0) {
        snapcalc_free(&c);
        return -1;
    }
    /* rollup_compute sorts by reporter first: each reporter's figures are one run. */
    rollup_result all;
    rollup_compute(ind, first, last, c.figs, c.n_figs, &all);
    snapshot_part *out = calloc(c.n_figs ? c.n_figs : 1, sizeof *out);
    if (!out) {
        snapcalc_free(&c);
        return -1;
    }
    const rollup_fig *figs = c.figs;
    for (size_t i = 0; i < c.n_figs;) {
        size_t j = i;
        while (j < c.n_figs && figs[j].reporter == figs[i].reporter)
            j++;
        /* Its own figures of the months, or one carried in from before them. */
        rollup_result r;
        rollup_compute(ind, first, last, c.figs + i, j - i, &r);
        if (r.has_num || r.has_den) {
            out[*n] = (snapshot_part){figs[i].reporter, r.has_value, r.has_num, r.has_den,
                                      r.value, r.numerator, r.denominator};
            (*n)++;
        }
        i = j;
    }
    *rows = out;
    snapcalc_free(&c);
    return 0;
}

/* ---- keeping snapshots current ------------------------------------------- */

typedef struct {
    const indicator *ind;
    period p;
    int at;
    int first, last; /* p's months */
} snap_key;

/* By subject, then by months: the periods of one subject whose months overlap are
 * neighbours, and share one read of the figures. Areas from last to first in the partners
 * file, which lists parents before children: children are refreshed before the areas
 * above them are finished from them. */
static int key_cmp(const void *a, const void *b)
{
    const snap_key *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->at != y->at)
        return x->at > y->at ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if (x->last != y->last)
        return x->last < y->last ? -1 : 1;
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

/* Equal but for the last bits, which a sum in another order (from the figures, from the
 * children) can change. */
static bool same_number(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1.0, fabs(b));
}

static bool same_result(const stored_snapshot *a, const stored_snapshot *b)
{
    return a->has_value == b->has_value && (!a->has_value || same_number(a->value, b->value)) &&
           a->has_num == b->has_num && (!a->has_num || same_number(a->numerator, b->numerator)) &&
           a->has_den == b->has_den && (!a->has_den || same_number(a->denominator, b->denominator)) &&
           a->expected == b->expected && a->reported == b->reported &&
           a->carried == b->carried &&
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
        /* The month itself, and the months a carry takes its figure into. */
        for (int later = 0; later <= m->carry; later++) {
            period mp = period_month_from_number(period_first_month(&month) + later);
            size_t n_p = containing_periods(&mp, ps);
            for (size_t k = 0; k < cat->n_indicators; k++) {
                if (!indicator_uses(&cat->indicators[k], m))
                    continue;
                for (int a = at; a >= 0; a = parts->areas[a].parent)
                    for (size_t j = 0; j < n_p; j++) {
                        if (GROW(keys, cap, n + 1) != 0) {
                            free(keys);
                            return NULL;
                        }
                        keys[n++] = (snap_key){&cat->indicators[k], ps[j], a,
                                               period_first_month(&ps[j]),
                                               period_last_month(&ps[j])};
                    }
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

static size_t touched_bit(const registry *reg, const indicator *ind, int at)
{
    return (size_t)(ind - reg->cat.indicators) * reg->parts.n_areas + (size_t)at;
}

void snapshot_changes_drop(snapshot_changes *c, const registry *reg, size_t n)
{
    if (n > c->n)
        n = c->n;
    if (!n)
        return;
    for (size_t i = 0; i < n && c->seen; i++) {
        size_t bit = touched_bit(reg, c->items[i].ind, c->items[i].at);
        c->seen[bit / 8] &= (unsigned char)~(1u << (bit % 8));
    }
    memmove(c->items, c->items + n, (c->n - n) * sizeof *c->items);
    c->n -= n;
}

/* Each pair once: a bit per (indicator, area), allocated on first use. */
static int note_touched(snapshot_changes *c, const registry *reg, const snap_key *k)
{
    size_t bits = reg->cat.n_indicators * reg->parts.n_areas;
    size_t bit = touched_bit(reg, k->ind, k->at);
    if (!c->seen && !(c->seen = calloc((bits + 7) / 8, 1)))
        return -1;
    if (c->seen[bit / 8] & (1u << (bit % 8)))
        return 0;
    c->seen[bit / 8] |= (unsigned char)(1u << (bit % 8));
    if (GROW(c->items, c->cap, c->n + 1) != 0)
        return -1;
    c->items[c->n++] = (snapshot_touched){k->ind, k->at};
    return 0;
}

/* ---- a refresh round ------------------------------------------------------
 *
 * A round computes in a read transaction, which takes no lock: submissions are committed
 * meanwhile. The new versions wait in memory (where the areas above them find them) and
 * are stored in short write transactions, with the marks they answer. A mark set again by
 * a commit during the round has a higher gen and stays, so its snapshots are computed
 * again in a later round: nothing acknowledged is missed. */

/* New versions stored per write transaction: the lock is held for about a millisecond. */
#define VERSIONS_PER_WRITE 256

typedef struct {
    snap_key key;
    stored_snapshot snap; /* its version set */
    bool new_version;     /* else only its reporters changed */
    bool new_reporters;   /* its reporters, for the area above, changed */
} fresh_version;

typedef struct {
    store *db;
    const registry *reg;
    time_t now;
    size_t *changed;
    snapshot_changes *touched;
    bool reading;         /* the read transaction is open */
    fresh_version *items; /* computed, not yet stored */
    size_t n, cap;
    unsigned char *sets;  /* their reporters: n_set bytes each, cap_sets of them */
    size_t n_set, cap_sets;
    unsigned char *old;   /* scratch: a stored set, n_set bytes */
    mark_memo *memo;      /* forgets the marks when they are cleared (NULL: none) */
    int *slots;           /* index into items by key; -1: empty; n_slots a power of 2 */
    size_t n_slots;
    const snapshot_yield *yield;
} refresh_round;

static size_t key_hash(const snap_key *k, size_t n_slots)
{
    uint64_t h = (uint64_t)(uintptr_t)k->ind;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)k->at;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)k->p.kind;
    h = h * 0x9e3779b97f4a7c15u + (uint64_t)(unsigned)k->first;
    h ^= h >> 29;
    return (size_t)(h & (n_slots - 1));
}

static void slot_put(refresh_round *r, size_t item)
{
    size_t i = key_hash(&r->items[item].key, r->n_slots);
    while (r->slots[i] >= 0)
        i = (i + 1) & (r->n_slots - 1);
    r->slots[i] = (int)item;
}

static int fresh_add(refresh_round *r, const snap_key *k, const stored_snapshot *snap,
                     const unsigned char *set, bool new_version, bool new_reporters)
{
    if (GROW(r->items, r->cap, r->n + 1) != 0)
        return -1;
    if (r->n_set && r->cap_sets < r->cap) {
        unsigned char *more = realloc(r->sets, r->cap * r->n_set);
        if (!more)
            return -1;
        r->sets = more;
        r->cap_sets = r->cap;
    }
    if (r->n_set)
        memcpy(r->sets + r->n * r->n_set, set, r->n_set);
    if (2 * (r->n + 1) > r->n_slots) {
        size_t n_slots = r->n_slots ? 2 * r->n_slots : 1024;
        int *slots = malloc(n_slots * sizeof *slots);
        if (!slots)
            return -1;
        free(r->slots);
        r->slots = slots;
        r->n_slots = n_slots;
        for (size_t i = 0; i < n_slots; i++)
            slots[i] = -1;
        for (size_t i = 0; i < r->n; i++)
            slot_put(r, i);
    }
    r->items[r->n] = (fresh_version){*k, *snap, new_version, new_reporters};
    slot_put(r, r->n++);
    return 0;
}

/* snapcalc's look-up of a child computed in this round and not yet stored. */
static int fresh_find(void *ctx, const indicator *ind, const period *p, int at,
                      stored_snapshot *out, unsigned char *set)
{
    const refresh_round *r = ctx;
    if (!r->n)
        return 0;
    snap_key k = {ind, *p, at, period_first_month(p), period_last_month(p)};
    for (size_t i = key_hash(&k, r->n_slots); r->slots[i] >= 0; i = (i + 1) & (r->n_slots - 1))
        if (key_cmp(&r->items[r->slots[i]].key, &k) == 0) {
            *out = r->items[r->slots[i]].snap;
            if (r->n_set)
                memcpy(set, r->sets + (size_t)r->slots[i] * r->n_set, r->n_set);
            return 1;
        }
    return 0;
}

static int round_read(refresh_round *r)
{
    if (!r->reading && store_read_begin(r->db) < 0)
        return -1;
    r->reading = true;
    return 0;
}

/* The memo's key of a mark; false for a mark of something no longer configured. The
 * indicator and kind are the query's (NULL: none). */
static bool memo_key(const registry *reg, const indicator *ind, period_kind kind,
                     const store_dirty_mark *mark, mark_memo_key *k)
{
    const metric *m = catalog_metric(&reg->cat, mark->metric);
    period month;
    int at = partners_area(&reg->parts, mark->area);
    if (!m || at < 0 || period_parse(mark->period, &month) != 0)
        return false;
    *k = (mark_memo_key){ind ? (int)(ind - reg->cat.indicators) : -1, (int)kind,
                         (int)(m - reg->cat.metrics), at, period_first_month(&month), mark->gen};
    return true;
}

/* The memo forgets the marks just cleared (out of memory: all of them, which is as safe). */
static void forget_marks(mark_memo *memo, const registry *reg, const store_dirty_mark *marks,
                         size_t n)
{
    mark_memo_key *keys = malloc(n * sizeof *keys);
    size_t k = 0;
    if (!keys) {
        mark_memo_clear(memo);
        return;
    }
    for (size_t i = 0; i < n; i++)
        k += memo_key(reg, NULL, PERIOD_MONTH, &marks[i], &keys[k]);
    (void)mark_memo_forget(memo, keys, k); /* failing, it forgot them all */
    free(keys);
}

/* End the read transaction; store what was computed, and clear the marks when given, in
 * one write transaction; count and note it. 0 or -1. */
static int round_write(refresh_round *r, const store_dirty_mark *marks, size_t n_marks)
{
    store *db = r->db;
    store_read_end(db);
    r->reading = false;
    if (!r->n && !n_marks)
        return 0;
    bool ok = store_begin_derived(db) == 0;
    for (size_t i = 0; ok && i < r->n; i++) {
        const fresh_version *f = &r->items[i];
        const char *ind = f->key.ind->code, *acode = r->reg->parts.areas[f->key.at].code;
        char ptext[PERIOD_TEXT_MAX];
        ok = period_format(&f->key.p, ptext, sizeof ptext) == 0 &&
             (!f->new_version || store_snapshot_put(db, ind, ptext, acode, &f->snap) == 0) &&
             (!f->new_reporters || store_reporters_put(db, ind, ptext, acode,
                                                       r->sets + i * r->n_set, r->n_set) == 0);
    }
    ok = ok && (!n_marks || store_dirty_clear(db, marks, n_marks) == 0) &&
         store_commit_derived(db) == 0;
    if (!ok) {
        store_rollback(db);
        return -1;
    }
    /* A cleared mark that a figure sets again starts at gen 0, as remembered ones may. */
    if (n_marks && r->memo)
        forget_marks(r->memo, r->reg, marks, n_marks);
    for (size_t i = 0; i < r->n; i++) {
        if (!r->items[i].new_version)
            continue;
        if (r->touched && note_touched(r->touched, r->reg, &r->items[i].key) < 0)
            return -1;
        (*r->changed)++;
    }
    r->n = 0;
    for (size_t i = 0; i < r->n_slots; i++)
        r->slots[i] = -1;
    return 0;
}

static void round_free(refresh_round *r)
{
    store_read_end(r->db);
    free(r->items);
    free(r->sets);
    free(r->old);
    free(r->slots);
}

/* One key, its figures gathered in c: compute, compare with the newest stored version,
 * keep a new one if changed. */
static int refresh_one(refresh_round *r, snapcalc *c, const snap_key *k)
{
    char ptext[PERIOD_TEXT_MAX];
    const char *acode = r->reg->parts.areas[k->at].code;
    stored_snapshot fresh, old;
    if (period_format(&k->p, ptext, sizeof ptext) != 0 ||
        snapcalc_compute(c, r->db, &k->p, &fresh) < 0)
        return -1;
    int found = store_snapshot_get(r->db, k->ind->code, ptext, acode, INT64_MAX, &old);
    if (found < 0)
        return -1;
    bool new_version = !found || !same_result(&old, &fresh);
    /* The reporters, for an area with one above it: the same count may be others. */
    bool new_reporters = false;
    if (r->reg->parts.areas[k->at].parent >= 0) {
        int sets = store_reporters_get(r->db, k->ind->code, ptext, acode, r->old, r->n_set);
        if (sets < 0)
            return -1;
        new_reporters = !sets || (r->n_set && memcmp(r->old, c->set, r->n_set) != 0);
    }
    if (!new_version && !new_reporters)
        return 0;
    /* Only the derive thread writes snapshots: the version read is still the newest. */
    if (new_version) {
        fresh.version = found ? old.version + 1 : 1;
        fresh.computed_at = (int64_t)r->now;
    } else {
        fresh = old;
    }
    if (fresh_add(r, k, &fresh, c->set, new_version, new_reporters) < 0)
        return -1;
    if (r->n < VERSIONS_PER_WRITE)
        return 0;
    return round_write(r, NULL, 0) == 0 && round_read(r) == 0 ? 0 : -1;
}

#define MARKS_PER_ROUND 2048

/* The longest range of months read at once for one subject: a school year and a calendar
 * year that overlap share a read, but a backfill of years does not hold them all. */
#define RUN_MONTHS 24

/* Keys sorted by key_cmp: one subject setup per (indicator, area), one read of the figures
 * per run of overlapping periods. */
static int refresh_keys(refresh_round *r, snapcalc *c, const snap_key *keys, size_t n_keys)
{
    for (size_t i = 0; i < n_keys;) {
        size_t j = i;
        while (j < n_keys && keys[j].ind == keys[i].ind && keys[j].at == keys[i].at)
            j++;
        /* Others first, if any wait: what is computed is stored, the read ends. */
        if (r->yield && i > 0 && r->yield->waiting(r->yield->ctx)) {
            if (round_write(r, NULL, 0) < 0)
                return -1;
            r->yield->serve(r->yield->ctx);
            if (round_read(r) < 0)
                return -1;
        }
        if (snapcalc_subject(c, r->db, keys[i].ind, keys[i].at, true, true) < 0)
            return -1;
        for (size_t k = i; k < j;) {
            int first = keys[k].first, last = keys[k].last;
            size_t e = k + 1;
            for (; e < j && keys[e].first <= last + 1; e++) {
                int end = keys[e].last > last ? keys[e].last : last;
                if (end - first >= RUN_MONTHS)
                    break;
                last = end;
            }
            if (snapcalc_gather(c, r->db, first, last) < 0)
                return -1;
            for (size_t x = k; x < e; x++)
                if (refresh_one(r, c, &keys[x]) < 0)
                    return -1;
            k = e;
        }
        i = j;
    }
    return 0;
}

/* What a query reads: one indicator, in periods of one kind within months first..last. */
typedef struct {
    const indicator *ind;
    period_kind kind;
    int first, last;
} query_scope;

/* Recompute what marks point at and clear them; or (within, what a query reads) only
 * those snapshots, leaving the marks for the rest. 0 or -1. */
static int refresh_marks(store *db, const registry *reg, const store_dirty_mark *marks,
                         size_t n, const query_scope *within, time_t now, size_t *changed,
                         snapshot_changes *touched, const snapshot_yield *yield)
{
    snapcalc c;
    size_t n_keys = 0;
    if (snapcalc_init(&c, reg) < 0)
        return -1;
    snap_key *keys = expand(reg, marks, n, &n_keys);
    if (keys && within) {
        size_t kept = 0;
        for (size_t i = 0; i < n_keys; i++)
            if (keys[i].ind == within->ind && keys[i].p.kind == within->kind &&
                keys[i].first >= within->first && keys[i].last <= within->last)
                keys[kept++] = keys[i];
        n_keys = kept;
    }
    refresh_round r = {.db = db, .reg = reg, .now = now, .changed = changed, .touched = touched,
                       .n_set = c.n_set, .yield = yield && yield->waiting ? yield : NULL,
                       .memo = yield ? yield->memo : NULL};
    c.cov = yield ? yield->cov : NULL;
    c.fresh = fresh_find;
    c.fresh_ctx = &r;
    if (r.n_set && !(r.old = malloc(r.n_set))) {
        free(keys);
        snapcalc_free(&c);
        return -1;
    }
    /* A query's months that these marks do not reach: nothing to write. */
    bool ok = keys && (!within || n_keys) && round_read(&r) == 0 &&
              refresh_keys(&r, &c, keys, n_keys) == 0 &&
              round_write(&r, within ? NULL : marks, within ? 0 : n) == 0;
    if (keys && within && !n_keys)
        ok = true;
    round_free(&r);
    free(keys);
    snapcalc_free(&c);
    return ok ? 0 : -1;
}

int snapshot_refresh_round(store *db, const registry *reg, time_t now, size_t max,
                           size_t *changed, snapshot_changes *touched,
                           const snapshot_yield *yield)
{
    store_dirty_mark *marks = malloc((max ? max : 1) * sizeof *marks);
    if (!marks)
        return -1;
    int n = store_dirty_take(db, marks, max);
    if (n > 0 &&
        refresh_marks(db, reg, marks, (size_t)n, NULL, now, changed, touched, yield) < 0)
        n = -1;
    free(marks);
    return n;
}

/* Leave out the marks the memo says a query already computed for what it reads. How many
 * are left at the front of marks. */
static size_t not_yet_computed(const registry *reg, const mark_memo *memo,
                               store_dirty_mark *marks, size_t n, const query_scope *q)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        mark_memo_key k;
        if (memo && memo_key(reg, q->ind, q->kind, &marks[i], &k) &&
            mark_memo_covers(memo, &k, q->first, q->last))
            continue;
        if (kept != i)
            marks[kept] = marks[i];
        kept++;
    }
    return kept;
}

int snapshot_refresh_for(store *db, const registry *reg, const indicator *ind,
                         period_kind kind, int first, int last, time_t now, size_t *changed,
                         snapshot_changes *touched, coverage *cov, mark_memo *memo)
{
    snapshot_yield only_cov = {NULL, NULL, NULL, cov, NULL};
    const metric *ms[2 * INDICATOR_MAX_METRICS];
    size_t n_ms = snapcalc_metrics(ind, ms);
    char from[PERIOD_TEXT_MAX], to[PERIOD_TEXT_MAX];
    period pl = period_month_from_number(last);
    query_scope within = {ind, kind, first, last};
    store_dirty_mark *marks = malloc(MARKS_PER_ROUND * sizeof *marks);
    int rc = marks && period_format(&pl, to, sizeof to) == 0 ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < n_ms; k++) {
        int n;
        size_t offset = 0;
        /* A figure carried into the months is marked in the month it was reported for. */
        period pf = period_month_from_number(first - ms[k]->carry);
        if (period_format(&pf, from, sizeof from) != 0) {
            rc = -1;
            break;
        }
        do {
            n = store_dirty_take_metric(db, ms[k]->code, from, to, offset, marks,
                                        MARKS_PER_ROUND);
            offset += (size_t)(n > 0 ? n : 0);
            size_t todo = n > 0 ? not_yet_computed(reg, memo, marks, (size_t)n, &within) : 0;
            if (n < 0 || (todo && refresh_marks(db, reg, marks, todo, &within, now, changed,
                                                touched, &only_cov) < 0)) {
                rc = -1;
                break;
            }
            for (size_t i = 0; memo && i < todo; i++) {
                mark_memo_key mk;
                if (memo_key(reg, ind, kind, &marks[i], &mk) &&
                    mark_memo_note(memo, &mk, first, last) < 0)
                    break; /* out of memory: the memo is empty, and computes again */
            }
        } while (n == MARKS_PER_ROUND);
    }
    free(marks);
    return rc;
}

int snapshot_refresh(store *db, const registry *reg, time_t now, size_t *changed,
                     snapshot_changes *touched)
{
    return snapshot_refresh_ticking(db, reg, now, changed, touched, NULL, NULL, NULL);
}

int snapshot_refresh_ticking(store *db, const registry *reg, time_t now, size_t *changed,
                             snapshot_changes *touched, void (*tick)(void *), void *tick_ctx,
                             const snapshot_yield *yield)
{
    int n;
    *changed = 0;
    while ((n = snapshot_refresh_round(db, reg, now, MARKS_PER_ROUND, changed, touched,
                                       yield)) == MARKS_PER_ROUND)
        if (tick)
            tick(tick_ctx);
    return n < 0 ? -1 : 0;
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
