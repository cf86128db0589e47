/* test_snapshot.c: the incremental refresh against a real store keeps every snapshot equal
 * to one computed from scratch: random figures (with corrections) from every kind of
 * partner over two years, in a gemeente with a cluster of wijken and a wijk of its own,
 * refreshed batch by batch, then every indicator x area x period compared. The refresh reads
 * the figures once per subject and run of months, and finishes an area from its children
 * (reporters for several areas and inactive ones counted once), so this is what guards its
 * bookkeeping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "snapshot.h"
#include "store.h"
#include "testutil.h"

#define CATALOG_CONF "config/catalog.conf"

typedef struct {
    registry reg;
    store *db;
} fixture;

static const char partners_text[] =
    "areas = ( { code = \"GM0164\"; name = \"Hengelo\"; level = \"gemeente\"; },\n"
    "  { code = \"CL01\"; name = \"Noord-Zuid\"; level = \"cluster\"; parent = \"GM0164\"; },\n"
    "  { code = \"WK016401\"; name = \"Noord\"; level = \"wijk\"; parent = \"CL01\"; },\n"
    "  { code = \"WK016402\"; name = \"Zuid\"; level = \"wijk\"; parent = \"CL01\"; },\n"
    "  { code = \"WK016403\"; name = \"Oost\"; level = \"wijk\"; parent = \"GM0164\"; } );\n"
    "organisations = (\n"
    "  { id = \"ko-a\"; name = \"A\"; kind = \"kinderopvang\"; area = \"WK016401\"; },\n"
    "  { id = \"ko-b\"; name = \"B\"; kind = \"kinderopvang\"; area = \"WK016401\"; },\n"
    "  { id = \"ko-c\"; name = \"C\"; kind = \"kinderopvang\"; area = \"WK016402\"; },\n"
    "  { id = \"ko-d\"; name = \"D\"; kind = \"kinderopvang\"; area = \"WK016403\"; active = false; },\n"
    "  { id = \"ggd\"; name = \"GGD\"; kind = \"ggd\"; area = \"GM0164\"; },\n"
    "  { id = \"po-1\"; name = \"PO\"; kind = \"school_po\"; area = \"WK016401\"; },\n"
    "  { id = \"so-1\"; name = \"SO\"; kind = \"school_so\"; area = \"GM0164\"; },\n"
    "  { id = \"vo-1\"; name = \"VO\"; kind = \"school_vo\"; area = \"WK016402\"; },\n"
    "  { id = \"mbo-1\"; name = \"MBO\"; kind = \"mbo\"; area = \"WK016403\"; },\n"
    "  { id = \"rbl\"; name = \"RBL\"; kind = \"rbl\"; area = \"GM0164\"; },\n"
    "  { id = \"gem\"; name = \"Gemeente\"; kind = \"gemeente\"; area = \"GM0164\"; } );\n"
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
    if (registry_load(&f.reg, &s, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    /* A stock carried two months, so that the refresh also follows a figure into the
     * months it is carried into. */
    ((metric *)catalog_metric(&f.reg.cat, "vve.wachtlijst"))->carry = 2;
    path_join(path, sizeof path, tmpdir, "snapshot.sqlite");
    if (store_open(&f.db, path, &err) != 0) {
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

static uint32_t rng = 12345;
static uint32_t next_random(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* One batch of random figures in one transaction, as a submission would store them. */
static void submit_batch(fixture *f, int batch, size_t records)
{
    const partners *p = &f->reg.parts;
    const catalog *cat = &f->reg.cat;
    int64_t sub;
    char req[32];
    snprintf(req, sizeof req, "batch-%d", batch);
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, "ko-a", req, 1000 + batch, (int64_t)records, 1,
                                          &sub), 0);
    for (size_t i = 0; i < records;) {
        const organisation *o = &p->orgs[next_random() % p->n_orgs];
        const metric *m = &cat->metrics[next_random() % cat->n_metrics];
        if (!((m->kinds >> o->kind) & 1u))
            continue;
        /* Partners based in the gemeente report for it or for one of its wijken. */
        int where = p->areas[o->home].parent < 0 ? (int)(next_random() % p->n_areas) : o->home;
        period month = period_month_from_number(period_month_number(2025, 1) +
                                                (int)(next_random() % 24));
        char ptext[PERIOD_TEXT_MAX];
        assert_int_equal(period_format(&month, ptext, sizeof ptext), 0);
        double value = (double)(next_random() % 40);
        assert_int_equal(store_put_observation(f->db, o->id, m->code, ptext, p->areas[where].code,
                                               value, sub, 1000 + batch), 0);
        i++;
    }
    assert_int_equal(store_commit(f->db), 0);
}

/* Sums of the same figures in another order may differ in the last bit. */
static bool nearly(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1.0, fabs(b));
}

/* The stored snapshot of (ind, p, at) equals one computed now; a key never stored must be
 * one without figures. Returns 1 when a stored version was compared.
 *
 * exact_expected: whom to expect includes the partners that ever reported a metric for the
 * area, and a partner's first figure for a new area does not recompute that area's older
 * periods (README, Performance); so after an incremental refresh a stored count may be
 * short, never over, and after a full recompute it is exact. */
static size_t carried_seen; /* snapshots with a figure carried in: the carry is exercised */

static int check_key(fixture *f, const indicator *ind, const period *p, int at,
                     bool exact_expected)
{
    char ptext[PERIOD_TEXT_MAX];
    stored_snapshot fresh, stored;
    assert_int_equal(period_format(p, ptext, sizeof ptext), 0);
    assert_int_equal(snapshot_compute(f->db, &f->reg, ind, p, at, &fresh), 0);
    int found = store_snapshot_get(f->db, ind->code, ptext, f->reg.parts.areas[at].code,
                                   INT64_MAX, &stored);
    assert_true(found >= 0);
    if (!found) {
        if (fresh.reported != 0 || fresh.has_num || fresh.has_den)
            fail_msg("%s %s %s: figures but no snapshot", ind->code, ptext,
                     f->reg.parts.areas[at].code);
        return 0;
    }
    carried_seen += fresh.carried > 0;
    if (stored.has_value != fresh.has_value || stored.has_num != fresh.has_num ||
        stored.has_den != fresh.has_den || (fresh.has_value && !nearly(stored.value, fresh.value)) ||
        (fresh.has_num && !nearly(stored.numerator, fresh.numerator)) ||
        (fresh.has_den && !nearly(stored.denominator, fresh.denominator)) ||
        (exact_expected ? stored.expected != fresh.expected : stored.expected > fresh.expected) ||
        stored.reported != fresh.reported || stored.carried != fresh.carried ||
        strcmp(stored.reason, fresh.reason) != 0)
        fail_msg("%s %s %s: stored %g (%g/%g, %lld of %lld, '%s') but computed %g (%g/%g, "
                 "%lld of %lld, '%s')", ind->code, ptext, f->reg.parts.areas[at].code,
                 stored.value, stored.numerator, stored.denominator, (long long)stored.reported,
                 (long long)stored.expected, stored.reason, fresh.value, fresh.numerator,
                 fresh.denominator, (long long)fresh.reported, (long long)fresh.expected,
                 fresh.reason);
    return 1;
}

static int check_everything(fixture *f, bool exact_expected)
{
    static const char *const others[] = {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                         "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
                                         "2025",    "2026",    "2024/25", "2025/26",
                                         "2026/27"};
    int compared = 0;
    for (size_t k = 0; k < f->reg.cat.n_indicators; k++)
        for (size_t a = 0; a < f->reg.parts.n_areas; a++) {
            const indicator *ind = &f->reg.cat.indicators[k];
            for (int m = 0; m < 24; m++) {
                period p = period_month_from_number(period_month_number(2025, 1) + m);
                compared += check_key(f, ind, &p, (int)a, exact_expected);
            }
            for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
                period p;
                assert_int_equal(period_parse(others[i], &p), 0);
                compared += check_key(f, ind, &p, (int)a, exact_expected);
            }
        }
    return compared;
}

static void test_refresh_equals_recompute(void **state)
{
    fixture *f = *state;
    size_t changed = 0, total = 0;
    /* A backfill in one go, then smaller batches that correct and add, refreshed as the
     * derive thread does: with the coverage kept in memory (new partners and areas appear
     * in the batches, so the copy must follow them). */
    snapshot_yield with_cov = {NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(coverage_new(&with_cov.cov, &f->reg), 0);
    submit_batch(f, 0, 400);
    assert_int_equal(snapshot_refresh(f->db, &f->reg, 2000, &changed, NULL), 0);
    assert_true(changed > 0);
    for (int b = 1; b <= 12; b++) {
        submit_batch(f, b, b % 3 == 0 ? 1 : 25);
        if (b == 6) { /* a location starts to report for a wijk it was never seen in */
            int64_t sub;
            assert_int_equal(store_begin(f->db), 0);
            assert_int_equal(store_add_submission(f->db, "ko-a", "new-wijk", 1100, 1, 1, &sub), 0);
            assert_int_equal(store_put_observation(f->db, "ko-a", "vve.peuters.geplaatst",
                                                   "2026-03", "WK016403", 7, sub, 1100), 0);
            assert_int_equal(store_commit(f->db), 0);
        }
        assert_int_equal(snapshot_refresh_ticking(f->db, &f->reg, 2000 + b, &changed, NULL,
                                                  NULL, NULL, &with_cov), 0);
        total += changed;
    }
    assert_true(total > 0);
    int compared = check_everything(f, false);
    /* Most keys have figures: the comparison is not vacuous; and some carry a figure. */
    assert_true(compared > 500);
    assert_true(carried_seen > 0);
    /* A refresh with nothing marked changes nothing. */
    assert_int_equal(snapshot_refresh(f->db, &f->reg, 3000, &changed, NULL), 0);
    assert_int_equal(changed, 0);
    /* Everything marked (as after a change of catalogue or partners): exact, and so is the
     * coverage in memory after all those batches. */
    assert_int_equal(store_dirty_all(f->db), 0);
    assert_int_equal(snapshot_refresh_ticking(f->db, &f->reg, 4000, &changed, NULL, NULL, NULL,
                                              &with_cov), 0);
    coverage_free(&with_cov.cov);
    assert_int_equal(check_everything(f, true), compared);
    /* Without the children's reporter sets (a database from before they were kept), a few
     * new figures: the areas above are counted from the figures, and come out the same. */
    assert_int_equal(store_reporters_clear(f->db), 0);
    submit_batch(f, 13, 25);
    assert_int_equal(snapshot_refresh(f->db, &f->reg, 5000, &changed, NULL), 0);
    assert_true(changed > 0);
    assert_true(check_everything(f, false) >= compared);
}

/* One figure of ko-a for vve.doelgroep.geplaatst in Noord, March 2026, in a transaction. */
static void put_one(fixture *f, const char *req, double value, int64_t at)
{
    int64_t sub;
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, "ko-a", req, at, 1, 1, &sub), 0);
    assert_int_equal(store_put_observation(f->db, "ko-a", "vve.doelgroep.geplaatst", "2026-03",
                                           "WK016401", value, sub, at), 0);
    assert_int_equal(store_commit(f->db), 0);
}

/* The stored numerator of vve_bereik in Noord, March 2026. */
static double stored_numerator(fixture *f)
{
    stored_snapshot s;
    assert_int_equal(store_snapshot_get(f->db, "vve_bereik", "2026-03", "WK016401", INT64_MAX,
                                        &s), 1);
    assert_true(s.has_num);
    return s.numerator;
}

/* A query computes the marks of its months and remembers them, so that the next query
 * skips them; a round clears the marks, and a figure then sets one again at gen 0. The
 * memo must not take it for the one it remembers: the round forgets the memo with the
 * marks. Without that (the round given no memo) the query would answer the old figure,
 * which this shows too, so that the test can fail. */
static void test_query_memo_forgets_cleared_marks(void **state)
{
    fixture *f = *state;
    const indicator *ind = catalog_indicator(&f->reg.cat, "vve_bereik");
    int march = period_month_number(2026, 3);
    size_t changed = 0;
    assert_non_null(ind);
    for (int forgets = 1; forgets >= 0; forgets--) {
        mark_memo memo = {0};
        snapshot_yield round = {NULL, NULL, NULL, NULL, forgets ? &memo : NULL};
        put_one(f, forgets ? "a-1" : "b-1", 10, 1000);
        assert_int_equal(snapshot_refresh_for(f->db, &f->reg, ind, PERIOD_MONTH, march, march, 1001, &changed,
                                              NULL, NULL, &memo), 0);
        assert_true(nearly(stored_numerator(f), 10));
        assert_true(memo.n > 0); /* remembered */
        /* The next query finds nothing to compute: the memo covers the mark. */
        changed = 0;
        assert_int_equal(snapshot_refresh_for(f->db, &f->reg, ind, PERIOD_MONTH, march, march, 1002, &changed,
                                              NULL, NULL, &memo), 0);
        assert_int_equal(changed, 0);
        /* A round takes and clears the marks. */
        assert_int_equal(snapshot_refresh_ticking(f->db, &f->reg, 1003, &changed, NULL, NULL,
                                                  NULL, &round), 0);
        assert_int_equal(memo.n, forgets ? 0 : 1);
        /* A new figure sets the mark again, at gen 0 as before. */
        put_one(f, forgets ? "a-2" : "b-2", 25, 1004);
        assert_int_equal(snapshot_refresh_for(f->db, &f->reg, ind, PERIOD_MONTH, march, march, 1005, &changed,
                                              NULL, NULL, &memo), 0);
        if (forgets)
            assert_true(nearly(stored_numerator(f), 25));
        else
            assert_true(nearly(stored_numerator(f), 10)); /* the hazard, shown */
        assert_int_equal(snapshot_refresh_ticking(f->db, &f->reg, 1006, &changed, NULL, NULL,
                                                  NULL, NULL), 0);
        mark_memo_free(&memo);
    }
}

/* What a query reads, refreshed by the query path alone (the marks stay, as under a steady
 * load where the rounds come later): after each batch, queries of random indicators and
 * periods of every kind, with one memo throughout, then each snapshot they read compared
 * with one computed from scratch, in every area. */
static void test_query_refresh_equals_recompute(void **state)
{
    fixture *f = *state;
    static const period_kind kinds[] = {PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR,
                                        PERIOD_SCHOOLYEAR};
    const catalog *cat = &f->reg.cat;
    mark_memo memo = {0};
    size_t changed = 0, compared = 0;
    submit_batch(f, 0, 300);
    assert_int_equal(snapshot_refresh(f->db, &f->reg, 2000, &changed, NULL), 0);
    for (int b = 1; b <= 10; b++) {
        submit_batch(f, 100 + b, 40);
        for (int q = 0; q < 12; q++) {
            const indicator *ind = &cat->indicators[next_random() % cat->n_indicators];
            period_kind kind = kinds[next_random() % 4];
            period month = period_month_from_number(period_month_number(2025, 1) +
                                                    (int)(next_random() % 24)), p;
            assert_int_equal(period_containing(&month, kind, &p), 0);
            /* A series of up to three periods of the kind, or one. */
            period to = p;
            for (int k = (int)(next_random() % 3); k > 0; k--)
                assert_int_equal(period_next(&to, &to), 0);
            assert_int_equal(snapshot_refresh_for(f->db, &f->reg, ind, kind,
                                                  period_first_month(&p),
                                                  period_last_month(&to), 3000 + b, &changed,
                                                  NULL, NULL, &memo), 0);
            for (period x = p;; ) {
                for (size_t a = 0; a < f->reg.parts.n_areas; a++)
                    compared += (size_t)check_key(f, ind, &x, (int)a, false);
                if (period_compare(&x, &to) >= 0)
                    break;
                assert_int_equal(period_next(&x, &x), 0);
            }
        }
    }
    assert_true(compared > 200);
    assert_true(memo.n > 0);
    mark_memo_free(&memo);
}

/* The coverage kept in memory by the thread that refreshes (another connection) follows the
 * commits of the one that stores figures, and never takes rows read in an older snapshot
 * for current: asked inside a read transaction that began before a commit that added a
 * reporter for an area, it answers without it (as that transaction sees the table), and in
 * the next transaction with it. */
static void test_coverage_copy_follows_the_other_connection(void **state)
{
    fixture *f = *state;
    char path[256];
    lm_error err;
    store *reader = NULL;
    coverage *cov = NULL;
    path_join(path, sizeof path, tmpdir, "snapshot.sqlite");
    assert_int_equal(store_open_shared(&reader, path, f->db, &err), 0);
    assert_int_equal(coverage_new(&cov, &f->reg), 0);
    const metric *m = catalog_metric(&f->reg.cat, "vve.doelgroep.geplaatst");
    const organisation *ko_c = partners_org(&f->reg.parts, "ko-c");
    int noord = partners_area(&f->reg.parts, "WK016401");
    assert_non_null(m);
    assert_non_null(ko_c);
    const coverage_pair *pairs;
    size_t n;
    /* Nothing yet; a read transaction opens before ko-c's first figure for Noord. */
    assert_int_equal(store_read_begin(reader), 0);
    assert_int_equal(coverage_of(cov, reader, m, &pairs, &n), 0);
    assert_int_equal(n, 0);
    int64_t sub;
    assert_int_equal(store_begin(f->db), 0);
    assert_int_equal(store_add_submission(f->db, "ko-c", "cov-1", 1000, 1, 1, &sub), 0);
    assert_int_equal(store_put_observation(f->db, "ko-c", m->code, "2026-03", "WK016401", 4,
                                           sub, 1000), 0);
    assert_int_equal(store_commit(f->db), 0);
    /* In the old transaction: the table as it saw it. */
    assert_int_equal(coverage_of(cov, reader, m, &pairs, &n), 0);
    assert_int_equal(n, 0);
    store_read_end(reader);
    /* In a new one: ko-c covers Noord. */
    assert_int_equal(store_read_begin(reader), 0);
    assert_int_equal(coverage_of(cov, reader, m, &pairs, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(pairs[0].org, (int)(ko_c - f->reg.parts.orgs));
    assert_int_equal(pairs[0].area, noord);
    store_read_end(reader);
    coverage_free(&cov);
    store_close(&reader);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refresh_equals_recompute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_memo_forgets_cleared_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_refresh_equals_recompute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coverage_copy_follows_the_other_connection, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
