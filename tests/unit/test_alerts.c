/* test_alerts.c: late rules against a real store with a fixed clock: the deadline is the
 * end of the month plus the rule's days, evaluating twice changes nothing, and a report
 * resolves the alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "alerts.h"
#include "rules.h"
#include "config.h"
#include "store.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"

typedef struct {
    registry reg;
    store *db;
} fixture;

static const char partners_text[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; },\n"
    "  { code = \"WK016402\"; name = \"Noord\"; level = \"wijk\"; parent = \"GM0164\"; } );\n"
    "organisations = (\n"
    "  { id = \"ko-a\"; name = \"Kinderopvang A\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ggd\"; name = \"GGD\"; kind = \"ggd\"; area = \"GM0164\"; } );\n"
    "staff = ();\n";

static int setup(void **state)
{
    static fixture f;
    char err[512], path[256];
    settings s;
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&f, 0, sizeof f);
    settings_defaults(&s);
    write_file("partners.conf", partners_text, s.partners, sizeof s.partners);
    /* The catalogue, with months owed from 2026-01 on. */
    FILE *in = fopen(CATALOG_CONF, "r");
    path_join(s.catalog, sizeof s.catalog, tmpdir, "catalog.conf");
    FILE *out = fopen(s.catalog, "w");
    char line[1024];
    if (!in || !out)
        return -1;
    while (fgets(line, sizeof line, in))
        fputs(strncmp(line, "first_period", 12) == 0 ? "first_period = \"2026-01\";\n" : line, out);
    fclose(in);
    if (fclose(out) != 0 || registry_load(&f.reg, &s, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    path_join(path, sizeof path, tmpdir, "alerts.sqlite");
    if (store_open(&f.db, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(&f->db);
    registry_free(&f->reg);
    return tmpdir_teardown(state);
}

/* Local midnight at the start of a day. */
static time_t day(int year, int month, int mday, int hour)
{
    struct tm tm = {0};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = mday;
    tm.tm_hour = hour;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static int evaluate(fixture *f, time_t now, alert_events *ev)
{
    const alert_rule *r = catalog_rule(&f->reg.cat, "opvang_niet_gemeld"); /* for = 2, 10 days */
    assert_non_null(r);
    assert_int_equal(store_begin(f->db), 0);
    int rc = alerts_evaluate_late(f->db, &f->reg, r, NULL, now, ev);
    assert_int_equal(store_commit(f->db), 0);
    return rc;
}

static void report(fixture *f, const char *id, const char *month, time_t at)
{
    int64_t sub;
    char req[64];
    snprintf(req, sizeof req, "%s-%s", id, month);
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, id, req, (int64_t)at, 1, 1, &sub), 0);
    assert_int_equal(store_put_observation(f->db, id, "vve.doelgroep.geplaatst", month,
                                           "WK016402", 5, sub, (int64_t)at), 0);
    assert_int_equal(store_commit(f->db), 0);
}

static void test_late_before_and_after_the_days(void **state)
{
    fixture *f = *state;
    alert_events ev = {0};
    /* ko-a reported January; February and March are owed. */
    report(f, "ko-a", "2026-01", day(2026, 2, 3, 12));
    /* 10 April 23:00: March's deadline (1 April + 10 days) has not passed; February's has:
     * one month missing, for = 2: pending. */
    assert_int_equal(evaluate(f, day(2026, 4, 10, 23), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "pending");
    assert_string_equal(ev.items[0].a.subject, "ko-a");
    assert_string_equal(ev.items[0].a.period, "2026-02");
    assert_string_equal(ev.items[0].previous, "");
    alert_events_free(&ev);
    /* The same moment again: nothing changes. */
    assert_int_equal(evaluate(f, day(2026, 4, 10, 23), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* 11 April 00:00, exactly at March's deadline: two months missing: firing. */
    assert_int_equal(evaluate(f, day(2026, 4, 11, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "firing");
    assert_string_equal(ev.items[0].previous, "pending");
    assert_string_equal(ev.items[0].a.last_period, "2026-03");
    assert_true(ev.items[0].a.has_fired);
    alert_events_free(&ev);
    /* ko-a sends March late: the latest month is in, the alert resolves. */
    report(f, "ko-a", "2026-03", day(2026, 4, 12, 9));
    assert_int_equal(evaluate(f, day(2026, 4, 12, 10), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "resolved");
    assert_string_equal(ev.items[0].previous, "firing");
    alert_events_free(&ev);
}

static void test_months_before_first_period_are_not_owed(void **state)
{
    fixture *f = *state;
    alert_events ev = {0};
    /* 20 February 2026: January is owed (first_period 2026-01) and missing, December 2025
     * is not owed. One month: pending, not firing. */
    assert_int_equal(evaluate(f, day(2026, 2, 20, 12), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "pending");
    assert_string_equal(ev.items[0].a.period, "2026-01");
    alert_events_free(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_late_before_and_after_the_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_months_before_first_period_are_not_owed, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
