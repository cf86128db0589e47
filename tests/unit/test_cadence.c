/* Unit tests for the reporting cadence of a metric (daemon/catalog.c: due, due_month,
 * due_months; metric_due) and carry, as the catalogue file gives them, with the located
 * error of each bad setting; and completeness (daemon/completeness.c) counting only the
 * months a metric is due, against a real store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "completeness.h"
#include "config.h"
#include "period.h"
#include "store.h"
#include "testutil.h"

#define TP 256

/* A catalogue of one metric with the settings extra (line 3 of the file). */
static int load_one(const char *extra, catalog *cat, char *path, lm_error *err)
{
    char text[1024];
    static int n;
    char name[32];
    snprintf(text, sizeof text,
             "first_period = \"2020-01\";\n"
             "metrics = (\n"
             "  { code = \"m\"; label = \"M\"; unit = \"count\"; time = \"last\"; kinds = [\"ggd\"];"
             " min = 0; max = 10; %s }\n"
             ");\n",
             extra);
    snprintf(name, sizeof name, "cadence-%d.conf", n++);
    write_file(name, text, path, TP);
    return catalog_load(cat, path, err);
}

static void test_due_settings(void **state)
{
    (void)state;
    static const struct {
        const char *extra;
        unsigned due; /* bit 0: January */
    } cases[] = {
        {"", 0xfffu},
        {"due = \"monthly\";", 0xfffu},
        {"due = \"quarterly\";", 1u << 2 | 1u << 5 | 1u << 8 | 1u << 11},
        {"due = \"yearly\";", 1u << 11},
        {"due = \"yearly\"; due_month = 10;", 1u << 9},
        {"due = \"schoolyear\";", 1u << 6},
        {"due = \"schoolyear\"; due_month = 1;", 1u << 0},
        {"due_months = [7, 8];", 1u << 6 | 1u << 7},
        {"due_months = (12);", 1u << 11},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        catalog cat;
        char path[TP];
        lm_error err = {0, ""};
        if (load_one(cases[i].extra, &cat, path, &err) != 0)
            fail_msg("case %zu (%s): %s", i, cases[i].extra, err.msg);
        const metric *m = catalog_metric(&cat, "m");
        assert_non_null(m);
        if (m->due != cases[i].due)
            fail_msg("case %zu (%s): due 0x%x, want 0x%x", i, cases[i].extra, m->due,
                     cases[i].due);
        /* metric_due by month number, across years and before the year 0 of the numbering */
        for (int y = 2019; y <= 2027; y += 4)
            for (int mo = 1; mo <= 12; mo++)
                assert_int_equal(metric_due(m, period_month_number(y, mo)),
                                 (cases[i].due >> (mo - 1)) & 1u);
        catalog_free(&cat);
    }
}

static void test_bad_due_and_carry(void **state)
{
    (void)state;
    static const struct {
        const char *extra, *setting, *message;
    } cases[] = {
        {"due = \"weekly\";", "metrics.[0].due", "due must be monthly, quarterly, yearly or schoolyear"},
        {"due = \"monthly\"; due_month = 3;", "metrics.[0].due_month",
         "due_month is for a yearly or schoolyear metric"},
        {"due = \"yearly\"; due_month = 13;", "metrics.[0].due_month", ""},
        {"due_months = [7, 13];", "metrics.[0].due_months.[1]", "a month is a number from 1 to 12"},
        {"due_months = [\"juli\"];", "metrics.[0].due_months.[0]", "a month is a number"},
        {"due_months = [];", "metrics.[0].due_months", "names no month"},
        {"due_months = 7;", "metrics.[0].due_months", "must be a list of months"},
        {"due = \"yearly\"; due_months = [1];", "metrics.[0].due_months",
         "give due_months, or due (and due_month)"},
        {"carry = 13;", "metrics.[0].carry", ""},
        {"carry = -1;", "metrics.[0].carry", ""},
    };
    char report[4096] = "";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        catalog cat;
        char path[TP];
        lm_error err = {0, ""};
        memset(&cat, 0x5a, sizeof cat);
        int rc = load_one(cases[i].extra, &cat, path, &err);
        const char *why = rc == 0 ? "loaded"
                                  : check_located(err.msg, path, 3, cases[i].setting,
                                                  cases[i].message);
        if (why)
            snprintf(report + strlen(report), sizeof report - strlen(report), "case %zu (%s): %s\n",
                     i, cases[i].extra, why);
        if (rc == 0)
            catalog_free(&cat);
    }
    /* Only a stock is carried. */
    char text[512], path[TP];
    lm_error err = {0, ""};
    catalog cat;
    snprintf(text, sizeof text,
             "first_period = \"2020-01\";\n"
             "metrics = (\n"
             "  { code = \"s\"; label = \"S\"; unit = \"count\"; time = \"sum\"; kinds = [\"ggd\"];"
             " min = 0; max = 10; carry = 1; }\n"
             ");\n");
    write_file("carry-sum.conf", text, path, sizeof path);
    assert_int_equal(catalog_load(&cat, path, &err), -1);
    const char *why = check_located(err.msg, path, 3, "metrics.[0].carry", "only a stock");
    if (why)
        snprintf(report + strlen(report), sizeof report - strlen(report), "sum carried: %s\n", why);
    if (report[0])
        fail_msg("%s", report);
}

/* ---- completeness follows the cadence, against a real store ----------------------- */

static const char partners_text[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; } );\n"
    "organisations = ( { id = \"po\"; name = \"PO\"; kind = \"school_po\"; area = \"GM0164\"; } );\n"
    "staff = ();\n";

static void put(store *db, const char *reporter, const char *id, const char *code,
                const char *month, double value, int64_t at)
{
    int64_t sub = 0;
    assert_int_equal(store_begin(db), 0);
    assert_int_equal(store_add_submission(db, reporter, id, at, 1, 0, &sub), 0);
    assert_int_equal(store_put_observation(db, reporter, code, month, "GM0164", value, sub, at),
                     0);
    assert_int_equal(store_commit(db), 0);
}

static void test_completeness_counts_due_months_only(void **state)
{
    (void)state;
    settings s;
    registry reg;
    store *db;
    char path[TP];
    lm_error err = {0, ""};
    settings_defaults(&s);
    write_file("partners.conf", partners_text, s.partners, sizeof s.partners);
    snprintf(s.catalog, sizeof s.catalog, "%s", "config/catalog.conf");
    if (registry_load(&reg, &s, &err) != 0)
        fail_msg("%s", err.msg);
    path_join(path, sizeof path, tmpdir, "cadence.sqlite");
    if (store_open(&db, path, &err) != 0)
        fail_msg("%s", err.msg);
    const metric *zs = catalog_metric(&reg.cat, "school.zomerschool");
    const metric *ll = catalog_metric(&reg.cat, "school.leerlingen");
    assert_non_null(zs);
    assert_non_null(ll);
    assert_int_equal(zs->due, 1u << 6 | 1u << 7); /* the shipped catalogue: July and August */
    /* 2025: the summer school reported in July only; the deadline of August has passed. */
    struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 0, .tm_mday = 15, .tm_hour = 12,
                    .tm_isdst = -1};
    time_t now = mktime(&tm);
    put(db, "po", "z7", "school.zomerschool", "2025-07", 12, now - 150 * 86400L);
    period year;
    assert_int_equal(period_parse("2025", &year), 0);
    compl_metric c;
    assert_int_equal(completeness_compute(db, &reg, zs, &year, now, 10, NULL, &c), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.rows[0].months_due, 2);        /* July and August, not twelve */
    assert_int_equal(c.rows[0].months_reported, 1);
    assert_int_equal(c.rows[0].n_missing, 1);         /* August */
    assert_int_equal(c.rows[0].missing[0], period_month_number(2025, 8));
    completeness_free(&c);
    /* A monthly metric owes all twelve. */
    assert_int_equal(completeness_compute(db, &reg, ll, &year, now, 10, NULL, &c), 0);
    assert_int_equal(c.rows[0].months_due, 12);
    assert_int_equal(c.rows[0].n_missing, 12);
    completeness_free(&c);
    /* A quarter without a due month owes nothing: nobody is missing. */
    period q1;
    assert_int_equal(period_parse("2025-Q1", &q1), 0);
    assert_int_equal(completeness_compute(db, &reg, zs, &q1, now, 10, NULL, &c), 0);
    assert_int_equal(c.rows[0].months_due, 0);
    assert_int_equal(c.rows[0].n_missing, 0);
    completeness_free(&c);
    store_close(&db);
    registry_free(&reg);
}

int main(void)
{
    if (setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_settings),
        cmocka_unit_test(test_bad_due_and_carry),
        cmocka_unit_test(test_completeness_counts_due_months_only),
    };
    return cmocka_run_group_tests(tests, tmpdir_setup, tmpdir_teardown);
}
