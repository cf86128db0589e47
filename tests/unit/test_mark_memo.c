/* Unit tests for the memo of marks a query brought up to date (daemon/mark_memo.c): what it
 * covers, a mark marked again (a higher gen) not covered, ranges that meet joined, the
 * bound, and forgetting the marks a round cleared. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mark_memo.h"

static void test_covers_what_was_noted(void **state)
{
    (void)state;
    mark_memo m = {0};
    mark_memo_key k = {2, 0, 3, 7, 24300, 0};
    assert_false(mark_memo_covers(&m, &k, 24300, 24300)); /* empty, no table yet */
    assert_int_equal(mark_memo_note(&m, &k, 24290, 24301), 0);
    assert_true(mark_memo_covers(&m, &k, 24300, 24300));
    assert_true(mark_memo_covers(&m, &k, 24290, 24301));
    assert_false(mark_memo_covers(&m, &k, 24289, 24300)); /* a month before */
    assert_false(mark_memo_covers(&m, &k, 24300, 24302)); /* a month after */
    /* Marked again by a figure: its gen went up, nothing of it is computed. */
    mark_memo_key again = k;
    again.gen = 1;
    assert_false(mark_memo_covers(&m, &again, 24300, 24300));
    /* Another metric, indicator, kind of period, area or month: not covered. */
    mark_memo_key other = k;
    other.metric = 4;
    assert_false(mark_memo_covers(&m, &other, 24300, 24300));
    other = k;
    other.ind = 1; /* computed for another indicator */
    assert_false(mark_memo_covers(&m, &other, 24300, 24300));
    other = k;
    other.kind = 2; /* for its months, not its years */
    assert_false(mark_memo_covers(&m, &other, 24300, 24300));
    other = k;
    other.area = 8;
    assert_false(mark_memo_covers(&m, &other, 24300, 24300));
    other = k;
    other.month = 24301;
    assert_false(mark_memo_covers(&m, &other, 24300, 24300));
    mark_memo_clear(&m);
    assert_false(mark_memo_covers(&m, &k, 24300, 24300));
    mark_memo_free(&m);
}

static void test_ranges_join_or_replace(void **state)
{
    (void)state;
    mark_memo m = {0};
    mark_memo_key k = {0, 0, 1, 2, 100, 5};
    assert_int_equal(mark_memo_note(&m, &k, 100, 100), 0);
    assert_int_equal(mark_memo_note(&m, &k, 89, 99), 0); /* meets: one range 89..100 */
    assert_true(mark_memo_covers(&m, &k, 89, 100));
    assert_int_equal(mark_memo_note(&m, &k, 120, 121), 0); /* apart: the newer is kept */
    assert_true(mark_memo_covers(&m, &k, 120, 121));
    assert_false(mark_memo_covers(&m, &k, 100, 100));
    assert_int_equal(m.n, 1);
    mark_memo_free(&m);
}

static void test_many_marks_and_the_bound(void **state)
{
    (void)state;
    mark_memo m = {0};
    /* Below the bound every one is kept through the growth of the table. */
    for (int i = 0; i < MARK_MEMO_MAX; i++) {
        mark_memo_key k = {i % 2, i % 4, i % 21, i / 21, 24000 + i % 12, i % 3};
        assert_int_equal(mark_memo_note(&m, &k, 0, 10), 0);
    }
    assert_int_equal(m.n, MARK_MEMO_MAX);
    for (int i = 0; i < MARK_MEMO_MAX; i++) {
        mark_memo_key k = {i % 2, i % 4, i % 21, i / 21, 24000 + i % 12, i % 3};
        assert_true(mark_memo_covers(&m, &k, 0, 10));
    }
    size_t cap = m.cap;
    /* One more: it starts afresh with that one, and the table does not grow. */
    mark_memo_key last = {9, 3, 99, 99, 99, 99};
    assert_int_equal(mark_memo_note(&m, &last, 0, 10), 0);
    assert_int_equal(m.n, 1);
    assert_int_equal(m.cap, cap);
    assert_true(mark_memo_covers(&m, &last, 0, 10));
    mark_memo_key first = {0, 0, 0, 0, 24000, 0};
    assert_false(mark_memo_covers(&m, &first, 0, 10));
    mark_memo_free(&m);
}

static void test_forget_cleared_marks(void **state)
{
    (void)state;
    mark_memo m = {0};
    /* One mark (metric 1, area 2, month 100) read by two indicators and kinds, at two gens;
     * another mark beside it. */
    mark_memo_key a1 = {0, 0, 1, 2, 100, 0}, a2 = {3, 2, 1, 2, 100, 4};
    mark_memo_key b = {0, 0, 1, 2, 101, 0}, c = {0, 0, 5, 2, 100, 0};
    assert_int_equal(mark_memo_note(&m, &a1, 100, 100), 0);
    assert_int_equal(mark_memo_note(&m, &a2, 96, 107), 0);
    assert_int_equal(mark_memo_note(&m, &b, 100, 101), 0);
    assert_int_equal(mark_memo_note(&m, &c, 100, 100), 0);
    /* Cleared: the first mark (named with any ind, kind and gen) and one never noted. */
    mark_memo_key cleared[] = {{-1, 0, 1, 2, 100, 7}, {-1, 0, 9, 9, 9, 0}};
    assert_int_equal(mark_memo_forget(&m, cleared, 2), 0);
    assert_false(mark_memo_covers(&m, &a1, 100, 100));
    assert_false(mark_memo_covers(&m, &a2, 100, 100));
    assert_true(mark_memo_covers(&m, &b, 100, 101));
    assert_true(mark_memo_covers(&m, &c, 100, 100));
    assert_int_equal(m.n, 2);
    /* Nothing cleared, or an empty memo: nothing changes. */
    assert_int_equal(mark_memo_forget(&m, cleared, 0), 0);
    assert_int_equal(m.n, 2);
    mark_memo_free(&m);
    assert_int_equal(mark_memo_forget(&m, cleared, 2), 0);
    assert_int_equal(m.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_covers_what_was_noted),
        cmocka_unit_test(test_ranges_join_or_replace),
        cmocka_unit_test(test_many_marks_and_the_bound),
        cmocka_unit_test(test_forget_cleared_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
