/* Unit tests for daemon/verdict.c: what a figure says about its target, or why it says
 * nothing.
 *
 * Expectations from daemon/verdict.h and the targets of config/catalog.conf (loaded once
 * for the group; tests run from the repository root):
 *   vve_bereik       higher, 77% in 2022 -> 85% in 2027, judged per month, quarter, year
 *   vsv_pct          lower, 1.9% in 2026/27, judged per school year only (the default)
 *   vve_uren         higher, a standing norm: 16 hours a week since 2020, every kind
 *   rijke_schooldag  higher, 1250 pupils in 2025, judged per month, quarter, year
 *   thuiszitters     lower, baseline 2024 from the data -> 9 in 2027
 * A figure is judged only when final or closed, with a value, plausible, and of a kind of
 * period the target judges; before the goal period's last month against the path (on or
 * off), from it on against the goal (reached or not); a standing norm against the norm.
 * "As good" means >= for higher, <= for lower, |v - ideal| <= |mark - ideal| for closer.
 * The path at a period is the caller's (has_path, path), given by hand here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "figure_state.h"
#include "period.h"
#include "verdict.h"

#define CATALOG_CONF "config/catalog.conf"
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define U NAN /* no value, or no path */

static catalog cat;

static int load_catalog(void **state)
{
    lm_error err;
    (void)state;
    if (catalog_load(&cat, CATALOG_CONF, &err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", CATALOG_CONF, err.msg);
        return -1;
    }
    return 0;
}

static int free_catalog(void **state)
{
    (void)state;
    catalog_free(&cat);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------- */

static period P(const char *text)
{
    period p;
    if (period_parse(text, &p) != 0)
        fail_msg("'%s' is not a period", text);
    return p;
}

static const indicator *ind_of(const char *code)
{
    const indicator *i = catalog_indicator(&cat, code);
    if (!i)
        fail_msg("indicator %s is not in %s", code, CATALOG_CONF);
    return i;
}

/* The catalogue's target of an indicator (the shipped ones have one each, without area). */
static const target *target_of(const char *code)
{
    const indicator *ind = ind_of(code);
    for (size_t i = 0; i < cat.n_targets; i++)
        if (cat.targets[i].ind == ind)
            return &cat.targets[i];
    fail_msg("no target for %s in %s", code, CATALOG_CONF);
    return NULL;
}

static const char *kind_text(verdict_kind k)
{
    return verdict_name(k);
}

/* One case of a table: a figure and what must be said of it. reason: the whole reason
 * (exact) unless it ends in "...", then its start. */
typedef struct {
    const char *ind, *period;
    figure_state state;
    bool plausible;
    double value, path;   /* U: none */
    int expected, reported;
    verdict_kind want;
    double mark;          /* U: no mark */
    const char *reason;
} verdict_case;

static bool reason_matches(const char *got, const char *want)
{
    size_t n = strlen(want);
    if (n >= 3 && strcmp(want + n - 3, "...") == 0)
        return strncmp(got, want, n - 3) == 0;
    return strcmp(got, want) == 0;
}

static bool mark_matches(const verdict *v, double want)
{
    if (isnan(want))
        return !v->has_mark;
    return v->has_mark && fabs(v->mark - want) <= 1e-9 * fmax(1.0, fabs(want));
}

/* Judge every case against t (NULL: the catalogue's target of the case's indicator) with
 * indicator ind (NULL: the case's); collect what differs. */
static void run_cases(const verdict_case *cases, size_t n, const indicator *ind,
                      const target *t)
{
    char report[16384] = "";
    for (size_t i = 0; i < n; i++) {
        const verdict_case *c = &cases[i];
        const indicator *in = ind ? ind : ind_of(c->ind);
        const target *tg = t ? t : target_of(c->ind);
        verdict_figure f = {P(c->period), c->state, c->plausible, !isnan(c->value),
                            isnan(c->value) ? 0 : c->value, !isnan(c->path),
                            isnan(c->path) ? 0 : c->path, c->expected, c->reported};
        verdict v;
        memset(&v, 0x5a, sizeof v);
        verdict_judge(in, tg, &f, &v);
        bool terminated = memchr(v.reason, '\0', sizeof v.reason) != NULL;
        if (v.kind != c->want || !mark_matches(&v, c->mark) || !terminated ||
            !reason_matches(v.reason, c->reason))
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s %s, value %g, path %g): %s, mark %s%g, \"%.160s\"; want %s, "
                     "mark %g, \"%s\"\n",
                     i, c->ind, c->period, c->value, c->path, kind_text(v.kind),
                     v.has_mark ? "" : "none ", v.has_mark ? v.mark : 0.0,
                     terminated ? v.reason : "(not terminated)", kind_text(c->want), c->mark,
                     c->reason);
    }
    if (report[0])
        fail_msg("%s", report);
}

#define F STATE_FINAL
#define NJ VERDICT_NOT_JUDGED

/* ---- names ------------------------------------------------------------------------- */

static void test_verdict_names(void **state)
{
    (void)state;
    assert_string_equal(verdict_name(VERDICT_NOT_JUDGED), "not_judged");
    assert_string_equal(verdict_name(VERDICT_ON_PATH), "on_path");
    assert_string_equal(verdict_name(VERDICT_OFF_PATH), "off_path");
    assert_string_equal(verdict_name(VERDICT_REACHED), "reached");
    assert_string_equal(verdict_name(VERDICT_NOT_REACHED), "not_reached");
    assert_string_equal(verdict_name((verdict_kind)5), "?");
    assert_string_equal(verdict_name((verdict_kind)-1), "?");
}

/* The shipped targets as the tables below assume them. */
static void test_shipped_targets(void **state)
{
    (void)state;
    const target *t = target_of("vve_bereik");
    assert_int_equal(t->goal_period.kind, PERIOD_YEAR);
    assert_int_equal(t->goal_period.year, 2027);
    assert_true(t->goal_value == 85.0);
    assert_true(t->has_baseline && t->has_baseline_value && t->baseline_value == 77.0);
    assert_int_equal(t->judged, (1u << PERIOD_MONTH) | (1u << PERIOD_QUARTER) | (1u << PERIOD_YEAR));
    assert_false(t->standing);
    t = target_of("vsv_pct");
    assert_int_equal(t->goal_period.kind, PERIOD_SCHOOLYEAR);
    assert_int_equal(t->goal_period.year, 2026);
    assert_true(t->goal_value == 1.9);
    assert_int_equal(t->judged, 1u << PERIOD_SCHOOLYEAR); /* the goal's own kind */
    assert_false(t->standing);
    t = target_of("vve_uren");
    assert_true(t->standing);
    assert_int_equal(t->goal_period.kind, PERIOD_YEAR);
    assert_int_equal(t->goal_period.year, 2020);
    assert_true(t->goal_value == 16.0);
    assert_int_equal(t->judged, 0xFu);
    t = target_of("rijke_schooldag");
    assert_int_equal(t->goal_period.year, 2025);
    assert_true(t->goal_value == 1250.0);
    assert_false(t->has_baseline);
    assert_int_equal(ind_of("vsv_pct")->better, BETTER_LOWER);
    assert_int_equal(ind_of("vve_bereik")->better, BETTER_HIGHER);
}

/* ---- not judged -------------------------------------------------------------------- */

static void test_not_judged(void **state)
{
    static const verdict_case cases[] = {
        /* Open: whatever the value, with the reason. */
        {"vve_bereik", "2026-10", STATE_OPEN, true, 90, 83.1, 4, 4, NJ, U,
         "2026-10 has not ended yet"},
        {"vve_bereik", "2026-Q4", STATE_OPEN, true, 90, 83.3, 4, 1, NJ, U,
         "2026-Q4 has not ended yet"},
        {"vve_bereik", "2027", STATE_OPEN, true, 90, 85, 4, 4, NJ, U, "2027 has not ended yet"},
        /* Provisional: who is in, of whom. */
        {"vve_bereik", "2026-10", STATE_PROVISIONAL, true, 64, 83.1, 4, 2, NJ, U,
         "provisional: 2 of 4 reporters in for 2026-10, before the deadline"},
        {"vsv_pct", "2026/27", STATE_PROVISIONAL, true, 1.5, U, 7, 0, NJ, U,
         "provisional: 0 of 7 reporters in for 2026/27, before the deadline"},
        /* Final, no value. */
        {"vve_bereik", "2026-10", F, true, U, 83.1, 4, 4, NJ, U, "no value for 2026-10"},
        {"vve_uren", "2026-10", F, true, U, U, 2, 0, NJ, U, "no value for 2026-10"},
        /* Final, a value that cannot be true. */
        {"vve_bereik", "2026-10", F, false, 150, 83.1, 4, 4, NJ, U,
         "the value for 2026-10 cannot be true: a check of the catalogue failed"},
        {"vve_bereik", "2027", F, false, 150, 85, 4, 4, NJ, U,
         "the value for 2027 cannot be true: a check of the catalogue failed"},
        /* A kind of period the target does not judge. */
        {"vsv_pct", "2026-10", F, true, 1.5, U, 2, 2, NJ, U,
         "the target is set per school year; 2026-10 is a month"},
        {"vsv_pct", "2027-07", F, true, 1.5, U, 2, 2, NJ, U,
         "the target is set per school year; 2027-07 is a month"},
        {"vsv_pct", "2027-Q2", F, true, 1.5, U, 2, 2, NJ, U,
         "the target is set per school year; 2027-Q2 is a quarter"},
        {"vsv_pct", "2027", F, true, 1.5, U, 2, 2, NJ, U,
         "the target is set per school year; 2027 is a year"},
        {"vve_bereik", "2025/26", F, true, 90, 81.5, 4, 4, NJ, U,
         "the target is judged per month, quarter or year; 2025/26 is a school year"},
        {"rijke_schooldag", "2024/25", F, true, 1300, U, 1, 1, NJ, U,
         "the target is judged per month, quarter or year; 2024/25 is a school year"},
        /* Before the goal period's last month without a path. */
        {"vve_bereik", "2022-06", F, true, 80, U, 4, 4, NJ, U,
         "the target has no path at 2022-06 (before its baseline, or a baseline without a "
         "figure)"},
        {"rijke_schooldag", "2025-06", F, true, 1300, U, 1, 1, NJ, U,
         "the target has no path at 2025-06..."},
        {"vsv_pct", "2025/26", F, true, 2.0, U, 2, 2, NJ, U,
         "the target has no path at 2025/26..."},
    };
    (void)state;
    run_cases(cases, N(cases), NULL, NULL);
}

/* ---- on or off the path ------------------------------------------------------------ */

static void test_path(void **state)
{
    /* vve_bereik's path runs 77 (2022-12) to 85 (2027-12): 8/60 a month; 2026-10 is 46
     * months on, 83.1333; 2027-11 is 84.8667. thuiszitters' path at 2026-Q3 in
     * PROTOCOL.md is 11.0833. */
    static const verdict_case cases[] = {
        {"vve_bereik", "2026-10", F, true, 84, 83.133333, 4, 4, VERDICT_ON_PATH, 83.133333,
         "on the path to the goal for 2027"},
        {"vve_bereik", "2026-10", F, true, 83.133333, 83.133333, 4, 4, VERDICT_ON_PATH,
         83.133333, "on the path to the goal for 2027"},
        {"vve_bereik", "2026-10", F, true, 64, 83.133333, 4, 3, VERDICT_OFF_PATH, 83.133333,
         "off the path to the goal for 2027"},
        {"vve_bereik", "2026-10", F, true, 83.13, 83.133333, 4, 4, VERDICT_OFF_PATH,
         83.133333, "off the path to the goal for 2027"},
        /* Closed is judged like final. */
        {"vve_bereik", "2026-10", STATE_CLOSED, true, 84, 83.133333, 4, 2, VERDICT_ON_PATH,
         83.133333, "on the path to the goal for 2027"},
        /* A quarter and a year before the goal's end: the path. */
        {"vve_bereik", "2026-Q4", F, true, 83, 83.4, 4, 4, VERDICT_OFF_PATH, 83.4,
         "off the path to the goal for 2027"},
        {"vve_bereik", "2026", F, true, 84, 83.4, 4, 4, VERDICT_ON_PATH, 83.4,
         "on the path to the goal for 2027"},
        {"vve_bereik", "2027-Q3", F, true, 86, 84.6, 4, 4, VERDICT_ON_PATH, 84.6,
         "on the path to the goal for 2027"},
        /* The month before the goal period's last: still the path, though above the goal
         * would also be reached. */
        {"vve_bereik", "2027-11", F, true, 84.5, 84.866667, 4, 4, VERDICT_OFF_PATH, 84.866667,
         "off the path to the goal for 2027"},
        {"vve_bereik", "2027-11", F, true, 85, 84.866667, 4, 4, VERDICT_ON_PATH, 84.866667,
         "on the path to the goal for 2027"},
        /* Lower is better. */
        {"thuiszitters", "2026-Q3", F, true, 12, 11.083333, 1, 1, VERDICT_OFF_PATH, 11.083333,
         "off the path to the goal for 2027"},
        {"thuiszitters", "2026-Q3", F, true, 11, 11.083333, 1, 1, VERDICT_ON_PATH, 11.083333,
         "on the path to the goal for 2027"},
        {"thuiszitters", "2026-Q3", F, true, 11.083333, 11.083333, 1, 1, VERDICT_ON_PATH,
         11.083333, "on the path to the goal for 2027"},
        {"vsv_pct", "2025/26", F, true, 2.0, 2.1, 2, 2, VERDICT_ON_PATH, 2.1,
         "on the path to the goal for 2026/27"},
        {"vsv_pct", "2025/26", F, true, 2.2, 2.1, 2, 2, VERDICT_OFF_PATH, 2.1,
         "off the path to the goal for 2026/27"},
    };
    (void)state;
    run_cases(cases, N(cases), NULL, NULL);
}

/* ---- reached or not ---------------------------------------------------------------- */

static void test_goal(void **state)
{
    static const verdict_case cases[] = {
        /* From the goal period's last month on, the goal, with or without a path. */
        {"vve_bereik", "2027-12", F, true, 85, U, 4, 4, VERDICT_REACHED, 85,
         "reached the goal for 2027"},
        {"vve_bereik", "2027-12", F, true, 85, 85, 4, 4, VERDICT_REACHED, 85,
         "reached the goal for 2027"},
        {"vve_bereik", "2027-12", F, true, 84.9, 85, 4, 4, VERDICT_NOT_REACHED, 85,
         "not reached the goal for 2027"},
        {"vve_bereik", "2027-Q4", F, true, 86, U, 4, 4, VERDICT_REACHED, 85,
         "reached the goal for 2027"},
        {"vve_bereik", "2027", F, true, 80, U, 4, 4, VERDICT_NOT_REACHED, 85,
         "not reached the goal for 2027"},
        {"vve_bereik", "2027", STATE_CLOSED, true, 85.5, U, 4, 3, VERDICT_REACHED, 85,
         "reached the goal for 2027"},
        /* After the goal period (verdict_after_goal tells the caller to judge the goal
         * period's own figure instead), the goal still. */
        {"vve_bereik", "2028-03", F, true, 90, U, 4, 4, VERDICT_REACHED, 85,
         "reached the goal for 2027"},
        {"vve_bereik", "2028", F, true, 70, U, 4, 4, VERDICT_NOT_REACHED, 85,
         "not reached the goal for 2027"},
        /* Lower is better, per school year. */
        {"vsv_pct", "2026/27", F, true, 1.9, U, 2, 2, VERDICT_REACHED, 1.9,
         "reached the goal for 2026/27"},
        {"vsv_pct", "2026/27", F, true, 1.2, U, 2, 2, VERDICT_REACHED, 1.9,
         "reached the goal for 2026/27"},
        {"vsv_pct", "2026/27", F, true, 2.0, U, 2, 2, VERDICT_NOT_REACHED, 1.9,
         "not reached the goal for 2026/27"},
        {"vsv_pct", "2027/28", F, true, 1.8, U, 2, 2, VERDICT_REACHED, 1.9,
         "reached the goal for 2026/27"},
        /* A sum, 1250 pupils in 2025. */
        {"rijke_schooldag", "2025-12", F, true, 1250, U, 1, 1, VERDICT_REACHED, 1250,
         "reached the goal for 2025"},
        {"rijke_schooldag", "2025-12", F, true, 1249, U, 1, 1, VERDICT_NOT_REACHED, 1250,
         "not reached the goal for 2025"},
        {"rijke_schooldag", "2025-Q4", F, true, 1300, U, 1, 1, VERDICT_REACHED, 1250,
         "reached the goal for 2025"},
        {"rijke_schooldag", "2025", F, true, 1100, U, 1, 1, VERDICT_NOT_REACHED, 1250,
         "not reached the goal for 2025"},
        {"thuiszitters", "2027", F, true, 9, U, 1, 1, VERDICT_REACHED, 9,
         "reached the goal for 2027"},
        {"thuiszitters", "2027", F, true, 10, U, 1, 1, VERDICT_NOT_REACHED, 9,
         "not reached the goal for 2027"},
    };
    (void)state;
    run_cases(cases, N(cases), NULL, NULL);
}

/* ---- a standing norm --------------------------------------------------------------- */

static void test_standing_norm(void **state)
{
    /* vve_uren: 16 hours a week since 2020, for every period from then on, of any kind;
     * it has no baseline and so no path. */
    static const verdict_case cases[] = {
        {"vve_uren", "2026-10", F, true, 16, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2026-10", F, true, 17.5, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2026-10", F, true, 15.5, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2026-Q3", F, true, 15.9, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2026", F, true, 16.2, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2025/26", F, true, 16.5, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2020", F, true, 15, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2020-12", F, true, 15, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2020/21", F, true, 16, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2031-01", F, true, 12, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        /* Still not judged while provisional. */
        {"vve_uren", "2026-10", STATE_PROVISIONAL, true, 12, U, 3, 1, NJ, U,
         "provisional: 1 of 3 reporters in for 2026-10, before the deadline"},
        /* Before the norm's period there is nothing to hold a figure against. */
        {"vve_uren", "2019-12", F, true, 12, U, 3, 3, NJ, U,
         "the target has no path at 2019-12..."},
    };
    (void)state;
    run_cases(cases, N(cases), NULL, NULL);
}

/* catalog.h: a standing target is "a norm: the goal holds for every period from the goal
 * period on". The goal period of vve_uren is 2020, so a month inside it (September 2020,
 * after the 960 hours took effect on 1 August 2020) is held against the norm too, not
 * against a path the norm does not have. */
static void test_standing_norm_inside_its_goal_period(void **state)
{
    static const verdict_case cases[] = {
        {"vve_uren", "2020-09", F, true, 15, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2020-09", F, true, 16, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
        {"vve_uren", "2020-Q3", F, true, 15, U, 3, 3, VERDICT_NOT_REACHED, 16,
         "does not meet the norm that holds since 2020"},
        {"vve_uren", "2020-01", F, true, 16, U, 3, 3, VERDICT_REACHED, 16,
         "meets the norm that holds since 2020"},
    };
    (void)state;
    run_cases(cases, N(cases), NULL, NULL);
}

/* ---- closer to an ideal ------------------------------------------------------------ */

static void test_closer_is_better(void **state)
{
    /* vve_doelgroep_aandeel: ideal 50%. A hand-made goal: within 5 points of it (55) in
     * 2027, judged per month, from a baseline of 70 in 2025. */
    const indicator *ind = ind_of("vve_doelgroep_aandeel");
    target t;
    memset(&t, 0, sizeof t);
    t.ind = ind;
    t.baseline_period = P("2025");
    t.has_baseline = t.has_baseline_value = true;
    t.baseline_value = 70;
    t.goal_period = P("2027");
    t.goal_value = 55;
    t.judged = 1u << PERIOD_MONTH;
    static const verdict_case cases[] = {
        {"vve_doelgroep_aandeel", "2027-12", F, true, 55, U, 2, 2, VERDICT_REACHED, 55,
         "reached the goal for 2027"},
        {"vve_doelgroep_aandeel", "2027-12", F, true, 45, U, 2, 2, VERDICT_REACHED, 55,
         "reached the goal for 2027"},
        {"vve_doelgroep_aandeel", "2027-12", F, true, 50, U, 2, 2, VERDICT_REACHED, 55,
         "reached the goal for 2027"},
        {"vve_doelgroep_aandeel", "2027-12", F, true, 44, U, 2, 2, VERDICT_NOT_REACHED, 55,
         "not reached the goal for 2027"},
        {"vve_doelgroep_aandeel", "2027-12", F, true, 56, U, 2, 2, VERDICT_NOT_REACHED, 55,
         "not reached the goal for 2027"},
        /* Path 60 (10 from the ideal): 52 and 41 are within 10, 39 and 61 are not. */
        {"vve_doelgroep_aandeel", "2026-12", F, true, 52, 60, 2, 2, VERDICT_ON_PATH, 60,
         "on the path to the goal for 2027"},
        {"vve_doelgroep_aandeel", "2026-12", F, true, 41, 60, 2, 2, VERDICT_ON_PATH, 60,
         "on the path to the goal for 2027"},
        {"vve_doelgroep_aandeel", "2026-12", F, true, 39, 60, 2, 2, VERDICT_OFF_PATH, 60,
         "off the path to the goal for 2027"},
        {"vve_doelgroep_aandeel", "2026-12", F, true, 61, 60, 2, 2, VERDICT_OFF_PATH, 60,
         "off the path to the goal for 2027"},
        /* judged per month only: the year 2027 is not judged. */
        {"vve_doelgroep_aandeel", "2027", F, true, 50, U, 2, 2, NJ, U, "the target is judged per month; 2027 is a year"},
    };
    (void)state;
    run_cases(cases, N(cases), ind, &t);
}

/* A target may judge fewer kinds than its goal's own (judged_per = ["month"] for a goal in
 * 2027): a year is then not judged, and the reason must not contradict itself by saying
 * the target is set per year while refusing a year. */
static void test_not_judged_kind_reason(void **state)
{
    const indicator *ind = ind_of("vve_bereik");
    target t = *target_of("vve_bereik");
    verdict v;
    (void)state;
    t.judged = 1u << PERIOD_MONTH;
    verdict_figure f = {P("2027"), STATE_FINAL, true, true, 86, false, 0, 4, 4};
    verdict_judge(ind, &t, &f, &v);
    assert_int_equal(v.kind, VERDICT_NOT_JUDGED);
    assert_false(v.has_mark);
    if (strstr(v.reason, "set per year; 2027 is a year"))
        fail_msg("reason \"%s\": a year refused by a target said to be set per year", v.reason);
    /* The month is judged. */
    f.p = P("2027-12");
    verdict_judge(ind, &t, &f, &v);
    assert_int_equal(v.kind, VERDICT_REACHED);
}

/* ---- as good ----------------------------------------------------------------------- */

static void test_as_good(void **state)
{
    indicator higher, lower, closer;
    memset(&higher, 0, sizeof higher);
    higher.better = BETTER_HIGHER;
    lower = higher;
    lower.better = BETTER_LOWER;
    closer = higher;
    closer.better = BETTER_CLOSER;
    closer.ideal = 50;
    static const struct {
        int which; /* 0 higher, 1 lower, 2 closer */
        double value, mark;
        bool want;
    } cases[] = {
        {0, 80, 80, true}, {0, 80.1, 80, true}, {0, 79.9, 80, false}, {0, 0, 0, true},
        {0, -1, 0, false},
        {1, 2, 2, true}, {1, 1.9, 2, true}, {1, 2.1, 2, false}, {1, 0, 0, true},
        {2, 45, 55, true}, {2, 55, 45, true}, {2, 55, 55, true}, {2, 50, 55, true},
        {2, 44.9, 55, false}, {2, 55.1, 55, false}, {2, 50, 50, true}, {2, 50.1, 50, false},
        {2, 49.9, 50, false}, {2, 60, 40, true}, {2, 61, 40, false},
    };
    const indicator *inds[] = {&higher, &lower, &closer};
    char report[4096] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        bool got = verdict_as_good(inds[cases[i].which], cases[i].value, cases[i].mark);
        if (got != cases[i].want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (better %d, %g against %g): %d, want %d\n", i, cases[i].which,
                     cases[i].value, cases[i].mark, got, cases[i].want);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* ---- after the goal ---------------------------------------------------------------- */

static void test_after_goal(void **state)
{
    static const struct {
        const char *ind, *period;
        bool want;
    } cases[] = {
        {"vve_bereik", "2026-10", false}, {"vve_bereik", "2027-12", false},
        {"vve_bereik", "2028-01", true},  {"vve_bereik", "2027-Q4", false},
        {"vve_bereik", "2028-Q1", true},  {"vve_bereik", "2027", false},
        {"vve_bereik", "2028", true},     {"vve_bereik", "2027/28", false}, /* Aug 2027 on */
        {"vve_bereik", "2028/29", true},
        {"vsv_pct", "2026/27", false},    {"vsv_pct", "2027/28", true},
        {"vsv_pct", "2027-07", false},    {"vsv_pct", "2027-08", true},
        {"vsv_pct", "2027", false},       {"vsv_pct", "2028", true},
        {"rijke_schooldag", "2025-12", false}, {"rijke_schooldag", "2026-01", true},
        {"rijke_schooldag", "2026", true},
        /* A standing norm holds on: never "after" it. */
        {"vve_uren", "2020", false},      {"vve_uren", "2021-01", false},
        {"vve_uren", "2030", false},      {"vve_uren", "2030/31", false},
    };
    char report[4096] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        period p = P(cases[i].period);
        bool got = verdict_after_goal(target_of(cases[i].ind), &p);
        if (got != cases[i].want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s %s): %d, want %d\n", i, cases[i].ind, cases[i].period, got,
                     cases[i].want);
    }
    if (report[0])
        fail_msg("%s", report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_names),
        cmocka_unit_test(test_shipped_targets),
        cmocka_unit_test(test_not_judged),
        cmocka_unit_test(test_path),
        cmocka_unit_test(test_goal),
        cmocka_unit_test(test_standing_norm),
        cmocka_unit_test(test_standing_norm_inside_its_goal_period),
        cmocka_unit_test(test_closer_is_better),
        cmocka_unit_test(test_not_judged_kind_reason),
        cmocka_unit_test(test_as_good),
        cmocka_unit_test(test_after_goal),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
