/* Unit tests for daemon/silence_match.c (which alerts a silence holds: each matcher, the
 * areas above an alert's, the time bounds, several silences at once) and daemon/silences.c
 * (the silence holding a stored alert, from a real database, and no longer once ended),
 * with the shipped catalogue's rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "silence_match.h"
#include "silences.h"
#include "store.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"

typedef struct {
    registry reg;
    store *db;
} fixture;

/* A gemeente with two wijken and a buurt in one of them; ko-a is based in Noord. */
static const char partners_text[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; },\n"
    "  { code = \"WK016402\"; name = \"Noord\"; level = \"wijk\"; parent = \"GM0164\"; },\n"
    "  { code = \"BU01640200\"; name = \"Noord-Oost\"; level = \"buurt\";"
    " parent = \"WK016402\"; },\n"
    "  { code = \"WK016403\"; name = \"Hasseler Es\"; level = \"wijk\"; parent = \"GM0164\"; } );\n"
    "organisations = (\n"
    "  { id = \"ko-a\"; name = \"Kinderopvang A\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ggd\"; name = \"GGD\"; kind = \"ggd\"; area = \"GM0164\"; } );\n"
    "staff = ();\n";

static int setup(void **state)
{
    static fixture f;
    char path[256];
    lm_error err;
    settings s;
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&f, 0, sizeof f);
    settings_defaults(&s);
    write_file("partners.conf", partners_text, s.partners, sizeof s.partners);
    snprintf(s.catalog, sizeof s.catalog, "%s", CATALOG_CONF);
    path_join(path, sizeof path, tmpdir, "silences.sqlite");
    if (registry_load(&f.reg, &s, &err) != 0 || store_open(&f.db, path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
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

/* An alert of an indicator rule (vve_bereik_wijk_laag: vve_bereik, critical) in area. */
static stored_alert area_alert(const char *code)
{
    stored_alert a;
    memset(&a, 0, sizeof a);
    snprintf(a.rule, sizeof a.rule, "vve_bereik_wijk_laag");
    snprintf(a.area, sizeof a.area, "%s", code);
    snprintf(a.severity, sizeof a.severity, "critical");
    snprintf(a.state, sizeof a.state, "firing");
    return a;
}

/* An alert of the late rule opvang_niet_gemeld (a metric, warning): ko-a in Noord. */
static stored_alert late_alert(void)
{
    stored_alert a;
    memset(&a, 0, sizeof a);
    snprintf(a.rule, sizeof a.rule, "opvang_niet_gemeld");
    snprintf(a.area, sizeof a.area, "WK016402");
    snprintf(a.subject, sizeof a.subject, "ko-a");
    snprintf(a.severity, sizeof a.severity, "warning");
    snprintf(a.state, sizeof a.state, "firing");
    return a;
}

/* A silence from 100 until 1000 of the matchers given ("" = any). */
static stored_silence silence(const char *rule, const char *ind, const char *code,
                              const char *org, const char *severity)
{
    stored_silence si;
    memset(&si, 0, sizeof si);
    snprintf(si.rule, sizeof si.rule, "%s", rule);
    snprintf(si.indicator, sizeof si.indicator, "%s", ind);
    snprintf(si.area, sizeof si.area, "%s", code);
    snprintf(si.organisation, sizeof si.organisation, "%s", org);
    snprintf(si.severity, sizeof si.severity, "%s", severity);
    snprintf(si.created_by, sizeof si.created_by, "admin");
    si.starts = si.created = 100;
    si.ends = 1000;
    return si;
}

static bool matches(const fixture *f, const stored_silence *si, const stored_alert *a)
{
    silence_subject s;
    silence_subject_of(&f->reg, a, &s);
    return silence_matches(si, &s);
}

static void test_each_matcher(void **state)
{
    fixture *f = *state;
    stored_alert noord = area_alert("WK016402"), late = late_alert();
    stored_silence si;
    /* rule */
    si = silence("vve_bereik_wijk_laag", "", "", "", "");
    assert_true(matches(f, &si, &noord));
    assert_false(matches(f, &si, &late));
    si = silence("vve_bereik_daling", "", "", "", "");
    assert_false(matches(f, &si, &noord));
    /* indicator: the rule's; a late rule has none */
    si = silence("", "vve_bereik", "", "", "");
    assert_true(matches(f, &si, &noord));
    assert_false(matches(f, &si, &late));
    si = silence("", "vve_uren", "", "", "");
    assert_false(matches(f, &si, &noord));
    /* organisation: a late alert's; an area alert has none */
    si = silence("", "", "", "ko-a", "");
    assert_true(matches(f, &si, &late));
    assert_false(matches(f, &si, &noord));
    si = silence("", "", "", "ggd", "");
    assert_false(matches(f, &si, &late));
    /* severity */
    si = silence("", "", "", "", "critical");
    assert_true(matches(f, &si, &noord));
    assert_false(matches(f, &si, &late));
    si = silence("", "", "", "", "warning");
    assert_true(matches(f, &si, &late));
    /* all of them at once, and one of them off */
    si = silence("vve_bereik_wijk_laag", "vve_bereik", "GM0164", "", "critical");
    assert_true(matches(f, &si, &noord));
    snprintf(si.severity, sizeof si.severity, "warning");
    assert_false(matches(f, &si, &noord));
    si = silence("opvang_niet_gemeld", "", "WK016402", "ko-a", "warning");
    assert_true(matches(f, &si, &late));
}

/* An area covers itself and every area below it, not those beside or above it. */
static void test_area_and_its_parents(void **state)
{
    fixture *f = *state;
    stored_alert gm = area_alert("GM0164"), noord = area_alert("WK016402"),
                 buurt = area_alert("BU01640200"), hasseler = area_alert("WK016403"),
                 late = late_alert(), gone = area_alert("WK999999");
    stored_silence on_gm = silence("", "", "GM0164", "", ""),
                   on_noord = silence("", "", "WK016402", "", "");
    assert_true(matches(f, &on_gm, &gm));
    assert_true(matches(f, &on_gm, &noord));
    assert_true(matches(f, &on_gm, &buurt));
    assert_true(matches(f, &on_gm, &hasseler));
    assert_true(matches(f, &on_gm, &late)); /* ko-a is based in Noord */
    assert_true(matches(f, &on_noord, &noord));
    assert_true(matches(f, &on_noord, &buurt));
    assert_true(matches(f, &on_noord, &late));
    assert_false(matches(f, &on_noord, &gm));
    assert_false(matches(f, &on_noord, &hasseler));
    /* An area the partners file no longer knows: only a silence on that very code. */
    stored_silence on_gone = silence("", "", "WK999999", "", "");
    assert_false(matches(f, &on_gm, &gone));
    assert_true(matches(f, &on_gone, &gone));
}

/* A silence holds from starts until before ends; its state says where now is. */
static void test_time_bounds(void **state)
{
    (void)state;
    stored_silence si = silence("r", "", "", "", "");
    assert_false(silence_in_force(&si, 99));
    assert_true(silence_in_force(&si, 100));
    assert_true(silence_in_force(&si, 999));
    assert_false(silence_in_force(&si, 1000));
    assert_string_equal(silence_state(&si, 99), "pending");
    assert_string_equal(silence_state(&si, 100), "active");
    assert_string_equal(silence_state(&si, 1000), "expired");
}

/* Of several silences holding an alert, the one that ends last; none out of its time. */
static void test_several_hold(void **state)
{
    fixture *f = *state;
    stored_alert noord = area_alert("WK016402");
    silence_subject s;
    silence_subject_of(&f->reg, &noord, &s);
    stored_silence rows[4] = {
        silence("vve_bereik_wijk_laag", "", "", "", ""),
        silence("", "", "GM0164", "", ""),
        silence("", "vve_uren", "", "", ""), /* does not match */
        silence("", "", "", "", "critical"),
    };
    rows[1].ends = 5000;
    rows[2].ends = 9000;
    rows[3].starts = 200; /* from 200 on, and to 7000 */
    rows[3].ends = 7000;
    assert_int_equal(silence_holding(rows, 4, &s, 150), 1);
    assert_int_equal(silence_holding(rows, 4, &s, 500), 3);
    assert_int_equal(silence_holding(rows, 4, &s, 6500), 3);
    assert_int_equal(silence_holding(rows, 4, &s, 7000), -1);
    assert_int_equal(silence_holding(rows, 4, &s, 50), -1);
    assert_int_equal(silence_holding(rows, 0, &s, 500), -1);
}

/* From the database: the silence holding an alert, and none once it has been ended
 * early; a later silence of the same matchers holds it again. */
static void test_holding_and_expiry(void **state)
{
    fixture *f = *state;
    stored_alert late = late_alert(), noord = area_alert("WK016402");
    silence_hold held;
    assert_int_equal(silences_holding(f->db, &f->reg, &late, 500, &held), 0);
    assert_int_equal(held.id, 0);
    stored_silence si = silence("", "", "", "ko-a", "");
    assert_int_equal(store_silence_add(f->db, &si), 0);
    assert_int_equal(silences_holding(f->db, &f->reg, &late, 500, &held), 1);
    assert_int_equal(held.id, si.id);
    assert_int_equal(held.ends, 1000);
    assert_int_equal(silences_holding(f->db, &f->reg, &noord, 500, &held), 0);

    assert_int_equal(store_silence_expire(f->db, si.id, 600, "beleid"), 1);
    assert_int_equal(silences_holding(f->db, &f->reg, &late, 599, &held), 1);
    assert_int_equal(silences_holding(f->db, &f->reg, &late, 600, &held), 0);
    assert_int_equal(held.id, 0);
    assert_int_equal(store_silence_expire(f->db, si.id, 700, "admin"), 0);

    stored_silence again = silence("", "", "", "ko-a", "");
    again.starts = 650;
    assert_int_equal(store_silence_add(f->db, &again), 0);
    assert_true(again.id > si.id);
    assert_int_equal(silences_holding(f->db, &f->reg, &late, 700, &held), 1);
    assert_int_equal(held.id, again.id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_matcher),
        cmocka_unit_test(test_area_and_its_parents),
        cmocka_unit_test(test_time_bounds),
        cmocka_unit_test(test_several_hold),
        cmocka_unit_test(test_holding_and_expiry),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
