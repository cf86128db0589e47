/* test_notices.c: who is told what, and when.
 *
 * Groups (daemon/alert_group.h) with a hand-moved clock: group_wait, group_interval and
 * repeat_interval; pending alerts and alerts resolved before a notice are never sent; held
 * alerts wait and go once released. Routes and inhibit rules (daemon/route.h) read from a
 * real leamond.conf against the shipped catalogue: each matcher, area and below, continue,
 * group keys, located errors, the default route to the hook, and a late organisation
 * explaining the incomplete figures of its wijk. The mail and the JSON of a notice
 * (daemon/notice.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert_group.h"
#include "config.h"
#include "notice.h"
#include "route.h"
#include "testutil.h"

/* ---- groups -------------------------------------------------------------- */

typedef struct {
    int notices;
    size_t n_last;
    long long ids[16];
    char states[16][16];
    notice_reason why;
    long long held_id;                 /* this alert is held; 0: none */
} sink_log;

static bool log_held(void *ctx, stored_alert *a)
{
    return ((sink_log *)ctx)->held_id == a->id;
}

static void log_send(void *ctx, const alert_group *g, const grouped_alert *const *list, size_t n,
                     notice_reason why)
{
    sink_log *l = ctx;
    (void)g;
    l->notices++;
    l->n_last = n;
    l->why = why;
    for (size_t i = 0; i < n && i < 16; i++) {
        l->ids[i] = list[i]->a.id;
        snprintf(l->states[i], sizeof l->states[i], "%s", list[i]->a.state);
    }
}

static stored_alert alert(long long id, const char *state)
{
    stored_alert a;
    memset(&a, 0, sizeof a);
    a.id = id;
    snprintf(a.state, sizeof a.state, "%s", state);
    snprintf(a.rule, sizeof a.rule, "r");
    snprintf(a.area, sizeof a.area, "WK%lld", id);
    return a;
}

static const group_timing timing = {30000, 300000, 7 * 86400000LL};

static void add(alert_groups *gs, long long id, const char *state, long long now)
{
    stored_alert a = alert(id, state);
    assert_int_equal(groups_add(gs, 0, "", &timing, &a, "", now), 0);
}

static void test_group_waits_then_sends_everything_once(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    add(&gs, 1, "firing", 1000);
    add(&gs, 2, "firing", 5000);
    assert_int_equal(groups_next_ms(&gs), 31000);
    groups_flush(&gs, 30999, &sink);
    assert_int_equal(l.notices, 0);
    groups_flush(&gs, 31000, &sink);
    assert_int_equal(l.notices, 1);
    assert_int_equal(l.n_last, 2);
    assert_int_equal(l.why, NOTICE_NEW);
    /* Nothing new: nothing more until the reminder. */
    groups_flush(&gs, 31000 + 300000, &sink);
    assert_int_equal(l.notices, 1);
    assert_int_equal(groups_next_ms(&gs), 31000 + 7 * 86400000LL);
    groups_flush(&gs, 31000 + 7 * 86400000LL, &sink);
    assert_int_equal(l.notices, 2);
    assert_int_equal(l.why, NOTICE_REPEAT);
    assert_int_equal(l.n_last, 2);
    groups_free(&gs);
}

static void test_changes_wait_for_the_group_interval(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    add(&gs, 1, "firing", 0);
    groups_flush(&gs, 30000, &sink);
    assert_int_equal(l.notices, 1);
    /* A second alert and a recovery, a minute later: sent together 5 minutes after the
     * first notice, the recovery listed after what still fires. */
    add(&gs, 2, "firing", 90000);
    add(&gs, 1, "resolved", 95000);
    assert_int_equal(groups_next_ms(&gs), 330000);
    groups_flush(&gs, 329999, &sink);
    assert_int_equal(l.notices, 1);
    groups_flush(&gs, 330000, &sink);
    assert_int_equal(l.notices, 2);
    assert_int_equal(l.why, NOTICE_CHANGED);
    assert_int_equal(l.n_last, 2);
    assert_int_equal(l.ids[0], 2);
    assert_string_equal(l.states[0], "firing");
    assert_int_equal(l.ids[1], 1);
    assert_string_equal(l.states[1], "resolved");
    /* The resolved alert has left the group: the reminder lists only alert 2. */
    groups_flush(&gs, 330000 + 7 * 86400000LL, &sink);
    assert_int_equal(l.notices, 3);
    assert_int_equal(l.n_last, 1);
    assert_int_equal(l.ids[0], 2);
    groups_free(&gs);
}

static void test_pending_and_unseen_recoveries_are_never_sent(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    add(&gs, 1, "pending", 0);
    add(&gs, 2, "resolved", 0);
    assert_int_equal(gs.n, 0);
    /* Fires and resolves within group_wait: nobody hears of it, the group ends. */
    add(&gs, 3, "firing", 0);
    add(&gs, 3, "resolved", 10000);
    assert_int_equal(gs.n, 0);
    groups_flush(&gs, 60000, &sink);
    assert_int_equal(l.notices, 0);
    groups_free(&gs);
}

static void test_new_figures_of_a_told_alert_are_quiet(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    add(&gs, 1, "firing", 0);
    groups_flush(&gs, 30000, &sink);
    stored_alert a = alert(1, "firing");
    a.value = 72.5;
    assert_int_equal(groups_add(&gs, 0, "", &timing, &a, "firing", 40000), 0);
    groups_flush(&gs, 400000, &sink);
    assert_int_equal(l.notices, 1);
    groups_free(&gs);
}

static void test_held_alert_waits_and_goes_when_released(void **state)
{
    alert_groups gs = {0};
    sink_log l = {.held_id = 1};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    add(&gs, 1, "firing", 0);
    groups_flush(&gs, 30000, &sink);
    assert_int_equal(l.notices, 0);
    assert_true(groups_next_ms(&gs) > 30000); /* looked at again */
    l.held_id = 0;
    groups_flush(&gs, groups_next_ms(&gs), &sink);
    assert_int_equal(l.notices, 1);
    assert_int_equal(l.ids[0], 1);
    /* Held and then resolved: it leaves without a word. */
    l.held_id = 2;
    add(&gs, 2, "firing", 100000);
    groups_flush(&gs, 400000, &sink);
    assert_int_equal(l.notices, 1);
    add(&gs, 2, "resolved", 500000);
    groups_flush(&gs, 900000, &sink);
    assert_int_equal(l.notices, 1);
    groups_free(&gs);
}

static void test_seeded_alerts_are_reminded_not_resent(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    stored_alert a = alert(7, "firing");
    (void)state;
    assert_int_equal(groups_seed(&gs, 0, "", &timing, &a, 1000), 0);
    groups_flush(&gs, 1000 + 86400000LL, &sink);
    assert_int_equal(l.notices, 0);
    groups_flush(&gs, 1000 + 7 * 86400000LL, &sink);
    assert_int_equal(l.notices, 1);
    assert_int_equal(l.why, NOTICE_REPEAT);
    /* Its recovery is news. */
    add(&gs, 7, "resolved", 2000 + 7 * 86400000LL);
    groups_flush(&gs, 2000 + 7 * 86400000LL + 300000, &sink);
    assert_int_equal(l.notices, 2);
    assert_string_equal(l.states[0], "resolved");
    assert_int_equal(gs.n, 0);
    groups_free(&gs);
}

static void test_back_to_pending_is_neither_listed_nor_lost(void **state)
{
    alert_groups gs = {0};
    sink_log l = {0};
    group_sink sink = {log_held, log_send, &l};
    (void)state;
    /* Not told yet, back to pending (a backfill moved its start): forgotten. */
    add(&gs, 1, "firing", 0);
    add(&gs, 1, "pending", 1000);
    assert_int_equal(gs.n, 0);
    /* Told, back to pending: the reminder does not list it, its recovery is still told. */
    add(&gs, 2, "firing", 0);
    add(&gs, 3, "firing", 0);
    groups_flush(&gs, 30000, &sink);
    assert_int_equal(l.n_last, 2);
    add(&gs, 2, "pending", 40000);
    groups_flush(&gs, 30000 + 7 * 86400000LL, &sink);
    assert_int_equal(l.notices, 2);
    assert_int_equal(l.n_last, 1);
    assert_int_equal(l.ids[0], 3);
    add(&gs, 2, "resolved", 31000 + 7 * 86400000LL);
    groups_flush(&gs, 31000 + 7 * 86400000LL + 300000, &sink);
    assert_int_equal(l.notices, 3);
    assert_int_equal(l.n_last, 2);
    assert_int_equal(l.ids[1], 2);
    assert_string_equal(l.states[1], "resolved");
    groups_free(&gs);
}

/* ---- routes -------------------------------------------------------------- */

static const char partners_text[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; },\n"
    "  { code = \"WK016402\"; name = \"Noord\"; level = \"wijk\"; parent = \"GM0164\"; },\n"
    "  { code = \"WK016405\"; name = \"Berflo Es\"; level = \"wijk\"; parent = \"GM0164\"; } );\n"
    "organisations = (\n"
    "  { id = \"ko-a\"; name = \"Kinderopvang A\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ko-b\"; name = \"Kinderopvang B\"; kind = \"kinderopvang\"; area = \"WK016405\"; },\n"
    "  { id = \"rbl\"; name = \"RBL\"; kind = \"rbl\"; area = \"GM0164\"; } );\n"
    "staff = ();\n";

typedef struct {
    settings s;
    registry reg;
    routing rt;
} fixture;

/* Settings of a leamond.conf holding conf, the shipped catalogue and partners_text. */
static int load(fixture *f, const char *conf, lm_error *err)
{
    char path[256];
    memset(f, 0, sizeof *f);
    write_file("partners.conf", partners_text, path, sizeof path);
    char text[4096];
    snprintf(text, sizeof text, "catalog = \"%s/config/catalog.conf\";\npartners = \"%s\";\n%s",
             getenv("PWD") ? getenv("PWD") : ".", path, conf);
    write_file("leamond.conf", text, path, sizeof path);
    if (settings_load(&f->s, path, err) < 0)
        return -1;
    if (registry_load(&f->reg, &f->s, err) < 0)
        return -1;
    if (routing_load(&f->rt, &f->s, &f->reg, err) < 0) {
        registry_free(&f->reg);
        return -1;
    }
    return 0;
}

static void unload(fixture *f)
{
    routing_free(&f->rt);
    registry_free(&f->reg);
}

static stored_alert area_alert(const char *rule, const char *code, const char *state)
{
    stored_alert a = alert(1, state);
    snprintf(a.rule, sizeof a.rule, "%s", rule);
    snprintf(a.area, sizeof a.area, "%s", code);
    snprintf(a.severity, sizeof a.severity, "%s",
             strcmp(rule, "vve_bereik_wijk_laag") == 0 ? "critical" : "warning");
    snprintf(a.period, sizeof a.period, "2026-08");
    snprintf(a.last_period, sizeof a.last_period, "2026-10");
    a.has_value = true;
    a.value = 58.31;
    a.expected = 3;
    a.reported = 2;
    return a;
}

static stored_alert late_alert(const char *org, const char *code, const char *since)
{
    stored_alert a = area_alert("opvang_niet_gemeld", code, "firing");
    a.id = 9;
    snprintf(a.subject, sizeof a.subject, "%s", org);
    snprintf(a.period, sizeof a.period, "%s", since);
    a.has_value = false;
    a.expected = 1;
    a.reported = 0;
    return a;
}

static void test_routes_match_in_order(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    const char *conf =
        "receivers = ( { name = \"chat\"; exec = \"/bin/true\"; },\n"
        "  { name = \"beleid\"; mail = \"lea@hengelo.nl\"; },\n"
        "  { name = \"noord\"; mail = \"noord@hengelo.nl\"; } );\n"
        "routes = ( { receiver = \"chat\"; severity = \"critical\"; group_by = [\"alert\"];\n"
        "             group_wait = 0; continue = true; },\n"
        "  { receiver = \"noord\"; area = \"WK016402\"; group_wait = \"1m\"; },\n"
        "  { receiver = \"beleid\"; group_by = [\"rule\", \"area\"]; repeat_interval = \"1w\"; } );\n";
    if (load(&f, conf, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(f.rt.n_receivers, 3);
    assert_int_equal(f.rt.n_routes, 3);
    assert_int_equal(f.rt.routes[1].group_wait, 60);
    assert_int_equal(f.rt.routes[2].repeat_interval, 7 * 86400);
    assert_int_equal(f.rt.routes[2].group_interval, 300); /* the default */
    stored_alert noord = area_alert("vve_bereik_wijk_laag", "WK016402", "firing");
    stored_alert berflo = area_alert("vve_bereik_daling", "WK016405", "firing");
    stored_alert gemeente = area_alert("vve_bereik_pad", "GM0164", "firing");
    assert_true(route_matches(&f.rt.routes[0], &f.reg, &noord));
    assert_false(route_matches(&f.rt.routes[0], &f.reg, &berflo));
    assert_true(route_matches(&f.rt.routes[1], &f.reg, &noord));
    assert_false(route_matches(&f.rt.routes[1], &f.reg, &berflo));
    /* An area matcher takes the area and everything below it, not what is above. */
    assert_false(route_matches(&f.rt.routes[1], &f.reg, &gemeente));
    assert_true(route_matches(&f.rt.routes[2], &f.reg, &gemeente));
    char key[256];
    route_group_key(&f.rt.routes[2], &f.reg, &berflo, key, sizeof key);
    assert_string_equal(key, "rule=vve_bereik_daling area=WK016405");
    route_group_key(&f.rt.routes[0], &f.reg, &noord, key, sizeof key);
    assert_string_equal(key, "alert=1");
    route_group_key(&f.rt.routes[1], &f.reg, &noord, key, sizeof key);
    assert_string_equal(key, "");
    unload(&f);
}

static void test_matchers_on_indicator_organisation_and_state(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    const char *conf =
        "receivers = ( { name = \"x\"; exec = \"/bin/true\"; } );\n"
        "routes = ( { receiver = \"x\"; indicator = \"vve_bereik\"; state = \"resolved\"; },\n"
        "  { receiver = \"x\"; organisation = \"ko-b\"; },\n"
        "  { receiver = \"x\"; indicator = \"vve.doelgroep.geplaatst\"; } );\n";
    if (load(&f, conf, &err) < 0)
        fail_msg("%s", err.msg);
    stored_alert fired = area_alert("vve_bereik_daling", "WK016405", "firing");
    stored_alert back = area_alert("vve_bereik_daling", "WK016405", "resolved");
    stored_alert late_b = late_alert("ko-b", "WK016405", "2026-09");
    stored_alert late_a = late_alert("ko-a", "WK016402", "2026-09");
    assert_false(route_matches(&f.rt.routes[0], &f.reg, &fired));
    assert_true(route_matches(&f.rt.routes[0], &f.reg, &back));
    assert_true(route_matches(&f.rt.routes[1], &f.reg, &late_b));
    assert_false(route_matches(&f.rt.routes[1], &f.reg, &late_a));
    assert_false(route_matches(&f.rt.routes[1], &f.reg, &fired));
    /* A late rule is about its metric. */
    assert_true(route_matches(&f.rt.routes[2], &f.reg, &late_a));
    unload(&f);
}

static void test_routing_errors_are_located(void **state)
{
    static const struct {
        const char *conf, *setting, *message;
    } cases[] = {
        {"routes = ( { receiver = \"nobody\"; } );", "routes.[0]", "receiver 'nobody' is not one"},
        {"receivers = ( { name = \"x\"; } );", "receivers.[0]", "give either exec"},
        {"receivers = ( { name = \"x\"; mail = \"no address\"; } );", "receivers.[0]",
         "addresses like"},
        {"receivers = ( { name = \"x\"; exec = \"true\"; } );\n"
         "routes = ( { receiver = \"x\"; rule = \"vve_bereik_wijk_hoog\"; } );",
         "routes.[0]", "rule 'vve_bereik_wijk_hoog' is not in the catalogue"},
        {"receivers = ( { name = \"x\"; exec = \"true\"; } );\n"
         "routes = ( { receiver = \"x\"; area = \"WK999999\"; } );", "routes.[0]",
         "area 'WK999999' is not in the partners file"},
        {"receivers = ( { name = \"x\"; exec = \"true\"; } );\n"
         "routes = ( { receiver = \"x\"; state = \"pending\"; } );", "routes.[0]",
         "pending alerts are never notified"},
        {"receivers = ( { name = \"x\"; exec = \"true\"; } );\n"
         "routes = ( { receiver = \"x\"; group_wait = \"5 minutes\"; } );",
         "routes.[0].group_wait", "must be a duration"},
        {"receivers = ( { name = \"x\"; exec = \"true\"; } );\n"
         "routes = ( { receiver = \"x\"; group_by = [\"wijk\"]; } );", "routes.[0].group_by.[0]",
         "'wijk' is not one of rule, area"},
        {"inhibit = ( { source = \"opvang_niet_gemeld\"; targets = [\"geen_regel\"]; } );",
         "inhibit.[0].targets.[0]", "rule 'geen_regel' is not in the catalogue"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fixture f;
        lm_error err;
        if (load(&f, cases[i].conf, &err) == 0) {
            unload(&f);
            fail_msg("case %zu was accepted", i);
        }
        char path[256];
        path_join(path, sizeof path, tmpdir, "leamond.conf");
        const char *wrong = strstr(err.msg, cases[i].setting) && strstr(err.msg, cases[i].message)
                                ? NULL
                                : err.msg;
        if (wrong || strncmp(err.msg, path, strlen(path)) != 0)
            fail_msg("case %zu: %s", i, err.msg);
        registry_free(&f.reg);
    }
}

static void test_the_hook_alone_gets_each_alert_at_once(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    if (load(&f, "alert_hook = \"/bin/true\";\n", &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(f.rt.n_receivers, 1);
    assert_string_equal(f.rt.receivers[0].name, "hook");
    assert_int_equal(f.rt.n_routes, 1);
    assert_int_equal(f.rt.routes[0].group_by, GROUP_BY_ALERT);
    assert_int_equal(f.rt.routes[0].group_wait, 0);
    assert_int_equal(f.rt.routes[0].repeat_interval, 0);
    /* Without inhibit rules: each late rule explains the others' alerts. */
    assert_int_equal(f.rt.n_inhibits, 2);
    unload(&f);
    if (load(&f, "inhibit = ();\n", &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(f.rt.n_routes, 0);
    assert_int_equal(f.rt.n_inhibits, 0);
    unload(&f);
}

static void test_a_late_organisation_explains_its_wijk(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    if (load(&f, "", &err) < 0)
        fail_msg("%s", err.msg);
    stored_alert late = late_alert("ko-b", "WK016405", "2026-09");
    stored_alert berflo = area_alert("vve_bereik_wijk_laag", "WK016405", "firing");
    stored_alert gemeente = area_alert("vve_bereik_pad", "GM0164", "firing");
    stored_alert noord = area_alert("vve_bereik_wijk_laag", "WK016402", "firing");
    assert_true(routing_inhibits(&f.rt, &f.reg, &late, &berflo));
    /* One location of many does not explain the gemeente, */
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &gemeente));
    /* Not another wijk, */
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &noord));
    /* nor a period whose figures are all in, */
    stored_alert complete = berflo;
    complete.reported = complete.expected;
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &complete));
    /* nor a period before the late months began, */
    stored_alert earlier = berflo;
    snprintf(earlier.last_period, sizeof earlier.last_period, "2026-08");
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &earlier));
    /* nor once the late alert has resolved, */
    stored_alert reported = late;
    snprintf(reported.state, sizeof reported.state, "resolved");
    assert_false(routing_inhibits(&f.rt, &f.reg, &reported, &berflo));
    /* nor another organisation's late alert. */
    stored_alert other = late_alert("ko-a", "WK016402", "2026-09");
    other.id = 10;
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &other));
    unload(&f);
}

static void test_inhibit_targets_and_area_sources(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    const char *conf =
        "inhibit = ( { source = \"opvang_niet_gemeld\"; targets = [\"vve_bereik_daling\"]; },\n"
        "  { source = \"vve_bereik_pad\"; targets = [\"vve_bereik_wijk_laag\"]; } );\n";
    if (load(&f, conf, &err) < 0)
        fail_msg("%s", err.msg);
    stored_alert late = late_alert("ko-b", "WK016405", "2026-09");
    stored_alert low = area_alert("vve_bereik_wijk_laag", "WK016405", "firing");
    stored_alert slip = area_alert("vve_bereik_daling", "WK016405", "firing");
    assert_false(routing_inhibits(&f.rt, &f.reg, &late, &low));
    assert_true(routing_inhibits(&f.rt, &f.reg, &late, &slip));
    /* Any other source explains its targets in its own area and below. */
    stored_alert path = area_alert("vve_bereik_pad", "GM0164", "firing");
    path.id = 20;
    assert_true(routing_inhibits(&f.rt, &f.reg, &path, &low));
    assert_false(routing_inhibits(&f.rt, &f.reg, &low, &path));
    unload(&f);
}

static void test_durations(void **state)
{
    long long v;
    (void)state;
    assert_int_equal(route_duration("45", &v), 0);
    assert_int_equal(v, 45);
    assert_int_equal(route_duration("30s", &v), 0);
    assert_int_equal(v, 30);
    assert_int_equal(route_duration("5m", &v), 0);
    assert_int_equal(v, 300);
    assert_int_equal(route_duration("4h", &v), 0);
    assert_int_equal(v, 14400);
    assert_int_equal(route_duration("7d", &v), 0);
    assert_int_equal(v, 604800);
    assert_int_equal(route_duration("1w", &v), 0);
    assert_int_equal(v, 604800);
    assert_int_equal(route_duration("", &v), -1);
    assert_int_equal(route_duration("5 m", &v), -1);
    assert_int_equal(route_duration("-1", &v), -1);
    assert_int_equal(route_duration("2y", &v), -1);
    assert_int_equal(route_duration("367d", &v), -1);
}

/* ---- the notice ---------------------------------------------------------- */

static char *notice_text(fixture *f, bool mail, const stored_alert *alerts, size_t n,
                         notice_reason why)
{
    alert_group g;
    memset(&g, 0, sizeof g);
    snprintf(g.key, sizeof g.key, "rule=vve_bereik_wijk_laag");
    grouped_alert members[4];
    const grouped_alert *list[4];
    for (size_t i = 0; i < n; i++) {
        memset(&members[i], 0, sizeof members[i]);
        members[i].a = alerts[i];
        snprintf(members[i].previous, sizeof members[i].previous, "%s",
                 strcmp(alerts[i].state, "firing") == 0 ? "pending" : "firing");
        list[i] = &members[i];
    }
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    receiver rc = {.kind = mail ? RECEIVER_MAIL : RECEIVER_EXEC};
    snprintf(rc.name, sizeof rc.name, "beleid");
    snprintf(rc.to, sizeof rc.to, "lea@hengelo.nl");
    int rc_ = mail ? notice_mail(fp, &f->rt, &rc, &f->reg, &g, list, n, why, 1791000000)
                   : notice_json(fp, &rc, &f->reg, &g, list, n, why);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rc_, 0);
    return out;
}

static void test_mail_lists_the_group_in_dutch(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    if (load(&f, "mail_from = \"leamon@hengelo.nl\";\n", &err) < 0)
        fail_msg("%s", err.msg);
    stored_alert alerts[3] = {area_alert("vve_bereik_wijk_laag", "WK016405", "firing"),
                              area_alert("vve_bereik_wijk_laag", "WK016402", "firing"),
                              area_alert("vve_bereik_wijk_laag", "GM0164", "resolved")};
    alerts[1].value = 72.5; /* back over 70, not yet at 75 */
    alerts[2].value = 76.0;
    alerts[2].reported = alerts[2].expected;
    snprintf(alerts[2].last_period, sizeof alerts[2].last_period, "2026-11");
    char *m = notice_text(&f, true, alerts, 3, NOTICE_CHANGED);
    const char *want[] = {
        "From: leamon@hengelo.nl\n", "To: lea@hengelo.nl\n",
        "Subject: leamon: 2 signalen, 1 opgelost\n", "Content-Type: text/plain; charset=UTF-8\n",
        "Auto-Submitted: auto-generated\n", "\n\n", "Open signalen (2)",
        "* VVE-bereik in Berflo Es\n  58,3% in oktober 2026, onder de drempel van 70,0%, sinds "
        "augustus 2026; 2 van 3 partners hebben aangeleverd",
        "72,5% in oktober 2026: boven de drempel van 70,0%, maar nog niet op het herstelniveau "
        "75,0%",
        "Opgelost (1)", "* VVE-bereik in Hengelo\n  hersteld: 76,0% in november 2026",
        "(kritiek; regel vve_bereik_wijk_laag; signaal 1)"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(m, want[i]))
            fail_msg("the mail lacks '%s':\n%s", want[i], m);
    /* Headers end at the first empty line; none of them may be broken by a value. */
    assert_non_null(strstr(m, "\n\n"));
    free(m);
    stored_alert back = area_alert("vve_bereik_wijk_laag", "WK016405", "resolved");
    m = notice_text(&f, true, &back, 1, NOTICE_CHANGED);
    if (!strstr(m, "Subject: leamon: 1 opgelost: VVE-bereik, Berflo Es\n"))
        fail_msg("%s", m);
    free(m);
    stored_alert late = late_alert("ko-b", "WK016405", "2026-09");
    m = notice_text(&f, true, &late, 1, NOTICE_REPEAT);
    if (!strstr(m, "Subject: leamon: herinnering, 1 signaal: Kinderopvang zonder maandcijfers, "
                   "ko-b\n") ||
        !strstr(m, "Kinderopvang B heeft ") || !strstr(m, "niet aangeleverd sinds september 2026"))
        fail_msg("%s", m);
    free(m);
    unload(&f);
}

static void test_json_notice_carries_every_alert(void **state)
{
    fixture f;
    lm_error err;
    (void)state;
    if (load(&f, "", &err) < 0)
        fail_msg("%s", err.msg);
    stored_alert alerts[2] = {area_alert("vve_bereik_wijk_laag", "WK016405", "firing"),
                              area_alert("vve_bereik_wijk_laag", "WK016402", "resolved")};
    alerts[1].id = 2;
    char *j = notice_text(&f, false, alerts, 2, NOTICE_NEW);
    const char *want[] = {"{\"receiver\":\"beleid\"", "\"group\":\"rule=vve_bereik_wijk_laag\"",
                          "\"reason\":\"new\"", "\"firing\":1", "\"resolved\":1",
                          "\"alerts\":[{", "\"area\":\"WK016405\"", "\"area_name\":\"Noord\"",
                          "\"previous\":\"pending\"", "\"event\":\"state\""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(j, want[i]))
            fail_msg("the JSON lacks '%s':\n%s", want[i], j);
    assert_int_equal(j[strlen(j) - 1], '\n');
    free(j);
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_waits_then_sends_everything_once),
        cmocka_unit_test(test_changes_wait_for_the_group_interval),
        cmocka_unit_test(test_pending_and_unseen_recoveries_are_never_sent),
        cmocka_unit_test(test_new_figures_of_a_told_alert_are_quiet),
        cmocka_unit_test(test_held_alert_waits_and_goes_when_released),
        cmocka_unit_test(test_seeded_alerts_are_reminded_not_resent),
        cmocka_unit_test(test_back_to_pending_is_neither_listed_nor_lost),
        tmpdir_test(test_routes_match_in_order),
        tmpdir_test(test_matchers_on_indicator_organisation_and_state),
        tmpdir_test(test_routing_errors_are_located),
        tmpdir_test(test_the_hook_alone_gets_each_alert_at_once),
        tmpdir_test(test_a_late_organisation_explains_its_wijk),
        tmpdir_test(test_inhibit_targets_and_area_sources),
        cmocka_unit_test(test_durations),
        tmpdir_test(test_mail_lists_the_group_in_dutch),
        tmpdir_test(test_json_notice_carries_every_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
