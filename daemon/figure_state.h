/* figure_state.h: when a figure counts (docs/indicators.md, "Period states").
 *
 *   open         the period has not ended: shown, never judged
 *   provisional  it has ended, its deadline (the end plus grace_days) has not passed, and
 *                not every expected reporter has reported
 *   final        every expected reporter has reported, or the deadline has passed
 *   closed       an admin closed every month of the period: the figures are agreed, and
 *                later figures for it are refused until it is reopened
 *
 * Pure: no clock or database, so every edge is tested directly. */
#ifndef LEAMON_FIGURE_STATE_H
#define LEAMON_FIGURE_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "period.h"

typedef enum { STATE_OPEN, STATE_PROVISIONAL, STATE_FINAL, STATE_CLOSED } figure_state;

/* "open", "provisional", "final", "closed". */
const char *figure_state_name(figure_state s);

/* When p's figures are due: the end of its last month plus grace_days days. */
time_t figure_deadline(const period *p, long long grace_days);

/* The state at time now of a figure for p with expected and reported reporters; closed:
 * every month of p is closed. */
figure_state figure_state_of(const period *p, time_t now, long long grace_days,
                             int64_t expected, int64_t reported, bool closed);

/* May a rule judge a figure in this state with these reporters? Only a final (or closed)
 * one, with at least min_reported of the expected reporters in (a share, 0..1). */
bool figure_judgeable(figure_state s, int64_t expected, int64_t reported, double min_reported);

#endif
