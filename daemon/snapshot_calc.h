/* snapshot_calc.h: the arithmetic of one snapshot from the stored figures, in three steps
 * so that a refresh can share the reads: the subject (an indicator in an area and below it,
 * and whom to expect there), the figures of a range of months, then each period within it.
 * Internal to snapshot.c; not for other modules. */
#ifndef LEAMON_SNAPSHOT_CALC_H
#define LEAMON_SNAPSHOT_CALC_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "rollup.h"
#include "store.h"

typedef struct {
    const registry *reg;
    const indicator *ind;
    int at;
    char *areas_json;                            /* codes of at and everything below it */
    const metric *ms[2 * INDICATOR_MAX_METRICS]; /* the indicator's distinct metrics */
    size_t n_ms;
    /* the figures of months first..last, and one period's share of them (scratch) */
    rollup_fig *figs, *sel;
    size_t n_figs, cap_figs, cap_sel;
    int first, last;
    store_obs *rows;                             /* scratch for the reads */
    size_t n_rows, cap_rows;
    /* per organisation: expected whatever the period; the last period counted reported */
    unsigned char *expect;
    unsigned *stamp, serial;
    size_t n_orgs, n_expect;
} snapcalc;

/* Workspace for the organisations of reg. 0 or -1 (out of memory). */
int snapcalc_init(snapcalc *c, const registry *reg);
void snapcalc_free(snapcalc *c);

/* Subject ind in area at: its subtree and metrics, and (with_expected) the organisations
 * expected whatever the period: active ones of a counted kind based there, and those that
 * ever reported its metrics for it. 0 or -1 (store_errmsg says why). */
int snapcalc_subject(snapcalc *c, store *db, const indicator *ind, int at, bool with_expected);

/* Read the subject's figures of months first..last (month numbers). 0 or -1. */
int snapcalc_gather(snapcalc *c, store *db, int first, int last);

/* The snapshot of the months first..last, which lie within the gathered range. version and
 * computed_at are left 0. */
void snapcalc_compute(snapcalc *c, int first, int last, stored_snapshot *out);

/* The distinct metrics of ind (at most 2 * INDICATOR_MAX_METRICS); how many. */
size_t snapcalc_metrics(const indicator *ind, const metric **out);

/* Whether ind counts figure f (its metric and the reporter's kind), whatever the month. */
bool snapcalc_counts(const indicator *ind, const rollup_fig *f);

#endif
