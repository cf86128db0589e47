/* Unit tests for the figures op (daemon/op_figures.c, store_own.c) against a real SQLite
 * file, with the shipped catalogue and partners file: an organisation lists its own
 * figures with their corrections and retractions, never another's; staff name the
 * organisation; the list is bounded. Replies are read back with proto/reply_stored.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "op.h"
#include "reply_stored.h"
#include "store.h"
#include "testutil.h"

typedef struct {
    settings set;
    registry reg;
    store *db;
    log_ctx log;
} fixture;

static fixture fx;
static const time_t t0 = 1793952000; /* 6 November 2026 09:00, Amsterdam */

/* One submission of reporter's, at t0 + hours: its figures of period. */
static void put(const char *reporter, const char *id, int hours, const char *month,
                const char *code, const char *where, double value)
{
    stored_submission old;
    int64_t sub;
    int found = store_find_submission(fx.db, reporter, id, &old);
    assert_true(found >= 0);
    if (found)
        sub = old.rowid;
    else
        assert_int_equal(store_add_submission(fx.db, reporter, id, t0 + 3600 * hours, 1, 1, &sub),
                         0);
    assert_int_equal(store_put_observation(fx.db, reporter, code, month, where, value, sub,
                                           t0 + 3600 * hours),
                     0);
}

/* ko-zonnebloem: September and October, October's waiting list corrected and its places
 * retracted by an admin; ggd-twente: three wijken. */
static void fill(void)
{
    assert_int_equal(store_begin(fx.db), 0);
    put("ko-zonnebloem", "z-09", 0, "2026-09", "vve.plaatsen", "WK016402", 38);
    put("ko-zonnebloem", "z-10", 1, "2026-10", "vve.plaatsen", "WK016402", 40);
    put("ko-zonnebloem", "z-10", 1, "2026-10", "vve.wachtlijst", "WK016402", 3);
    put("ko-zonnebloem", "z-10b", 5, "2026-10", "vve.wachtlijst", "WK016402", 2);
    put("ggd-twente", "g-10", 2, "2026-10", "jgz.doelgroep.geindiceerd", "WK016402", 21);
    put("ggd-twente", "g-10", 2, "2026-10", "jgz.doelgroep.geindiceerd", "WK016404", 18);
    put("ggd-twente", "g-10", 2, "2026-10", "jgz.doelgroep.geindiceerd", "WK016401", 13);
    store_figure f = {.reporter = "ko-zonnebloem", .metric = "vve.plaatsen",
                      .period = "2026-10", .area = "WK016402"};
    assert_int_equal(store_retract(fx.db, &f, "beleid", "r-1", t0 + 6 * 3600), 1);
    assert_int_equal(store_commit(fx.db), 0);
}

static int setup(void **state)
{
    char path[256];
    lm_error err;
    if (setenv("TZ", "Europe/Amsterdam", 1) != 0)
        return -1;
    tzset();
    if (tmpdir_setup(state) != 0)
        return -1;
    memset(&fx, 0, sizeof fx);
    settings_defaults(&fx.set);
    snprintf(fx.set.catalog, sizeof fx.set.catalog, "%s", "config/catalog.conf");
    snprintf(fx.set.partners, sizeof fx.set.partners, "%s", "config/partners-hengelo.conf");
    if (registry_load(&fx.reg, &fx.set, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    path_join(path, sizeof path, tmpdir, "leamon.db");
    if (store_open(&fx.db, path, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    fx.log.level = (log_level)0; /* quiet */
    fill();
    return 0;
}

static int teardown(void **state)
{
    store_close(&fx.db);
    registry_free(&fx.reg);
    return tmpdir_teardown(state);
}

static identity org(const char *id)
{
    const organisation *o = partners_org(&fx.reg.parts, id);
    if (!o)
        fail_msg("no organisation %s", id);
    return (identity){IDENT_ORG, o, NULL};
}

static identity staff(const char *id)
{
    const staff_member *s = partners_staff(&fx.reg.parts, id);
    if (!s)
        fail_msg("no staff member %s", id);
    return (identity){IDENT_STAFF, NULL, s};
}

typedef struct {
    const char *period, *from, *to, *metric, *area, *organisation;
} ask;

/* The reply to ask from who: its status, and when 200 the reply read into out. */
static int figures(const identity *who, const ask *a, proto_figures_reply *out, char *error,
                   size_t n)
{
    proto_request req;
    memset(&req, 0, sizeof req);
    req.version = PROTO_VERSION;
    req.op = PROTO_OP_FIGURES;
    snprintf(req.id, sizeof req.id, "fig-1");
    snprintf(req.period, sizeof req.period, "%s", a->period ? a->period : "");
    snprintf(req.from, sizeof req.from, "%s", a->from ? a->from : "");
    snprintf(req.to, sizeof req.to, "%s", a->to ? a->to : "");
    snprintf(req.metric, sizeof req.metric, "%s", a->metric ? a->metric : "");
    snprintf(req.area, sizeof req.area, "%s", a->area ? a->area : "");
    snprintf(req.organisation, sizeof req.organisation, "%s",
             a->organisation ? a->organisation : "");
    mpw w;
    mpw_init(&w);
    op_ctx c = {.req = &req, .who = who, .now = t0 + 86400, .db = fx.db, .reg = &fx.reg,
                .set = &fx.set, .log = &fx.log, .status = PROTO_OK, .why = "", .w = &w};
    const op_def *d = op_find(PROTO_OP_FIGURES);
    assert_non_null(d);
    lm_error e;
    assert_int_equal(op_allowed(d, who, &e), 0);
    op_reply(d, &c);
    assert_true(mpw_ok(&w));
    msgpack_unpacked u;
    msgpack_unpacked_init(&u);
    assert_int_equal(msgpack_unpack_next(&u, mpw_data(&w), mpw_size(&w), NULL),
                     MSGPACK_UNPACK_SUCCESS);
    proto_head h;
    assert_int_equal(proto_reply_head(&u.data, &h, &e), 0);
    snprintf(error, n, "%s", h.error);
    if (h.status == PROTO_OK && proto_figures_reply_read(&u.data, out, &e) != 0)
        fail_msg("figures reply: %s", e.msg);
    msgpack_unpacked_destroy(&u);
    mpw_free(&w);
    return h.status;
}

/* A partner's month: the corrected figure and the retracted one, with who did what. */
static void test_partner_lists_its_figures_with_corrections_and_retractions(void **state)
{
    (void)state;
    identity z = org("ko-zonnebloem");
    proto_figures_reply r;
    char error[LM_ERROR_MAX];
    assert_int_equal(figures(&z, &(ask){.period = "2026-10"}, &r, error, sizeof error), 200);
    assert_string_equal(r.organisation, "ko-zonnebloem");
    assert_string_equal(r.name, "Kinderopvang De Zonnebloem");
    assert_string_equal(r.from, "2026-10");
    assert_string_equal(r.to, "2026-10");
    assert_false(r.truncated);
    assert_int_equal(r.n_figures, 2);

    const proto_stored_figure *p = &r.figures[0];
    assert_string_equal(p->metric, "vve.plaatsen");
    assert_string_equal(p->area, "WK016402");
    assert_string_equal(p->period, "2026-10");
    assert_false(p->has_value); /* retracted, not sent again */
    assert_false(p->has_reported);
    assert_string_equal(p->submission, "");
    assert_int_equal(p->n_changes, 1);
    assert_string_equal(p->changes[0].change, "retracted");
    assert_true(p->changes[0].old_value == 40);
    assert_false(p->changes[0].has_new);
    assert_string_equal(p->changes[0].by, "beleid");
    assert_string_equal(p->changes[0].request, "r-1");
    assert_int_equal(p->changes[0].at, t0 + 6 * 3600);

    const proto_stored_figure *w = &r.figures[1];
    assert_string_equal(w->metric, "vve.wachtlijst");
    assert_true(w->has_value && w->value == 2);
    assert_true(w->has_reported);
    assert_int_equal(w->reported_at, t0 + 3600);
    assert_int_equal(w->updated_at, t0 + 5 * 3600);
    assert_string_equal(w->submission, "z-10b");
    assert_int_equal(w->n_changes, 1);
    assert_string_equal(w->changes[0].change, "corrected");
    assert_true(w->changes[0].old_value == 3);
    assert_true(w->changes[0].has_new && w->changes[0].new_value == 2);
    assert_string_equal(w->changes[0].by, "ko-zonnebloem");
    assert_string_equal(w->changes[0].request, "z-10b");
    proto_figures_reply_free(&r);

    /* A range of months, of any kinds of period; a metric; an area. */
    assert_int_equal(figures(&z, &(ask){.from = "2026-09", .to = "2026-Q4"}, &r, error,
                             sizeof error),
                     200);
    assert_string_equal(r.from, "2026-09");
    assert_string_equal(r.to, "2026-12");
    assert_int_equal(r.n_figures, 3);
    assert_string_equal(r.figures[0].period, "2026-09");
    assert_true(r.figures[0].value == 38);
    proto_figures_reply_free(&r);
    assert_int_equal(figures(&z, &(ask){.period = "2026", .metric = "vve.wachtlijst"}, &r, error,
                             sizeof error),
                     200);
    assert_int_equal(r.n_figures, 1);
    proto_figures_reply_free(&r);
    assert_int_equal(figures(&z, &(ask){.period = "2026", .area = "WK016404"}, &r, error,
                             sizeof error),
                     200);
    assert_int_equal(r.n_figures, 0);
    proto_figures_reply_free(&r);
    /* Naming itself is fine. */
    assert_int_equal(figures(&z, &(ask){.period = "2026-10", .organisation = "ko-zonnebloem"},
                             &r, error, sizeof error),
                     200);
    assert_int_equal(r.n_figures, 2);
    proto_figures_reply_free(&r);
}

/* Another organisation's figures: refused to a partner, whatever else it asks; listed for
 * staff, who must name one. */
static void test_only_its_own_figures(void **state)
{
    (void)state;
    identity z = org("ko-zonnebloem"), k = org("ko-klimop"), viewer = staff("raad");
    identity anon = {IDENT_ANONYMOUS, NULL, NULL};
    proto_figures_reply r;
    char error[LM_ERROR_MAX];
    assert_int_equal(figures(&z, &(ask){.period = "2026-10", .organisation = "ggd-twente"}, &r,
                             error, sizeof error),
                     403);
    assert_string_equal(error, "a partner reads its own figures, not those of ggd-twente");
    assert_int_equal(figures(&z, &(ask){.period = "2026-10", .organisation = "ko-klimopp"}, &r,
                             error, sizeof error),
                     403);
    /* ko-klimop sent nothing: nothing of the others shows, even for their area. */
    assert_int_equal(figures(&k, &(ask){.period = "2026-10", .area = "WK016402"}, &r, error,
                             sizeof error),
                     200);
    assert_string_equal(r.organisation, "ko-klimop");
    assert_int_equal(r.n_figures, 0);
    proto_figures_reply_free(&r);

    assert_int_equal(figures(&viewer, &(ask){.period = "2026-10"}, &r, error, sizeof error), 400);
    assert_string_equal(error, "staff name the organisation whose figures to list (organisation)");
    assert_int_equal(figures(&anon, &(ask){.period = "2026-10"}, &r, error, sizeof error), 400);
    assert_int_equal(figures(&viewer, &(ask){.period = "2026-10", .organisation = "ko-klimopp"},
                             &r, error, sizeof error),
                     404);
    assert_string_equal(error, "unknown organisation 'ko-klimopp' (the partners file lists them)");
    assert_int_equal(figures(&viewer, &(ask){.period = "2026-10", .organisation = "ggd-twente"},
                             &r, error, sizeof error),
                     200);
    assert_string_equal(r.organisation, "ggd-twente");
    assert_int_equal(r.n_figures, 3);
    for (size_t i = 0; i < r.n_figures; i++)
        assert_string_equal(r.figures[i].metric, "jgz.doelgroep.geindiceerd");
    assert_string_equal(r.figures[0].area, "WK016401"); /* in key order */
    proto_figures_reply_free(&r);
}

/* The request's checks, in PROTOCOL.md's order. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        ask a;
        int status;
        const char *error;
    } cases[] = {
        {{.organisation = "ggd-twente"}, 403,
         "a partner reads its own figures, not those of ggd-twente"},
        {{0}, 400, "figures needs period, or from and to"},
        {{.from = "2026-09"}, 400, "figures needs period, or from and to"},
        {{.period = "2026-10", .from = "2026-09", .to = "2026-10"}, 400,
         "give period, or from and to, not both"},
        {{.period = "2026-13"}, 400,
         "period '2026-13' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)"},
        {{.from = "2026-10", .to = "2026-09"}, 400, "from comes after to"},
        {{.from = "2026-10", .to = "oct"}, 400,
         "to 'oct' is not a period (2026-10, 2026-Q4, 2026 or 2025/26)"},
        {{.period = "2026-10", .metric = "vve.wachtlijsten"}, 404,
         "unknown metric 'vve.wachtlijsten' (leamon catalog lists them)"},
        {{.period = "2026-10", .area = "WK016499"}, 404,
         "unknown area 'WK016499' (leamon catalog lists them)"},
    };
    identity z = org("ko-zonnebloem");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        proto_figures_reply r;
        char error[LM_ERROR_MAX];
        int st = figures(&z, &cases[i].a, &r, error, sizeof error);
        if (st != cases[i].status || strcmp(error, cases[i].error) != 0)
            fail_msg("case %zu: %d \"%s\", expected %d \"%s\"", i, st, error, cases[i].status,
                     cases[i].error);
    }
}

/* More figures than a reply lists, and more changes of one figure: the newest changes,
 * and truncated. */
static void test_bounded(void **state)
{
    (void)state;
    assert_int_equal(store_begin(fx.db), 0);
    char where[16], id[16];
    for (int i = 0; i <= PROTO_MAX_FIGURES; i++) {
        snprintf(where, sizeof where, "X%05d", i);
        put("rbl-twente", "b-1", 1, "2026-10", "rbl.thuiszitters", where, i);
    }
    for (int i = 0; i < PROTO_MAX_FIGURE_CHANGES + 2; i++) {
        snprintf(id, sizeof id, "c-%02d", i);
        put("po-driene", id, 1 + i, "2026-10", "school.leerlingen", "WK016404", 300 + i);
    }
    assert_int_equal(store_commit(fx.db), 0);
    identity admin = staff("beleid");
    proto_figures_reply r;
    char error[LM_ERROR_MAX];
    assert_int_equal(figures(&admin, &(ask){.period = "2026-10", .organisation = "rbl-twente"},
                             &r, error, sizeof error),
                     200);
    assert_true(r.truncated);
    assert_int_equal(r.n_figures, PROTO_MAX_FIGURES);
    assert_string_equal(r.figures[PROTO_MAX_FIGURES - 1].area, "X01999");
    proto_figures_reply_free(&r);

    identity po = org("po-driene");
    assert_int_equal(figures(&po, &(ask){.period = "2026-10"}, &r, error, sizeof error), 200);
    assert_true(r.truncated);
    assert_int_equal(r.n_figures, 1);
    assert_int_equal(r.figures[0].n_changes, PROTO_MAX_FIGURE_CHANGES);
    /* 21 corrections (300 -> 301 ... 320 -> 321): the newest 20, oldest first. */
    assert_true(r.figures[0].changes[0].old_value == 301);
    assert_true(r.figures[0].changes[PROTO_MAX_FIGURE_CHANGES - 1].new_value == 321);
    assert_string_equal(r.figures[0].changes[PROTO_MAX_FIGURE_CHANGES - 1].request, "c-21");
    proto_figures_reply_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partner_lists_its_figures_with_corrections_and_retractions),
        cmocka_unit_test(test_only_its_own_figures),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
