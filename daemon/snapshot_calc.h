/* snapshot_calc.h: the arithmetic of one snapshot from the stored figures, in three steps
 * so that a refresh can share the reads: the subject (an indicator in an area and below it,
 * and whom to expect there), the figures of a range of months, then each period within it.
 *
 * An area with children can instead be finished from its children's stored snapshots: sums
 * of disjoint figures add up (rollup_finish), and the reporters are the union of the
 * children's reporter sets (stored beside their snapshots), so that one that reports for
 * several areas here (a GGD per wijk) counts once. That is what keeps a gemeente's refresh
 * from reading every figure of the year, however its partners spread over its wijken.
 * Internal to snapshot.c; not for other modules. */
#ifndef LEAMON_SNAPSHOT_CALC_H
#define LEAMON_SNAPSHOT_CALC_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "coverage.h"
#include "rollup.h"
#include "store.h"

typedef struct snapcalc snapcalc;
struct snapcalc {
    const registry *reg;
    const indicator *ind;
    int at;
    char *areas_json;                            /* codes of at and everything below it */
    const metric *ms[2 * INDICATOR_MAX_METRICS]; /* the indicator's distinct metrics */
    size_t n_ms;
    int carry;                                   /* the longest carry of those metrics */
    /* the figures of months first..last, and one period's share of them (scratch) */
    rollup_fig *figs, *sel;
    size_t n_figs, cap_figs, cap_sel;
    store_obs *rows;                             /* scratch for the reads */
    size_t n_rows, cap_rows;
    size_t *counts;                              /* scratch for rollup_sort_read */
    /* per organisation: expected (in the months its metrics are due: due, a bit per month of
     * the year) */
    unsigned char *expect;
    unsigned *due;
    size_t n_orgs, n_expect;
    bool all_due;                                /* every expected one owes every month */
    /* The reporters counted in the last period computed: a bit per organisation
     * (n_set bytes); kid holds a child's, scratch. */
    unsigned char *set, *kid;
    size_t n_set;
    /* from the children: at's own figures (in figs), the rest from the children's stored
     * snapshots and reporter sets; from figures where a child has no set (fallback) */
    bool by_children;
    char *self_json;                             /* just at's code */
    snapcalc *fallback;                          /* owned, made on first need */
    coverage *cov;                               /* who covers which area, in memory; NULL:
                                                  * read from the store */
    /* Children computed in this refresh but not yet stored: asked before the store. 1 with
     * the snapshot in out and its reporters in set (n_set bytes), or 0 (NULL: none). */
    int (*fresh)(void *ctx, const indicator *ind, const period *p, int at,
                 stored_snapshot *out, unsigned char *set);
    void *fresh_ctx;
};

/* Workspace for the organisations of reg. 0 or -1 (out of memory). */
int snapcalc_init(snapcalc *c, const registry *reg);
void snapcalc_free(snapcalc *c);

/* Subject ind in area at: its subtree and metrics, and (with_expected) the organisations
 * expected whatever the period: active ones of a counted kind based there, and those that
 * ever reported its metrics for it. from_children (with with_expected): finish an area
 * with children from their stored snapshots and reporter sets; they must be current.
 * 0 or -1 (store_errmsg says why). */
int snapcalc_subject(snapcalc *c, store *db, const indicator *ind, int at, bool with_expected,
                     bool from_children);

/* Read the subject's figures of months first..last (month numbers). 0 or -1. */
int snapcalc_gather(snapcalc *c, store *db, int first, int last);

/* The snapshot of period p, whose months lie within the gathered range, and its
 * reporters in c->set. version and computed_at are left 0. 0 or -1 (reading failed). */
int snapcalc_compute(snapcalc *c, store *db, const period *p, stored_snapshot *out);

/* The distinct metrics of ind (at most 2 * INDICATOR_MAX_METRICS); how many. */
size_t snapcalc_metrics(const indicator *ind, const metric **out);

/* Whether ind counts figure f (its metric and the reporter's kind), whatever the month. */
bool snapcalc_counts(const indicator *ind, const rollup_fig *f);

#endif
