/* test_alerts.c: rules against a real store with a fixed clock.
 *
 * Late rules: the deadline is the end of the month plus the rule's days, evaluating twice
 * changes nothing, a report resolves the alert, and alerts_next_deadline names the next
 * such deadline. Indicator rules (daemon/alerts.h, config/catalog.conf's rules section)
 * judge only final months (ended, and every expected reporter in or grace_days past) with
 * at least min_reported of the expected reporters in, and never a value a range check
 * says cannot be true, except the rule of kind implausible, which names the reporters.
 * Times are local, as the daemon's month ends are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "alerts.h"
#include "rules.h"
#include "config.h"
#include "snapshot.h"
#include "store.h"
#include "testutil.h"

#define GRACE 10 /* grace_days */

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

/* A change to one line of the shipped catalogue: a line starting with `starts` becomes
 * `becomes` (NULL: it is left out). */
typedef struct {
    const char *starts, *becomes;
} line_edit;

/* Months owed from 2026-01 on. */
static const line_edit first_2026[] = {
    {"first_period", "first_period = \"2026-01\";\n"},
    {NULL, NULL},
};

/* The registry of config/catalog.conf (through edits, ended by {NULL}) and partners_txt,
 * and an empty database, in a fresh temp dir. */
static int load_fixture(void **state, const char *partners_txt, const line_edit *edits)
{
    static fixture f;
    char path[256];
    lm_error err;
    settings s;
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&f, 0, sizeof f);
    settings_defaults(&s);
    write_file("partners.conf", partners_txt, s.partners, sizeof s.partners);
    FILE *in = fopen(CATALOG_CONF, "r");
    path_join(s.catalog, sizeof s.catalog, tmpdir, "catalog.conf");
    FILE *out = fopen(s.catalog, "w");
    char line[1024];
    if (!in || !out)
        return -1;
    while (fgets(line, sizeof line, in)) {
        const char *write = line;
        for (const line_edit *e = edits; e && e->starts; e++)
            if (strncmp(line, e->starts, strlen(e->starts)) == 0) {
                write = e->becomes;
                break;
            }
        if (write)
            fputs(write, out);
    }
    fclose(in);
    if (fclose(out) != 0 || registry_load(&f.reg, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    path_join(path, sizeof path, tmpdir, "alerts.sqlite");
    if (store_open(&f.db, path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = &f;
    return 0;
}

static int setup(void **state)
{
    return load_fixture(state, partners_text, first_2026);
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

/* Every rule judged a piece at a time (one subject per transaction, as the derive thread
 * does between requests) finds what one judgement at once would: the cursor visits each
 * watched subject once, the late alert fires, and a judgement at once afterwards has
 * nothing left to change. */
static void test_every_rule_in_pieces(void **state)
{
    fixture *f = *state;
    alert_events ev = {0};
    time_t now = day(2026, 6, 20, 12); /* ko-a never reported: months owed since January */
    size_t subjects = 0, steps = 0;
    for (size_t k = 0; k < f->reg.cat.n_rules; k++) {
        const alert_rule *r = &f->reg.cat.rules[k];
        for (size_t a = 0; a < f->reg.parts.n_areas && r->kind != RULE_LATE; a++)
            subjects += rules_watches_area(r, &f->reg.parts, (int)a);
        subjects += r->kind == RULE_LATE;
    }
    assert_true(subjects > 2);
    alerts_cursor c = {0, 0};
    int rc;
    do {
        assert_int_equal(store_begin(f->db), 0);
        rc = alerts_evaluate_from(f->db, &f->reg, &c, 1, now, GRACE, &ev);
        assert_int_equal(store_commit(f->db), 0);
        assert_true(rc >= 0);
        steps++;
    } while (rc == 0 && steps <= subjects);
    assert_int_equal(rc, 1);
    assert_int_equal(steps, subjects);
    bool late_fired = false;
    for (size_t i = 0; i < ev.n; i++)
        late_fired |= strcmp(ev.items[i].a.subject, "ko-a") == 0 &&
                      strcmp(ev.items[i].a.state, "firing") == 0;
    assert_true(late_fired);
    alert_events_free(&ev);
    /* All at once now: everything was judged, nothing changes. */
    alerts_cursor again = {0, 0};
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(alerts_evaluate_from(f->db, &f->reg, &again, SIZE_MAX, now, GRACE, &ev), 1);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(ev.n, 0);
    alert_events_free(&ev);
}

/* Judged for the organisations that submitted (each from its own reports), the late rule
 * comes out as judged for everyone; one that did not submit is left alone. */
static void test_late_for_those_who_submitted(void **state)
{
    fixture *f = *state;
    alert_events ev = {0};
    const alert_rule *r = catalog_rule(&f->reg.cat, "opvang_niet_gemeld");
    const organisation *ko = partners_org(&f->reg.parts, "ko-a");
    assert_non_null(r);
    assert_non_null(ko);
    bool due[8] = {false};
    assert_true(f->reg.parts.n_orgs <= 8);
    report(f, "ko-a", "2026-01", day(2026, 2, 3, 12));
    /* Nobody due: nothing judged, though ko-a is two months behind. */
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(alerts_evaluate_late(f->db, &f->reg, r, due, day(2026, 4, 11, 0), &ev), 0);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(ev.n, 0);
    /* ko-a due: firing, February and March missing. */
    due[ko - f->reg.parts.orgs] = true;
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(alerts_evaluate_late(f->db, &f->reg, r, due, day(2026, 4, 11, 0), &ev), 0);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.subject, "ko-a");
    assert_string_equal(ev.items[0].a.state, "firing");
    alert_events_free(&ev);
    /* ko-a sends March: the latest month is in. */
    report(f, "ko-a", "2026-03", day(2026, 4, 12, 9));
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(alerts_evaluate_late(f->db, &f->reg, r, due, day(2026, 4, 12, 10), &ev), 0);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "resolved");
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

/* ---- the next deadline of a late rule ------------------------------------------ */

/* The late rules as shipped: opvang_niet_gemeld and rbl_niet_gemeld, both 10 days. */
static const line_edit rbl_5_days[] = {
    {"    days = 10; for = 1; severity = \"critical\";",
     "    days = 5; for = 1; severity = \"critical\";\n"},
    {NULL, NULL},
};
static const line_edit opvang_5_days[] = {
    {"    days = 10; for = 2; severity = \"warning\";",
     "    days = 5; for = 2; severity = \"warning\";\n"},
    {NULL, NULL},
};
static const line_edit rbl_0_days[] = {
    {"    days = 10; for = 1; severity = \"critical\";",
     "    days = 0; for = 1; severity = \"critical\";\n"},
    {NULL, NULL},
};
static const line_edit both_366_days[] = {
    {"    days = 10; for = 1; severity = \"critical\";",
     "    days = 366; for = 1; severity = \"critical\";\n"},
    {"    days = 10; for = 2; severity = \"warning\";",
     "    days = 366; for = 2; severity = \"warning\";\n"},
    {NULL, NULL},
};
/* The indicator rules only: the two late rules left out. */
static const line_edit no_late_rules[] = {
    {"  { name = \"opvang_niet_gemeld\";", NULL},
    {"    days = 10; for = 2;", NULL},
    {"    label = \"Kinderopvang zonder maandcijfers\";", NULL},
    {"  { name = \"rbl_niet_gemeld\";", NULL},
    {"    days = 10; for = 1;", NULL},
    {"    label = \"Leerplicht zonder maandcijfers\";", NULL},
    {"    label = \"Voortijdig schoolverlaters (pad naar 1,9% in 2027)\"; },",
     "    label = \"Voortijdig schoolverlaters (pad naar 1,9% in 2027)\"; }\n"},
    {NULL, NULL},
};

static int setup_shipped(void **state)
{
    return load_fixture(state, partners_text, NULL);
}
static int setup_rbl_5(void **state)
{
    return load_fixture(state, partners_text, rbl_5_days);
}
static int setup_opvang_5(void **state)
{
    return load_fixture(state, partners_text, opvang_5_days);
}
static int setup_rbl_0(void **state)
{
    return load_fixture(state, partners_text, rbl_0_days);
}
static int setup_366(void **state)
{
    return load_fixture(state, partners_text, both_366_days);
}
static int setup_no_late(void **state)
{
    return load_fixture(state, partners_text, no_late_rules);
}

/* The days of the late rules as loaded: the edits above took. */
static void assert_late_days(const fixture *f, int opvang, int rbl)
{
    const alert_rule *o = catalog_rule(&f->reg.cat, "opvang_niet_gemeld");
    const alert_rule *r = catalog_rule(&f->reg.cat, "rbl_niet_gemeld");
    assert_non_null(o);
    assert_non_null(r);
    assert_int_equal(o->kind, RULE_LATE);
    assert_int_equal(r->kind, RULE_LATE);
    assert_int_equal(o->days, opvang);
    assert_int_equal(r->days, rbl);
}

typedef struct {
    int y, mo, d, h, mi, s;     /* now */
    int wy, wmo, wd, wh;        /* the next deadline */
} deadline_case;

static time_t moment(int y, int mo, int d, int h, int mi, int s)
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

/* The late rules' deadlines alone: a registry with only the late rules of f's. */
static time_t late_deadline(const fixture *f, time_t now)
{
    registry late = f->reg;
    alert_rule only[16];
    late.cat.rules = only;
    late.cat.n_rules = 0;
    for (size_t i = 0; i < f->reg.cat.n_rules && late.cat.n_rules < 16; i++)
        if (f->reg.cat.rules[i].kind == RULE_LATE)
            only[late.cat.n_rules++] = f->reg.cat.rules[i];
    return alerts_next_deadline(&late, now, 10);
}

static void check_deadlines(const fixture *f, const deadline_case *cases, size_t n)
{
    char report[4096] = "";
    for (size_t i = 0; i < n; i++) {
        const deadline_case *c = &cases[i];
        time_t now = moment(c->y, c->mo, c->d, c->h, c->mi, c->s);
        time_t want = moment(c->wy, c->wmo, c->wd, c->wh, 0, 0);
        time_t got = late_deadline(f, now);
        if (got != want) {
            char g[32] = "0", w[32];
            struct tm tm;
            if (got)
                strftime(g, sizeof g, "%Y-%m-%d %H:%M:%S", localtime_r(&got, &tm));
            strftime(w, sizeof w, "%Y-%m-%d %H:%M:%S", localtime_r(&want, &tm));
            snprintf(report + strlen(report), sizeof report - strlen(report),
                     "case %zu (now %04d-%02d-%02d %02d:%02d:%02d): %s, want %s\n", i, c->y,
                     c->mo, c->d, c->h, c->mi, c->s, g, w);
        }
    }
    if (report[0])
        fail_msg("%s", report);
}

static void test_next_deadline_shipped(void **state)
{
    fixture *f = *state;
    static const deadline_case cases[] = {
        /* January's deadline: 1 February + 10 days. */
        {2026, 2, 5, 12, 0, 0, 2026, 2, 11, 0},
        {2026, 2, 1, 0, 0, 0, 2026, 2, 11, 0},
        {2026, 2, 10, 23, 59, 59, 2026, 2, 11, 0},
        /* At the deadline itself: the next one, February's. */
        {2026, 2, 11, 0, 0, 0, 2026, 3, 11, 0},
        {2026, 2, 11, 0, 0, 1, 2026, 3, 11, 0},
        {2026, 2, 28, 23, 0, 0, 2026, 3, 11, 0},
        {2026, 3, 1, 0, 0, 0, 2026, 3, 11, 0},
        /* Across the start of summer time: March ends 1 April 00:00 CEST. */
        {2026, 3, 20, 12, 0, 0, 2026, 4, 11, 0},
        /* Across the end of summer time: October ends 1 November 00:00 CET. */
        {2026, 10, 30, 12, 0, 0, 2026, 11, 11, 0},
        /* Across the turn of the year. */
        {2026, 12, 20, 12, 0, 0, 2027, 1, 11, 0},
        {2027, 1, 10, 23, 59, 59, 2027, 1, 11, 0},
    };
    assert_late_days(f, 10, 10);
    check_deadlines(f, cases, sizeof cases / sizeof cases[0]);
}

/* Two late rules of different days: the earlier deadline, whichever rule is listed first. */
static void test_next_deadline_two_rules(void **state)
{
    fixture *f = *state;
    static const deadline_case cases[] = {
        {2026, 2, 3, 12, 0, 0, 2026, 2, 6, 0},   /* the 5-day rule */
        {2026, 2, 1, 0, 0, 0, 2026, 2, 6, 0},
        {2026, 2, 5, 23, 59, 59, 2026, 2, 6, 0},
        {2026, 2, 6, 0, 0, 0, 2026, 2, 11, 0},   /* then the 10-day rule */
        {2026, 2, 8, 12, 0, 0, 2026, 2, 11, 0},
        {2026, 2, 11, 0, 0, 0, 2026, 3, 6, 0},   /* then February's 5 days */
        {2026, 3, 6, 0, 0, 0, 2026, 3, 11, 0},
    };
    const alert_rule *o = catalog_rule(&f->reg.cat, "opvang_niet_gemeld");
    const alert_rule *r = catalog_rule(&f->reg.cat, "rbl_niet_gemeld");
    assert_non_null(o);
    assert_non_null(r);
    assert_true((o->days == 10 && r->days == 5) || (o->days == 5 && r->days == 10));
    check_deadlines(f, cases, sizeof cases / sizeof cases[0]);
}

static void test_next_deadline_earlier_rule_listed_second(void **state)
{
    assert_late_days(*state, 10, 5);
    test_next_deadline_two_rules(state);
}

static void test_next_deadline_earlier_rule_listed_first(void **state)
{
    assert_late_days(*state, 5, 10);
    test_next_deadline_two_rules(state);
}

static void test_next_deadline_zero_days(void **state)
{
    fixture *f = *state;
    static const deadline_case cases[] = {
        /* days 0: a month's end itself; the 10-day rule's January deadline comes first. */
        {2026, 2, 7, 12, 0, 0, 2026, 2, 11, 0},
        {2026, 2, 20, 12, 0, 0, 2026, 3, 1, 0},
        {2026, 2, 28, 23, 59, 59, 2026, 3, 1, 0},
        {2026, 3, 1, 0, 0, 0, 2026, 3, 11, 0},
        {2026, 3, 11, 0, 0, 0, 2026, 4, 1, 0},
    };
    assert_late_days(f, 10, 0);
    check_deadlines(f, cases, sizeof cases / sizeof cases[0]);
}

static void test_next_deadline_a_year_on(void **state)
{
    fixture *f = *state;
    static const deadline_case cases[] = {
        /* 366 days: December 2024 ended 1 January 2025, due 2 January 2026. */
        {2026, 1, 1, 0, 0, 0, 2026, 1, 2, 0},
        /* January 2025 (due 2 February 2026) passed; February 2025 ended 1 March 2025. */
        {2026, 2, 5, 12, 0, 0, 2026, 3, 2, 0},
        /* 2024 was a leap year: December 2023 is due 1 January 2025 exactly; then
         * January 2024 (1 February 2024 + 366 days). */
        {2024, 12, 31, 23, 59, 59, 2025, 1, 1, 0},
        {2025, 1, 1, 0, 0, 0, 2025, 2, 1, 0},
    };
    assert_late_days(f, 366, 366);
    check_deadlines(f, cases, sizeof cases / sizeof cases[0]);
}

static void test_next_deadline_without_late_rules(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->reg.cat.n_rules, 8);
    for (size_t i = 0; i < f->reg.cat.n_rules; i++)
        assert_int_not_equal(f->reg.cat.rules[i].kind, RULE_LATE);
    assert_int_equal(late_deadline(f, moment(2026, 2, 5, 12, 0, 0)), 0);
    assert_int_equal(late_deadline(f, moment(2026, 2, 11, 0, 0, 0)), 0);
    /* The indicator rules' deadlines: when a month's figures become final, grace_days
     * after it ends; the next one strictly after now. */
    assert_int_equal(alerts_next_deadline(&f->reg, moment(2026, 2, 5, 12, 0, 0), 10),
                     moment(2026, 2, 11, 0, 0, 0));
    assert_int_equal(alerts_next_deadline(&f->reg, moment(2026, 2, 11, 0, 0, 0), 10),
                     moment(2026, 3, 11, 0, 0, 0));
    assert_int_equal(alerts_next_deadline(&f->reg, moment(2026, 2, 5, 12, 0, 0), 3),
                     moment(2026, 3, 4, 0, 0, 0));
    /* And none at all. */
    registry none = f->reg;
    none.cat.n_rules = 0;
    assert_int_equal(alerts_next_deadline(&none, moment(2026, 2, 5, 12, 0, 0), 10), 0);
}

/* ---- indicator rules judge final figures ------------------------------------------ */

/* Two locations in Noord and the GGD, which reports Noord's indicated toddlers: vve_bereik
 * in Noord expects three reporters. */
static const char partners_two[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; },\n"
    "  { code = \"WK016402\"; name = \"Noord\"; level = \"wijk\"; parent = \"GM0164\"; } );\n"
    "organisations = (\n"
    "  { id = \"ko-a\"; name = \"Kinderopvang A\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ko-b\"; name = \"Kinderopvang B\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ggd\"; name = \"GGD\"; kind = \"ggd\"; area = \"GM0164\"; } );\n"
    "staff = ();\n";

static int setup_two(void **state)
{
    return load_fixture(state, partners_two, first_2026);
}

#define NOORD "WK016402"
#define PLACED "vve.doelgroep.geplaatst"
#define INDICATED "jgz.doelgroep.geindiceerd"

/* Store one figure at time at (its own submission) and bring the snapshots up to date. */
static void put(fixture *f, const char *org, const char *code, const char *month, double value,
                time_t at)
{
    static int serial;
    int64_t sub;
    char req[64];
    size_t changed = 0;
    snprintf(req, sizeof req, "%s-%s-%d", org, month, serial++);
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, org, req, (int64_t)at, 1, 1, &sub), 0);
    assert_int_equal(store_put_observation(f->db, org, code, month, NOORD, value, sub,
                                           (int64_t)at), 0);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(snapshot_refresh(f->db, &f->reg, at, &changed, NULL), 0);
}

/* vve_bereik in Noord for month: the GGD's indicated toddlers and each location's placed. */
static void month_figures(fixture *f, const char *month, double indicated, double a, double b,
                          time_t at)
{
    put(f, "ggd", INDICATED, month, indicated, at);
    if (a >= 0)
        put(f, "ko-a", PLACED, month, a, at);
    if (b >= 0)
        put(f, "ko-b", PLACED, month, b, at);
}

static int evaluate_rule(fixture *f, const alert_rule *r, time_t now, alert_events *ev)
{
    int at = partners_area(&f->reg.parts, NOORD);
    assert_true(at >= 0);
    assert_int_equal(store_begin(f->db), 0);
    int rc = alerts_evaluate_area(f->db, &f->reg, r, at, now, GRACE, ev);
    assert_int_equal(store_commit(f->db), 0);
    return rc;
}

/* The stored episodes of rule r in Noord: how many, and the newest into *last. */
static size_t alerts_of(fixture *f, const alert_rule *r, stored_alert *last)
{
    stored_alert *rows = NULL;
    size_t n = 0;
    assert_int_equal(store_alerts_of(f->db, r->name, NOORD, "", &rows, &n), 0);
    if (n && last)
        *last = rows[n - 1];
    free(rows);
    return n;
}

static const alert_rule *rule_named(fixture *f, const char *name)
{
    const alert_rule *r = catalog_rule(&f->reg.cat, name);
    assert_non_null(r);
    return r;
}

#define assert_contains(s, sub) assert_contains_at((s), (sub), __FILE__, __LINE__)
static void assert_contains_at(const char *s, const char *sub, const char *file, int line)
{
    if (!strstr(s, sub)) {
        print_error("\"%s\" does not contain \"%s\"\n", s, sub);
        _fail(file, line);
    }
}

/* January 2026 in Noord: 20 indicated, ko-a placed 5, ko-b not in yet: 25%, below the
 * shipped rule's 70 (for = 2: one month makes a pending alert), 20 >= min_base 10. */
static void test_provisional_month_not_judged(void **state)
{
    fixture *f = *state;
    const alert_rule *r = rule_named(f, "vve_bereik_wijk_laag");
    alert_events ev = {0};
    assert_true(r->min_reported == 1.0);
    assert_int_equal(r->for_periods, 2);
    month_figures(f, "2026-01", 20, 5, -1, moment(2026, 2, 3, 9, 0, 0));
    stored_snapshot s;
    assert_int_equal(store_snapshot_get(f->db, "vve_bereik", "2026-01", NOORD, INT64_MAX, &s), 1);
    assert_true(s.has_value && s.value == 25.0);
    assert_int_equal(s.expected, 3);
    assert_int_equal(s.reported, 2);
    /* 5 February: January has ended, its deadline (11 February) has not passed and ko-b
     * is missing: provisional, not judged. */
    assert_int_equal(evaluate_rule(f, r, moment(2026, 2, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    assert_int_equal(alerts_of(f, r, NULL), 0);
    /* The last second before the deadline: still not. */
    assert_int_equal(evaluate_rule(f, r, moment(2026, 2, 10, 23, 59, 59), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* ko-b reports on 6 February: every reporter in, final before the deadline: judged. */
    put(f, "ko-b", PLACED, "2026-01", 3, moment(2026, 2, 6, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, r, moment(2026, 2, 6, 10, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.rule, "vve_bereik_wijk_laag");
    assert_string_equal(ev.items[0].a.state, "pending");
    assert_string_equal(ev.items[0].a.period, "2026-01");
    assert_string_equal(ev.items[0].a.area, NOORD);
    assert_true(ev.items[0].a.value == 40.0); /* (5 + 3) / 20 */
    assert_int_equal(ev.items[0].a.expected, 3);
    assert_int_equal(ev.items[0].a.reported, 3);
    alert_events_free(&ev);
    assert_int_equal(alerts_of(f, r, NULL), 1);
}

/* The same month with ko-b never reporting: the shipped rule (min_reported 1, all of them)
 * does not judge it even after the deadline; a rule with min_reported 0.6 (2 of 3 is
 * enough) judges it from the deadline on, not before. */
static void test_min_reported(void **state)
{
    fixture *f = *state;
    const alert_rule *shipped = rule_named(f, "vve_bereik_wijk_laag");
    alert_rule partial = *shipped;
    alert_events ev = {0};
    snprintf(partial.name, sizeof partial.name, "vve_bereik_wijk_laag_deels");
    partial.min_reported = 0.6;
    month_figures(f, "2026-01", 20, 5, -1, moment(2026, 2, 3, 9, 0, 0));
    /* Before the deadline: neither. */
    assert_int_equal(evaluate_rule(f, shipped, moment(2026, 2, 10, 12, 0, 0), &ev), 0);
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 2, 10, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* At the deadline, 2 of 3 in: final. The shipped rule wants all three. */
    assert_int_equal(evaluate_rule(f, shipped, moment(2026, 2, 11, 0, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    assert_int_equal(alerts_of(f, shipped, NULL), 0);
    /* 0.6 of 3 is 1.8: two will do. */
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 2, 11, 0, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.rule, "vve_bereik_wijk_laag_deels");
    assert_string_equal(ev.items[0].a.state, "pending");
    assert_string_equal(ev.items[0].a.period, "2026-01");
    assert_true(ev.items[0].a.value == 25.0);
    assert_int_equal(ev.items[0].a.expected, 3);
    assert_int_equal(ev.items[0].a.reported, 2);
    assert_contains(ev.items[0].a.message, "incomplete: 1 of 3 reporters missing");
    alert_events_free(&ev);
    /* February the same (2 of 3, 25%), past its deadline: the second month fires it. */
    month_figures(f, "2026-02", 20, 5, -1, moment(2026, 3, 3, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 3, 11, 0, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "firing");
    assert_string_equal(ev.items[0].a.last_period, "2026-02");
    alert_events_free(&ev);
    assert_int_equal(evaluate_rule(f, shipped, moment(2026, 3, 11, 0, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* With 1 of 3 in, 0.6 is not enough, even when final. */
    partial.min_reported = 0.7; /* 2.1: three needed */
    snprintf(partial.name, sizeof partial.name, "vve_bereik_wijk_laag_zeventig");
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 3, 11, 0, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
}

/* An admin closes January on 5 February with ko-b still missing: the month is agreed
 * (closed) before its deadline. A rule that needs 2 of 3 judges it at once; the shipped
 * rule, which needs all three, still does not. */
static void test_closed_month(void **state)
{
    fixture *f = *state;
    const alert_rule *shipped = rule_named(f, "vve_bereik_wijk_laag");
    alert_rule partial = *shipped;
    alert_events ev = {0};
    snprintf(partial.name, sizeof partial.name, "vve_bereik_wijk_laag_deels");
    partial.min_reported = 0.6;
    month_figures(f, "2026-01", 20, 5, -1, moment(2026, 2, 3, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 2, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_close_month(f->db, "2026-01", true, "admin",
                                       (int64_t)moment(2026, 2, 5, 13, 0, 0), "agreed"), 0);
    assert_int_equal(store_commit(f->db), 0);
    assert_int_equal(evaluate_rule(f, shipped, moment(2026, 2, 5, 14, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    assert_int_equal(evaluate_rule(f, &partial, moment(2026, 2, 5, 14, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "pending");
    assert_string_equal(ev.items[0].a.period, "2026-01");
    alert_events_free(&ev);
}

/* A share above 100% cannot be true (config/catalog.conf: bereik_tot_100): the below rule
 * does not take it as a recovery, and the implausible rule raises it, naming the
 * reporters behind it. */
static void test_implausible_value(void **state)
{
    fixture *f = *state;
    const alert_rule *below = rule_named(f, "vve_bereik_wijk_laag");
    const alert_rule *impossible = rule_named(f, "vve_bereik_onmogelijk");
    alert_events ev = {0};
    stored_alert a;
    assert_int_equal(impossible->kind, RULE_IMPLAUSIBLE);
    /* January and February: (5 + 3) / 20 = 40%, everyone in: the below rule fires. */
    month_figures(f, "2026-01", 20, 5, 3, moment(2026, 2, 3, 9, 0, 0));
    month_figures(f, "2026-02", 20, 5, 3, moment(2026, 3, 3, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, below, moment(2026, 3, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "firing");
    alert_events_free(&ev);
    /* Nothing implausible yet. */
    assert_int_equal(evaluate_rule(f, impossible, moment(2026, 3, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* March: 25 + 5 placed of 20 indicated, 150%: above clear (75) but impossible. */
    month_figures(f, "2026-03", 20, 25, 5, moment(2026, 4, 2, 9, 0, 0));
    stored_snapshot s;
    assert_int_equal(store_snapshot_get(f->db, "vve_bereik", "2026-03", NOORD, INT64_MAX, &s), 1);
    assert_true(s.has_value && s.value == 150.0);
    assert_int_equal(s.reported, 3);
    assert_int_equal(evaluate_rule(f, below, moment(2026, 4, 5, 12, 0, 0), &ev), 0);
    for (size_t i = 0; i < ev.n; i++)
        assert_string_not_equal(ev.items[i].a.state, "resolved");
    alert_events_free(&ev);
    assert_int_equal(alerts_of(f, below, &a), 1);
    assert_string_equal(a.state, "firing");
    assert_string_equal(a.last_period, "2026-02");
    /* The implausible rule (for = 1) fires on March, naming who reported it. */
    assert_int_equal(evaluate_rule(f, impossible, moment(2026, 4, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.rule, "vve_bereik_onmogelijk");
    assert_string_equal(ev.items[0].a.state, "firing");
    assert_string_equal(ev.items[0].a.period, "2026-03");
    assert_true(ev.items[0].a.has_value && ev.items[0].a.value == 150.0);
    const char *msg = ev.items[0].a.message;
    assert_contains(msg, "150.0%");
    assert_contains(msg, "2026-03");
    assert_contains(msg, "cannot be true");
    const char *by = strstr(msg, "reported by ");
    if (!by)
        fail_msg("\"%s\" names no reporters", msg);
    assert_contains(by, "ko-a");
    assert_contains(by, "ko-b");
    assert_contains(by, "ggd");
    alert_events_free(&ev);
    /* ko-a corrects March to 12: (12 + 5) / 20 = 85%, possible and above clear: the
     * implausible alert and the below alert both resolve. */
    put(f, "ko-a", PLACED, "2026-03", 12, moment(2026, 4, 6, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, impossible, moment(2026, 4, 6, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "resolved");
    alert_events_free(&ev);
    assert_int_equal(evaluate_rule(f, below, moment(2026, 4, 6, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "resolved");
    assert_string_equal(ev.items[0].a.last_period, "2026-03");
    alert_events_free(&ev);
}

/* An implausible value in a month that is still provisional is not raised yet. */
static void test_implausible_waits_for_final(void **state)
{
    fixture *f = *state;
    const alert_rule *impossible = rule_named(f, "vve_bereik_onmogelijk");
    alert_events ev = {0};
    /* January: 30 placed by ko-a of 20 indicated, ko-b not in: 150%. */
    month_figures(f, "2026-01", 20, 30, -1, moment(2026, 2, 3, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, impossible, moment(2026, 2, 5, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 0);
    /* ko-b reports: final, and raised. */
    put(f, "ko-b", PLACED, "2026-01", 2, moment(2026, 2, 6, 9, 0, 0));
    assert_int_equal(evaluate_rule(f, impossible, moment(2026, 2, 6, 12, 0, 0), &ev), 0);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.items[0].a.state, "firing");
    assert_contains(ev.items[0].a.message, "160.0%");
    alert_events_free(&ev);
}

int main(void)
{
    /* Month ends in local time: Amsterdam's, with summer time. */
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return 1;
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_late_before_and_after_the_days, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_rule_in_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_for_those_who_submitted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_months_before_first_period_are_not_owed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_shipped, setup_shipped, teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_earlier_rule_listed_second,
                                        setup_rbl_5, teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_earlier_rule_listed_first,
                                        setup_opvang_5, teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_zero_days, setup_rbl_0, teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_a_year_on, setup_366, teardown),
        cmocka_unit_test_setup_teardown(test_next_deadline_without_late_rules, setup_no_late,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_provisional_month_not_judged, setup_two, teardown),
        cmocka_unit_test_setup_teardown(test_min_reported, setup_two, teardown),
        cmocka_unit_test_setup_teardown(test_closed_month, setup_two, teardown),
        cmocka_unit_test_setup_teardown(test_implausible_value, setup_two, teardown),
        cmocka_unit_test_setup_teardown(test_implausible_waits_for_final, setup_two, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
