/* Unit tests for daemon/figure_state.c: when a figure is open, provisional, final or
 * closed, when it is due, and when a rule may judge it.
 *
 * Every expectation comes from daemon/figure_state.h:
 *   open         now is before the period's end (the first second after its last month)
 *   provisional  ended, the deadline (end + grace_days x 86 400 s, PROTOCOL.md 5.7) not yet
 *                passed, and fewer reporters in than expected
 *   final        every expected reporter in (reported >= expected), or the deadline passed
 *   closed       every month closed by an admin, whatever the time
 *   judgeable    final or closed, with ceil(min_reported x expected) reporters in
 * Times are local wall-clock times in Europe/Amsterdam (set in main), as the daemon's
 * month ends are. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "figure_state.h"
#include "period.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ----------------------------------------------------------------------- */

static period P(const char *text)
{
    period p;
    if (period_parse(text, &p) != 0)
        fail_msg("'%s' is not a period", text);
    return p;
}

/* A local wall-clock time. */
static time_t at(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static const char *state_text(figure_state s)
{
    return figure_state_name(s);
}

/* ---- names ------------------------------------------------------------------------- */

static void test_state_names(void **state)
{
    (void)state;
    assert_string_equal(figure_state_name(STATE_OPEN), "open");
    assert_string_equal(figure_state_name(STATE_PROVISIONAL), "provisional");
    assert_string_equal(figure_state_name(STATE_FINAL), "final");
    assert_string_equal(figure_state_name(STATE_CLOSED), "closed");
    assert_string_equal(figure_state_name((figure_state)4), "?");
    assert_string_equal(figure_state_name((figure_state)-1), "?");
}

/* ---- deadlines --------------------------------------------------------------------- */

static void test_deadline(void **state)
{
    static const struct {
        const char *period;
        long long grace;
        int y, mo, d, h; /* the deadline, local */
    } cases[] = {
        /* A month: the first second of the next month plus the days. */
        {"2026-10", 10, 2026, 11, 11, 0},
        {"2026-10", 0, 2026, 11, 1, 0},
        {"2026-12", 10, 2027, 1, 11, 0},
        {"2026-01", 31, 2026, 3, 4, 0},
        /* A quarter, a year and a school year are due after their last month. */
        {"2026-Q4", 10, 2027, 1, 11, 0},
        {"2026-Q1", 10, 2026, 4, 11, 0},
        {"2026", 10, 2027, 1, 11, 0},
        {"2026", 0, 2027, 1, 1, 0},
        {"2025/26", 10, 2026, 8, 11, 0},
        {"2025/26", 0, 2026, 8, 1, 0},
        /* grace_days x 86 400 s (PROTOCOL.md 5.7): across the start of summer time
         * (29 March 2026) the deadline is an hour later on the clock. */
        {"2026-02", 30, 2026, 3, 31, 1},
    };
    char report[4096] = "";
    (void)state;
    /* One absolute anchor: October 2026 ends at 1 November 00:00 CET = 1793487600. */
    assert_int_equal(figure_deadline(&(period){PERIOD_MONTH, 2026, 10}, 10),
                     (time_t)1793487600 + 10 * 86400);
    for (size_t i = 0; i < N(cases); i++) {
        period p = P(cases[i].period);
        time_t got = figure_deadline(&p, cases[i].grace);
        time_t want = at(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, 0, 0);
        if (got != want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "%s + %lld days: %lld, want %lld (%+lld s)\n", cases[i].period,
                     cases[i].grace, (long long)got, (long long)want,
                     (long long)(got - want));
        /* Always the end plus the days, exactly. */
        assert_int_equal(got, period_end(&p) + (time_t)cases[i].grace * 86400);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* ---- states ------------------------------------------------------------------------ */

static void test_states(void **state)
{
    static const struct {
        const char *period;
        int y, mo, d, h, mi, s; /* now, local */
        long long grace;
        int64_t expected, reported;
        bool closed;
        figure_state want;
        const char *why;
    } cases[] = {
        /* October 2026 ends 1 November 00:00; due 11 November 00:00 with 10 days. */
        {"2026-10", 2026, 10, 1, 0, 0, 0, 10, 4, 4, false, STATE_OPEN, "its first second"},
        {"2026-10", 2026, 10, 31, 23, 59, 59, 10, 4, 2, false, STATE_OPEN, "its last second"},
        {"2026-10", 2026, 10, 31, 23, 59, 59, 10, 4, 4, false, STATE_OPEN,
         "every reporter in, but not ended"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 10, 4, 2, false, STATE_PROVISIONAL,
         "the first second after it, 2 of 4 in"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 10, 4, 4, false, STATE_FINAL,
         "the first second after it, every reporter in"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 10, 4, 5, false, STATE_FINAL,
         "more reporters in than expected"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 10, 0, 0, false, STATE_FINAL,
         "nobody expected: nobody to wait for"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 10, 1, 0, false, STATE_PROVISIONAL,
         "the one expected reporter not in"},
        {"2026-10", 2026, 11, 10, 23, 59, 59, 10, 4, 3, false, STATE_PROVISIONAL,
         "the last second before the deadline"},
        {"2026-10", 2026, 11, 11, 0, 0, 0, 10, 4, 3, false, STATE_FINAL,
         "the deadline second itself"},
        {"2026-10", 2026, 11, 11, 0, 0, 0, 10, 4, 0, false, STATE_FINAL,
         "the deadline, nobody in"},
        {"2026-10", 2027, 6, 1, 12, 0, 0, 10, 4, 1, false, STATE_FINAL, "long after"},
        {"2026-10", 2026, 11, 1, 0, 0, 0, 0, 4, 2, false, STATE_FINAL,
         "grace 0: due when it ends"},
        {"2026-10", 2026, 10, 31, 23, 59, 59, 0, 4, 2, false, STATE_OPEN,
         "grace 0, the last second"},
        /* Closed wins, even before the end or with reporters missing. */
        {"2026-10", 2026, 10, 15, 12, 0, 0, 10, 4, 0, true, STATE_CLOSED, "closed before the end"},
        {"2026-10", 2026, 11, 5, 12, 0, 0, 10, 4, 2, true, STATE_CLOSED,
         "closed while provisional"},
        {"2026-10", 2027, 1, 5, 12, 0, 0, 10, 4, 4, true, STATE_CLOSED, "closed when final"},
        /* A quarter ends after its last month: 2026-Q4 on 1 January 2027. */
        {"2026-Q4", 2026, 11, 15, 12, 0, 0, 10, 4, 4, false, STATE_OPEN,
         "October over, the quarter not"},
        {"2026-Q4", 2026, 12, 31, 23, 59, 59, 10, 4, 4, false, STATE_OPEN, "its last second"},
        {"2026-Q4", 2027, 1, 1, 0, 0, 0, 10, 4, 2, false, STATE_PROVISIONAL, "just ended"},
        {"2026-Q4", 2027, 1, 10, 23, 59, 59, 10, 4, 2, false, STATE_PROVISIONAL,
         "before the deadline"},
        {"2026-Q4", 2027, 1, 11, 0, 0, 0, 10, 4, 2, false, STATE_FINAL, "at the deadline"},
        {"2026-Q1", 2026, 4, 1, 0, 0, 0, 10, 3, 3, false, STATE_FINAL, "ended, all in"},
        /* A year. */
        {"2026", 2026, 12, 31, 23, 59, 59, 10, 4, 4, false, STATE_OPEN, "its last second"},
        {"2026", 2027, 1, 5, 0, 0, 0, 10, 4, 3, false, STATE_PROVISIONAL, "just ended"},
        {"2026", 2027, 1, 11, 0, 0, 0, 10, 4, 3, false, STATE_FINAL, "at the deadline"},
        /* A school year: 1 August 2025 - 31 July 2026. */
        {"2025/26", 2026, 1, 15, 12, 0, 0, 10, 4, 4, false, STATE_OPEN,
         "the calendar year has turned, the school year not"},
        {"2025/26", 2026, 7, 31, 23, 59, 59, 10, 4, 4, false, STATE_OPEN, "its last second"},
        {"2025/26", 2026, 8, 1, 0, 0, 0, 10, 4, 3, false, STATE_PROVISIONAL, "just ended"},
        {"2025/26", 2026, 8, 1, 0, 0, 0, 10, 4, 4, false, STATE_FINAL, "just ended, all in"},
        {"2025/26", 2026, 8, 10, 23, 59, 59, 10, 4, 3, false, STATE_PROVISIONAL,
         "the last second before the deadline"},
        {"2025/26", 2026, 8, 11, 0, 0, 0, 10, 4, 3, false, STATE_FINAL, "at the deadline"},
        /* 30 days after February crosses the start of summer time: the deadline is
         * 31 March 01:00 on the clock (86 400 s days). */
        {"2026-02", 2026, 3, 31, 0, 30, 0, 30, 2, 1, false, STATE_PROVISIONAL,
         "half an hour before the deadline"},
        {"2026-02", 2026, 3, 31, 1, 0, 0, 30, 2, 1, false, STATE_FINAL, "at the deadline"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        period p = P(cases[i].period);
        time_t now = at(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, cases[i].s);
        figure_state got = figure_state_of(&p, now, cases[i].grace, cases[i].expected,
                                           cases[i].reported, cases[i].closed);
        if (got != cases[i].want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s, %s): %s, want %s\n", i, cases[i].period, cases[i].why,
                     state_text(got), state_text(cases[i].want));
    }
    if (report[0])
        fail_msg("%s", report);
}

/* The boundaries, second by second, for every kind of period: open until the end,
 * provisional until the deadline, final from it. */
static void test_states_around_the_edges(void **state)
{
    static const char *const periods[] = {"2026-01", "2026-02", "2026-03", "2026-10",
                                          "2026-12", "2026-Q1", "2026-Q3", "2026",
                                          "2025/26", "2026/27"};
    (void)state;
    for (size_t i = 0; i < N(periods); i++) {
        period p = P(periods[i]);
        time_t end = period_end(&p), due = figure_deadline(&p, 10);
        assert_true(due == end + 10 * 86400);
        assert_int_equal(figure_state_of(&p, period_start(&p), 10, 2, 1, false), STATE_OPEN);
        assert_int_equal(figure_state_of(&p, end - 1, 10, 2, 1, false), STATE_OPEN);
        assert_int_equal(figure_state_of(&p, end - 1, 10, 2, 2, false), STATE_OPEN);
        assert_int_equal(figure_state_of(&p, end, 10, 2, 1, false), STATE_PROVISIONAL);
        assert_int_equal(figure_state_of(&p, end, 10, 2, 2, false), STATE_FINAL);
        assert_int_equal(figure_state_of(&p, due - 1, 10, 2, 1, false), STATE_PROVISIONAL);
        assert_int_equal(figure_state_of(&p, due, 10, 2, 1, false), STATE_FINAL);
        assert_int_equal(figure_state_of(&p, due + 1, 10, 2, 0, false), STATE_FINAL);
        assert_int_equal(figure_state_of(&p, end - 1, 10, 2, 0, true), STATE_CLOSED);
        assert_int_equal(figure_state_of(&p, due, 10, 2, 0, true), STATE_CLOSED);
    }
}

/* ---- judgeable --------------------------------------------------------------------- */

static void test_judgeable(void **state)
{
    static const struct {
        figure_state s;
        int64_t expected, reported;
        double min_reported;
        bool want;
        const char *why;
    } cases[] = {
        /* Never while open or provisional, whoever is in. */
        {STATE_OPEN, 4, 4, 1.0, false, "open, all in"},
        {STATE_OPEN, 4, 4, 0.0, false, "open, min 0"},
        {STATE_OPEN, 0, 0, 0.0, false, "open, nobody expected"},
        {STATE_PROVISIONAL, 4, 3, 0.0, false, "provisional, min 0"},
        {STATE_PROVISIONAL, 4, 3, 0.5, false, "provisional, enough in for 0.5"},
        /* min_reported 1: all of them. */
        {STATE_FINAL, 4, 4, 1.0, true, "all in"},
        {STATE_FINAL, 4, 3, 1.0, false, "one missing"},
        {STATE_FINAL, 4, 5, 1.0, true, "more in than expected"},
        {STATE_FINAL, 0, 0, 1.0, true, "nobody expected"},
        {STATE_FINAL, 1, 0, 1.0, false, "the only one missing"},
        /* 0.8: 0.8 of 4 is 3.2, so 4; of 5 is 4. */
        {STATE_FINAL, 4, 4, 0.8, true, "0.8 of 4, 4 in"},
        {STATE_FINAL, 4, 3, 0.8, false, "0.8 of 4, 3 in (3.2 needed)"},
        {STATE_FINAL, 5, 4, 0.8, true, "0.8 of 5, 4 in"},
        {STATE_FINAL, 5, 3, 0.8, false, "0.8 of 5, 3 in"},
        {STATE_FINAL, 3, 3, 0.8, true, "0.8 of 3 is 2.4: 3"},
        {STATE_FINAL, 3, 2, 0.8, false, "0.8 of 3, 2 in"},
        {STATE_FINAL, 10, 8, 0.8, true, "0.8 of 10, 8 in"},
        {STATE_FINAL, 10, 7, 0.8, false, "0.8 of 10, 7 in"},
        /* 0.5: half, rounded up. */
        {STATE_FINAL, 4, 2, 0.5, true, "0.5 of 4, 2 in"},
        {STATE_FINAL, 4, 1, 0.5, false, "0.5 of 4, 1 in"},
        {STATE_FINAL, 3, 2, 0.5, true, "0.5 of 3 is 1.5: 2"},
        {STATE_FINAL, 3, 1, 0.5, false, "0.5 of 3, 1 in"},
        {STATE_FINAL, 1, 1, 0.5, true, "0.5 of 1, 1 in"},
        {STATE_FINAL, 1, 0, 0.5, false, "0.5 of 1, none in"},
        /* min_reported 0: a final figure is judged, however few are in. */
        {STATE_FINAL, 4, 0, 0.0, true, "min 0, none in"},
        {STATE_FINAL, 0, 0, 0.0, true, "min 0, nobody expected"},
        /* Shares that are not exact in binary: 0.7 x 10 = 7.000000000000001,
         * 0.6 x 5 = 3.0000000000000004, 0.9 x 10; the need is still 7, 3 and 9. */
        {STATE_FINAL, 10, 7, 0.7, true, "0.7 of 10, 7 in"},
        {STATE_FINAL, 10, 6, 0.7, false, "0.7 of 10, 6 in"},
        {STATE_FINAL, 5, 3, 0.6, true, "0.6 of 5, 3 in"},
        {STATE_FINAL, 5, 2, 0.6, false, "0.6 of 5, 2 in"},
        {STATE_FINAL, 10, 9, 0.9, true, "0.9 of 10, 9 in"},
        {STATE_FINAL, 10, 8, 0.9, false, "0.9 of 10, 8 in"},
        {STATE_FINAL, 3, 1, 1.0 / 3.0, true, "a third of 3, 1 in"},
        {STATE_FINAL, 3, 0, 1.0 / 3.0, false, "a third of 3, none in"},
        /* Closed is judged like final, with the same share. */
        {STATE_CLOSED, 4, 4, 1.0, true, "closed, all in"},
        {STATE_CLOSED, 4, 2, 1.0, false, "closed, 2 of 4, all needed"},
        {STATE_CLOSED, 4, 2, 0.5, true, "closed, 2 of 4, half needed"},
        {STATE_CLOSED, 4, 0, 0.0, true, "closed, min 0"},
    };
    char report[8192] = "";
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        bool got = figure_judgeable(cases[i].s, cases[i].expected, cases[i].reported,
                                    cases[i].min_reported);
        if (got != cases[i].want)
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s, %s): %s, want %s\n", i, state_text(cases[i].s),
                     cases[i].why, got ? "judgeable" : "not judgeable",
                     cases[i].want ? "judgeable" : "not judgeable");
    }
    if (report[0])
        fail_msg("%s", report);
}

/* State and judgement together, as a rule sees a month: 3 of 4 in, min_reported 0.8. */
static void test_state_then_judgeable(void **state)
{
    period p = P("2026-10");
    time_t end = period_end(&p), due = figure_deadline(&p, 10);
    (void)state;
    /* Provisional before the deadline: not judged. */
    figure_state s = figure_state_of(&p, due - 1, 10, 4, 3, false);
    assert_int_equal(s, STATE_PROVISIONAL);
    assert_false(figure_judgeable(s, 4, 3, 0.75));
    /* Final at the deadline; 3 of 4 is enough for 0.75, not for 0.8. */
    s = figure_state_of(&p, due, 10, 4, 3, false);
    assert_int_equal(s, STATE_FINAL);
    assert_true(figure_judgeable(s, 4, 3, 0.75));
    assert_false(figure_judgeable(s, 4, 3, 0.8));
    /* The last reporter in: final at once, judged with any share. */
    s = figure_state_of(&p, end, 10, 4, 4, false);
    assert_int_equal(s, STATE_FINAL);
    assert_true(figure_judgeable(s, 4, 4, 1.0));
}

static int setup_tz(void **state)
{
    (void)state;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_deadline),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_states_around_the_edges),
        cmocka_unit_test(test_judgeable),
        cmocka_unit_test(test_state_then_judgeable),
    };
    return cmocka_run_group_tests(tests, setup_tz, NULL);
}
