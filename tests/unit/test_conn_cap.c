/* Unit tests for daemon/conn_cap.c: connections counted per CURVE key.
 *
 * Expectations from daemon/conn_cap.h: a key is admitted while it holds fewer than max
 * connections (those claimed by a request and the admissions not yet claimed); a request
 * claims the connection on its descriptor only with a serial admitted after that
 * connection's accept; a disconnect frees a claimed connection's place; a connection
 * without a request is closed first_request_ms after its accept; an admission is given up
 * once no connection accepted before it is open without a request. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "conn_cap.h"

#define T_MS 1000

static uint8_t key_a[CONN_CAP_KEY_BYTES], key_b[CONN_CAP_KEY_BYTES];

static int keys(void **state)
{
    (void)state;
    memset(key_a, 0xaa, sizeof key_a);
    memset(key_b, 0xbb, sizeof key_b);
    return 0;
}

typedef struct {
    int fds[16];
    uint64_t tags[16];
    size_t n;
} closed_list;

static void note_close(void *ctx, int fd, uint64_t tag)
{
    closed_list *l = ctx;
    assert_true(l->n < 16);
    l->tags[l->n] = tag;
    l->fds[l->n++] = fd;
}

/* A connection as leamond sees one: accepted on fd, admitted for key, first request. */
static long long connect_and_ask(conn_cap *c, int fd, const uint8_t *key, long long now)
{
    assert_int_equal(conn_cap_accepted(c, fd, 100 + (uint64_t)fd, now), 0);
    long long serial = conn_cap_admit(c, key);
    if (serial > 0)
        conn_cap_seen(c, fd, (unsigned long long)serial);
    return serial;
}

static void test_the_key_past_its_cap_is_refused_and_another_is_not(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(3, T_MS);
    assert_non_null(c);
    for (int fd = 10; fd < 13; fd++)
        assert_true(connect_and_ask(c, fd, key_a, 0) > 0);
    assert_int_equal(conn_cap_held(c, key_a), 3);
    assert_int_equal(conn_cap_accepted(c, 13, 113, 0), 0);
    assert_int_equal(conn_cap_admit(c, key_a), 0);
    assert_true(connect_and_ask(c, 14, key_b, 0) > 0);
    assert_int_equal(conn_cap_held(c, key_b), 1);
    /* One of key_a's goes: a place is free again, once. */
    conn_cap_disconnected(c, 11);
    assert_int_equal(conn_cap_held(c, key_a), 2);
    assert_true(connect_and_ask(c, 11, key_a, 0) > 0);
    assert_int_equal(conn_cap_admit(c, key_a), 0);
    conn_cap_free(c);
}

static void test_an_admission_counts_before_its_first_request(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(2, T_MS);
    assert_int_equal(conn_cap_accepted(c, 5, 105, 0), 0);
    assert_int_equal(conn_cap_accepted(c, 6, 106, 0), 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    /* Idle after their handshakes: they hold the key's places all the same. */
    assert_int_equal(conn_cap_admit(c, key_a), 0);
    assert_int_equal(conn_cap_held(c, key_a), 2);
    conn_cap_free(c);
}

static void test_a_connection_without_a_request_is_closed_and_its_place_freed(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(2, T_MS);
    closed_list l = {{0}, {0}, 0};
    assert_int_equal(conn_cap_accepted(c, 7, 107, 0), 0);
    long long idle = conn_cap_admit(c, key_a);
    assert_true(idle > 0);
    assert_true(connect_and_ask(c, 8, key_a, 20) > 0);
    assert_true(conn_cap_waiting(c));
    /* Not yet. */
    assert_int_equal(conn_cap_expire(c, T_MS - 1, note_close, &l), 0);
    assert_int_equal(conn_cap_held(c, key_a), 2);
    /* fd 7 is due (accepted at 0); its admission goes with it, in the same look. */
    assert_int_equal(conn_cap_expire(c, T_MS, note_close, &l), 1);
    assert_int_equal(l.fds[0], 7);
    assert_int_equal(l.tags[0], 107);
    assert_int_equal(conn_cap_held(c, key_a), 1);
    assert_false(conn_cap_waiting(c));
    /* Closed once only, and a request it still sent claims nothing. */
    assert_int_equal(conn_cap_expire(c, 5 * T_MS, note_close, &l), 0);
    conn_cap_seen(c, 7, (unsigned long long)idle);
    assert_int_equal(conn_cap_held(c, key_a), 1);
    conn_cap_disconnected(c, 7);
    assert_int_equal(conn_cap_held(c, key_a), 1);
    /* The one that asked is never closed for being idle. */
    assert_int_equal(l.n, 1);
    conn_cap_free(c);
}

static void test_an_admission_is_given_up_once_its_connection_is_gone(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(1, T_MS);
    closed_list l = {{0}, {0}, 0};
    /* fd 5: a handshake under way; fd 6: admitted for key A, gone before its first
     * request. fd 5 might be A's connection as far as anyone can tell: A's place stays. */
    assert_int_equal(conn_cap_accepted(c, 5, 105, 0), 0);
    assert_int_equal(conn_cap_accepted(c, 6, 106, 0), 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    conn_cap_disconnected(c, 6);
    assert_int_equal(conn_cap_expire(c, 1, note_close, &l), 0);
    assert_int_equal(conn_cap_held(c, key_a), 1);
    /* fd 5 goes too: no connection that old is left, and the place is free long before
     * first_request_ms. */
    conn_cap_disconnected(c, 5);
    assert_int_equal(conn_cap_expire(c, 2, note_close, &l), 0);
    assert_int_equal(conn_cap_held(c, key_a), 0);
    assert_false(conn_cap_waiting(c));
    /* A connection accepted after an admission is not its connection. */
    assert_int_equal(conn_cap_accepted(c, 5, 105, 3), 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    assert_int_equal(conn_cap_accepted(c, 6, 106, 3), 0);
    conn_cap_disconnected(c, 5);
    assert_int_equal(conn_cap_expire(c, 4, note_close, &l), 0);
    assert_int_equal(conn_cap_held(c, key_a), 0);
    assert_true(conn_cap_waiting(c)); /* fd 6, until it asks or is closed */
    conn_cap_free(c);
}

static void test_a_reused_descriptor_is_not_taken_for_the_old_connection(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(1, T_MS);
    closed_list l = {{0}, {0}, 0};
    /* Key A's connection on fd 9 sends a request and goes; fd 9 is accepted anew, and key
     * B's handshake is admitted on it. The old connection's request is read only now. */
    assert_int_equal(conn_cap_accepted(c, 9, 109, 0), 0);
    long long old = conn_cap_admit(c, key_a);
    assert_true(old > 0);
    conn_cap_disconnected(c, 9);
    assert_int_equal(conn_cap_accepted(c, 9, 209, 0), 0);
    long long fresh = conn_cap_admit(c, key_b);
    assert_true(fresh > 0);
    conn_cap_seen(c, 9, (unsigned long long)old);
    assert_int_equal(conn_cap_held(c, key_b), 1);
    /* B's own request claims it; A's admission is not B's connection. */
    conn_cap_seen(c, 9, (unsigned long long)fresh);
    assert_int_equal(conn_cap_expire(c, 2 * T_MS, note_close, &l), 0);
    assert_int_equal(conn_cap_held(c, key_b), 1);
    assert_int_equal(conn_cap_held(c, key_a), 0);
    /* A second request of B's changes nothing. */
    conn_cap_seen(c, 9, (unsigned long long)fresh);
    assert_int_equal(conn_cap_held(c, key_b), 1);
    conn_cap_free(c);
}

static void test_a_descriptor_closed_without_an_event_is_freed_by_its_next_accept(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(1, T_MS);
    assert_true(connect_and_ask(c, 4, key_a, 0) > 0);
    assert_int_equal(conn_cap_admit(c, key_a), 0);
    assert_int_equal(conn_cap_accepted(c, 4, 104, 0), 0);
    assert_int_equal(conn_cap_held(c, key_a), 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    conn_cap_free(c);
}

static void test_unknown_descriptors_and_serials_change_nothing(void **state)
{
    (void)state;
    conn_cap *c = conn_cap_new(1, T_MS);
    conn_cap_seen(c, -1, 1);
    conn_cap_seen(c, 1000, 1);
    conn_cap_disconnected(c, 1000);
    conn_cap_disconnected(c, -1);
    assert_int_equal(conn_cap_accepted(c, 3, 103, 0), 0);
    conn_cap_seen(c, 3, 99);
    conn_cap_seen(c, 3, 0);
    assert_int_equal(conn_cap_held(c, key_a), 0);
    assert_true(conn_cap_admit(c, key_a) > 0);
    assert_null(conn_cap_new(0, T_MS));
    assert_null(conn_cap_new(1, 0));
    conn_cap_free(c);
    conn_cap_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_key_past_its_cap_is_refused_and_another_is_not),
        cmocka_unit_test(test_an_admission_counts_before_its_first_request),
        cmocka_unit_test(test_a_connection_without_a_request_is_closed_and_its_place_freed),
        cmocka_unit_test(test_an_admission_is_given_up_once_its_connection_is_gone),
        cmocka_unit_test(test_a_reused_descriptor_is_not_taken_for_the_old_connection),
        cmocka_unit_test(test_a_descriptor_closed_without_an_event_is_freed_by_its_next_accept),
        cmocka_unit_test(test_unknown_descriptors_and_serials_change_nothing),
    };
    return cmocka_run_group_tests(tests, keys, NULL);
}
