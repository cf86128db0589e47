/* verdict.h: what a figure says about its target, or why it says nothing.
 *
 * A figure is judged only when it can carry a verdict: its period is final (or closed),
 * it has a value, the catalogue's checks find it plausible, and the target is set for
 * its kind of period (a month is not judged against a school-year goal unless the target
 * says judged_per months). Before the goal period ends it is held against the target's
 * straight path (on or off the path); from the end of the goal period on, against the
 * goal itself (reached or not).
 *
 * Pure: the caller reads the figures; no database or clock here. */
#ifndef LEAMON_VERDICT_H
#define LEAMON_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "figure_state.h"
#include "period.h"

typedef enum {
    VERDICT_NOT_JUDGED,
    VERDICT_ON_PATH,
    VERDICT_OFF_PATH,
    VERDICT_REACHED,
    VERDICT_NOT_REACHED
} verdict_kind;

/* "not_judged", "on_path", "off_path", "reached", "not_reached". */
const char *verdict_name(verdict_kind v);

/* The figure to judge. */
typedef struct {
    period p;
    figure_state state;
    bool plausible;
    bool has_value;
    double value;
    bool has_path;            /* the target's path at p */
    double path;
    int64_t expected, reported;
} verdict_figure;

typedef struct {
    verdict_kind kind;
    bool has_mark;
    double mark;              /* the path or the goal it was held against */
    char reason[160];         /* in words */
} verdict;

/* Judge f against t (of indicator ind). */
void verdict_judge(const indicator *ind, const target *t, const verdict_figure *f, verdict *out);

/* Is value as good as mark or better, for ind's direction? */
bool verdict_as_good(const indicator *ind, double value, double mark);

/* True when a figure of period p is past t's goal period and t is not a standing norm: it
 * is then judged by the goal period's own figure ("not reached in 2025"), not by its own. */
bool verdict_after_goal(const target *t, const period *p);

#endif
