/* Unit tests for daemon/outliers.c against a real temporary database: a submitted figure far
 * from the reporter's own history of that metric and area is flagged with a warning.
 *
 * Expectations from daemon/outliers.h and daemon/checks.h, with config/catalog.conf's check
 * "uitschieter" (factor 3, 12 months): the history of a record is what the same reporter
 * stored for the same metric and area in the 12 months before the record's month (month
 * - 12 .. month - 1); with 3 or more of them, a value above 3 x their median or below the
 * median / 3 gets a warning on the record's index, field "value", code "outlier", whose
 * message gives the median. Each test has a fresh database. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "checks.h"
#include "outliers.h"
#include "proto.h"
#include "store.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"
#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TP 256

#define PEUTERS "vve.peuters.geplaatst"
#define DOELGROEP "vve.doelgroep.geplaatst"
#define PLAATSEN "vve.plaatsen"
#define NOORD "WK016402"
#define ES "WK016401"

typedef struct {
    catalog cat;
    store *db;
    int submissions;
} fixture;

static int setup(void **state)
{
    static fixture f;
    char path[TP];
    lm_error err;
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&f, 0, sizeof f);
    if (catalog_load(&f.cat, CATALOG_CONF, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    snprintf(path, sizeof path, "%s/outliers.sqlite", tmpdir);
    if (store_open(&f.db, path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        catalog_free(&f.cat);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(&f->db);
    catalog_free(&f->cat);
    return tmpdir_teardown(state);
}

/* ---- helpers ----------------------------------------------------------------------- */

typedef struct {
    const char *reporter, *metric, *area, *period;
    double value;
} fig;

/* Store figures as one earlier submission would. */
static void put(fixture *f, const fig *figs, size_t n)
{
    int64_t sub;
    char req[32];
    snprintf(req, sizeof req, "earlier-%d", f->submissions++);
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, figs[0].reporter, req, 1000 + f->submissions,
                                          (int64_t)n, 1, &sub), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(store_put_observation(f->db, figs[i].reporter, figs[i].metric,
                                               figs[i].period, figs[i].area, figs[i].value, sub,
                                               1000 + f->submissions), 0);
    assert_int_equal(store_commit(f->db), 0);
}

typedef struct {
    const char *metric, *area, *period;
    double value;
} rec;

#define MAX_RECS 16

/* outliers_check of reporter's new submission recs; warns is initialised here. */
static long check(fixture *f, const char *reporter, const rec *recs, size_t n,
                  proto_errors *warns)
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
    proto_errors_init(warns);
    return outliers_check(f->db, &f->cat, reporter, &req, warns);
}

#define assert_contains(s, sub) assert_contains_at((s), (sub), __FILE__, __LINE__)
static void assert_contains_at(const char *s, const char *sub, const char *file, int line)
{
    if (!strstr(s, sub)) {
        print_error("\"%s\" does not contain \"%s\"\n", s, sub);
        _fail(file, line);
    }
}

/* The one-record check of value for (reporter, metric, area, period): warned or not. */
static bool warned(fixture *f, const char *reporter, const char *code, const char *area,
                   const char *month, double value)
{
    const rec r = {code, area, month, value};
    proto_errors warns;
    long n = check(f, reporter, &r, 1, &warns);
    assert_true(n == 0 || n == 1);
    assert_int_equal(warns.count, (size_t)n);
    if (n) {
        assert_int_equal(warns.items[0].index, 0);
        assert_string_equal(warns.items[0].field, "value");
        assert_string_equal(warns.items[0].code, "outlier");
    }
    proto_errors_free(&warns);
    return n == 1;
}

/* ko-a's toddlers in Noord, January to March 2026: 10, 12, 11 (median 11). */
static const fig noord_q1[] = {
    {"ko-a", PEUTERS, NOORD, "2026-01", 10},
    {"ko-a", PEUTERS, NOORD, "2026-02", 12},
    {"ko-a", PEUTERS, NOORD, "2026-03", 11},
};

/* ---- tests ------------------------------------------------------------------------- */

static void test_far_off_figure_warns(void **state)
{
    fixture *f = *state;
    static const rec r = {PEUTERS, NOORD, "2026-04", 40};
    proto_errors warns;
    put(f, noord_q1, N(noord_q1));
    assert_int_equal(check(f, "ko-a", &r, 1, &warns), 1);
    assert_int_equal(warns.count, 1);
    assert_int_equal(warns.items[0].index, 0);
    assert_string_equal(warns.items[0].field, "value");
    assert_string_equal(warns.items[0].code, "outlier");
    assert_contains(warns.items[0].message, "40 for vve.peuters.geplaatst in WK016402 2026-04");
    assert_contains(warns.items[0].message, "ko-a");
    assert_contains(warns.items[0].message, "the median of its last 3 months is 11)");
    proto_errors_free(&warns);
}

static void test_both_ways_and_near(void **state)
{
    fixture *f = *state;
    put(f, noord_q1, N(noord_q1));
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 34));   /* above 33 */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 33));  /* 3 x 11 exactly */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 20));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 11));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 4));   /* above 3.67 */
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 3));    /* below 11 / 3 */
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 0));
}

static void test_too_little_history(void **state)
{
    fixture *f = *state;
    /* Two months: never an outlier, however far off. */
    put(f, noord_q1, 2);
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 0));
    /* Nothing at all. */
    assert_false(warned(f, "ko-b", PEUTERS, NOORD, "2026-04", 1000));
}

static void test_other_areas_do_not_count(void **state)
{
    fixture *f = *state;
    /* ko-a's history is for Es; its first figure for Noord has no history. */
    static const fig es[] = {
        {"ko-a", PEUTERS, ES, "2026-01", 10},
        {"ko-a", PEUTERS, ES, "2026-02", 12},
        {"ko-a", PEUTERS, ES, "2026-03", 11},
        /* and two months for Noord: not enough with Es's three */
        {"ko-a", PEUTERS, NOORD, "2026-01", 100},
        {"ko-a", PEUTERS, NOORD, "2026-02", 100},
    };
    put(f, es, N(es));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1));
    /* In Es, the same figure is far off. */
    assert_true(warned(f, "ko-a", PEUTERS, ES, "2026-04", 1000));
}

static void test_other_reporters_do_not_count(void **state)
{
    fixture *f = *state;
    static const fig others[] = {
        {"ko-b", PEUTERS, NOORD, "2026-01", 10},
        {"ko-b", PEUTERS, NOORD, "2026-02", 12},
        {"ko-b", PEUTERS, NOORD, "2026-03", 11},
        {"ko-c", PEUTERS, NOORD, "2026-03", 11},
        {"ggd", PEUTERS, NOORD, "2026-02", 11},
    };
    put(f, others, N(others));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    assert_true(warned(f, "ko-b", PEUTERS, NOORD, "2026-04", 1000));
}

static void test_other_metrics_do_not_count(void **state)
{
    fixture *f = *state;
    static const fig places[] = {
        {"ko-a", PLAATSEN, NOORD, "2026-01", 10},
        {"ko-a", PLAATSEN, NOORD, "2026-02", 12},
        {"ko-a", PLAATSEN, NOORD, "2026-03", 11},
    };
    put(f, places, N(places));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    assert_true(warned(f, "ko-a", PLAATSEN, NOORD, "2026-04", 1000));
}

static void test_later_months_do_not_count(void **state)
{
    fixture *f = *state;
    /* A late January: its history is before it, not the months after. */
    static const fig later[] = {
        {"ko-a", PEUTERS, NOORD, "2026-02", 10},
        {"ko-a", PEUTERS, NOORD, "2026-03", 12},
        {"ko-a", PEUTERS, NOORD, "2026-04", 11},
        {"ko-a", PEUTERS, NOORD, "2026-05", 11},
    };
    put(f, later, N(later));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-01", 1000));
    /* March: only February before it. */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-03", 1000));
    /* May: February to April. */
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-05", 1000));
}

static void test_own_month_does_not_count(void **state)
{
    fixture *f = *state;
    /* A correction of April: April's stored figure is not its own history. */
    static const fig hist[] = {
        {"ko-a", PEUTERS, NOORD, "2026-02", 10},
        {"ko-a", PEUTERS, NOORD, "2026-03", 12},
        {"ko-a", PEUTERS, NOORD, "2026-04", 11},
    };
    put(f, hist, N(hist));
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
}

static void test_window_of_twelve_months(void **state)
{
    fixture *f = *state;
    /* For April 2026 the window is April 2025 .. March 2026. */
    static const fig old[] = {
        {"ko-a", PEUTERS, NOORD, "2025-01", 10},
        {"ko-a", PEUTERS, NOORD, "2025-02", 10},
        {"ko-a", PEUTERS, NOORD, "2025-03", 10}, /* 13 months before: out */
        {"ko-a", PEUTERS, NOORD, "2025-04", 10}, /* 12 months before: in */
        {"ko-a", PEUTERS, NOORD, "2026-03", 10}, /* 1 month before: in */
    };
    put(f, old, N(old));
    /* Two in the window: no judgement. */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    /* For March 2026 (March 2025 .. February 2026): March and April 2025, two. */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-03", 1000));
    /* For February 2026 (February 2025 .. January 2026): three. */
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-02", 1000));
    /* A third month in April's window, across the turn of the year. */
    static const fig more[] = {{"ko-a", PEUTERS, NOORD, "2025-12", 10}};
    put(f, more, 1);
    assert_true(warned(f, "ko-a", PEUTERS, NOORD, "2026-04", 1000));
    /* Far back: April 2027's window (April 2026 .. March 2027) holds none of them. */
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2027-04", 1000));
}

static void test_median_of_the_history(void **state)
{
    fixture *f = *state;
    /* Twelve months, one of them huge: 10 x 11 and 500: the median stays 10. */
    static const char *const months[12] = {"2025-01", "2025-02", "2025-03", "2025-04",
                                           "2025-05", "2025-06", "2025-07", "2025-08",
                                           "2025-09", "2025-10", "2025-11", "2025-12"};
    fig year[12];
    for (int i = 0; i < 12; i++)
        year[i] = (fig){"ko-a", PEUTERS, NOORD, months[i], i == 6 ? 500 : 10};
    year[11].value = 20; /* 10 x 10, 20, 500: median 10 */
    put(f, year, 12);
    static const rec r = {PEUTERS, NOORD, "2026-01", 31};
    proto_errors warns;
    assert_int_equal(check(f, "ko-a", &r, 1, &warns), 1);
    assert_contains(warns.items[0].message, "the median of its last 12 months is 10)");
    proto_errors_free(&warns);
    assert_false(warned(f, "ko-a", PEUTERS, NOORD, "2026-01", 30));
    /* Four months, even: 10, 20, 30, 40 -> 25. */
    static const fig even[] = {
        {"ko-a", DOELGROEP, NOORD, "2025-09", 40},
        {"ko-a", DOELGROEP, NOORD, "2025-10", 10},
        {"ko-a", DOELGROEP, NOORD, "2025-11", 30},
        {"ko-a", DOELGROEP, NOORD, "2025-12", 20},
    };
    put(f, even, N(even));
    static const rec d = {DOELGROEP, NOORD, "2026-01", 8};
    assert_int_equal(check(f, "ko-a", &d, 1, &warns), 1);
    assert_contains(warns.items[0].message, "the median of its last 4 months is 25)");
    proto_errors_free(&warns);
    assert_false(warned(f, "ko-a", DOELGROEP, NOORD, "2026-01", 75));
    assert_true(warned(f, "ko-a", DOELGROEP, NOORD, "2026-01", 76));
}

static void test_interleaved_metrics(void **state)
{
    fixture *f = *state;
    static const fig hist[] = {
        /* toddlers in Noord: median 11; target group in Noord: median 5; toddlers in Es:
         * median 100; places in Noord: median 20 */
        {"ko-a", PEUTERS, NOORD, "2026-01", 10},   {"ko-a", DOELGROEP, NOORD, "2026-01", 5},
        {"ko-a", PEUTERS, ES, "2026-01", 100},     {"ko-a", PLAATSEN, NOORD, "2026-01", 20},
        {"ko-a", PEUTERS, NOORD, "2026-02", 12},   {"ko-a", DOELGROEP, NOORD, "2026-02", 6},
        {"ko-a", PEUTERS, ES, "2026-02", 90},      {"ko-a", PLAATSEN, NOORD, "2026-02", 20},
        {"ko-a", PEUTERS, NOORD, "2026-03", 11},   {"ko-a", DOELGROEP, NOORD, "2026-03", 5},
        {"ko-a", PEUTERS, ES, "2026-03", 110},     {"ko-a", PLAATSEN, NOORD, "2026-03", 20},
    };
    put(f, hist, N(hist));
    /* One submission, the metrics interleaved; each against its own history. */
    static const rec recs[] = {
        {DOELGROEP, NOORD, "2026-04", 30},  /* 0: 30 > 15: warn, median 5 */
        {PEUTERS, NOORD, "2026-04", 30},    /* 1: 30 <= 33: fine */
        {PLAATSEN, NOORD, "2026-04", 20},   /* 2: fine */
        {PEUTERS, ES, "2026-04", 30},       /* 3: 30 < 33.3: warn, median 100 */
        {DOELGROEP, NOORD, "2026-05", 6},   /* 4: fine: Jan-Mar in its window, median 5 */
        {PEUTERS, NOORD, "2026-05", 50},    /* 5: 50 > 33: warn, median 11 */
        {PLAATSEN, NOORD, "2026-04", 70},   /* 6: 70 > 60: warn, median 20 */
    };
    proto_errors warns;
    assert_int_equal(check(f, "ko-a", recs, N(recs), &warns), 4);
    assert_int_equal(warns.count, 4);
    proto_errors_sort(&warns);
    static const struct {
        long index;
        const char *says;
    } want[] = {
        {0, "30 for vve.doelgroep.geplaatst in WK016402 2026-04"},
        {3, "30 for vve.peuters.geplaatst in WK016401 2026-04"},
        {5, "50 for vve.peuters.geplaatst in WK016402 2026-05"},
        {6, "70 for vve.plaatsen in WK016402 2026-04"},
    };
    static const char *const medians[] = {"months is 5)", "months is 100)", "months is 11)",
                                          "months is 20)"};
    for (size_t i = 0; i < N(want); i++) {
        assert_int_equal(warns.items[i].index, want[i].index);
        assert_string_equal(warns.items[i].code, "outlier");
        assert_string_equal(warns.items[i].field, "value");
        assert_contains(warns.items[i].message, want[i].says);
        assert_contains(warns.items[i].message, medians[i]);
    }
    proto_errors_free(&warns);
}

/* Records of the same submission are no history of each other: only what is stored. */
static void test_submission_is_not_its_own_history(void **state)
{
    fixture *f = *state;
    static const rec recs[] = {
        {PEUTERS, NOORD, "2026-01", 10},
        {PEUTERS, NOORD, "2026-02", 10},
        {PEUTERS, NOORD, "2026-03", 10},
        {PEUTERS, NOORD, "2026-04", 1000},
    };
    proto_errors warns;
    (void)f;
    assert_int_equal(check(f, "ko-a", recs, N(recs), &warns), 0);
    assert_int_equal(warns.count, 0);
    proto_errors_free(&warns);
}

/* Without an outlier check in the catalogue, nothing is looked at. */
static void test_no_outlier_check(void **state)
{
    fixture *f = *state;
    static const rec r = {PEUTERS, NOORD, "2026-04", 1000};
    proto_errors warns;
    put(f, noord_q1, N(noord_q1));
    size_t n = f->cat.n_checks;
    f->cat.n_checks = 0;
    long got = check(f, "ko-a", &r, 1, &warns);
    f->cat.n_checks = n;
    assert_int_equal(got, 0);
    assert_int_equal(warns.count, 0);
    proto_errors_free(&warns);
    /* And an empty submission has nothing to warn about. */
    assert_int_equal(check(f, "ko-a", &r, 0, &warns), 0);
    proto_errors_free(&warns);
}

/* Another factor and window, from a catalogue of its own. */
static void test_own_factor_and_months(void **state)
{
    fixture *f = *state;
    static const fig hist[] = {
        {"ko-a", PEUTERS, NOORD, "2025-10", 10},
        {"ko-a", PEUTERS, NOORD, "2025-11", 10},
        {"ko-a", PEUTERS, NOORD, "2025-12", 10},
        {"ko-a", PEUTERS, NOORD, "2026-01", 10},
    };
    put(f, hist, N(hist));
    check_def *c = (check_def *)checks_outlier(&f->cat);
    assert_non_null(c);
    double factor = c->factor;
    int months = c->months;
    c->factor = 1.5;
    c->months = 3; /* February's window: November .. January */
    bool above = warned(f, "ko-a", PEUTERS, NOORD, "2026-02", 16);
    bool within = warned(f, "ko-a", PEUTERS, NOORD, "2026-02", 15);
    bool march = warned(f, "ko-a", PEUTERS, NOORD, "2026-03", 16); /* Dec, Jan: two */
    c->factor = factor;
    c->months = months;
    assert_true(above);
    assert_false(within);
    assert_false(march);
}

int main(void)
{
#define T(test) cmocka_unit_test_setup_teardown(test, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_far_off_figure_warns),
        T(test_both_ways_and_near),
        T(test_too_little_history),
        T(test_other_areas_do_not_count),
        T(test_other_reporters_do_not_count),
        T(test_other_metrics_do_not_count),
        T(test_later_months_do_not_count),
        T(test_own_month_does_not_count),
        T(test_window_of_twelve_months),
        T(test_median_of_the_history),
        T(test_interleaved_metrics),
        T(test_submission_is_not_its_own_history),
        T(test_no_outlier_check),
        T(test_own_factor_and_months),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
