/* Unit tests for daemon/alert_eval.c: alert conditions per period and the state machine
 * that turns them into episodes.
 *
 * Every expectation comes from the contract in daemon/alert_eval.h, worked out by hand in
 * the comment beside it:
 *   below  met: value < threshold, clear: value >= clear; above the mirror image; between
 *          the two a firing alert stays firing and a pending one is cancelled;
 *   slip   met: at least `threshold` points worse than the reference, else clear;
 *   off_track met: worse than the path by more than the tolerance, else clear;
 *   late   has_value false: unknown; value 0 (not reported, deadline passed): met;
 *          value 1 (reported): clear;
 *   no value or no reference: unknown, which neither counts towards `for` nor breaks the
 *   run, and keeps a firing alert firing.
 * An episode starts (pending) at the first met point, fires at the `for`-th met point,
 * resolves at the first clear point. The indicator's direction is the `better` argument,
 * so no catalogue is needed: rules are built by hand, series are months from 2026-01. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_eval.h"
#include "catalog.h"
#include "period.h"

/* ---- helpers ----------------------------------------------------------------------- */

#define U NAN            /* a value or reference that is not there */
#define MAX_POINTS 32
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SKIP ((long)-1)  /* an episode field not checked */

/* Late points: value 1 has reported, value 0 has not and the deadline has passed. */
#define REPORTED 1.0
#define MISSING 0.0

static alert_rule rule(rule_kind kind, double threshold, double clear, int for_periods)
{
    alert_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "test_%s", rule_kind_name(kind));
    r.kind = kind;
    r.severity = SEVERITY_WARNING;
    r.ind = NULL; /* the direction is passed as `better` */
    r.m = NULL;
    snprintf(r.level, sizeof r.level, "%s", kind == RULE_LATE ? "organisation" : "gemeente");
    r.every = PERIOD_MONTH;
    r.threshold = threshold;
    r.clear = clear;
    r.for_periods = for_periods;
    r.against = AGAINST_PREVIOUS;
    r.days = kind == RULE_LATE ? 10 : 0;
    return r;
}

/* Point i of a series: month i + 1 of 2026 (2027 and on past twelve). */
static alert_point point(size_t i, double value, double ref)
{
    alert_point pt;
    memset(&pt, 0, sizeof pt);
    pt.p = (period){PERIOD_MONTH, 2026 + (int)(i / 12), (int)(i % 12) + 1};
    pt.has_value = !isnan(value);
    pt.value = isnan(value) ? 0.0 : value;
    pt.has_ref = !isnan(ref);
    pt.ref = isnan(ref) ? 0.0 : ref;
    pt.expected = 2;
    pt.reported = 2;
    return pt;
}

/* The condition of one point. */
static alert_cond cond(const alert_rule *r, indicator_better better, double value, double ref)
{
    alert_point pt = point(0, value, ref);
    return alert_condition(r, better, &pt);
}

#define assert_cond(r, better, value, ref, want)                                            \
    assert_cond_at((r), (better), (value), (ref), (want), __FILE__, __LINE__)
static const char *cond_name(alert_cond c)
{
    switch (c) {
    case COND_UNKNOWN: return "unknown";
    case COND_MET: return "met";
    case COND_BETWEEN: return "between";
    case COND_CLEAR: return "clear";
    }
    return "?";
}
static void assert_cond_at(const alert_rule *r, indicator_better better, double value,
                           double ref, alert_cond want, const char *file, int line)
{
    alert_cond got = cond(r, better, value, ref);
    if (got != want) {
        print_error("%s rule (threshold %g, clear %g), better %d, value %g, ref %g: "
                    "condition %s, want %s\n",
                    rule_kind_name(r->kind), r->threshold, r->clear, (int)better, value, ref,
                    cond_name(got), cond_name(want));
        _fail(file, line);
    }
}

/* Episodes of the first n values (refs may be NULL: no reference anywhere). out is filled
 * with a sentinel first so that entries left alone show. */
static const alert_episode sentinel = {ALERT_RESOLVED, 9999, 9999, 9999, 9999, -9999};

static size_t episodes(const alert_rule *r, indicator_better better, const double *values,
                       const double *refs, size_t n, alert_episode *out, size_t max,
                       size_t out_len)
{
    alert_point pts[MAX_POINTS];
    assert_true(n <= MAX_POINTS);
    for (size_t i = 0; i < n; i++)
        pts[i] = point(i, values[i], refs ? refs[i] : U);
    for (size_t i = 0; i < out_len; i++)
        out[i] = sentinel;
    return alert_episodes(r, better, pts, n, out, max);
}

/* Run the machine over the first n values into out (room for 8). */
#define RUN(r, better, values, n, out) episodes((r), (better), (values), NULL, (n), (out), 8, 8)

/* Check an episode; SKIP leaves a field unchecked (fired while pending, ended unless
 * resolved). */
#define assert_episode(e, st, on, fi, en, la, mt)                                           \
    assert_episode_at(&(e), (st), (on), (fi), (en), (la), (mt), __FILE__, __LINE__)
static void assert_episode_at(const alert_episode *e, alert_state state, long onset,
                              long fired, long ended, long last, int met, const char *file,
                              int line)
{
    bool ok = e->state == state && (long)e->onset == onset &&
              (fired == SKIP || (long)e->fired == fired) &&
              (ended == SKIP || (long)e->ended == ended) &&
              (last == SKIP || (long)e->last == last) && e->met == met;
    if (!ok) {
        print_error("episode {state %s, onset %zu, fired %zu, ended %zu, last %zu, met %d}, "
                    "want {state %s, onset %ld, fired %ld, ended %ld, last %ld, met %d} "
                    "(-1: not checked)\n",
                    (int)e->state >= 0 && e->state < ALERT_STATE_COUNT
                        ? alert_state_name(e->state)
                        : "?",
                    e->onset, e->fired, e->ended, e->last, e->met, alert_state_name(state),
                    onset, fired, ended, last, met);
        _fail(file, line);
    }
}

static void assert_untouched_at(const alert_episode *e, const char *file, int line)
{
    if (e->state != sentinel.state || e->onset != sentinel.onset ||
        e->fired != sentinel.fired || e->ended != sentinel.ended || e->last != sentinel.last ||
        e->met != sentinel.met) {
        print_error("an episode past max was written (onset %zu)\n", e->onset);
        _fail(file, line);
    }
}
#define assert_untouched(e) assert_untouched_at(&(e), __FILE__, __LINE__)

/* ---- names ------------------------------------------------------------------------- */

static void test_rule_kind_names(void **state)
{
    (void)state;
    /* The kinds as the header and PROTOCOL.md §5.8 spell them. */
    assert_string_equal(rule_kind_name(RULE_BELOW), "below");
    assert_string_equal(rule_kind_name(RULE_ABOVE), "above");
    assert_string_equal(rule_kind_name(RULE_SLIP), "slip");
    assert_string_equal(rule_kind_name(RULE_OFF_TRACK), "off_track");
    assert_string_equal(rule_kind_name(RULE_LATE), "late");
}

static void test_severity_names(void **state)
{
    (void)state;
    assert_string_equal(alert_severity_name(SEVERITY_WARNING), "warning");
    assert_string_equal(alert_severity_name(SEVERITY_CRITICAL), "critical");
}

static void test_state_names_round_trip(void **state)
{
    (void)state;
    assert_string_equal(alert_state_name(ALERT_PENDING), "pending");
    assert_string_equal(alert_state_name(ALERT_FIRING), "firing");
    assert_string_equal(alert_state_name(ALERT_RESOLVED), "resolved");
    for (int s = 0; s < ALERT_STATE_COUNT; s++) {
        alert_state out = (alert_state)((s + 1) % ALERT_STATE_COUNT);
        assert_int_equal(alert_state_parse(alert_state_name((alert_state)s), &out), 0);
        assert_int_equal(out, s);
    }
}

static void test_state_parse_unknown(void **state)
{
    alert_state out = ALERT_PENDING;
    (void)state;
    assert_int_equal(alert_state_parse("bogus", &out), -1);
    assert_int_equal(alert_state_parse("", &out), -1);
    assert_int_equal(alert_state_parse("firing ", &out), -1);
    assert_int_equal(alert_state_parse("fir", &out), -1);
    /* "open" is a filter of the alerts op (pending and firing), not a state. */
    assert_int_equal(alert_state_parse("open", &out), -1);
}

/* ---- conditions: below and above --------------------------------------------------- */

static void test_below_condition(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 1);
    (void)state;
    assert_cond(&r, BETTER_HIGHER, 70, U, COND_CLEAR);   /* exactly at: not met */
    assert_cond(&r, BETTER_HIGHER, 69.5, U, COND_MET);   /* just below */
    assert_cond(&r, BETTER_HIGHER, 69.999, U, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 70.5, U, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, 0, U, COND_MET);
    assert_cond(&r, BETTER_HIGHER, U, U, COND_UNKNOWN);  /* no value */
    /* below compares with a level: the indicator's direction plays no part. */
    assert_cond(&r, BETTER_LOWER, 70, U, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 69.5, U, COND_MET);
    /* A reference is irrelevant to below. */
    assert_cond(&r, BETTER_HIGHER, 69.5, 50, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 75, 90, COND_CLEAR);
}

static void test_below_hysteresis_condition(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 1);
    (void)state;
    assert_cond(&r, BETTER_HIGHER, 69.5, U, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 70, U, COND_BETWEEN);  /* at the threshold: not met */
    assert_cond(&r, BETTER_HIGHER, 72, U, COND_BETWEEN);
    assert_cond(&r, BETTER_HIGHER, 74.5, U, COND_BETWEEN);
    assert_cond(&r, BETTER_HIGHER, 75, U, COND_CLEAR);    /* exactly the clear level */
    assert_cond(&r, BETTER_HIGHER, 80, U, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, U, U, COND_UNKNOWN);
}

static void test_above_condition(void **state)
{
    /* Thuiszitters above 10 (a count, lower is better). */
    alert_rule r = rule(RULE_ABOVE, 10, 10, 1);
    (void)state;
    assert_cond(&r, BETTER_LOWER, 10, U, COND_CLEAR);   /* exactly at: not met */
    assert_cond(&r, BETTER_LOWER, 10.5, U, COND_MET);   /* just above */
    assert_cond(&r, BETTER_LOWER, 11, U, COND_MET);
    assert_cond(&r, BETTER_LOWER, 9, U, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 0, U, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, U, U, COND_UNKNOWN);
    assert_cond(&r, BETTER_HIGHER, 11, U, COND_MET);    /* direction plays no part */
    assert_cond(&r, BETTER_HIGHER, 10, U, COND_CLEAR);
}

static void test_above_hysteresis_condition(void **state)
{
    alert_rule r = rule(RULE_ABOVE, 10, 8, 1);
    (void)state;
    assert_cond(&r, BETTER_LOWER, 10.5, U, COND_MET);
    assert_cond(&r, BETTER_LOWER, 10, U, COND_BETWEEN);  /* at the threshold: not met */
    assert_cond(&r, BETTER_LOWER, 9, U, COND_BETWEEN);
    assert_cond(&r, BETTER_LOWER, 8.5, U, COND_BETWEEN);
    assert_cond(&r, BETTER_LOWER, 8, U, COND_CLEAR);     /* exactly the clear level */
    assert_cond(&r, BETTER_LOWER, 3, U, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, U, U, COND_UNKNOWN);
}

/* ---- conditions: slip -------------------------------------------------------------- */

static void test_slip_higher_is_better(void **state)
{
    alert_rule r = rule(RULE_SLIP, 5, 0, 1);
    (void)state;
    assert_cond(&r, BETTER_HIGHER, 75, 80, COND_MET);    /* a drop of exactly 5 */
    assert_cond(&r, BETTER_HIGHER, 70, 80, COND_MET);    /* of 10 */
    assert_cond(&r, BETTER_HIGHER, 76, 80, COND_CLEAR);  /* of 4 */
    assert_cond(&r, BETTER_HIGHER, 75.5, 80, COND_CLEAR); /* of 4.5 */
    assert_cond(&r, BETTER_HIGHER, 80, 80, COND_CLEAR);  /* no change */
    assert_cond(&r, BETTER_HIGHER, 90, 80, COND_CLEAR);  /* a rise is no slip */
    /* No reference, no value: unknown. */
    assert_cond(&r, BETTER_HIGHER, 75, U, COND_UNKNOWN);
    assert_cond(&r, BETTER_HIGHER, U, 80, COND_UNKNOWN);
    assert_cond(&r, BETTER_HIGHER, U, U, COND_UNKNOWN);
    /* A fractional number of points. */
    r.threshold = 2.5;
    assert_cond(&r, BETTER_HIGHER, 77.5, 80, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 77.75, 80, COND_CLEAR);
}

static void test_slip_lower_is_better(void **state)
{
    alert_rule r = rule(RULE_SLIP, 5, 0, 1);
    (void)state;
    assert_cond(&r, BETTER_LOWER, 15, 10, COND_MET);    /* a rise of exactly 5 */
    assert_cond(&r, BETTER_LOWER, 18, 10, COND_MET);
    assert_cond(&r, BETTER_LOWER, 14, 10, COND_CLEAR);  /* of 4 */
    assert_cond(&r, BETTER_LOWER, 10, 10, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 5, 10, COND_CLEAR);   /* a drop of 5 is an improvement */
    assert_cond(&r, BETTER_LOWER, 0, 10, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 15, U, COND_UNKNOWN);
    assert_cond(&r, BETTER_LOWER, U, 10, COND_UNKNOWN);
}

static void test_slip_against_year(void **state)
{
    /* The caller puts the year-earlier value in ref: the comparison is the same. */
    alert_rule r = rule(RULE_SLIP, 5, 0, 1);
    (void)state;
    r.against = AGAINST_YEAR;
    assert_cond(&r, BETTER_HIGHER, 75, 80, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 76, 80, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 15, 10, COND_MET);
    assert_cond(&r, BETTER_LOWER, 14, 10, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, 75, U, COND_UNKNOWN);
}

/* ---- conditions: off_track --------------------------------------------------------- */

static void test_off_track_higher_is_better(void **state)
{
    alert_rule r = rule(RULE_OFF_TRACK, 2, 0, 1); /* tolerance 2 */
    (void)state;
    assert_cond(&r, BETTER_HIGHER, 77, 80, COND_MET);    /* 3 below the path */
    assert_cond(&r, BETTER_HIGHER, 77.5, 80, COND_MET);  /* 2.5 below */
    assert_cond(&r, BETTER_HIGHER, 78, 80, COND_CLEAR);  /* at path - tolerance */
    assert_cond(&r, BETTER_HIGHER, 79, 80, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, 80, 80, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, 90, 80, COND_CLEAR);  /* ahead of the path */
    assert_cond(&r, BETTER_HIGHER, 77, U, COND_UNKNOWN); /* no path */
    assert_cond(&r, BETTER_HIGHER, U, 80, COND_UNKNOWN); /* no value */
    /* Tolerance 0: any shortfall. */
    r.threshold = 0;
    assert_cond(&r, BETTER_HIGHER, 79.5, 80, COND_MET);
    assert_cond(&r, BETTER_HIGHER, 80, 80, COND_CLEAR);
    assert_cond(&r, BETTER_HIGHER, 80.5, 80, COND_CLEAR);
}

static void test_off_track_lower_is_better(void **state)
{
    alert_rule r = rule(RULE_OFF_TRACK, 2, 0, 1);
    (void)state;
    assert_cond(&r, BETTER_LOWER, 15, 12, COND_MET);    /* 3 above the path */
    assert_cond(&r, BETTER_LOWER, 14.5, 12, COND_MET);
    assert_cond(&r, BETTER_LOWER, 14, 12, COND_CLEAR);  /* at path + tolerance */
    assert_cond(&r, BETTER_LOWER, 12, 12, COND_CLEAR);
    assert_cond(&r, BETTER_LOWER, 9, 12, COND_CLEAR);   /* ahead of the path */
    assert_cond(&r, BETTER_LOWER, 15, U, COND_UNKNOWN);
    assert_cond(&r, BETTER_LOWER, U, 12, COND_UNKNOWN);
    r.threshold = 0;
    assert_cond(&r, BETTER_LOWER, 12.5, 12, COND_MET);
    assert_cond(&r, BETTER_LOWER, 12, 12, COND_CLEAR);
}

/* ---- conditions: late -------------------------------------------------------------- */

static void test_late_condition(void **state)
{
    alert_rule r = rule(RULE_LATE, 10, 0, 1); /* threshold plays no part for late */
    (void)state;
    assert_cond(&r, BETTER_HIGHER, U, U, COND_UNKNOWN);      /* before the deadline */
    assert_cond(&r, BETTER_HIGHER, MISSING, U, COND_MET);    /* deadline passed, nothing */
    assert_cond(&r, BETTER_HIGHER, REPORTED, U, COND_CLEAR); /* reported (late or not) */
    assert_cond(&r, BETTER_LOWER, MISSING, U, COND_MET);
    assert_cond(&r, BETTER_LOWER, REPORTED, U, COND_CLEAR);
}

/* ---- the state machine: below ------------------------------------------------------ */

static void test_below_fires_on_third_met(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    /* 0: clear, 1: at the threshold (clear), 2-4: met. */
    const double v[] = {80, 70, 69.5, 68, 67};
    alert_episode out[8];
    (void)state;
    /* Up to 1: nothing met, no episode. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 2, out), 0);
    assert_untouched(out[0]);
    /* Up to 2: the 1st met point, pending. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 3, out), 1);
    assert_episode(out[0], ALERT_PENDING, 2, SKIP, SKIP, 2, 1);
    assert_untouched(out[1]);
    /* Up to 3: the 2nd, still pending. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 4, out), 1);
    assert_episode(out[0], ALERT_PENDING, 2, SKIP, SKIP, 3, 2);
    /* Up to 4: the 3rd consecutive met point fires. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 5, out), 1);
    assert_episode(out[0], ALERT_FIRING, 2, 4, SKIP, 4, 3);
    assert_untouched(out[1]);
}

static void test_for_one_fires_at_onset(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 1);
    const double v[] = {80, 69};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 1, SKIP, 1, 1);
}

static void test_firing_keeps_counting_met(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    const double v[] = {69, 68, 67, 66};
    alert_episode out[8];
    (void)state;
    /* Fires at 2; the 4th met point still belongs to the episode. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 2, SKIP, 3, 4);
}

static void test_below_hysteresis_episode(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 3);
    /* 1-3 met (fires at 3), 4: 72 and 5: 74 in the band, 6: exactly 75 resolves. */
    const double v[] = {80, 69, 68, 67, 72, 74, 75, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 4, out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 3, SKIP, 3, 3);
    /* At 72 it stays firing; the band point has figures, so it is the last. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 5, out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 3, SKIP, 4, 3);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 6, out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 3, SKIP, 5, 3);
    /* Exactly the clear level resolves. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 7, out), 1);
    assert_episode(out[0], ALERT_RESOLVED, 1, 3, 6, SKIP, 3);
    assert_untouched(out[1]);
    /* The clear point after that starts nothing. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 8, out), 1);
    assert_episode(out[0], ALERT_RESOLVED, 1, 3, 6, SKIP, 3);
}

static void test_band_then_met_again_same_episode(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 3);
    /* Fires at 2, 3 in the band, 4 met again: still the one episode, 4 met points. */
    const double v[] = {69, 68, 67, 72, 66};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 2, SKIP, 4, 4);
}

static void test_pending_cancelled_by_band(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 3);
    /* Pending at 1 and 2, 72 in the band at 3 cancels it before `for` is reached. */
    const double v[] = {80, 69, 68, 72, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 4, out), 0);
    assert_untouched(out[0]);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 0);
    assert_untouched(out[0]);
}

static void test_band_cancel_then_new_run(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 3);
    /* 0-1 pending, cancelled by 72 at 2; a new run at 3-5 fires at 5, counting from 3. */
    const double v[] = {69, 68, 72, 69, 68, 67};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 3, 5, SKIP, 5, 3);
    assert_untouched(out[1]);
}

static void test_pending_cancelled_by_clear(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    const double v[] = {69, 68, 70, 80};  /* 70: exactly the threshold is clear */
    const double w[] = {80, 69, 68, 90, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 0);
    assert_untouched(out[0]);
    assert_int_equal(RUN(&r, BETTER_HIGHER, w, N(w), out), 0);
    assert_untouched(out[0]);
    /* With hysteresis, reaching the clear level cancels as well. */
    r.clear = 75;
    const double x[] = {69, 68, 75};
    assert_int_equal(RUN(&r, BETTER_HIGHER, x, N(x), out), 0);
    assert_untouched(out[0]);
}

static void test_recovery_then_second_episode(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 75, 2);
    /* 1-2 met (fires at 2), 76 resolves at 3; 4-5 met again (fires at 5), 80 resolves. */
    const double v[] = {80, 69, 68, 76, 69, 68, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 5, out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 1, 2, 3, SKIP, 2);
    assert_episode(out[1], ALERT_PENDING, 4, SKIP, SKIP, 4, 1);
    assert_untouched(out[2]);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 6, out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 1, 2, 3, SKIP, 2);
    assert_episode(out[1], ALERT_FIRING, 4, 5, SKIP, 5, 2);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 1, 2, 3, SKIP, 2);
    assert_episode(out[1], ALERT_RESOLVED, 4, 5, 6, SKIP, 2);
    assert_untouched(out[2]);
}

static void test_resolved_then_pending_at_end(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 2);
    /* Fires at 1, resolves at 2; a pending run still open at the end is an episode. */
    const double v[] = {69, 68, 80, 69};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 0, 1, 2, SKIP, 2);
    assert_episode(out[1], ALERT_PENDING, 3, SKIP, SKIP, 3, 1);
}

/* ---- the state machine: above ------------------------------------------------------ */

static void test_above_episodes(void **state)
{
    /* Thuiszitters above 10, clear at 8, for 2. */
    alert_rule r = rule(RULE_ABOVE, 10, 8, 2);
    /* 0: 9 band, 1: 10 at the threshold (band), 2: 11 met (onset), 3: 12 met (fires),
     * 4: 9 band (stays firing), 5: 13 met, 6: exactly 8 resolves, 7: 10 band (nothing),
     * 8: 11 met (a new pending episode). */
    const double v[] = {9, 10, 11, 12, 9, 13, 8, 10, 11};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 2, out), 0);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 3, out), 1);
    assert_episode(out[0], ALERT_PENDING, 2, SKIP, SKIP, 2, 1);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 4, out), 1);
    assert_episode(out[0], ALERT_FIRING, 2, 3, SKIP, 3, 2);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 5, out), 1);
    assert_episode(out[0], ALERT_FIRING, 2, 3, SKIP, 4, 2);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 6, out), 1);
    assert_episode(out[0], ALERT_FIRING, 2, 3, SKIP, 5, 3);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 7, out), 1);
    assert_episode(out[0], ALERT_RESOLVED, 2, 3, 6, SKIP, 3);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, 8, out), 1);
    assert_int_equal(RUN(&r, BETTER_LOWER, v, N(v), out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 2, 3, 6, SKIP, 3);
    assert_episode(out[1], ALERT_PENDING, 8, SKIP, SKIP, 8, 1);
    assert_untouched(out[2]);
}

static void test_above_pending_cancelled(void **state)
{
    alert_rule r = rule(RULE_ABOVE, 10, 8, 2);
    /* 0 met, 1 band cancels; 2 met, 3 clear cancels: no episode. */
    const double v[] = {11, 9, 12, 7};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_LOWER, v, N(v), out), 0);
    assert_untouched(out[0]);
    /* Without hysteresis, exactly 10 clears a pending run too. */
    alert_rule q = rule(RULE_ABOVE, 10, 10, 3);
    const double w[] = {11, 12, 10, 11};
    assert_int_equal(RUN(&q, BETTER_LOWER, w, N(w), out), 1);
    assert_episode(out[0], ALERT_PENDING, 3, SKIP, SKIP, 3, 1);
}

/* ---- unknown points ---------------------------------------------------------------- */

static void test_unknown_neither_counts_nor_breaks(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    /* met, unknown, met, met: the unknown month neither counts nor breaks the run, so it
     * fires at the 4th point with 3 met. */
    const double v[] = {69, U, 68, 67};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 2, out), 1);
    assert_episode(out[0], ALERT_PENDING, 0, SKIP, SKIP, 0, 1); /* last: the one with data */
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 3, out), 1);
    assert_episode(out[0], ALERT_PENDING, 0, SKIP, SKIP, 2, 2);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 3, SKIP, 3, 3);
}

static void test_unknown_runs_of_several(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    /* Unknown before the onset starts nothing; gaps of two inside the run. */
    const double v[] = {U, 69, U, U, 68, U, 67};
    const double w[] = {U, U, U};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 6, SKIP, 6, 3);
    assert_int_equal(RUN(&r, BETTER_HIGHER, w, N(w), out), 0);
    assert_untouched(out[0]);
}

static void test_firing_through_unknown(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    /* Fires at 2; two months without figures: still firing, last stays at 2. */
    const double v[] = {69, 68, 67, U, U, 66};
    const double w[] = {69, 68, 67, U, U, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 5, out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 2, SKIP, 2, 3);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 2, SKIP, 5, 4);
    /* Only a clear point resolves it. */
    assert_int_equal(RUN(&r, BETTER_HIGHER, w, N(w), out), 1);
    assert_episode(out[0], ALERT_RESOLVED, 0, 2, 5, SKIP, 3);
}

static void test_pending_through_unknown_then_clear(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 3);
    const double v[] = {69, U, 80};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 0);
    assert_untouched(out[0]);
}

/* ---- the state machine with references: slip and off_track ------------------------- */

static void test_slip_episodes(void **state)
{
    alert_rule r = rule(RULE_SLIP, 5, 0, 2);
    /* Month on month: 0 no reference (unknown), 1 drop 5 (met), 2 drop 6 (met, fires),
     * 3 no reference (stays firing), 4 drop 1 (clear, resolves). */
    const double v[] = {80, 75, 69, 70, 69};
    const double ref[] = {U, 80, 75, U, 70};
    alert_episode out[8];
    (void)state;
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, ref, 4, out, 8, 8), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 2, SKIP, 2, 2);
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, ref, N(v), out, 8, 8), 1);
    assert_episode(out[0], ALERT_RESOLVED, 1, 2, 4, SKIP, 2);
}

static void test_off_track_episodes(void **state)
{
    alert_rule r = rule(RULE_OFF_TRACK, 1, 0, 2);
    /* Lower is better, path rising from 10: 0 on track, 1 no path (unknown), 2 and 3 more
     * than 1 above (met: fires at 3). */
    const double v[] = {10, 20, 13, 14};
    const double path[] = {10, U, 11, 12};
    alert_episode out[8];
    (void)state;
    assert_int_equal(episodes(&r, BETTER_LOWER, v, path, N(v), out, 8, 8), 1);
    assert_episode(out[0], ALERT_FIRING, 2, 3, SKIP, 3, 2);
}

/* ---- the state machine: late ------------------------------------------------------- */

static void test_late_two_missing_months_fire(void **state)
{
    alert_rule r = rule(RULE_LATE, 0, 0, 2);
    const double v[] = {REPORTED, MISSING, MISSING};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 2, out), 1);
    assert_episode(out[0], ALERT_PENDING, 1, SKIP, SKIP, 1, 1);
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, N(v), out), 1);
    assert_episode(out[0], ALERT_FIRING, 1, 2, SKIP, 2, 2);
}

static void test_late_reporting_cancels_or_resolves(void **state)
{
    alert_rule r = rule(RULE_LATE, 0, 0, 2);
    alert_episode out[8];
    (void)state;
    /* The earlier of the two months comes in: only the later one is missing, pending. */
    const double a[] = {REPORTED, REPORTED, MISSING};
    assert_int_equal(RUN(&r, BETTER_HIGHER, a, N(a), out), 1);
    assert_episode(out[0], ALERT_PENDING, 2, SKIP, SKIP, 2, 1);
    /* The later one comes in: the pending run is cancelled, no episode. */
    const double b[] = {REPORTED, MISSING, REPORTED};
    assert_int_equal(RUN(&r, BETTER_HIGHER, b, N(b), out), 0);
    assert_untouched(out[0]);
    /* Firing on two missing months, then the next month is reported: resolved there. */
    const double c[] = {MISSING, MISSING, REPORTED};
    assert_int_equal(RUN(&r, BETTER_HIGHER, c, N(c), out), 1);
    assert_episode(out[0], ALERT_RESOLVED, 0, 1, 2, SKIP, 2);
    /* ... and missing again afterwards: a second, pending episode. */
    const double d[] = {MISSING, MISSING, REPORTED, MISSING};
    assert_int_equal(RUN(&r, BETTER_HIGHER, d, N(d), out), 2);
    assert_episode(out[0], ALERT_RESOLVED, 0, 1, 2, SKIP, 2);
    assert_episode(out[1], ALERT_PENDING, 3, SKIP, SKIP, 3, 1);
}

static void test_late_before_deadline_is_unknown(void **state)
{
    alert_rule r = rule(RULE_LATE, 0, 0, 2);
    alert_episode out[8];
    (void)state;
    /* The newest month is before its deadline: a firing alert stays firing. */
    const double a[] = {MISSING, MISSING, U};
    assert_int_equal(RUN(&r, BETTER_HIGHER, a, N(a), out), 1);
    assert_episode(out[0], ALERT_FIRING, 0, 1, SKIP, 1, 2);
    /* ... and a pending one stays pending. */
    const double b[] = {REPORTED, MISSING, U};
    assert_int_equal(RUN(&r, BETTER_HIGHER, b, N(b), out), 1);
    assert_episode(out[0], ALERT_PENDING, 1, SKIP, SKIP, 1, 1);
}

/* ---- max --------------------------------------------------------------------------- */

static void test_max_smaller_than_count(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 1);
    /* Three episodes: 0 (resolved at 1), 2 (resolved at 3), 4 (firing). */
    const double v[] = {69, 80, 68, 80, 67};
    alert_episode out[8];
    (void)state;
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, NULL, N(v), out, 8, 8), 3);
    assert_episode(out[0], ALERT_RESOLVED, 0, 0, 1, SKIP, 1);
    assert_episode(out[1], ALERT_RESOLVED, 2, 2, 3, SKIP, 1);
    assert_episode(out[2], ALERT_FIRING, 4, 4, SKIP, 4, 1);
    assert_untouched(out[3]);
    /* max 2: the total, but only the oldest two written. */
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, NULL, N(v), out, 2, 8), 3);
    assert_episode(out[0], ALERT_RESOLVED, 0, 0, 1, SKIP, 1);
    assert_episode(out[1], ALERT_RESOLVED, 2, 2, 3, SKIP, 1);
    assert_untouched(out[2]);
    /* max 1 and max 0. */
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, NULL, N(v), out, 1, 8), 3);
    assert_episode(out[0], ALERT_RESOLVED, 0, 0, 1, SKIP, 1);
    assert_untouched(out[1]);
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, NULL, N(v), out, 0, 8), 3);
    assert_untouched(out[0]);
    /* max exactly the count. */
    assert_int_equal(episodes(&r, BETTER_HIGHER, v, NULL, N(v), out, 3, 8), 3);
    assert_episode(out[2], ALERT_FIRING, 4, 4, SKIP, 4, 1);
    assert_untouched(out[3]);
}

static void test_empty_series(void **state)
{
    alert_rule r = rule(RULE_BELOW, 70, 70, 1);
    const double v[] = {69};
    alert_episode out[8];
    (void)state;
    assert_int_equal(RUN(&r, BETTER_HIGHER, v, 0, out), 0);
    assert_untouched(out[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_kind_names),
        cmocka_unit_test(test_severity_names),
        cmocka_unit_test(test_state_names_round_trip),
        cmocka_unit_test(test_state_parse_unknown),
        cmocka_unit_test(test_below_condition),
        cmocka_unit_test(test_below_hysteresis_condition),
        cmocka_unit_test(test_above_condition),
        cmocka_unit_test(test_above_hysteresis_condition),
        cmocka_unit_test(test_slip_higher_is_better),
        cmocka_unit_test(test_slip_lower_is_better),
        cmocka_unit_test(test_slip_against_year),
        cmocka_unit_test(test_off_track_higher_is_better),
        cmocka_unit_test(test_off_track_lower_is_better),
        cmocka_unit_test(test_late_condition),
        cmocka_unit_test(test_below_fires_on_third_met),
        cmocka_unit_test(test_for_one_fires_at_onset),
        cmocka_unit_test(test_firing_keeps_counting_met),
        cmocka_unit_test(test_below_hysteresis_episode),
        cmocka_unit_test(test_band_then_met_again_same_episode),
        cmocka_unit_test(test_pending_cancelled_by_band),
        cmocka_unit_test(test_band_cancel_then_new_run),
        cmocka_unit_test(test_pending_cancelled_by_clear),
        cmocka_unit_test(test_recovery_then_second_episode),
        cmocka_unit_test(test_resolved_then_pending_at_end),
        cmocka_unit_test(test_above_episodes),
        cmocka_unit_test(test_above_pending_cancelled),
        cmocka_unit_test(test_unknown_neither_counts_nor_breaks),
        cmocka_unit_test(test_unknown_runs_of_several),
        cmocka_unit_test(test_firing_through_unknown),
        cmocka_unit_test(test_pending_through_unknown_then_clear),
        cmocka_unit_test(test_slip_episodes),
        cmocka_unit_test(test_off_track_episodes),
        cmocka_unit_test(test_late_two_missing_months_fire),
        cmocka_unit_test(test_late_reporting_cancels_or_resolves),
        cmocka_unit_test(test_late_before_deadline_is_unknown),
        cmocka_unit_test(test_max_smaller_than_count),
        cmocka_unit_test(test_empty_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
