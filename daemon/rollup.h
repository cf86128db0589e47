/* rollup.h: the arithmetic of an indicator over a period and a set of figures.
 *
 * Pure: no database, no clock, so hand-computed cases can be tested directly. Each
 * reporter's months of one metric for one area roll up by the metric's rule first (last:
 * the latest month reported; sum; avg: mean of the months reported); then the parts add up
 * across reporters and areas. A ratio is therefore sum of numerators over sum of
 * denominators, never a mean of percentages.
 *
 * A stock metric with carry N: a reporter without a figure in the months takes its latest
 * figure of the N months before the last of them (a location that missed October counts
 * with its September figure in October, with carry 1); such reporters are counted in
 * carried. */
#ifndef LEAMON_ROLLUP_H
#define LEAMON_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"

typedef struct {
    int reporter;     /* any id unique per reporter (e.g. index into the organisations) */
    org_kind kind;
    int area;         /* any id unique per area */
    int month;        /* period_month_number */
    const metric *m;
    double value;
} rollup_fig;

typedef struct {
    bool has_value, has_num, has_den;
    double value, numerator, denominator;
    size_t parts;       /* (reporter, area, metric) figures counted, once for each side
                         * they count in (a figure in numerator and denominator counts 2) */
    size_t carried;     /* reporters with a figure carried in from before the months */
    char reason[160];   /* why there is no value; "" when there is one */
} rollup_result;

/* Sort figs as rollup_compute wants them; figures already in that order stay (a sorted
 * array, or any selection from one, costs rollup_compute one pass instead of a sort). */
void rollup_sort(rollup_fig *figs, size_t n);

/* The same without comparing, for figures as a read gives them: metric by metric in the
 * order of their codes, and within one metric and area by month. Two stable counting
 * passes (by area, then by reporter) put them in order in O(n); figures that came in another
 * order are sorted after all. Reporters and areas must be below n_reporters and n_areas;
 * tmp has room for n figures, counts for the larger of the two bounds plus one. */
void rollup_sort_read(rollup_fig *figs, size_t n, rollup_fig *tmp, size_t *counts,
                      size_t n_reporters, size_t n_areas);

/* Compute ind over months first..last (month numbers, inclusive) from figs (n of them,
 * sorted in place). Figures outside the months (but those a carry reaches) or not counted
 * by the indicator are ignored. */
void rollup_compute(const indicator *ind, int first, int last, rollup_fig *figs, size_t n,
                    rollup_result *out);

/* The value and reason from the parts' sums: has_num/has_den say whether any part counted
 * (for a mean, the denominator is the number of locations). Sums of disjoint sets of
 * figures add up, so an area's result can be finished from its children's sums. Sets
 * everything in out but parts. */
void rollup_finish(const indicator *ind, bool has_num, double numerator, bool has_den,
                   double denominator, rollup_result *out);

#endif
