/* test_target.c: which target applies where, and the straight-line path to it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "snapshot.h"

static int setup(void **state)
{
    settings s;
    lm_error err;
    registry *reg = calloc(1, sizeof *reg);
    if (!reg)
        return -1;
    settings_defaults(&s);
    snprintf(s.catalog, sizeof s.catalog, "config/catalog.conf");
    snprintf(s.partners, sizeof s.partners, "config/partners-hengelo.conf");
    if (registry_load(reg, &s, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        free(reg);
        return -1;
    }
    *state = reg;
    return 0;
}

static int teardown(void **state)
{
    registry_free(*state);
    free(*state);
    return 0;
}

static const target *target_of(const registry *reg, const char *ind, const char *code)
{
    const indicator *i = catalog_indicator(&reg->cat, ind);
    assert_non_null(i);
    int a = partners_area(&reg->parts, code);
    assert_true(a >= 0);
    return snapshot_target(reg, i, a);
}

static period P(const char *text)
{
    period p;
    assert_int_equal(period_parse(text, &p), 0);
    return p;
}

static void test_which_target_applies(void **state)
{
    const registry *reg = *state;
    /* A ratio's goal holds for the gemeente and every wijk. */
    const target *t = target_of(reg, "vve_bereik", "GM0164");
    assert_non_null(t);
    assert_true(t->goal_value == 85.0);
    assert_ptr_equal(target_of(reg, "vve_bereik", "WK016404"), t);
    /* A count's goal ("fewer than ten thuiszitters") is the gemeente's, not each wijk's. */
    assert_non_null(target_of(reg, "thuiszitters", "GM0164"));
    assert_null(target_of(reg, "thuiszitters", "WK016404"));
    /* No target in the policy documents for this one. */
    assert_null(target_of(reg, "vve_wachtlijst", "GM0164"));
}

static void test_path_with_baseline_value(void **state)
{
    const target *t = target_of(*state, "vve_bereik", "GM0164");
    double v = -1;
    period p;
    /* 77 % in 2022 (month 2022-12) to 85 % in 2027 (2027-12): 60 months, 8 points. */
    p = P("2022");
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v == 77.0);
    p = P("2024-12"); /* 24 of 60 months: 77 + 8 * 0.4 = 80.2 */
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v > 80.2 - 1e-9 && v < 80.2 + 1e-9);
    p = P("2025/26"); /* ends 2026-07: 43 months: 77 + 8 * 43 / 60 */
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v > 77.0 + 8.0 * 43 / 60 - 1e-9 && v < 77.0 + 8.0 * 43 / 60 + 1e-9);
    p = P("2027-Q4");
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v == 85.0);
    p = P("2030"); /* after the goal: the goal */
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v == 85.0);
    p = P("2021"); /* before the baseline: no path */
    assert_false(snapshot_path(t, &p, false, 0, &v));
}

static void test_path_without_baseline(void **state)
{
    const target *t = target_of(*state, "zomerschool", "GM0164");
    double v = -1;
    period p = P("2026-07");
    assert_false(snapshot_path(t, &p, false, 0, &v)); /* only the goal is known */
    p = P("2027");
    assert_true(snapshot_path(t, &p, false, 0, &v));
    assert_true(v == 125.0);
}

static void test_path_with_baseline_from_data(void **state)
{
    const target *t = target_of(*state, "thuiszitters", "GM0164");
    double v = -1;
    period p = P("2025-12");
    /* Baseline 2024 taken from the data: without a figure there is no path. */
    assert_false(snapshot_path(t, &p, false, 0, &v));
    /* 15 in 2024 to 9 in 2027: 36 months; after 12: 15 - 6 / 3 = 13. */
    assert_true(snapshot_path(t, &p, true, 15.0, &v));
    assert_true(v > 13.0 - 1e-9 && v < 13.0 + 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_target_applies),
        cmocka_unit_test(test_path_with_baseline_value),
        cmocka_unit_test(test_path_without_baseline),
        cmocka_unit_test(test_path_with_baseline_from_data),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
