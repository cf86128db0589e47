/* alert_eval.h: alert rules and the pure part of evaluating them.
 *
 * A rule turns each period of a series into a condition (met, clear, in between, unknown);
 * a small state machine turns the conditions into episodes: an episode starts (pending)
 * at the first period the condition is met, fires once it has been met for `for` periods
 * with data, and resolves at the first period that is clear. No database and no clock
 * here, so every edge can be tested with hand-made series.
 *
 *   below      met: value < threshold      clear: value >= clear (default the threshold)
 *   above      met: value > threshold      clear: value <= clear (default the threshold)
 *              between the two (the hysteresis band) a firing alert stays firing and a
 *              pending one is cancelled; exactly at the threshold is not met.
 *   slip       met: the value is at least `threshold` points worse than the reference
 *              (the previous period, or the same period a year earlier); else clear.
 *              Worse means lower for a higher-is-better indicator, higher for a
 *              lower-is-better one; slip and off_track rules on a "closer to an ideal"
 *              indicator are refused when the catalogue is loaded.
 *   off_track  met: the value is worse than the target path by more than `threshold`
 *              (a tolerance, default 0); else clear.
 *   late       met: the organisation has not reported the metric and the period ended
 *              at least `days` days ago; clear: it has reported (late or not).
 *   implausible  met: a check of the catalogue says the value cannot be true (a share
 *              above 100%: a figure booked in the wrong wijk); clear: it can be.
 *
 * A period without data (no value, no reference, or a late check before the deadline) is
 * unknown: it neither counts towards `for` nor breaks the run, and a firing alert stays
 * firing through it (no figure is no evidence of recovery).
 */
#ifndef LEAMON_ALERT_EVAL_H
#define LEAMON_ALERT_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "catalog.h"
#include "period.h"

typedef enum {
    RULE_BELOW,
    RULE_ABOVE,
    RULE_SLIP,
    RULE_OFF_TRACK,
    RULE_LATE,
    RULE_IMPLAUSIBLE
} rule_kind;
typedef enum { SEVERITY_WARNING, SEVERITY_CRITICAL } alert_severity;
typedef enum { AGAINST_PREVIOUS, AGAINST_YEAR } slip_against;

const char *rule_kind_name(rule_kind k);
const char *alert_severity_name(alert_severity s);

struct alert_rule {
    char name[PROTO_MAX_CODE + 1];
    rule_kind kind;
    alert_severity severity;
    const indicator *ind;      /* every kind but late */
    const metric *m;           /* late */
    char level[16];            /* the area level it watches (gemeente, wijk, ...); late:
                                * "organisation" */
    char area[PROTO_MAX_AREA + 1]; /* only this area (and, for late, organisations based
                                    * in it or below); "" for every area of the level */
    period_kind every;         /* the periods evaluated (month unless said otherwise) */
    double threshold;          /* below/above: the level; slip: points; off_track: tolerance */
    double clear;              /* below/above: the level that resolves */
    int for_periods;           /* periods with the condition met before firing, >= 1 */
    slip_against against;      /* slip */
    int days;                  /* late: days after the period's end */
    double min_base;           /* a period whose denominator (or, for a sum, value) is
                                * below this is unknown: too few to judge; 0: no minimum */
    double min_reported;       /* the share of the expected reporters that must be in before
                                * a final period is judged (0..1; 1: all of them) */
    char label[160];           /* what it means, for people (may be "") */
};

typedef enum { COND_UNKNOWN, COND_MET, COND_BETWEEN, COND_CLEAR } alert_cond;

/* One period of a series. For late rules: has_value true once the deadline has passed or
 * the organisation has reported; value 1 if it has reported, 0 if not. */
typedef struct {
    period p;
    bool has_value;
    double value;
    bool has_ref;              /* slip: the earlier value; off_track: the path */
    double ref;
    int expected, reported;    /* reporters behind the snapshot */
    bool implausible;          /* a check of the catalogue fails on value */
} alert_point;

/* The condition of one point under rule r (better: the indicator's direction). */
alert_cond alert_condition(const alert_rule *r, indicator_better better, const alert_point *pt);

typedef enum { ALERT_PENDING, ALERT_FIRING, ALERT_RESOLVED, ALERT_STATE_COUNT } alert_state;
const char *alert_state_name(alert_state s);
int alert_state_parse(const char *text, alert_state *out);

typedef struct {
    alert_state state;
    size_t onset;              /* index of the point where the condition was first met */
    size_t fired;              /* index where it fired (state firing or resolved) */
    size_t ended;              /* index where it resolved (state resolved) */
    size_t last;               /* the last point with data in the episode (its figures);
                                * for a resolved episode the point that resolved it */
    int met;                   /* points with the condition met */
} alert_episode;

/* Run the state machine over pts (n, consecutive periods, oldest first). Writes at most
 * max episodes into out, oldest first, and returns how many there were. Pending runs that
 * ended before firing are not episodes; a pending run still open at the end is. */
size_t alert_episodes(const alert_rule *r, indicator_better better, const alert_point *pts,
                      size_t n, alert_episode *out, size_t max);

#endif
