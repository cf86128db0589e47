/* snapshot.h: indicator values per period and area, computed from the stored figures,
 * kept in versions, and recomputed when the figures behind them change. */
#ifndef LEAMON_SNAPSHOT_H
#define LEAMON_SNAPSHOT_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "coverage.h"
#include "mark_memo.h"
#include "period.h"
#include "store.h"

/* Compute ind for period p and area at (an index) from the figures now stored, with how many
 * organisations were expected to report and how many did. version and computed_at are
 * left 0. Returns 0 or -1 (store_errmsg says why). */
int snapshot_compute(store *db, const registry *reg, const indicator *ind, const period *p,
                     int at, stored_snapshot *out);

/* The same, split by reporter: one row per organisation with counted figures. */
typedef struct {
    int org;   /* index into reg->parts.orgs */
    bool has_value, has_num, has_den;
    double value, numerator, denominator;
} snapshot_part;
int snapshot_by_reporter(store *db, const registry *reg, const indicator *ind, const period *p,
                         int at, snapshot_part **rows, size_t *n);

/* The (indicator, area) pairs that got a new version in a refresh, each once. */
typedef struct {
    const indicator *ind;
    int at;
} snapshot_touched;
typedef struct {
    snapshot_touched *items; /* owned */
    size_t n, cap;
    unsigned char *seen;     /* owned: a bit per (indicator, area) of the registry */
} snapshot_changes;
void snapshot_changes_free(snapshot_changes *c);
/* Take the first n pairs off (judged): a refresh that changes them again adds them anew. */
void snapshot_changes_drop(snapshot_changes *c, const registry *reg, size_t n);

/* What a long-lived refresher (the derive thread) gives each refresh:
 * - letting others in: between two subjects (an indicator in an area) the refresh asks
 *   waiting(ctx), and when it says so, stores what it has computed and calls serve(ctx),
 *   which may refresh and read snapshots itself (NULL waiting: never);
 * - cov: the coverage in memory (NULL: read from the store each time);
 * - memo: the marks queries have computed (NULL: none), cleared whenever marks are. */
typedef struct {
    bool (*waiting)(void *ctx);
    void (*serve)(void *ctx);
    void *ctx;
    coverage *cov;
    mark_memo *memo;
} snapshot_yield;

/* Recompute every snapshot that a dirty mark points at (indicators of the metric, the
 * month, quarter, year and school year, the area and those above it), store a new version
 * where the result changed, and clear the marks. *changed counts new versions; touched
 * (may be NULL) gets the pairs that changed. 0 or -1. */
int snapshot_refresh(store *db, const registry *reg, time_t now, size_t *changed,
                     snapshot_changes *touched);
/* One round: at most max marks, adding to *changed, letting others in (yield, NULL: never).
 * Returns how many marks it took (fewer than max: none are left), or -1. */
int snapshot_refresh_round(store *db, const registry *reg, time_t now, size_t max,
                           size_t *changed, snapshot_changes *touched,
                           const snapshot_yield *yield);
/* What a query of ind's periods of kind within months first..last (month numbers) reads:
 * the snapshots of those periods that the marks of its metrics there point at, in every area,
 * adding to *changed. The marks stay, for the other periods they point at (a month's
 * quarter, year and school year), which the rounds recompute. memo (may be NULL) skips
 * the marks an earlier query computed within these months, and remembers these. 0 or -1. */
int snapshot_refresh_for(store *db, const registry *reg, const indicator *ind,
                         period_kind kind, int first, int last, time_t now, size_t *changed,
                         snapshot_changes *touched, coverage *cov, mark_memo *memo);
/* The same, calling tick(tick_ctx) after each round of marks (a long recompute keeps the
 * service watchdog fed), and letting others in (yield, may be NULL). */
int snapshot_refresh_ticking(store *db, const registry *reg, time_t now, size_t *changed,
                             snapshot_changes *touched, void (*tick)(void *), void *tick_ctx,
                             const snapshot_yield *yield);

/* The newest stored version (computed at or before as_of when has_as_of), else computed now
 * from the figures (without as_of) or "no figure had been computed by then". 0 or -1. */
int snapshot_current(store *db, const registry *reg, const indicator *ind, const period *p,
                     int at, bool has_as_of, int64_t as_of, stored_snapshot *out);

/* A target's baseline value taken from the data (when the catalogue gives none). */
bool snapshot_baseline_figure(store *db, const registry *reg, const target *t, int at,
                              double *out);

/* The straight-line target value of t at period p; false when there is none (before the
 * baseline, or a baseline without value and no figure for it). baseline is the figure for
 * the baseline period when the target leaves it to the data. */
bool snapshot_path(const target *t, const period *p, bool has_baseline_figure,
                   double baseline_figure, double *out);

/* The target that applies to ind at area at, or NULL. */
const target *snapshot_target(const registry *reg, const indicator *ind, int at);

#endif
