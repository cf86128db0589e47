/* Unit tests for daemon/rollup.c: the arithmetic of an indicator over a period.
 *
 * The shipped catalogue (config/catalog.conf, loaded once for the group; tests run from
 * the repository root) supplies the metrics and indicators; a few tests build their own.
 * Every expected value is computed by hand in the comment beside it. Month rules
 * (docs/indicators.md): last = the latest month reported in the period, sum = the months
 * added, avg = the mean of the months reported; then parts add up across reporters and
 * areas, so a ratio is sum over sum, never a mean of percentages. */
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
#include "period.h"
#include "rollup.h"

#define CATALOG_CONF "config/catalog.conf"

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

static const metric *met(const char *code)
{
    const metric *m = catalog_metric(&cat, code);
    if (!m)
        fail_msg("metric %s is not in %s", code, CATALOG_CONF);
    return m;
}

static const indicator *ind_of(const char *code)
{
    const indicator *i = catalog_indicator(&cat, code);
    if (!i)
        fail_msg("indicator %s is not in %s", code, CATALOG_CONF);
    return i;
}

#define MONTH(y, m) period_month_number((y), (m))

/* One figure: reporter, kind (KIND_ without the prefix), area, year, month, metric, value. */
#define FIG(rep, k, ar, y, mo, code, v)                                                     \
    ((rollup_fig){.reporter = (rep), .kind = KIND_##k, .area = (ar),                      \
                  .month = MONTH((y), (mo)), .m = met(code), .value = (v)})

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Doubles agree to a relative 1e-9 (absolute near 0). */
#define assert_near(got, want) assert_near_at((got), (want), #got, __FILE__, __LINE__)
static void assert_near_at(double got, double want, const char *what, const char *file,
                           int line)
{
    if (!(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)))) {
        print_error("%s is %.12g, want %.12g\n", what, got, want);
        _fail(file, line);
    }
}

#define assert_contains(s, sub) assert_contains_at((s), (sub), __FILE__, __LINE__)
static void assert_contains_at(const char *s, const char *sub, const char *file, int line)
{
    if (!strstr(s, sub)) {
        print_error("\"%s\" does not contain \"%s\"\n", s, sub);
        _fail(file, line);
    }
}

/* rollup_compute on indicator code over first..last; out starts as garbage so that every
 * field the function leaves alone shows. */
static rollup_result run(const char *code, int first, int last, rollup_fig *figs, size_t n)
{
    rollup_result out;
    memset(&out, 0xA5, sizeof out);
    rollup_compute(ind_of(code), first, last, figs, n, &out);
    return out;
}

/* A result with a value: flags set, no reason. */
#define assert_value(r, want) assert_value_at((r), (want), __FILE__, __LINE__)
static void assert_value_at(const rollup_result *r, double want, const char *file, int line)
{
    if (!r->has_value) {
        print_error("no value (want %.12g); reason \"%.160s\"\n", want, r->reason);
        _fail(file, line);
    }
    assert_near_at(r->value, want, "value", file, line);
    if (r->reason[0] != '\0') {
        print_error("a value with a reason: \"%.160s\"\n", r->reason);
        _fail(file, line);
    }
}

/* A result without a value: the reason (NUL-terminated in its buffer) says why. */
#define assert_no_value(r, reason_part) assert_no_value_at((r), (reason_part), __FILE__, __LINE__)
static void assert_no_value_at(const rollup_result *r, const char *reason_part,
                               const char *file, int line)
{
    if (r->has_value) {
        print_error("unexpected value %.12g\n", r->value);
        _fail(file, line);
    }
    if (!memchr(r->reason, '\0', sizeof r->reason)) {
        print_error("reason not terminated\n");
        _fail(file, line);
    }
    assert_contains_at(r->reason, reason_part, file, line);
}

enum { WIJK_A = 1, WIJK_B = 2, WIJK_C = 3 };

/* ---- ratios across areas ------------------------------------------------------------- */

/* vve_bereik in 2026-03 over two wijken with different denominators:
 *   wijk A: 9 placed of 10 indicated (90%), wijk B: 30 placed of 60 indicated (50%).
 *   100 * (9 + 30) / (10 + 60) = 3900 / 70 = 55.714285714...%
 *   not the mean of the percentages, (90 + 50) / 2 = 70%. */
static void test_ratio_two_wijken(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 9),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 10),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 3, "vve.doelgroep.geplaatst", 30),
        FIG(9, GGD, WIJK_B, 2026, 3, "jgz.doelgroep.geindiceerd", 60),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 3900.0 / 70.0);
    assert_near(r.value, 55.714285714285714);
    assert_true(fabs(r.value - 70.0) > 1); /* the mean of percentages would be 70 */
    assert_true(r.has_num);
    assert_true(r.has_den);
    assert_near(r.numerator, 39);
    assert_near(r.denominator, 70);
    assert_int_equal(r.parts, 4); /* 2 numerator + 2 denominator (reporter, area, metric) */
}

/* The same ratio over a quarter: each part rolls up by "last" first, then the parts add.
 *   Q1 2026. wijk A: placed Jan 8, Mar 9 -> 9; indicated Feb 12, Mar 10 -> 10.
 *            wijk B: placed Jan 30 -> 30; indicated Jan 55, Feb 60 -> 60.
 *   100 * (9 + 30) / (10 + 60) = 55.714285714...% (a sum of all months would give
 *   100 * 77 / 137 = 56.2%). */
static void test_ratio_quarter_last_per_part(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 9),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.doelgroep.geplaatst", 8),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 10),
        FIG(9, GGD, WIJK_A, 2026, 2, "jgz.doelgroep.geindiceerd", 12),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 1, "vve.doelgroep.geplaatst", 30),
        FIG(9, GGD, WIJK_B, 2026, 2, "jgz.doelgroep.geindiceerd", 60),
        FIG(9, GGD, WIJK_B, 2026, 1, "jgz.doelgroep.geindiceerd", 55),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 3900.0 / 70.0);
    assert_near(r.numerator, 39);
    assert_near(r.denominator, 70);
    assert_int_equal(r.parts, 4);
}

/* ---- month rules --------------------------------------------------------------------- */

/* A last metric (vve.wachtlijst, sum indicator vve_wachtlijst) over Q1 2026 with March
 * missing: Jan 4, Feb 6 -> 6 (the latest month reported), not 4 + 6 = 10 nor 5. */
static void test_last_missing_month(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.wachtlijst", 4),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 2, "vve.wachtlijst", 6),
    };
    rollup_result r = run("vve_wachtlijst", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 6);
    assert_int_equal(r.parts, 1);
}

/* A stock with carry: a location that missed the months counts with its latest figure of
 * the `carry` months before the last of them, and is counted as carried. Location 1
 * reported January (4), location 2 January (3) and March (7); the months asked: March. */
static void test_last_carried_into_missed_months(void **state)
{
    (void)state;
    metric *wl = (metric *)met("vve.wachtlijst");
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.wachtlijst", 4),
        FIG(2, KINDEROPVANG, WIJK_A, 2026, 1, "vve.wachtlijst", 3),
        FIG(2, KINDEROPVANG, WIJK_A, 2026, 3, "vve.wachtlijst", 7),
    };
    static const struct {
        int carry;
        double value;
        size_t carried;
    } cases[] = {
        {0, 7, 0},     /* no carry: location 1 is not there */
        {1, 7, 0},     /* one month back from March: February, which it missed too */
        {2, 11, 1},    /* back to January: 4 + 7, location 1 carried */
        {12, 11, 1},
    };
    for (size_t i = 0; i < N(cases); i++) {
        wl->carry = cases[i].carry;
        rollup_result r = run("vve_wachtlijst", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
        assert_value(&r, cases[i].value);
        assert_int_equal(r.carried, cases[i].carried);
    }
    /* A quarter with a month reported is no carry: location 1's Q1 is its January. */
    wl->carry = 2;
    rollup_result q = run("vve_wachtlijst", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&q, 11);
    assert_int_equal(q.carried, 0);
    /* Nothing is carried from after the months. */
    rollup_result jan = run("vve_wachtlijst", MONTH(2025, 12), MONTH(2025, 12), figs, N(figs));
    assert_false(jan.has_value);
    wl->carry = 0;
}

/* The same with the months out of order in the input and two reporters interleaved:
 *   location 1: [Feb 6, Jan 4], March missing             -> 6 (Feb)
 *   location 2: [Mar 7, Jan 3, Feb 5]                      -> 7 (Mar)
 *   6 + 7 = 13 (taking the last in input order would give 4 + 5 = 9). */
static void test_last_out_of_order(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 3, "vve.wachtlijst", 7),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 2, "vve.wachtlijst", 6),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 1, "vve.wachtlijst", 3),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.wachtlijst", 4),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 2, "vve.wachtlijst", 5),
    };
    rollup_result r = run("vve_wachtlijst", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 13);
    assert_int_equal(r.parts, 2);
}

/* Sum metrics in a ratio (vve_warme_overdracht) over Q2 2026 (Apr..Jun): flows add up.
 *   location 1: uitstroom 4 + 5 + 6 = 15, warme overdracht 3 + 5 + 4 = 12
 *   location 2: uitstroom 10 (May only), warme overdracht 7 (May only)
 *   100 * (12 + 7) / (15 + 10) = 1900 / 25 = 76% (with "last" it would be
 *   100 * (4 + 7) / (6 + 10) = 68.75%). */
static void test_sum_metric_quarter(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.uitstroom", 4),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 6, "vve.uitstroom", 6),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 5, "vve.uitstroom", 5),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.warme_overdracht", 3),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 5, "vve.warme_overdracht", 5),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 6, "vve.warme_overdracht", 4),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 5, "vve.uitstroom", 10),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 5, "vve.warme_overdracht", 7),
    };
    rollup_result r =
        run("vve_warme_overdracht", MONTH(2026, 4), MONTH(2026, 6), figs, N(figs));
    assert_value(&r, 76);
    assert_near(r.numerator, 19);
    assert_near(r.denominator, 25);
    assert_int_equal(r.parts, 4);
}

/* A sum metric in a sum indicator (zomerschool) over Q3 2026 (Jul..Sep):
 *   school_po 1: Jul 30 + Aug 20 = 50; school_vo 2: Sep 15 -> 50 + 15 = 65. */
static void test_sum_metric_sum_indicator(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, SCHOOL_PO, WIJK_A, 2026, 8, "school.zomerschool", 20),
        FIG(2, SCHOOL_VO, WIJK_B, 2026, 9, "school.zomerschool", 15),
        FIG(1, SCHOOL_PO, WIJK_A, 2026, 7, "school.zomerschool", 30),
    };
    rollup_result r = run("zomerschool", MONTH(2026, 7), MONTH(2026, 9), figs, N(figs));
    assert_value(&r, 65);
    assert_int_equal(r.parts, 2);
}

/* An avg metric in a mean indicator (vve_uren) over Q1 2026:
 *   location 1 reports 16, 16, 14 -> (16 + 16 + 14) / 3 = 46 / 3 = 15.333...
 *   location 2 reports 12 (Feb)   -> 12
 *   mean over locations: (46/3 + 12) / 2 = (82/3) / 2 = 41/3 = 13.666...
 *   (a mean over all months would be 58 / 4 = 14.5; a sum of months 46 + 12 = 58). */
static void test_avg_metric_mean_indicator(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.uren.per_week", 14),
        FIG(2, KINDEROPVANG, WIJK_A, 2026, 2, "vve.uren.per_week", 12),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.uren.per_week", 16),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 2, "vve.uren.per_week", 16),
    };
    rollup_result r = run("vve_uren", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 41.0 / 3.0);
    assert_near(r.numerator, 82.0 / 3.0);
    assert_true(r.has_den);
    assert_near(r.denominator, 2); /* two locations */
    assert_int_equal(r.parts, 2);
}

/* A mean counts each (reporter, area) once: one location reporting for two areas is two
 * figures, so 16 (area A) and 10 (area B) and 13 (reporter 2, area A) give
 * (16 + 10 + 13) / 3 = 13. */
static void test_mean_counts_reporter_area(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.uren.per_week", 16),
        FIG(1, KINDEROPVANG, WIJK_B, 2026, 1, "vve.uren.per_week", 10),
        FIG(2, KINDEROPVANG, WIJK_A, 2026, 1, "vve.uren.per_week", 13),
    };
    rollup_result r = run("vve_uren", MONTH(2026, 1), MONTH(2026, 1), figs, N(figs));
    assert_value(&r, 13);
    assert_near(r.denominator, 3);
}

/* rollup.h: reporter and area are "any id unique per reporter / area". A location with
 * reporter -1 and area -1 reporting 15 hours must give vve_uren 15 over one location;
 * with a second location (0, 0) reporting 13, (15 + 13) / 2 = 14. (-1 is also the initial
 * value of rollup.c's "previous location" marker, so the (-1, -1) location is not counted
 * as one: 15 over 0 locations is no value, and 28 over 1 location is 28.) */
static void test_mean_any_ids(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(-1, KINDEROPVANG, -1, 2026, 1, "vve.uren.per_week", 15),
        FIG(0, KINDEROPVANG, 0, 2026, 1, "vve.uren.per_week", 13),
    };
    rollup_result r = run("vve_uren", MONTH(2026, 1), MONTH(2026, 1), figs, 1);
    assert_value(&r, 15);
    assert_near(r.denominator, 1);
    r = run("vve_uren", MONTH(2026, 1), MONTH(2026, 1), figs, N(figs));
    assert_value(&r, 14);
    assert_near(r.denominator, 2);
}

/* ---- a school year crosses the calendar year ------------------------------------------ */

/* vsv_pct over school year 2025/26 = months 2025-08 .. 2026-07.
 *   school_vo 1: school.vsv 2025-07 50 (ignored), 2025-09 3, 2026-01 4, 2026-06 5,
 *                2026-08 60 (ignored)                                 -> 3 + 4 + 5 = 12
 *                school.leerlingen 2025-07 999 (ignored), 2025-10 800, 2026-07 820,
 *                2026-08 5000 (ignored)                               -> 820 (July)
 *   mbo 2:       school.vsv 2025-12 10, 2026-05 8                      -> 18
 *                school.leerlingen 2025-10 1180, 2026-03 1200 (no July), 2026-08 1500
 *                (ignored)                                            -> 1200 (latest)
 *   school_po 3: school.leerlingen 400: not a kind of vsv_pct's denominator.
 *   100 * (12 + 18) / (820 + 1200) = 3000 / 2020 = 1.485148514...% */
static void test_school_year(void **state)
{
    (void)state;
    period sy;
    assert_int_equal(period_parse("2025/26", &sy), 0);
    int first = MONTH(2025, 8), last = MONTH(2026, 7);
    assert_int_equal(period_first_month(&sy), first);
    assert_int_equal(period_last_month(&sy), last);
    rollup_fig figs[] = {
        FIG(1, SCHOOL_VO, WIJK_A, 2025, 7, "school.vsv", 50),
        FIG(1, SCHOOL_VO, WIJK_A, 2025, 9, "school.vsv", 3),
        FIG(1, SCHOOL_VO, WIJK_A, 2026, 1, "school.vsv", 4),
        FIG(1, SCHOOL_VO, WIJK_A, 2026, 6, "school.vsv", 5),
        FIG(1, SCHOOL_VO, WIJK_A, 2026, 8, "school.vsv", 60),
        FIG(1, SCHOOL_VO, WIJK_A, 2026, 8, "school.leerlingen", 5000),
        FIG(1, SCHOOL_VO, WIJK_A, 2026, 7, "school.leerlingen", 820),
        FIG(1, SCHOOL_VO, WIJK_A, 2025, 10, "school.leerlingen", 800),
        FIG(1, SCHOOL_VO, WIJK_A, 2025, 7, "school.leerlingen", 999),
        FIG(2, MBO, WIJK_B, 2026, 8, "school.leerlingen", 1500),
        FIG(2, MBO, WIJK_B, 2026, 3, "school.leerlingen", 1200),
        FIG(2, MBO, WIJK_B, 2025, 10, "school.leerlingen", 1180),
        FIG(2, MBO, WIJK_B, 2025, 12, "school.vsv", 10),
        FIG(2, MBO, WIJK_B, 2026, 5, "school.vsv", 8),
        FIG(3, SCHOOL_PO, WIJK_A, 2026, 7, "school.leerlingen", 400),
    };
    rollup_result r = run("vsv_pct", first, last, figs, N(figs));
    assert_value(&r, 3000.0 / 2020.0);
    assert_near(r.value, 1.4851485148514851);
    assert_near(r.numerator, 30);
    assert_near(r.denominator, 2020);
    assert_int_equal(r.parts, 4);
}

/* ---- ratios without a value ------------------------------------------------------------ */

/* vve_bereik with 5 placed and 0 indicated: no value, "the denominator (...) is 0".
 * 0 placed of 0 indicated: the same. */
static void test_ratio_zero_denominator(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 5),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 0),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_no_value(&r, "is 0");
    assert_contains(r.reason, "jgz.doelgroep.geindiceerd");
    assert_true(r.has_den);
    assert_true(r.has_num);
    assert_near(r.denominator, 0);
    assert_near(r.numerator, 5);
    assert_true(isfinite(r.value));

    figs[0].value = 0;
    r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_no_value(&r, "is 0");
    assert_true(isfinite(r.value));
}

/* vve_bereik with only the numerator reported (and a denominator figure outside the
 * month): no value, "no figures for the denominator (jgz.doelgroep.geindiceerd)". */
static void test_ratio_missing_denominator(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 9),
        FIG(9, GGD, WIJK_A, 2026, 2, "jgz.doelgroep.geindiceerd", 10),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_no_value(&r, "no figures for the denominator");
    assert_contains(r.reason, "jgz.doelgroep.geindiceerd");
    assert_false(r.has_den);
    assert_true(r.has_num);
    assert_near(r.numerator, 9);
}

/* vve_bereik with the denominator (10) but no numerator: no value (not 0%), a reason
 * naming the numerator's metric. */
static void test_ratio_missing_numerator(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 10),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_no_value(&r, "no figures for the numerator (vve.doelgroep.geplaatst)");
    assert_false(r.has_num);
    assert_true(r.has_den);
    assert_near(r.denominator, 10);
}

/* ---- reporters restricted by kind ------------------------------------------------------ */

/* sbo_so_pct = 100 * school.leerlingen of school_so / school.leerlingen of po + so.
 *   school_po 1: 480, school_po 2: 500, school_so 3: 20, school_vo 4: 900 (counts nowhere)
 *   100 * 20 / (480 + 500 + 20) = 2000 / 1000 = 2%
 *   (vo in the denominator: 2000/1900 = 1.05%; vo in the numerator too: 92000/1900). */
static void test_kind_restricted(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(4, SCHOOL_VO, WIJK_A, 2025, 10, "school.leerlingen", 900),
        FIG(1, SCHOOL_PO, WIJK_A, 2025, 10, "school.leerlingen", 480),
        FIG(3, SCHOOL_SO, WIJK_B, 2025, 10, "school.leerlingen", 20),
        FIG(2, SCHOOL_PO, WIJK_B, 2025, 10, "school.leerlingen", 500),
    };
    rollup_result r = run("sbo_so_pct", MONTH(2025, 10), MONTH(2025, 10), figs, N(figs));
    assert_value(&r, 2);
    assert_near(r.numerator, 20);
    assert_near(r.denominator, 1000);

    /* Only a school_vo figure: it counts on neither side. */
    rollup_fig vo[] = {
        FIG(4, SCHOOL_VO, WIJK_A, 2025, 10, "school.leerlingen", 900),
    };
    r = run("sbo_so_pct", MONTH(2025, 10), MONTH(2025, 10), vo, N(vo));
    assert_no_value(&r, "no figures for the denominator");
    assert_false(r.has_num);
    assert_int_equal(r.parts, 0);
}

/* A part without kinds counts the kinds of its metric: vve.doelgroep.geplaatst is reported
 * by kinderopvang only, so a ggd figure of it is not counted. vve_bereik:
 *   kinderopvang 1: 9 placed, ggd 9: 5 "placed" (ignored), 10 indicated -> 100 * 9/10 = 90%. */
static void test_kind_default_from_metric(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(9, GGD, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 5),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 9),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 10),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 90);
    assert_int_equal(r.parts, 2);
}

/* ---- several numerator metrics, a factor ----------------------------------------------- */

/* verzuim_per_1000 over Q1 2026 = 1000 * (relatief + absoluut + luxe) / leerplichtigen.
 *   RBL 1 (area A): relatief 12 + 8 + 10 = 30, absoluut 2, luxe 3 -> 35 (sum metrics);
 *                   leerplichtigen Jan 4900, Mar 5000 -> 5000 (last)
 *   RBL 2 (area B): relatief 5, absoluut 0, luxe 10 -> 15; leerplichtigen Feb 2000
 *   rbl.vsv 40 from RBL 1 is not a metric of the indicator.
 *   1000 * (35 + 15) / (5000 + 2000) = 50000 / 7000 = 7.142857142... */
static void test_verzuim_per_1000(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, RBL, WIJK_A, 2026, 1, "rbl.verzuim.relatief", 12),
        FIG(1, RBL, WIJK_A, 2026, 2, "rbl.verzuim.relatief", 8),
        FIG(1, RBL, WIJK_A, 2026, 3, "rbl.verzuim.relatief", 10),
        FIG(1, RBL, WIJK_A, 2026, 2, "rbl.verzuim.absoluut", 2),
        FIG(1, RBL, WIJK_A, 2026, 3, "rbl.verzuim.luxe", 3),
        FIG(1, RBL, WIJK_A, 2026, 3, "rbl.leerplichtigen", 5000),
        FIG(1, RBL, WIJK_A, 2026, 1, "rbl.leerplichtigen", 4900),
        FIG(1, RBL, WIJK_A, 2026, 2, "rbl.vsv", 40),
        FIG(2, RBL, WIJK_B, 2026, 1, "rbl.verzuim.relatief", 5),
        FIG(2, RBL, WIJK_B, 2026, 1, "rbl.verzuim.absoluut", 0),
        FIG(2, RBL, WIJK_B, 2026, 1, "rbl.verzuim.luxe", 10),
        FIG(2, RBL, WIJK_B, 2026, 2, "rbl.leerplichtigen", 2000),
    };
    rollup_result r =
        run("verzuim_per_1000", MONTH(2026, 1), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 50000.0 / 7000.0);
    assert_near(r.value, 7.142857142857143);
    assert_near(r.numerator, 50);
    assert_near(r.denominator, 7000);
    assert_int_equal(r.parts, 8); /* 3 + 3 numerator, 1 + 1 denominator */
}

/* ---- sum indicators -------------------------------------------------------------------- */

/* thuiszitters in 2026 (Jan..Dec) from two RBL reporters (last metric):
 *   RBL 1: Jan 5, Jun 7, Dec 6 -> 6; RBL 2: Mar 4, Nov 3 -> 3. 6 + 3 = 9. */
static void test_sum_indicator_two_rbl(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, RBL, WIJK_A, 2026, 6, "rbl.thuiszitters", 7),
        FIG(2, RBL, WIJK_B, 2026, 11, "rbl.thuiszitters", 3),
        FIG(1, RBL, WIJK_A, 2026, 12, "rbl.thuiszitters", 6),
        FIG(2, RBL, WIJK_B, 2026, 3, "rbl.thuiszitters", 4),
        FIG(1, RBL, WIJK_A, 2026, 1, "rbl.thuiszitters", 5),
    };
    rollup_result r = run("thuiszitters", MONTH(2026, 1), MONTH(2026, 12), figs, N(figs));
    assert_value(&r, 9);
    assert_true(r.has_num);
    assert_near(r.numerator, 9);
    assert_int_equal(r.parts, 2);
}

/* thuiszitters without any rbl.thuiszitters figure in the year (only leerplichtigen, and a
 * thuiszitters figure of 2025-12): no value, "no figures for rbl.thuiszitters". A reported
 * 0 is a value, 0. */
static void test_sum_indicator_no_figures(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, RBL, WIJK_A, 2026, 3, "rbl.leerplichtigen", 5000),
        FIG(1, RBL, WIJK_A, 2025, 12, "rbl.thuiszitters", 8),
    };
    rollup_result r = run("thuiszitters", MONTH(2026, 1), MONTH(2026, 12), figs, N(figs));
    assert_no_value(&r, "no figures for rbl.thuiszitters");
    assert_false(r.has_num);
    assert_int_equal(r.parts, 0);

    rollup_fig zero[] = {
        FIG(1, RBL, WIJK_A, 2026, 3, "rbl.thuiszitters", 0),
    };
    r = run("thuiszitters", MONTH(2026, 1), MONTH(2026, 12), zero, N(zero));
    assert_value(&r, 0);
    assert_int_equal(r.parts, 1);
}

/* ---- what does not count --------------------------------------------------------------- */

/* Figures of metrics vve_bereik does not use change nothing: 9 placed of 10 indicated is
 * 90% with or without vve.peuters.geplaatst 40, vve.plaatsen 50, gemeente.peuters 100,
 * jgz.indicaties.nieuw 7 and vve.uren.per_week 16 beside them. */
static void test_unused_metrics_ignored(void **state)
{
    (void)state;
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.peuters.geplaatst", 40),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.doelgroep.geplaatst", 9),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.plaatsen", 50),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.uren.per_week", 16),
        FIG(5, GEMEENTE, WIJK_A, 2026, 3, "gemeente.peuters", 100),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.indicaties.nieuw", 7),
        FIG(9, GGD, WIJK_A, 2026, 3, "jgz.doelgroep.geindiceerd", 10),
    };
    rollup_result r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), figs, N(figs));
    assert_value(&r, 90);
    assert_near(r.numerator, 9);
    assert_near(r.denominator, 10);
    assert_int_equal(r.parts, 2);

    /* Only unused metrics: nothing to go on. */
    rollup_fig only[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.peuters.geplaatst", 40),
        FIG(5, GEMEENTE, WIJK_A, 2026, 3, "gemeente.peuters", 100),
    };
    r = run("vve_bereik", MONTH(2026, 3), MONTH(2026, 3), only, N(only));
    assert_no_value(&r, "no figures for the denominator");
    assert_false(r.has_num);
    assert_int_equal(r.parts, 0);
}

/* Figures outside first..last are ignored, by every month rule. Q1 2026:
 *   vve_bereik: placed Dec 2025 50 (ignored), Feb 9, Apr 2026 1 (ignored) -> 9;
 *               indicated Jan 10, Apr 100 (ignored) -> 10;              100 * 9/10 = 90%
 *   vve_warme_overdracht (sum): uitstroom Dec 20 (ignored), Jan 4, Mar 6, Apr 20 (ignored)
 *               -> 10; warme overdracht Dec 9 (ignored), Feb 8, Apr 9 (ignored) -> 8; 80%
 *   vve_uren (avg): Dec 2 (ignored), Jan 15, Mar 16, Apr 40 (ignored) -> 15.5. */
static void test_outside_period_ignored(void **state)
{
    (void)state;
    int first = MONTH(2026, 1), last = MONTH(2026, 3);
    rollup_fig figs[] = {
        FIG(1, KINDEROPVANG, WIJK_A, 2025, 12, "vve.doelgroep.geplaatst", 50),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 2, "vve.doelgroep.geplaatst", 9),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.doelgroep.geplaatst", 1),
        FIG(9, GGD, WIJK_A, 2026, 1, "jgz.doelgroep.geindiceerd", 10),
        FIG(9, GGD, WIJK_A, 2026, 4, "jgz.doelgroep.geindiceerd", 100),
        FIG(1, KINDEROPVANG, WIJK_A, 2025, 12, "vve.uitstroom", 20),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.uitstroom", 4),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.uitstroom", 6),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.uitstroom", 20),
        FIG(1, KINDEROPVANG, WIJK_A, 2025, 12, "vve.warme_overdracht", 9),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 2, "vve.warme_overdracht", 8),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.warme_overdracht", 9),
        FIG(1, KINDEROPVANG, WIJK_A, 2025, 12, "vve.uren.per_week", 2),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.uren.per_week", 15),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 3, "vve.uren.per_week", 16),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 4, "vve.uren.per_week", 40),
    };
    rollup_result r = run("vve_bereik", first, last, figs, N(figs));
    assert_value(&r, 90);
    r = run("vve_warme_overdracht", first, last, figs, N(figs));
    assert_value(&r, 80);
    assert_near(r.numerator, 8);
    assert_near(r.denominator, 10);
    r = run("vve_uren", first, last, figs, N(figs));
    assert_value(&r, 15.5);
    assert_near(r.denominator, 1);

    /* A part with every month outside does not count at all: wijk C's location reported
     * only in 2025-12, so vve_uren stays 15.5 over one location, not (15.5 + 20) / 2. */
    rollup_fig more[N(figs) + 1];
    memcpy(more, figs, sizeof figs);
    more[N(figs)] = FIG(3, KINDEROPVANG, WIJK_C, 2025, 12, "vve.uren.per_week", 20);
    r = run("vve_uren", first, last, more, N(more));
    assert_value(&r, 15.5);
    assert_near(r.denominator, 1);
    assert_int_equal(r.parts, 1);
}

/* Figures as a read gives them (metric by metric in code order, areas in any order, each
 * area's by month, reporters mixed) come out of rollup_sort_read exactly as a sort by
 * rollup_sort leaves them; and figures in no order at all are sorted too. */
static void test_sort_read_equals_sort(void **state)
{
    (void)state;
    enum { N_REP = 37, N_AREA = 9 };
    const char *codes[] = {"jgz.doelgroep.geindiceerd", "vve.doelgroep.geplaatst",
                           "vve.peuters.geplaatst"}; /* in the order of their codes */
    rollup_fig read[600], sorted[600], tmp[600];
    size_t counts[N_REP + 1], n = 0;
    uint32_t rng = 7;
    for (size_t k = 0; k < 3; k++) {
        const metric *m = catalog_metric(&cat, codes[k]);
        assert_non_null(m);
        for (int a = N_AREA - 1; a >= 0; a -= 2) /* areas not in index order */
            for (int month = 0; month < 10; month++)
                for (int r = 0; r < N_REP && n < 600; r += 3) {
                    rng = rng * 1103515245u + 12345u;
                    if ((rng >> 16) % 3 == 0)
                        continue;
                    read[n++] = (rollup_fig){(r * 7) % N_REP, KIND_KINDEROPVANG, a,
                                             MONTH(2026, 1) + month, m, (double)(rng >> 20)};
                }
    }
    assert_true(n > 300);
    memcpy(sorted, read, n * sizeof *read);
    rollup_sort(sorted, n);
    rollup_sort_read(read, n, tmp, counts, N_REP, N_AREA);
    assert_memory_equal(read, sorted, n * sizeof *read);
    /* Reversed: not the order of a read, still sorted. */
    for (size_t i = 0; i < n / 2; i++) {
        rollup_fig x = read[i];
        read[i] = read[n - 1 - i];
        read[n - 1 - i] = x;
    }
    rollup_sort_read(read, n, tmp, counts, N_REP, N_AREA);
    assert_memory_equal(read, sorted, n * sizeof *read);
}

/* No figures at all (figs NULL, n 0): no value for any type, with a reason. */
static void test_empty_input(void **state)
{
    (void)state;
    int first = MONTH(2026, 1), last = MONTH(2026, 12);
    rollup_result r = run("vve_bereik", first, last, NULL, 0);
    assert_no_value(&r, "no figures for the denominator (jgz.doelgroep.geindiceerd)");
    assert_false(r.has_num);
    assert_false(r.has_den);
    assert_int_equal(r.parts, 0);

    r = run("thuiszitters", first, last, NULL, 0);
    assert_no_value(&r, "no figures for rbl.thuiszitters");
    assert_false(r.has_num);
    assert_int_equal(r.parts, 0);

    r = run("vve_uren", first, last, NULL, 0);
    assert_no_value(&r, "no figures for vve.uren.per_week");
    assert_false(r.has_num);
    assert_int_equal(r.parts, 0);

    r = run("verzuim_per_1000", first, last, NULL, 0);
    assert_no_value(&r, "no figures for the denominator (rbl.leerplichtigen)");
}

/* ---- indicators built by hand ---------------------------------------------------------- */

/* A ratio with its own factor and a denominator restricted to one kind:
 *   factor 1, numerator school.zomerschool (any kind of the metric), denominator
 *   school.leerlingen of school_po only. Sep 2026: po 1: 30 of 300; vo 2: 20 of 700
 *   (vo leerlingen not counted) -> 1 * (30 + 20) / 300 = 0.1666... */
static void test_hand_built_ratio(void **state)
{
    (void)state;
    indicator ind;
    memset(&ind, 0, sizeof ind);
    snprintf(ind.code, sizeof ind.code, "test_ratio");
    ind.type = IND_RATIO;
    ind.factor = 1.0;
    ind.num.metrics[0] = met("school.zomerschool");
    ind.num.n_metrics = 1;
    ind.den.metrics[0] = met("school.leerlingen");
    ind.den.n_metrics = 1;
    ind.den.kinds = 1u << KIND_SCHOOL_PO;
    rollup_fig figs[] = {
        FIG(2, SCHOOL_VO, WIJK_B, 2026, 9, "school.leerlingen", 700),
        FIG(1, SCHOOL_PO, WIJK_A, 2026, 9, "school.zomerschool", 30),
        FIG(2, SCHOOL_VO, WIJK_B, 2026, 9, "school.zomerschool", 20),
        FIG(1, SCHOOL_PO, WIJK_A, 2026, 9, "school.leerlingen", 300),
    };
    rollup_result r;
    memset(&r, 0xA5, sizeof r);
    rollup_compute(&ind, MONTH(2026, 9), MONTH(2026, 9), figs, N(figs), &r);
    assert_value(&r, 50.0 / 300.0);
    assert_near(r.numerator, 50);
    assert_near(r.denominator, 300);
    assert_int_equal(r.parts, 3);
}

/* A mean over two numerator metrics counts locations, not (location, metric) figures:
 * sum(numerator) / number of (reporter, area) behind it. Mean of vve.plaatsen +
 * vve.wachtlijst in 2026-01:
 *   location 1: 10 + 2, location 2: 20 + 4, location 3: wachtlijst 6 only
 *   (10 + 2 + 20 + 4 + 6) / 3 = 42 / 3 = 14 (per figure it would be 42 / 5 = 8.4). */
static void test_hand_built_mean_two_metrics(void **state)
{
    (void)state;
    indicator ind;
    memset(&ind, 0, sizeof ind);
    snprintf(ind.code, sizeof ind.code, "test_mean");
    ind.type = IND_MEAN;
    ind.num.metrics[0] = met("vve.plaatsen");
    ind.num.metrics[1] = met("vve.wachtlijst");
    ind.num.n_metrics = 2;
    rollup_fig figs[] = {
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 1, "vve.wachtlijst", 4),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.plaatsen", 10),
        FIG(3, KINDEROPVANG, WIJK_C, 2026, 1, "vve.wachtlijst", 6),
        FIG(2, KINDEROPVANG, WIJK_B, 2026, 1, "vve.plaatsen", 20),
        FIG(1, KINDEROPVANG, WIJK_A, 2026, 1, "vve.wachtlijst", 2),
    };
    rollup_result r;
    memset(&r, 0xA5, sizeof r);
    rollup_compute(&ind, MONTH(2026, 1), MONTH(2026, 1), figs, N(figs), &r);
    assert_value(&r, 14);
    assert_near(r.numerator, 42);
    assert_near(r.denominator, 3);
    assert_int_equal(r.parts, 5);
}

/* A reason naming four metrics with the longest codes (64 characters each) is cut short,
 * not overflowed: it stays NUL-terminated in its 160 bytes and starts with the first code
 * in full. (Run under ASan / valgrind to see an overflow.) */
static void test_long_codes_reason(void **state)
{
    (void)state;
    static metric ms[INDICATOR_MAX_METRICS];
    indicator ind;
    memset(ms, 0, sizeof ms);
    memset(&ind, 0, sizeof ind);
    for (size_t i = 0; i < INDICATOR_MAX_METRICS; i++) {
        memset(ms[i].code, 'a' + (int)i, PROTO_MAX_CODE);
        ms[i].code[PROTO_MAX_CODE] = '\0';
        ms[i].time = ROLLUP_LAST;
        ms[i].kinds = 1u << KIND_RBL;
        ind.num.metrics[i] = &ms[i];
        ind.den.metrics[i] = &ms[i];
    }
    ind.num.n_metrics = ind.den.n_metrics = INDICATOR_MAX_METRICS;
    ind.type = IND_RATIO;
    ind.factor = 100;
    rollup_result r;
    memset(&r, 0xA5, sizeof r);
    rollup_compute(&ind, MONTH(2026, 1), MONTH(2026, 1), NULL, 0, &r);
    assert_false(r.has_value);
    assert_true(memchr(r.reason, '\0', sizeof r.reason) != NULL);
    char want[100];
    snprintf(want, sizeof want, "no figures for the denominator (%s", ms[0].code);
    assert_true(strncmp(r.reason, want, strlen(want)) == 0);

    ind.type = IND_SUM;
    memset(&r, 0xA5, sizeof r);
    rollup_compute(&ind, MONTH(2026, 1), MONTH(2026, 1), NULL, 0, &r);
    assert_false(r.has_value);
    assert_true(memchr(r.reason, '\0', sizeof r.reason) != NULL);
    snprintf(want, sizeof want, "no figures for %s", ms[0].code);
    assert_true(strncmp(r.reason, want, strlen(want)) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_two_wijken),
        cmocka_unit_test(test_ratio_quarter_last_per_part),
        cmocka_unit_test(test_last_missing_month),
        cmocka_unit_test(test_last_carried_into_missed_months),
        cmocka_unit_test(test_last_out_of_order),
        cmocka_unit_test(test_sum_metric_quarter),
        cmocka_unit_test(test_sum_metric_sum_indicator),
        cmocka_unit_test(test_avg_metric_mean_indicator),
        cmocka_unit_test(test_mean_counts_reporter_area),
        cmocka_unit_test(test_mean_any_ids),
        cmocka_unit_test(test_school_year),
        cmocka_unit_test(test_ratio_zero_denominator),
        cmocka_unit_test(test_ratio_missing_denominator),
        cmocka_unit_test(test_ratio_missing_numerator),
        cmocka_unit_test(test_kind_restricted),
        cmocka_unit_test(test_kind_default_from_metric),
        cmocka_unit_test(test_verzuim_per_1000),
        cmocka_unit_test(test_sum_indicator_two_rbl),
        cmocka_unit_test(test_sum_indicator_no_figures),
        cmocka_unit_test(test_unused_metrics_ignored),
        cmocka_unit_test(test_outside_period_ignored),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_sort_read_equals_sort),
        cmocka_unit_test(test_hand_built_ratio),
        cmocka_unit_test(test_hand_built_mean_two_metrics),
        cmocka_unit_test(test_long_codes_reason),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
