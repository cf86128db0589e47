/* Unit tests for daemon/validate.c: every rule a submitted record must meet, against
 * the shipped catalogue and a small partners file, at a fixed "now"
 * (2026-11-15 12:00 in Europe/Amsterdam), and the submission digest. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "validate.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"

/* Areas: a regio over two gemeenten, each with wijken. */
static const char PARTNERS[] =
    "areas = (\n"
    "  { code = \"RG\";       name = \"Twente\";     level = \"regio\"; },\n"
    "  { code = \"GM0164\";   name = \"Hengelo\";    level = \"gemeente\"; parent = \"RG\"; },\n"
    "  { code = \"WK016400\"; name = \"Binnenstad\"; level = \"wijk\"; parent = \"GM0164\"; },\n"
    "  { code = \"WK016401\"; name = \"Es\";         level = \"wijk\"; parent = \"GM0164\"; },\n"
    "  { code = \"GM0153\";   name = \"Enschede\";   level = \"gemeente\"; parent = \"RG\"; },\n"
    "  { code = \"WK015300\"; name = \"Centrum\";    level = \"wijk\"; parent = \"GM0153\"; }\n"
    ");\n"
    "organisations = (\n"
    "  { id = \"ko\";  name = \"Kinderopvang\"; kind = \"kinderopvang\"; area = \"WK016400\"; },\n"
    "  { id = \"rbl\"; name = \"RBL\"; kind = \"rbl\"; area = \"GM0164\";"
    " reports_for = [\"GM0164\", \"GM0153\"]; },\n"
    "  { id = \"po\";  name = \"Basisschool\"; kind = \"school_po\"; area = \"WK016401\"; }\n"
    ");\n";

static char partners_path[256];
static registry reg;
static time_t now; /* 2026-11-15 12:00 local */

static time_t local_time(int year, int month, int day, int hour, int min, int sec)
{
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static int setup(void **state)
{
    settings s;
    lm_error err;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    now = local_time(2026, 11, 15, 12, 0, 0);
    if (tmpdir_setup(state) != 0)
        return -1;
    write_file("partners.conf", PARTNERS, partners_path, sizeof partners_path);
    settings_defaults(&s);
    snprintf(s.catalog, sizeof s.catalog, "%s", CATALOG_CONF);
    snprintf(s.partners, sizeof s.partners, "%s", partners_path);
    if (registry_load(&reg, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    registry_free(&reg);
    return tmpdir_teardown(state);
}

static const organisation *org(const char *id)
{
    const organisation *o = partners_org(&reg.parts, id);
    if (!o)
        fail_msg("no organisation %s", id);
    return o;
}

typedef struct {
    const char *metric, *area, *period;
    double value;
    unsigned bad;
} rec;

static void make_req(proto_request *req, const rec *recs, size_t n)
{
    memset(req, 0, sizeof *req);
    req->version = PROTO_VERSION;
    req->op = PROTO_OP_SUBMIT;
    snprintf(req->id, sizeof req->id, "test");
    req->records = calloc(n ? n : 1, sizeof *req->records);
    assert_non_null(req->records);
    req->n_records = n;
    for (size_t i = 0; i < n; i++) {
        proto_record *r = &req->records[i];
        snprintf(r->metric, sizeof r->metric, "%s", recs[i].metric);
        snprintf(r->area, sizeof r->area, "%s", recs[i].area);
        snprintf(r->period, sizeof r->period, "%s", recs[i].period);
        r->value = recs[i].value;
        r->bad = recs[i].bad;
    }
}

/* ---- one record at a time ------------------------------------------------ */

typedef struct {
    const char *field, *code, *message;
} want_error;

static void test_record_rules(void **state)
{
    enum { M = PROTO_F_METRIC, A = PROTO_F_AREA, P = PROTO_F_PERIOD, V = PROTO_F_VALUE };
    static const struct {
        const char *org;
        rec r;
        want_error errs[3]; /* in the order validation finds them */
    } cases[] = {
        /* valid */
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2026-10", 12, 0}, {{0}}},
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2026-11", 12, 0}, {{0}}}, /* this month */
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2020-01", 12, 0}, {{0}}}, /* the first */
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2026-10", 0, 0}, {{0}}},    /* min */
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2026-10", 1000, 0}, {{0}}}, /* max */
        {"ko", {"vve.peuters.geplaatst", "WK016400", "2026-10", -0.0, 0}, {{0}}},
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", 12.5, 0}, {{0}}}, /* hours */
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", 40, 0}, {{0}}},
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", 0.001, 0}, {{0}}},
        {"rbl", {"rbl.thuiszitters", "GM0153", "2026-10", 3, 0}, {{0}}},   /* reports_for */
        {"rbl", {"rbl.thuiszitters", "WK015300", "2026-10", 3, 0}, {{0}}}, /* and below */
        {"rbl", {"rbl.leerplichtigen", "GM0164", "2026-10", 1000000, 0}, {{0}}},
        {"po", {"school.leerlingen", "WK016401", "2026-10", 50000, 0}, {{0}}},
        {"po", {"school.zomerschool", "", "2026-08", 7, 0}, {{0}}},

        /* metric */
        {"ko", {"nope", "WK016400", "2026-10", 1, 0},
         {{"metric", "unknown_metric", "unknown metric 'nope' (leamon catalog lists the metrics)"}}},
        {"ko", {"VVE.PLAATSEN", "WK016400", "2026-10", 1, 0},
         {{"metric", "unknown_metric", "unknown metric 'VVE.PLAATSEN'"}}},
        {"ko", {"vve\x01x", "WK016400", "2026-10", 1, 0},
         {{"metric", "unknown_metric", "unknown metric 'vve?x'"}}},
        {"ko", {"rbl.thuiszitters", "WK016400", "2026-10", 1, 0},
         {{"metric", "metric_not_allowed",
           "metric 'rbl.thuiszitters' is reported by rbl, not by a kinderopvang"}}},
        {"po", {"school.vsv", "WK016401", "2026-10", 1, 0},
         {{"metric", "metric_not_allowed",
           "metric 'school.vsv' is reported by school_vo, mbo, not by a school_po"}}},
        {"rbl", {"school.leerlingen", "GM0164", "2026-10", 1, 0},
         {{"metric", "metric_not_allowed",
           "is reported by school_po, school_so, school_vo, mbo, not by a rbl"}}},

        /* area */
        {"ko", {"vve.plaatsen", "WK999", "2026-10", 1, 0},
         {{"area", "unknown_area", "unknown area 'WK999' (leamon catalog lists the areas)"}}},
        {"ko", {"vve.plaatsen", "wk016400", "2026-10", 1, 0},
         {{"area", "unknown_area", "unknown area 'wk016400'"}}},
        {"ko", {"vve.plaatsen", "GM0153", "2026-10", 1, 0},
         {{"area", "area_not_allowed",
           "ko may not report for area GM0153; it reports for WK016400 and the areas below"}}},
        /* By default a location reports for its own wijk only: not a sibling, nor the
         * gemeente above it. */
        {"ko", {"vve.peuters.geplaatst", "WK016401", "2026-10", 12, 0},
         {{"area", "area_not_allowed", "ko may not report for area WK016401"}}},
        {"ko", {"vve.peuters.geplaatst", "GM0164", "2026-10", 12, 0},
         {{"area", "area_not_allowed", "ko may not report for area GM0164"}}},
        {"ko", {"vve.plaatsen", "WK015300", "2026-10", 1, 0},
         {{"area", "area_not_allowed", "ko may not report for area WK015300"}}},
        {"ko", {"vve.plaatsen", "RG", "2026-10", 1, 0},
         {{"area", "area_not_allowed", "ko may not report for area RG"}}},
        {"rbl", {"rbl.vsv", "RG", "2026-10", 1, 0},
         {{"area", "area_not_allowed", "rbl may not report for area RG"}}},

        /* period */
        {"ko", {"vve.plaatsen", "WK016400", "2026-13", 1, 0},
         {{"period", "bad_period",
           "'2026-13' is not a period; figures are reported per month, like 2026-10"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-1", 1, 0},
         {{"period", "bad_period", "'2026-1' is not a period"}}},
        {"ko", {"vve.plaatsen", "WK016400", "26-10", 1, 0},
         {{"period", "bad_period", "'26-10' is not a period"}}},
        {"ko", {"vve.plaatsen", "WK016400", "oktober", 1, 0},
         {{"period", "bad_period", "'oktober' is not a period"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10\t", 1, 0},
         {{"period", "bad_period", "'2026-10?' is not a period"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-Q3", 1, 0},
         {{"period", "not_a_month",
           "'2026-Q3' is a quarter; figures are reported per month, like 2026-10"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026", 1, 0},
         {{"period", "not_a_month", "'2026' is a year"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2025/26", 1, 0},
         {{"period", "not_a_month", "'2025/26' is a school year"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-12", 1, 0},
         {{"period", "future_period",
           "2026-12 is in the future: a month can be reported once it has begun"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2027-01", 1, 0},
         {{"period", "future_period", "2027-01 is in the future"}}},
        {"ko", {"vve.plaatsen", "WK016400", "9998-12", 1, 0},
         {{"period", "future_period", "9998-12 is in the future"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2019-12", 1, 0},
         {{"period", "period_too_early",
           "2019-12 is before 2020-01, the first month this municipality monitors"}}},
        {"ko", {"vve.plaatsen", "WK016400", "1900-01", 1, 0},
         {{"period", "period_too_early", "1900-01 is before 2020-01"}}},

        /* value */
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", NAN, 0},
         {{"value", "not_finite", "value must be a finite number"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", INFINITY, 0},
         {{"value", "not_finite", "value must be a finite number"}}},
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", -INFINITY, 0},
         {{"value", "not_finite", "value must be a finite number"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", 1.5, 0},
         {{"value", "not_integer", "1.5 is not a whole number; vve.plaatsen is a count"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", 0.1, 0},
         {{"value", "not_integer", "0.1 is not a whole number"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", -1, 0},
         {{"value", "out_of_range", "-1 is outside 0..1000 for vve.plaatsen"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", 1001, 0},
         {{"value", "out_of_range", "1001 is outside 0..1000 for vve.plaatsen"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", 1e300, 0},
         {{"value", "out_of_range", "1e+300 is outside 0..1000"}}},
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", 40.001, 0},
         {{"value", "out_of_range", "40.001 is outside 0..40 for vve.uren.per_week"}}},
        {"ko", {"vve.uren.per_week", "WK016400", "2026-10", -0.5, 0},
         {{"value", "out_of_range", "-0.5 is outside 0..40"}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", -1.5, 0},
         {{"value", "not_integer", "-1.5 is not a whole number"}}}, /* one value error */

        /* several fields */
        {"ko", {"nope", "WK016400", "2026-10", NAN, 0},
         {{"metric", "unknown_metric", NULL}, {"value", "not_finite", NULL}}},
        {"ko", {"nope", "WK016400", "2026-10", 1.5, 0}, /* no metric: no range to check */
         {{"metric", "unknown_metric", NULL}}},
        {"ko", {"rbl.thuiszitters", "WK016400", "2026-10", 5000000, 0},
         {{"metric", "metric_not_allowed", NULL}}},
        {"ko", {"vve.plaatsen", "GM0153", "2027-01", 2000, 0},
         {{"area", "area_not_allowed", NULL}, {"period", "future_period", NULL},
          {"value", "out_of_range", NULL}}},
        {"po", {"rbl.vsv", "WK999", "2026-Q1", 1.5, 0},
         {{"metric", "metric_not_allowed", NULL}, {"area", "unknown_area", NULL},
          {"period", "not_a_month", NULL}}},

        /* fields that failed to decode are not checked again */
        {"ko", {"", "WK016400", "2026-10", 1.5, M}, {{0}}},
        {"ko", {"", "WK016400", "2026-10", NAN, M}, {{"value", "not_finite", NULL}}},
        {"ko", {"vve.plaatsen", "", "2026-10", 1, A}, {{0}}},
        {"ko", {"vve.plaatsen", "WK016400", "", 1, P}, {{0}}},
        {"ko", {"vve.plaatsen", "WK016400", "2026-10", NAN, V}, {{0}}},
        {"ko", {"", "", "", 0, M | A | P | V}, {{0}}},
    };
    char report[16384] = "";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        proto_request req;
        proto_errors errs;
        make_req(&req, &cases[i].r, 1);
        proto_errors_init(&errs);
        size_t n = validate_submission(&req, org(cases[i].org), &reg, now, &errs);
        size_t want = 0;
        while (want < 3 && cases[i].errs[want].code)
            want++;
        char line[600] = "";
        if (n != want || errs.count != want) {
            snprintf(line, sizeof line, "%zu errors (returned %zu), want %zu; first: %s %s '%s'",
                     errs.count, n, want, errs.count ? errs.items[0].field : "",
                     errs.count ? errs.items[0].code : "",
                     errs.count ? errs.items[0].message : "");
        } else {
            for (size_t k = 0; k < want && !line[0]; k++) {
                const proto_error *e = &errs.items[k];
                const want_error *w = &cases[i].errs[k];
                if (e->index != 0 || strcmp(e->field, w->field) != 0 ||
                    strcmp(e->code, w->code) != 0 || (w->message && !strstr(e->message, w->message)))
                    snprintf(line, sizeof line, "error %zu: [%ld] %s %s '%s'; want %s %s '%s'", k,
                             e->index, e->field, e->code, e->message, w->field, w->code,
                             w->message ? w->message : "");
            }
        }
        if (line[0])
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (%s %s %s %s %g): %s\n", i, cases[i].org, cases[i].r.metric,
                     cases[i].r.area, cases[i].r.period, cases[i].r.value, line);
        proto_errors_free(&errs);
        proto_request_free(&req);
    }
    if (report[0])
        fail_msg("%s", report);
}

/* ---- defaults filled in -------------------------------------------------- */

static void test_home_area_and_canonical_period(void **state)
{
    static const rec recs[] = {
        {"rbl.vsv", "", "2026-10", 1, 0},
        {"rbl.vsv", "WK015300", "2026-09", 1, 0},
        {"rbl.vsv", "", "2026-13", 1, 0},               /* a bad period stays as sent */
        {"rbl.vsv", "", "2026-08", 1, PROTO_F_AREA},    /* a bad area is not defaulted */
    };
    proto_request req;
    proto_errors errs;
    (void)state;
    make_req(&req, recs, 4);
    proto_errors_init(&errs);
    assert_int_equal(validate_submission(&req, org("rbl"), &reg, now, &errs), 1);
    assert_string_equal(req.records[0].area, "GM0164"); /* rbl's home area */
    assert_string_equal(req.records[0].period, "2026-10");
    assert_string_equal(req.records[1].area, "WK015300");
    assert_string_equal(req.records[1].period, "2026-09");
    assert_string_equal(req.records[2].period, "2026-13");
    assert_string_equal(req.records[2].area, "GM0164");
    assert_string_equal(req.records[3].area, "");
    assert_string_equal(errs.items[0].code, "bad_period");
    proto_errors_free(&errs);
    proto_request_free(&req);

    static const rec one[] = {{"vve.plaatsen", "", "2026-11", 1, 0}};
    make_req(&req, one, 1);
    proto_errors_init(&errs);
    assert_int_equal(validate_submission(&req, org("ko"), &reg, now, &errs), 0);
    assert_string_equal(req.records[0].area, "WK016400");
    proto_errors_free(&errs);
    proto_request_free(&req);
}

/* ---- the month boundary -------------------------------------------------- */

static void test_future_boundary(void **state)
{
    static const struct {
        int y, mo, d, h, mi, s;
        const char *period;
        bool future;
    } cases[] = {
        {2026, 11, 30, 23, 59, 59, "2026-12", true},
        {2026, 12, 1, 0, 0, 0, "2026-12", false},
        {2026, 12, 1, 0, 0, 0, "2027-01", true},
        {2026, 12, 31, 23, 59, 59, "2027-01", true},
        {2027, 1, 1, 0, 0, 0, "2027-01", false},
        {2026, 3, 29, 3, 0, 0, "2026-03", false},   /* just after the DST switch */
        {2026, 3, 31, 23, 59, 59, "2026-04", true},
        {2026, 10, 31, 23, 59, 59, "2026-11", true},
        {2026, 11, 1, 0, 0, 0, "2026-11", false},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rec r = {"vve.plaatsen", "WK016400", cases[i].period, 1, 0};
        proto_request req;
        proto_errors errs;
        time_t t = local_time(cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
                              cases[i].s);
        make_req(&req, &r, 1);
        proto_errors_init(&errs);
        size_t n = validate_submission(&req, org("ko"), &reg, t, &errs);
        bool future = n == 1 && strcmp(errs.items[0].code, "future_period") == 0;
        proto_errors_free(&errs);
        proto_request_free(&req);
        if (future != cases[i].future || n > 1)
            fail_msg("case %zu: %s at %04d-%02d-%02d %02d:%02d:%02d: %zu errors, future %d", i,
                     cases[i].period, cases[i].y, cases[i].mo, cases[i].d, cases[i].h,
                     cases[i].mi, cases[i].s, n, future);
    }
}

/* ---- repeated records ---------------------------------------------------- */

static void test_duplicates(void **state)
{
    static const rec recs[] = {
        {"vve.plaatsen", "WK016400", "2026-10", 1, 0},   /* 0 */
        {"vve.plaatsen", "WK016400", "2026-09", 1, 0},   /* 1 */
        {"vve.plaatsen", "", "2026-10", 2, 0},           /* 2: home area, same as 0 */
        {"vve.wachtlijst", "WK016400", "2026-10", 1, 0}, /* 3 */
        {"vve.plaatsen", "WK016400", "2026-10", 3, 0},   /* 4: same as 0 */
        {"vve.plaatsen", "WK016400", "2026-08", 1, 0},   /* 5 */
        {"vve.wachtlijst", "WK016400", "2026-10", 5, 0}, /* 6: same as 3 */
        {"nope", "WK016400", "2026-10", 1, 0},           /* 7: unknown, but repeated below */
        {"nope", "WK016400", "2026-10", 1, 0},           /* 8: same as 7 */
        {"vve.plaatsen", "", "", 1, PROTO_F_PERIOD},     /* 9: did not decode */
        {"vve.plaatsen", "", "", 1, PROTO_F_PERIOD},     /* 10: nor this: not compared */
    };
    static const struct { long index; const char *message; } want[] = {
        {2, "same metric, area and period as record 0"},
        {4, "same metric, area and period as record 0"},
        {6, "same metric, area and period as record 3"},
        {7, NULL}, /* unknown_metric */
        {8, NULL}, /* unknown_metric */
        {8, "same metric, area and period as record 7"},
    };
    proto_request req;
    proto_errors errs;
    (void)state;
    make_req(&req, recs, sizeof recs / sizeof recs[0]);
    proto_errors_init(&errs);
    size_t n = validate_submission(&req, org("ko"), &reg, now, &errs);
    proto_errors_sort(&errs);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    assert_int_equal(errs.count, n);
    for (size_t i = 0; i < n; i++) {
        const proto_error *e = &errs.items[i];
        assert_int_equal(e->index, want[i].index);
        if (want[i].message) {
            assert_string_equal(e->field, "record");
            assert_string_equal(e->code, "duplicate_record");
            assert_string_equal(e->message, want[i].message);
        } else {
            assert_string_equal(e->code, "unknown_metric");
        }
    }
    proto_errors_free(&errs);
    proto_request_free(&req);
}

/* Counting goes on past the kept errors, and the return value counts only this call. */
static void test_error_counting(void **state)
{
    enum { N = 1500 };
    proto_request req;
    proto_errors errs;
    rec *recs = calloc(N, sizeof *recs);
    char (*periods)[16] = calloc(N, sizeof *periods);
    (void)state;
    assert_non_null(recs);
    assert_non_null(periods);
    for (size_t i = 0; i < N; i++) {
        /* Distinct months, so only the values are wrong. */
        int m = 2026 * 12 + 10 - 1 - (int)i;
        snprintf(periods[i], sizeof periods[i], "%04d-%02d", m / 12, m % 12 + 1);
        recs[i] = (rec){"vve.uren.per_week", "WK016400", periods[i], NAN, 0};
    }
    make_req(&req, recs, N);
    proto_errors_init(&errs);
    proto_errors_add(&errs, -1, "records", "earlier", "from decoding");
    size_t n = validate_submission(&req, org("ko"), &reg, now, &errs);
    /* Months before 2020-01 are too early as well: 2026-10 back to 2020-01 is 82 months. */
    size_t early = N - 82;
    assert_int_equal(n, N + early);
    assert_int_equal(errs.total, 1 + N + early);
    assert_int_equal(errs.count, PROTO_MAX_ERRORS);
    assert_string_equal(errs.items[0].code, "earlier");
    assert_string_equal(errs.items[1].code, "not_finite");
    proto_errors_free(&errs);
    proto_request_free(&req);
    free(recs);
    free(periods);
}

/* ---- digest -------------------------------------------------------------- */

static uint64_t digest_of(const rec *recs, size_t n)
{
    proto_request req;
    make_req(&req, recs, n);
    uint64_t d = validate_digest(&req);
    proto_request_free(&req);
    return d;
}

static void test_digest(void **state)
{
    static const rec base[] = {
        {"vve.plaatsen", "WK016400", "2026-10", 12, 0},
        {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0},
    };
    static const rec changed[][2] = {
        {{"vve.plaatsen", "WK016400", "2026-10", 13, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
        {{"vve.plaatsen", "WK016400", "2026-10", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.25, 0}},
        {{"vve.plaatsen", "WK016401", "2026-10", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
        {{"vve.plaatsen", "WK016400", "2026-11", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
        {{"vve.plaatsen", "WK016400", "2026-10", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-08", 3.5, 0}},
        {{"vve.uitstroom", "WK016400", "2026-10", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
        {{"vve.plaatsen", "WK016400", "2026-10", -12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
        /* Moving a character from one field to the next is a change. */
        {{"vve.plaatsenW", "K016400", "2026-10", 12, 0}, {"vve.wachtlijst", "WK016401", "2026-09", 3.5, 0}},
    };
    (void)state;
    uint64_t d = digest_of(base, 2);
    assert_true(d <= (uint64_t)INT64_MAX); /* fits SQLite's signed integer */
    assert_true(digest_of(base, 2) == d);  /* the same content, another request */
    for (size_t i = 0; i < sizeof changed / sizeof changed[0]; i++) {
        uint64_t c = digest_of(changed[i], 2);
        if (c == d)
            fail_msg("change %zu left the digest the same", i);
        assert_true(c <= (uint64_t)INT64_MAX);
    }
    assert_true(digest_of(base, 1) != d);

    /* 0 and -0 are the same figure. */
    static const rec zero[] = {{"vve.plaatsen", "WK016400", "2026-10", 0.0, 0}};
    static const rec negzero[] = {{"vve.plaatsen", "WK016400", "2026-10", -0.0, 0}};
    assert_true(digest_of(zero, 1) == digest_of(negzero, 1));

    /* No records: FNV-1a's offset basis with the top bit cleared. */
    assert_true(digest_of(NULL, 0) == (14695981039346656037ull & 0x7fffffffffffffffull));

    /* The id and the sender play no part: only the records do. */
    proto_request a, b;
    make_req(&a, base, 2);
    make_req(&b, base, 2);
    snprintf(b.id, sizeof b.id, "other-id");
    b.dry_run = true;
    assert_true(validate_digest(&a) == validate_digest(&b));
    proto_request_free(&a);
    proto_request_free(&b);
}

/* A retry that left the area out and one that named the home area are the same
 * submission once validated. */
static void test_digest_after_defaults(void **state)
{
    static const rec implicit[] = {{"vve.plaatsen", "", "2026-10", 12, 0}};
    static const rec explicit_area[] = {{"vve.plaatsen", "WK016400", "2026-10", 12, 0}};
    proto_request a, b;
    proto_errors errs;
    (void)state;
    make_req(&a, implicit, 1);
    make_req(&b, explicit_area, 1);
    assert_true(validate_digest(&a) != validate_digest(&b));
    proto_errors_init(&errs);
    assert_int_equal(validate_submission(&a, org("ko"), &reg, now, &errs), 0);
    assert_int_equal(validate_submission(&b, org("ko"), &reg, now, &errs), 0);
    assert_true(validate_digest(&a) == validate_digest(&b));
    proto_errors_free(&errs);
    proto_request_free(&a);
    proto_request_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_rules),
        cmocka_unit_test(test_home_area_and_canonical_period),
        cmocka_unit_test(test_future_boundary),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_error_counting),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_digest_after_defaults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
