/* Unit tests for proto/period.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "period.h"

/* Field-wise, so padding never matters. */
#define assert_period(p, k, y, i)              \
    do {                                       \
        assert_int_equal((p).kind, (k));       \
        assert_int_equal((p).year, (y));       \
        assert_int_equal((p).index, (i));      \
    } while (0)

/* A value no function under test produces, to detect writes on failure. */
static const period SENTINEL = { PERIOD_QUARTER, 1234, 3 };

static period must_parse(const char *s)
{
    period p = SENTINEL;
    if (period_parse(s, &p) != 0)
        fail_msg("\"%s\" did not parse", s);
    return p;
}

static void test_parse_valid(void **state)
{
    static const struct {
        const char *text;
        period_kind kind;
        int year, index;
    } cases[] = {
        { "2026-10", PERIOD_MONTH, 2026, 10 },
        { "2026-01", PERIOD_MONTH, 2026, 1 },
        { "2026-12", PERIOD_MONTH, 2026, 12 },
        { "1900-01", PERIOD_MONTH, 1900, 1 },
        { "9998-12", PERIOD_MONTH, 9998, 12 },
        { "2026-Q1", PERIOD_QUARTER, 2026, 1 },
        { "2026-Q4", PERIOD_QUARTER, 2026, 4 },
        { "2026", PERIOD_YEAR, 2026, 0 },
        { "1900", PERIOD_YEAR, 1900, 0 },
        { "9998", PERIOD_YEAR, 9998, 0 },
        { "2025/26", PERIOD_SCHOOLYEAR, 2025, 0 },
        { "1999/00", PERIOD_SCHOOLYEAR, 1999, 0 },
        { "2009/10", PERIOD_SCHOOLYEAR, 2009, 0 },
        { "1900/01", PERIOD_SCHOOLYEAR, 1900, 0 },
        { "9998/99", PERIOD_SCHOOLYEAR, 9998, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period p = SENTINEL;
        if (period_parse(cases[i].text, &p) != 0)
            fail_msg("\"%s\" did not parse", cases[i].text);
        if (p.kind != cases[i].kind || p.year != cases[i].year || p.index != cases[i].index)
            fail_msg("\"%s\" parsed as kind %d year %d index %d", cases[i].text,
                     (int)p.kind, p.year, p.index);
    }
}

static void test_parse_invalid(void **state)
{
    static const char *const cases[] = {
        "", "2026-1", "2026-13", "2026-00", "2026-Q0", "2026-Q5", "2026-q4",
        "2025/27", "2025/2026", "2025/25", "2025/6", " 2026", "2026 ", "\t2026",
        "2026\n", "+2026", "-2026", "20261", "202", "2026-10x", "2026-Q4x",
        "2025/26x", "2026x", "2026-", "2026-Q", "2026/", "2026-Q44", "2026-100",
        "2026--1", "2026-+1", "2026- 1", "2025/+6", "2025/ 26", "2025-26",
        "2025\\26", "2026-W01", "1899", "1899-12", "1899-Q4", "1899/00", "9999",
        "9999-01", "9999/00", "0000", "0026", "1e03", "12x4", "2026-1a",
        "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6", /* Arabic-Indic digits */
    };
    char overlong[4096];
    char tail[64];
    period p = SENTINEL;
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p = SENTINEL;
        if (period_parse(cases[i], &p) != -1)
            fail_msg("\"%s\" was accepted", cases[i]);
        if (memcmp(&p, &SENTINEL, sizeof p) != 0)
            fail_msg("\"%s\" wrote to out on failure", cases[i]);
    }

    memset(overlong, '2', sizeof overlong - 1);
    overlong[sizeof overlong - 1] = '\0';
    assert_int_equal(period_parse(overlong, &p), -1);
    memcpy(tail, "2026-10", 7);
    memset(tail + 7, '0', sizeof tail - 8);
    tail[sizeof tail - 1] = '\0';
    assert_int_equal(period_parse(tail, &p), -1);
    assert_period(p, SENTINEL.kind, SENTINEL.year, SENTINEL.index);

    assert_int_equal(period_parse(NULL, &p), -1);
    assert_period(p, SENTINEL.kind, SENTINEL.year, SENTINEL.index);
    assert_int_equal(period_parse("2026", NULL), -1);
}

static void test_format_roundtrip(void **state)
{
    static const char *const texts[] = {
        "2026-10", "2026-01", "1900-01", "9998-12", "2026-Q1", "2026-Q4",
        "2026", "1900", "9998", "2025/26", "1999/00", "1900/01", "9998/99",
    };
    char buf[PERIOD_TEXT_MAX];
    (void)state;

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        period p = must_parse(texts[i]);
        assert_int_equal(period_format(&p, buf, sizeof buf), 0);
        assert_string_equal(buf, texts[i]);
    }

    /* Every valid period of every kind survives format then parse. */
    static const struct {
        period_kind kind;
        int first, last;
    } kinds[] = {
        { PERIOD_MONTH, 1, 12 },
        { PERIOD_QUARTER, 1, 4 },
        { PERIOD_YEAR, 0, 0 },
        { PERIOD_SCHOOLYEAR, 0, 0 },
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (int y = 1900; y <= 9998; y++) {
            for (int i = kinds[k].first; i <= kinds[k].last; i++) {
                period p = { kinds[k].kind, y, i };
                period q = SENTINEL;
                if (period_format(&p, buf, sizeof buf) != 0)
                    fail_msg("format failed: kind %d year %d index %d", (int)p.kind, y, i);
                if (period_parse(buf, &q) != 0)
                    fail_msg("\"%s\" did not parse back", buf);
                if (q.kind != p.kind || q.year != p.year || q.index != p.index)
                    fail_msg("\"%s\" parsed back differently", buf);
            }
        }
    }
}

static void test_format_errors(void **state)
{
    period p = must_parse("2026-10");
    period bad = { PERIOD_MONTH, 2026, 13 };
    period badkind = { (period_kind)99, 2026, 0 };
    char buf[PERIOD_TEXT_MAX];
    (void)state;

    /* Exactly enough room ("2026-10" plus NUL) works; one byte less does not. */
    assert_int_equal(period_format(&p, buf, 8), 0);
    assert_string_equal(buf, "2026-10");
    memset(buf, 'z', sizeof buf);
    assert_int_equal(period_format(&p, buf, 7), -1);
    assert_int_equal(buf[0], 'z');
    assert_int_equal(period_format(&p, buf, 0), -1);
    assert_int_equal(period_format(&p, NULL, sizeof buf), -1);
    assert_int_equal(period_format(NULL, buf, sizeof buf), -1);
    assert_int_equal(period_format(&bad, buf, sizeof buf), -1);
    assert_int_equal(period_format(&badkind, buf, sizeof buf), -1);
    assert_int_equal(buf[0], 'z');
}

static void test_kind_name(void **state)
{
    (void)state;
    assert_string_equal(period_kind_name(PERIOD_MONTH), "month");
    assert_string_equal(period_kind_name(PERIOD_QUARTER), "quarter");
    assert_string_equal(period_kind_name(PERIOD_YEAR), "year");
    assert_string_equal(period_kind_name(PERIOD_SCHOOLYEAR), "school year");
    assert_non_null(period_kind_name((period_kind)99));
}

static void test_valid(void **state)
{
    static const period bad[] = {
        { PERIOD_MONTH, 2026, 0 },  { PERIOD_MONTH, 2026, 13 },
        { PERIOD_MONTH, 1899, 12 }, { PERIOD_MONTH, 9999, 1 },
        { PERIOD_QUARTER, 2026, 0 }, { PERIOD_QUARTER, 2026, 5 },
        { PERIOD_YEAR, 2026, 1 },   { PERIOD_YEAR, 1899, 0 },
        { PERIOD_YEAR, 9999, 0 },   { PERIOD_SCHOOLYEAR, 2025, 8 },
        { PERIOD_SCHOOLYEAR, 1899, 0 }, { (period_kind)4, 2026, 0 },
        { (period_kind)-1, 2026, 0 },
    };
    static const period good[] = {
        { PERIOD_MONTH, 1900, 1 }, { PERIOD_MONTH, 9998, 12 },
        { PERIOD_QUARTER, 2026, 4 }, { PERIOD_YEAR, 2026, 0 },
        { PERIOD_SCHOOLYEAR, 2025, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (period_valid(&bad[i]))
            fail_msg("bad[%zu] reported valid", i);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!period_valid(&good[i]))
            fail_msg("good[%zu] reported invalid", i);
    assert_false(period_valid(NULL));
}

static void test_month_numbers(void **state)
{
    period m;
    (void)state;

    assert_int_equal(period_month_number(2026, 10), 2026 * 12 + 9);
    assert_int_equal(period_month_number(2026, 1) - period_month_number(2025, 12), 1);

    m = period_month_from_number(period_month_number(2026, 10));
    assert_period(m, PERIOD_MONTH, 2026, 10);
    m = period_month_from_number(period_month_number(2026, 12) + 1);
    assert_period(m, PERIOD_MONTH, 2027, 1);
    m = period_month_from_number(period_month_number(2026, 1) - 1);
    assert_period(m, PERIOD_MONTH, 2025, 12);
    /* Floor division: month stays in 1..12 below zero. */
    m = period_month_from_number(-1);
    assert_period(m, PERIOD_MONTH, -1, 12);

    for (int n = period_month_number(1900, 1); n <= period_month_number(9998, 12); n++) {
        m = period_month_from_number(n);
        if (!period_valid(&m) || period_month_number(m.year, m.index) != n)
            fail_msg("month number %d does not round-trip", n);
    }
}

static void test_first_last_count(void **state)
{
    static const struct {
        const char *text;
        int fy, fm, ly, lm, count;
    } cases[] = {
        { "2026-10", 2026, 10, 2026, 10, 1 },
        { "2026-Q1", 2026, 1, 2026, 3, 3 },
        { "2026-Q2", 2026, 4, 2026, 6, 3 },
        { "2026-Q3", 2026, 7, 2026, 9, 3 },
        { "2026-Q4", 2026, 10, 2026, 12, 3 },
        { "2026", 2026, 1, 2026, 12, 12 },
        { "2025/26", 2025, 8, 2026, 7, 12 },
        { "1999/00", 1999, 8, 2000, 7, 12 },
    };
    period bad = { PERIOD_QUARTER, 2026, 5 };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period p = must_parse(cases[i].text);
        if (period_first_month(&p) != period_month_number(cases[i].fy, cases[i].fm))
            fail_msg("%s: wrong first month", cases[i].text);
        if (period_last_month(&p) != period_month_number(cases[i].ly, cases[i].lm))
            fail_msg("%s: wrong last month", cases[i].text);
        if (period_month_count(&p) != cases[i].count)
            fail_msg("%s: wrong month count", cases[i].text);
        if (period_last_month(&p) - period_first_month(&p) + 1 != cases[i].count)
            fail_msg("%s: count disagrees with first/last", cases[i].text);
    }
    assert_int_equal(period_first_month(&bad), -1);
    assert_int_equal(period_last_month(&bad), -1);
    assert_int_equal(period_month_count(&bad), 0);
    assert_int_equal(period_month_count(NULL), 0);
}

static void test_compare(void **state)
{
    /* Each row: a sorts strictly before b. */
    static const struct {
        const char *a, *b;
    } lt[] = {
        { "2026-10", "2026-Q4" }, /* same first month, shorter */
        { "2026-Q4", "2026-11" },
        { "2026-01", "2026-Q1" },
        { "2026-Q1", "2026" },
        { "2025/26", "2026" },
        { "2025-08", "2025/26" },
        { "2025-07", "2025/26" },
        { "2025/26", "2025-09" },
        { "2024/25", "2025/26" },
        { "2025/26", "2026/27" },
        { "2025-12", "2026-01" },
        { "2025-Q4", "2026-Q1" },
        { "2025", "2026" },
        { "2025", "2025/26" },
    };
    (void)state;

    for (size_t i = 0; i < sizeof lt / sizeof lt[0]; i++) {
        period a = must_parse(lt[i].a), b = must_parse(lt[i].b);
        if (period_compare(&a, &b) >= 0)
            fail_msg("%s should sort before %s", lt[i].a, lt[i].b);
        if (period_compare(&b, &a) <= 0)
            fail_msg("%s should sort after %s", lt[i].b, lt[i].a);
        if (period_compare(&a, &a) != 0 || period_compare(&b, &b) != 0)
            fail_msg("%s or %s does not equal itself", lt[i].a, lt[i].b);
    }
    period x = must_parse("2025/26"), y = must_parse("2025/26");
    assert_int_equal(period_compare(&x, &y), 0);
}

static void test_contains(void **state)
{
    static const struct {
        const char *outer, *inner;
        bool expect;
    } cases[] = {
        { "2025/26", "2025-08", true },
        { "2025/26", "2026-07", true },
        { "2025/26", "2026-08", false },
        { "2025/26", "2025-07", false },
        { "2025/26", "2025-Q4", true },
        { "2025/26", "2026-Q3", false }, /* straddles 31 July */
        { "2025/26", "2026", false },
        { "2026", "2025/26", false },
        { "2026", "2026-Q1", true },
        { "2026", "2026-Q2", true },
        { "2026", "2026-Q3", true },
        { "2026", "2026-Q4", true },
        { "2026", "2027-Q1", false },
        { "2026", "2026-12", true },
        { "2026", "2025-12", false },
        { "2026-Q4", "2026", false },
        { "2026-Q4", "2026-10", true },
        { "2026-Q4", "2026-12", true },
        { "2026-Q4", "2026-09", false },
        { "2026-10", "2026-Q4", false },
        { "2026-10", "2026-10", true },
        { "2026-Q4", "2026-Q4", true },
        { "2026", "2026", true },
        { "2025/26", "2025/26", true },
    };
    period ok = must_parse("2026");
    period bad = { PERIOD_MONTH, 2026, 13 };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period o = must_parse(cases[i].outer), n = must_parse(cases[i].inner);
        if (period_contains(&o, &n) != cases[i].expect)
            fail_msg("contains(%s, %s) should be %s", cases[i].outer, cases[i].inner,
                     cases[i].expect ? "true" : "false");
    }
    assert_false(period_contains(&ok, &bad));
    assert_false(period_contains(&bad, &ok));
}

static void test_previous(void **state)
{
    static const struct {
        const char *from, *to;
    } cases[] = {
        { "2026-01", "2025-12" }, { "2026-10", "2026-09" },
        { "2026-Q1", "2025-Q4" }, { "2026-Q4", "2026-Q3" },
        { "2026", "2025" },       { "2025/26", "2024/25" },
        { "2000/01", "1999/00" }, { "1900-02", "1900-01" },
        { "1900-Q2", "1900-Q1" }, { "1901", "1900" },
        { "1901/02", "1900/01" },
    };
    static const char *const first[] = { "1900-01", "1900-Q1", "1900", "1900/01" };
    period bad = { PERIOD_QUARTER, 2026, 0 };
    period out;
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period p = must_parse(cases[i].from), want = must_parse(cases[i].to);
        out = SENTINEL;
        if (period_previous(&p, &out) != 0)
            fail_msg("previous(%s) failed", cases[i].from);
        if (out.kind != want.kind || out.year != want.year || out.index != want.index)
            fail_msg("previous(%s) is not %s", cases[i].from, cases[i].to);
    }
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++) {
        period p = must_parse(first[i]);
        out = SENTINEL;
        if (period_previous(&p, &out) != -1)
            fail_msg("previous(%s) should leave the range", first[i]);
        if (memcmp(&out, &SENTINEL, sizeof out) != 0)
            fail_msg("previous(%s) wrote to out on failure", first[i]);
    }
    out = SENTINEL;
    assert_int_equal(period_previous(&bad, &out), -1);
    assert_period(out, SENTINEL.kind, SENTINEL.year, SENTINEL.index);
    assert_int_equal(period_previous(NULL, &out), -1);
    out = must_parse("2026");
    assert_int_equal(period_previous(&out, NULL), -1);
}

static void test_year_earlier(void **state)
{
    static const struct {
        const char *from, *to;
    } cases[] = {
        { "2026-10", "2025-10" }, { "2026-01", "2025-01" },
        { "2026-Q4", "2025-Q4" }, { "2026", "2025" },
        { "2025/26", "2024/25" }, { "1901-01", "1900-01" },
    };
    static const char *const first[] = { "1900-12", "1900-Q4", "1900", "1900/01" };
    period out;
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period p = must_parse(cases[i].from), want = must_parse(cases[i].to);
        out = SENTINEL;
        if (period_year_earlier(&p, &out) != 0)
            fail_msg("year_earlier(%s) failed", cases[i].from);
        if (out.kind != want.kind || out.year != want.year || out.index != want.index)
            fail_msg("year_earlier(%s) is not %s", cases[i].from, cases[i].to);
    }
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++) {
        period p = must_parse(first[i]);
        out = SENTINEL;
        if (period_year_earlier(&p, &out) != -1)
            fail_msg("year_earlier(%s) should leave the range", first[i]);
        if (memcmp(&out, &SENTINEL, sizeof out) != 0)
            fail_msg("year_earlier(%s) wrote to out on failure", first[i]);
    }
    assert_int_equal(period_year_earlier(NULL, &out), -1);
}

static void test_range_edges(void **state)
{
    period p;
    (void)state;

    p = must_parse("9998");
    assert_period(p, PERIOD_YEAR, 9998, 0);
    p = must_parse("9998-12");
    assert_period(p, PERIOD_MONTH, 9998, 12);
    assert_int_equal(period_parse("9999", &p), -1);
    assert_int_equal(period_parse("9999-01", &p), -1);
    assert_int_equal(period_parse("1899-12", &p), -1);

    /* The month after 9998-12 is outside the range. */
    p = period_month_from_number(period_month_number(9998, 12) + 1);
    assert_period(p, PERIOD_MONTH, 9999, 1);
    assert_false(period_valid(&p));
    /* But a period ending there still has an end. */
    p = must_parse("9998-12");
    assert_true(period_end(&p) > period_start(&p));
    p = must_parse("1900-01");
    assert_true(period_end(&p) > period_start(&p));
}

/* Amsterdam has DST, so a month is not always a whole number of days. */
static int setup_tz(void **state)
{
    (void)state;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    return 0;
}

static void test_time_fixed(void **state)
{
    period oct = must_parse("2026-10");
    period mar = must_parse("2026-03");
    period y = must_parse("2026");
    period sy = must_parse("2025/26");
    (void)state;

    /* 2026-10-01 00:00 CEST and 2026-11-01 00:00 CET; DST ends 25 October. */
    assert_int_equal(period_start(&oct), (time_t)1790805600);
    assert_int_equal(period_end(&oct), (time_t)1793487600);
    assert_int_equal(period_end(&oct) - period_start(&oct), 31 * 86400 + 3600);
    /* DST starts 29 March 2026: one hour short. */
    assert_int_equal(period_end(&mar) - period_start(&mar), 31 * 86400 - 3600);
    assert_int_equal(period_start(&mar), (time_t)1772319600);
    assert_int_equal(period_end(&mar), (time_t)1774994400);
    /* Longer periods share their boundaries with their first and last months. */
    assert_int_equal(period_start(&y), period_end(&(period){ PERIOD_MONTH, 2025, 12 }));
    assert_int_equal(period_end(&sy), period_start(&(period){ PERIOD_MONTH, 2026, 8 }));
    assert_int_equal(period_start(&sy), period_start(&(period){ PERIOD_MONTH, 2025, 8 }));
}

/* period_of_time(t) is want, or fails (out untouched) if want is out of range. */
static void check_month_at(time_t t, period want, const char *text, const char *what)
{
    period m = SENTINEL;
    int rc = period_of_time(t, &m);

    if (!period_valid(&want)) {
        if (rc != -1 || memcmp(&m, &SENTINEL, sizeof m) != 0)
            fail_msg("%s: %s is out of range but accepted", text, what);
        return;
    }
    if (rc != 0)
        fail_msg("%s: period_of_time(%s) failed", text, what);
    if (m.kind != PERIOD_MONTH || m.year != want.year || m.index != want.index)
        fail_msg("%s: %s is in %d-%02d, not %d-%02d", text, what, m.year, m.index,
                 want.year, want.index);
}

static void test_time_consistency(void **state)
{
    static const char *const texts[] = {
        "2026-10", "2026-03", "2026-01", "2026-12", "2026-Q1", "2026-Q4",
        "2026", "2025/26", "1970-01", "1969-12", "1900-01", "2038-01", "9998-12",
    };
    (void)state;

    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        period p = must_parse(texts[i]);
        int first = period_first_month(&p), last = period_last_month(&p);
        time_t s = period_start(&p), e = period_end(&p);

        if (e <= s)
            fail_msg("%s: end not after start", texts[i]);
        check_month_at(s, period_month_from_number(first), texts[i], "start");
        check_month_at(e - 1, period_month_from_number(last), texts[i], "end - 1");
        /* Neighbours of 1900-01 and 9998-12 are out of range and must be refused. */
        check_month_at(e, period_month_from_number(last + 1), texts[i], "end");
        check_month_at(s - 1, period_month_from_number(first - 1), texts[i], "start - 1");
    }
}

static void test_time_errors(void **state)
{
    period bad = { PERIOD_MONTH, 2026, 13 };
    period m = SENTINEL;
    (void)state;

    assert_int_equal(period_start(&bad), (time_t)-1);
    assert_int_equal(period_end(&bad), (time_t)-1);
    assert_int_equal(period_start(NULL), (time_t)-1);
    assert_int_equal(period_end(NULL), (time_t)-1);
    assert_int_equal(period_of_time(0, NULL), -1);
    /* 1874 and year 10000 are outside the supported years. */
    assert_int_equal(period_of_time((time_t)-3000000000LL, &m), -1);
    assert_int_equal(period_of_time((time_t)253402300800LL, &m), -1);
    assert_period(m, SENTINEL.kind, SENTINEL.year, SENTINEL.index);
    assert_int_equal(period_of_time((time_t)1790805600, &m), 0);
    assert_period(m, PERIOD_MONTH, 2026, 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_format_roundtrip),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_kind_name),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_month_numbers),
        cmocka_unit_test(test_first_last_count),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_contains),
        cmocka_unit_test(test_previous),
        cmocka_unit_test(test_year_earlier),
        cmocka_unit_test(test_range_edges),
        cmocka_unit_test(test_time_fixed),
        cmocka_unit_test(test_time_consistency),
        cmocka_unit_test(test_time_errors),
    };
    return cmocka_run_group_tests(tests, setup_tz, NULL);
}
