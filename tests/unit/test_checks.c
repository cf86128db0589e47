/* Unit tests for daemon/checks.c: the catalogue's plausibility checks.
 *
 * Expectations from daemon/checks.h and the checks of config/catalog.conf (loaded once for
 * the group; tests run from the repository root):
 *   at_most  doelgroep_binnen_peuters: vve.doelgroep.geplaatst <= vve.peuters.geplaatst,
 *            overdracht_binnen_uitstroom: vve.warme_overdracht <= vve.uitstroom, for the
 *            same area and period in one submission; one error per exceeding record, on
 *            it (field "value", code "implausible"), naming the other record's index, its
 *            area and period; equal is fine
 *   range    bereik_tot_100 and the like: a value of the indicator outside min..max
 *            (inclusive) cannot be true; no value is no evidence either way
 *   outlier  uitschieter: factor 3 over 12 months; with fewer than 3 months of history
 *            never; above factor x median or below median / factor; a median of 0 never
 * The catalogue's load errors for a bad checks section are in test_catalog.c. */
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
#include "checks.h"
#include "proto.h"

#define CATALOG_CONF "config/catalog.conf"
#define N(a) (sizeof(a) / sizeof((a)[0]))

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

static const indicator *ind_of(const char *code)
{
    const indicator *i = catalog_indicator(&cat, code);
    if (!i)
        fail_msg("indicator %s is not in %s", code, CATALOG_CONF);
    return i;
}

static const check_def *check_named(const catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n_checks; i++)
        if (strcmp(c->checks[i].name, name) == 0)
            return &c->checks[i];
    return NULL;
}

typedef struct {
    const char *metric, *area, *period;
    double value;
} rec;

#define MAX_RECS 16

/* checks_submission over recs (a validated submission); errs is initialised here. */
static size_t submit(const catalog *c, const rec *recs, size_t n, proto_errors *errs)
{
    static proto_record records[MAX_RECS];
    proto_request req;
    assert_true(n <= MAX_RECS);
    memset(&req, 0, sizeof req);
    memset(records, 0, sizeof records);
    for (size_t i = 0; i < n; i++) {
        snprintf(records[i].metric, sizeof records[i].metric, "%s", recs[i].metric);
        snprintf(records[i].area, sizeof records[i].area, "%s", recs[i].area);
        snprintf(records[i].period, sizeof records[i].period, "%s", recs[i].period);
        records[i].value = recs[i].value;
    }
    req.op = PROTO_OP_SUBMIT;
    req.records = records;
    req.n_records = n;
    proto_errors_init(errs);
    return checks_submission(c, &req, errs);
}

#define PEUTERS "vve.peuters.geplaatst"
#define DOELGROEP "vve.doelgroep.geplaatst"
#define UITSTROOM "vve.uitstroom"
#define OVERDRACHT "vve.warme_overdracht"
#define NOORD "WK016402"
#define ES "WK016401"

/* ---- the shipped checks ------------------------------------------------------------ */

static void test_shipped_checks(void **state)
{
    (void)state;
    assert_int_equal(cat.n_checks, 6);
    const check_def *c = check_named(&cat, "doelgroep_binnen_peuters");
    assert_non_null(c);
    assert_int_equal(c->kind, CHECK_AT_MOST);
    assert_ptr_equal(c->m, catalog_metric(&cat, DOELGROEP));
    assert_ptr_equal(c->than, catalog_metric(&cat, PEUTERS));
    c = check_named(&cat, "bereik_tot_100");
    assert_non_null(c);
    assert_int_equal(c->kind, CHECK_RANGE);
    assert_ptr_equal(c->ind, ind_of("vve_bereik"));
    assert_true(c->has_min && c->has_max && c->min == 0.0 && c->max == 100.0);
    c = checks_outlier(&cat);
    assert_non_null(c);
    assert_ptr_equal(c, check_named(&cat, "uitschieter"));
    assert_int_equal(c->kind, CHECK_OUTLIER);
    assert_true(c->factor == 3.0);
    assert_int_equal(c->months, 12);
    assert_true(c->min_difference == 5.0);
}

/* ---- at_most ----------------------------------------------------------------------- */

static void test_at_most_exceeding(void **state)
{
    /* 12 target-group toddlers placed of 10 toddlers: record 1 exceeds record 0. */
    static const rec recs[] = {
        {PEUTERS, NOORD, "2026-01", 10},
        {DOELGROEP, NOORD, "2026-01", 12},
    };
    proto_errors errs;
    (void)state;
    assert_int_equal(submit(&cat, recs, N(recs), &errs), 1);
    assert_int_equal(errs.count, 1);
    assert_int_equal(errs.total, 1);
    assert_int_equal(errs.items[0].index, 1);
    assert_string_equal(errs.items[0].field, "value");
    assert_string_equal(errs.items[0].code, "implausible");
    assert_string_equal(errs.items[0].message,
                        "vve.doelgroep.geplaatst 12 is more than vve.peuters.geplaatst 10 in "
                        "record 0 (WK016402, 2026-01): it cannot be true "
                        "(check doelgroep_binnen_peuters)");
    proto_errors_free(&errs);
}

static void test_at_most_other_record_later(void **state)
{
    /* The exceeding record first: the error is on it (0), naming record 2. */
    static const rec recs[] = {
        {DOELGROEP, NOORD, "2026-03", 7.5},
        {UITSTROOM, NOORD, "2026-03", 4},
        {PEUTERS, NOORD, "2026-03", 7},
    };
    proto_errors errs;
    (void)state;
    assert_int_equal(submit(&cat, recs, N(recs), &errs), 1);
    assert_int_equal(errs.count, 1);
    assert_int_equal(errs.items[0].index, 0);
    assert_string_equal(errs.items[0].message,
                        "vve.doelgroep.geplaatst 7.5 is more than vve.peuters.geplaatst 7 in "
                        "record 2 (WK016402, 2026-03): it cannot be true "
                        "(check doelgroep_binnen_peuters)");
    proto_errors_free(&errs);
}

static void test_at_most_table(void **state)
{
    static const struct {
        rec recs[6];
        size_t n;
        size_t errors;
        long index[3];    /* the records the errors are on, in order */
        const char *names[3]; /* and the "record N (AREA, PERIOD)" each names */
        const char *why;
    } cases[] = {
        {{{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 10}}, 2, 0, {0},
         {NULL}, "equal is fine"},
        {{{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 9}}, 2, 0, {0},
         {NULL}, "fewer is fine"},
        {{{PEUTERS, NOORD, "2026-01", 0}, {DOELGROEP, NOORD, "2026-01", 0}}, 2, 0, {0},
         {NULL}, "zero of zero"},
        {{{DOELGROEP, NOORD, "2026-01", 12}}, 1, 0, {0}, {NULL},
         "without the other figure there is nothing to compare"},
        {{{PEUTERS, ES, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 12}}, 2, 0, {0},
         {NULL}, "another area"},
        {{{PEUTERS, NOORD, "2025-12", 10}, {DOELGROEP, NOORD, "2026-01", 12}}, 2, 0, {0},
         {NULL}, "another period"},
        {{{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 10.5},
          {PEUTERS, ES, "2026-01", 20}, {DOELGROEP, ES, "2026-01", 21}}, 4, 2, {1, 3},
         {"record 0 (WK016402, 2026-01)", "record 2 (WK016401, 2026-01)"},
         "two areas, each exceeding its own"},
        {{{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-02", 12},
          {PEUTERS, NOORD, "2026-02", 12}, {DOELGROEP, NOORD, "2026-01", 11}}, 4, 1, {3},
         {"record 0 (WK016402, 2026-01)"}, "two months, January exceeds"},
        {{{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 12},
          {UITSTROOM, NOORD, "2026-01", 3}, {OVERDRACHT, NOORD, "2026-01", 4}}, 4, 2, {1, 3},
         {"record 0 (WK016402, 2026-01)", "record 2 (WK016402, 2026-01)"},
         "both checks fail"},
        {{{UITSTROOM, NOORD, "2026-01", 3}, {OVERDRACHT, NOORD, "2026-01", 3},
          {PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 12}}, 4, 1, {3},
         {"record 2 (WK016402, 2026-01)"}, "one of two checks fails"},
        /* The larger figure is the "than" metric the other way round: no check says that
         * peuters <= doelgroep. */
        {{{DOELGROEP, NOORD, "2026-01", 5}, {PEUTERS, NOORD, "2026-01", 50}}, 2, 0, {0}, {NULL},
         "the other way round"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        proto_errors errs;
        size_t added = submit(&cat, cases[i].recs, cases[i].n, &errs);
        bool ok = added == cases[i].errors && errs.count == cases[i].errors;
        for (size_t e = 0; ok && e < errs.count; e++)
            ok = errs.items[e].index == cases[i].index[e] &&
                 strcmp(errs.items[e].code, "implausible") == 0 &&
                 strcmp(errs.items[e].field, "value") == 0 &&
                 strstr(errs.items[e].message, cases[i].names[e]) != NULL;
        if (!ok) {
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s): %zu errors (returned %zu), want %zu:\n", i, cases[i].why,
                     errs.count, added, cases[i].errors);
            for (size_t e = 0; e < errs.count; e++)
                snprintf(report + strlen(report), sizeof report - strlen(report),
                         "  [%ld] %s %s: %s\n", errs.items[e].index, errs.items[e].field,
                         errs.items[e].code, errs.items[e].message);
        }
        proto_errors_free(&errs);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* A catalogue without at_most checks adds nothing. */
static void test_at_most_none(void **state)
{
    static const rec recs[] = {{PEUTERS, NOORD, "2026-01", 10}, {DOELGROEP, NOORD, "2026-01", 99}};
    catalog none = cat;
    proto_errors errs;
    (void)state;
    none.n_checks = 0;
    assert_int_equal(submit(&none, recs, N(recs), &errs), 0);
    assert_int_equal(errs.count, 0);
    proto_errors_free(&errs);
}

/* ---- range ------------------------------------------------------------------------- */

static void test_range(void **state)
{
    static const struct {
        const char *ind;
        bool has_value;
        double value;
        bool want;
    } cases[] = {
        {"vve_bereik", true, 0, true},        {"vve_bereik", true, 100, true},
        {"vve_bereik", true, 64, true},       {"vve_bereik", true, 100.0001, false},
        {"vve_bereik", true, 150, false},     {"vve_bereik", true, -0.5, false},
        {"vve_bereik", false, 150, true},     /* no value: nothing to doubt */
        {"vve_bereik_alle_peuters", true, 100, true},
        {"vve_bereik_alle_peuters", true, 101, false},
        {"vve_warme_overdracht", true, 120, false},
        /* Indicators without a range check: anything goes. */
        {"vve_uren", true, 150, true},        {"vve_doelgroep_aandeel", true, 150, true},
        {"thuiszitters", true, -3, true},     {"vsv_pct", true, 1000, true},
    };
    char report[4096] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        bool got = checks_plausible(&cat, ind_of(cases[i].ind), cases[i].has_value,
                                    cases[i].value);
        if (got != cases[i].want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s, %s %g): %s, want %s\n", i, cases[i].ind,
                     cases[i].has_value ? "value" : "no value", cases[i].value,
                     got ? "plausible" : "implausible", cases[i].want ? "plausible" : "implausible");
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Hand-made checks: a minimum only, a maximum only, two checks on one indicator. */
static void test_range_one_sided(void **state)
{
    const indicator *bereik = ind_of("vve_bereik"), *uren = ind_of("vve_uren");
    check_def checks[3];
    memset(checks, 0, sizeof checks);
    snprintf(checks[0].name, sizeof checks[0].name, "uren_min");
    checks[0].kind = CHECK_RANGE;
    checks[0].ind = uren;
    checks[0].has_min = true;
    checks[0].min = 2;
    checks[0].max = -1e9; /* not set: ignored */
    snprintf(checks[1].name, sizeof checks[1].name, "uren_max");
    checks[1].kind = CHECK_RANGE;
    checks[1].ind = uren;
    checks[1].has_max = true;
    checks[1].max = 40;
    checks[1].min = 1e9; /* not set: ignored */
    snprintf(checks[2].name, sizeof checks[2].name, "bereik_max");
    checks[2].kind = CHECK_RANGE;
    checks[2].ind = bereik;
    checks[2].has_max = true;
    checks[2].max = 100;
    catalog c = cat;
    c.checks = checks;
    c.n_checks = N(checks);
    (void)state;
    assert_true(checks_plausible(&c, uren, true, 2));
    assert_true(checks_plausible(&c, uren, true, 16));
    assert_true(checks_plausible(&c, uren, true, 40));
    assert_false(checks_plausible(&c, uren, true, 1.99));
    assert_false(checks_plausible(&c, uren, true, 40.01));
    assert_true(checks_plausible(&c, uren, false, 99));
    assert_true(checks_plausible(&c, bereik, true, -50)); /* no minimum for bereik here */
    assert_false(checks_plausible(&c, bereik, true, 100.5));
    /* Without an outlier check, checks_outlier finds none. */
    assert_null(checks_outlier(&c));
}

/* ---- outlier ----------------------------------------------------------------------- */

static void test_outlier(void **state)
{
    static const struct {
        double history[8];
        size_t n;
        double value;
        bool want;
        double median; /* NAN: not looked at (too little history) */
        const char *why;
    } cases[] = {
        /* Fewer than 3 months: never. */
        {{0}, 0, 1000, false, NAN, "no history"},
        {{10}, 1, 1000, false, NAN, "one month"},
        {{10, 12}, 2, 1000, false, NAN, "two months"},
        {{10, 12}, 2, 0.001, false, NAN, "two months, far below"},
        /* An odd count: the middle one. 10, 11, 12 -> 11; 33 is not above 3 x 11. */
        {{12, 10, 11}, 3, 33, false, 11, "exactly 3 x the median"},
        {{12, 10, 11}, 3, 33.01, true, 11, "just above 3 x the median"},
        {{12, 10, 11}, 3, 30, false, 11, "below 3 x"},
        {{12, 10, 11}, 3, 11.0 / 3.0, false, 11, "exactly the median / 3"},
        {{12, 10, 11}, 3, 3.6, true, 11, "below the median / 3"},
        {{12, 10, 11}, 3, 0, true, 11, "zero against 11"},
        {{12, 10, 11}, 3, 11, false, 11, "the median itself"},
        /* An even count: the mean of the middle two. 40, 10, 30, 20 -> 25. */
        {{40, 10, 30, 20}, 4, 75, false, 25, "even: exactly 3 x"},
        {{40, 10, 30, 20}, 4, 75.5, true, 25, "even: above 3 x"},
        {{40, 10, 30, 20}, 4, 8.5, false, 25, "even: above the median / 3"},
        {{40, 10, 30, 20}, 4, 8, true, 25, "even: below the median / 3"},
        /* Not the mean: one huge month does not move the median. */
        {{10, 10, 10, 10000, 10}, 5, 40, true, 10, "a huge month in the history"},
        {{1, 2, 3, 4, 5, 6}, 6, 10.5, false, 3.5, "six months: 3.5"},
        {{1, 2, 3, 4, 5, 6}, 6, 10.6, true, 3.5, "six months: above 10.5"},
        /* A thousands separator read as a decimal point: 1.234 for 1234. */
        {{1200, 1250, 1190}, 3, 1.234, true, 1200, "1.234 for 1234"},
        {{1200, 1250, 1190}, 3, 1234000, true, 1200, "1234000 for 1234"},
        /* A median of 0: any figure would stand out, so none does. */
        {{0, 0, 0}, 3, 100, false, 0, "median 0"},
        {{0, 0, 0, 5}, 4, 100, false, 0, "even count, median 0"},
        {{0, 0, 5, 5}, 4, 100, true, 2.5, "even count, median 2.5"},
        {{0, 3, 0}, 3, 0, false, 0, "zero against a median of 0"},
    };
    check_def c;
    char report[8192] = "";
    (void)state;
    memset(&c, 0, sizeof c);
    c.kind = CHECK_OUTLIER;
    c.factor = 3;
    c.months = 12;
    for (size_t i = 0; i < N(cases); i++) {
        double history[8], median = -12345;
        memcpy(history, cases[i].history, sizeof history);
        bool got = checks_is_outlier(&c, cases[i].value, history, cases[i].n, &median);
        bool median_ok = isnan(cases[i].median) || median == cases[i].median;
        bool untouched = memcmp(history, cases[i].history, sizeof history) == 0;
        if (got != cases[i].want || !median_ok || !untouched)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s): %s, median %g%s; want %s, median %g\n", i, cases[i].why,
                     got ? "outlier" : "not an outlier", median,
                     untouched ? "" : ", history reordered",
                     cases[i].want ? "outlier" : "not an outlier", cases[i].median);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* Small counts: a gap to the median under min_difference is never an outlier, however
 * large the ratio (0 places on a waiting list that usually holds 1). */
static void test_outlier_min_difference(void **state)
{
    static const struct { double history[3]; double value; bool want; const char *why; } cases[] = {
        {{1, 1, 1}, 0, false, "0 against 1: a ratio, not a typo"},
        {{1, 1, 1}, 5.9, false, "4.9 above 1"},
        {{1, 1, 1}, 6, true, "5 above 1"},
        {{0.5, 0.5, 0.5}, 2, false, "2 against 0.5"},
        {{16, 16, 16}, 1.6, true, "1.6 hours for 16: a decimal point moved"},
        {{1200, 1200, 1200}, 1.2, true, "1.2 for 1,200: a thousands separator"},
        {{7, 7, 7}, 2.1, false, "2.1 against 7: below a third, but only 4.9 away"},
        {{7, 7, 7}, 2, true, "2 against 7: 5 away"},
    };
    check_def c;
    double median = 0;
    (void)state;
    memset(&c, 0, sizeof c);
    c.kind = CHECK_OUTLIER;
    c.factor = 3;
    c.months = 12;
    c.min_difference = 5;
    for (size_t i = 0; i < N(cases); i++)
        if (checks_is_outlier(&c, cases[i].value, cases[i].history, 3, &median) != cases[i].want)
            fail_msg("case %zu (%s): want %s", i, cases[i].why,
                     cases[i].want ? "an outlier" : "no outlier");
}

/* Another factor: 1.5, both ways. */
static void test_outlier_factor(void **state)
{
    check_def c;
    double history[] = {20, 20, 20, 20};
    double median = 0;
    (void)state;
    memset(&c, 0, sizeof c);
    c.kind = CHECK_OUTLIER;
    c.factor = 1.5;
    c.months = 6;
    assert_false(checks_is_outlier(&c, 30, history, 4, &median));
    assert_true(median == 20);
    assert_true(checks_is_outlier(&c, 30.5, history, 4, &median));
    assert_false(checks_is_outlier(&c, 20.0 / 1.5, history, 4, &median));
    assert_true(checks_is_outlier(&c, 13, history, 4, &median));
    /* Twelve months (the most the shipped check looks at). */
    double year[12];
    for (size_t i = 0; i < 12; i++)
        year[i] = (double)(i + 1); /* 1..12: median 6.5 */
    assert_false(checks_is_outlier(&c, 9.75, year, 12, &median));
    assert_true(median == 6.5);
    assert_true(checks_is_outlier(&c, 9.8, year, 12, &median));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_checks),
        cmocka_unit_test(test_at_most_exceeding),
        cmocka_unit_test(test_at_most_other_record_later),
        cmocka_unit_test(test_at_most_table),
        cmocka_unit_test(test_at_most_none),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_range_one_sided),
        cmocka_unit_test(test_outlier),
        cmocka_unit_test(test_outlier_min_difference),
        cmocka_unit_test(test_outlier_factor),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}
