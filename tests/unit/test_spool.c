/* Unit tests for client/spool.c: writing, ordering, and the bookkeeping of a
 * flush, with delivery replaced by a scripted function. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"
#include "testutil.h"

static void spool(const char *id, const char *body, time_t when, char *name, size_t n)
{
    lm_error err;
    if (spool_write(tmpdir, id, body, strlen(body), when, name, n, &err) != 0)
        fail_msg("spool_write: %s", err.msg);
}

static void test_write_names_and_content(void **state)
{
    char name[256], path[512];
    lm_error err;
    (void)state;
    /* 2026-11-02 09:30:00 UTC */
    spool("abc123", "payload-1", 1793611800, name, sizeof name);
    assert_string_equal(name, "20261102T093000Z-000001-abc123.req");
    path_join(path, sizeof path, tmpdir, name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(spool_read(tmpdir, name, &buf, &len, &err), 0);
    assert_int_equal(len, 9);
    assert_memory_equal(buf, "payload-1", 9);
    free(buf);

    /* Characters unsafe in a file name are replaced; no temporary file is left. */
    spool("a/b c", "x", 1793611800, name, sizeof name);
    assert_string_equal(name, "20261102T093000Z-000002-a_b_c.req");
    char **names;
    size_t count;
    assert_int_equal(spool_list(tmpdir, &names, &count, &err), 0);
    assert_int_equal(count, 2);
    spool_list_free(names, count);
}

static void test_order_survives_clock_going_back(void **state)
{
    char a[256], b[256], c[256], d[256];
    lm_error err;
    (void)state;
    spool("first", "1", 1793611800, a, sizeof a);
    spool("second", "2", 1793611800, b, sizeof b);     /* same second */
    spool("third", "3", 1793611800 - 3600, c, sizeof c); /* clock stepped back */
    spool("fourth", "4", 1793611800 + 60, d, sizeof d);
    char **names;
    size_t count;
    assert_int_equal(spool_list(tmpdir, &names, &count, &err), 0);
    assert_int_equal(count, 4);
    assert_string_equal(names[0], a);
    assert_string_equal(names[1], b);
    assert_string_equal(names[2], c);
    assert_string_equal(names[3], d);
    assert_non_null(strstr(names[2], "third"));
    spool_list_free(names, count);
}

static void test_list_ignores_other_files(void **state)
{
    char name[256], path[512];
    lm_error err;
    (void)state;
    char **names;
    size_t count;
    /* A missing spool is an empty one. */
    path_join(path, sizeof path, tmpdir, "none");
    assert_int_equal(spool_list(path, &names, &count, &err), 0);
    assert_int_equal(count, 0);

    spool("x", "1", 1793611800, name, sizeof name);
    write_file(".tmp-1-x", "", path, sizeof path);
    write_file("notes.txt", "", path, sizeof path);
    int lock = spool_lock(tmpdir, &err);
    assert_true(lock >= 0);
    spool_unlock(lock);
    assert_int_equal(spool_list(tmpdir, &names, &count, &err), 0);
    assert_int_equal(count, 1);
    assert_string_equal(names[0], name);
    spool_list_free(names, count);
}

/* A scripted daemon: outcome i for the i-th delivery; records what it saw. */
typedef struct {
    spool_outcome script[8];
    size_t calls;
    char seen[8][64];
} fake;

static spool_outcome fake_deliver(void *arg, const char *name, const void *buf, size_t len,
                                  lm_error *why)
{
    fake *fk = arg;
    (void)name;
    assert_true(fk->calls < 8);
    snprintf(fk->seen[fk->calls], sizeof fk->seen[0], "%.*s", (int)len, (const char *)buf);
    spool_outcome out = fk->script[fk->calls++];
    if (out == SPOOL_REJECTED)
        lm_fail(why, 0, "422 invalid records (test)");
    return out;
}

static void test_flush_bookkeeping(void **state)
{
    char n1[256], n2[256], n3[256], n4[256], path[600];
    lm_error err;
    (void)state;
    spool("one", "body-1", 1793611800, n1, sizeof n1);
    spool("two", "body-2", 1793611801, n2, sizeof n2);
    spool("three", "body-3", 1793611802, n3, sizeof n3);
    spool("four", "body-4", 1793611803, n4, sizeof n4);

    /* Delivered, rejected, then the daemon is gone: the rest stays, in order. */
    fake fk = {.script = {SPOOL_DELIVERED, SPOOL_REJECTED, SPOOL_STOP}};
    spool_stats st;
    assert_int_equal(spool_flush(tmpdir, fake_deliver, &fk, &st, &err), 0);
    assert_int_equal(fk.calls, 3);
    assert_string_equal(fk.seen[0], "body-1");
    assert_string_equal(fk.seen[1], "body-2");
    assert_string_equal(fk.seen[2], "body-3");
    assert_int_equal(st.delivered, 1);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(st.remaining, 2);

    path_join(path, sizeof path, tmpdir, n1);
    assert_int_equal(access(path, F_OK), -1); /* delivered: gone */
    snprintf(path, sizeof path, "%s/rejected/%s", tmpdir, n2);
    assert_int_equal(access(path, F_OK), 0); /* rejected: moved */
    snprintf(path, sizeof path, "%s/rejected/%s.why", tmpdir, n2);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[200] = "";
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "422 invalid records (test)\n");

    char **names;
    size_t count;
    assert_int_equal(spool_list(tmpdir, &names, &count, &err), 0);
    assert_int_equal(count, 2);
    assert_string_equal(names[0], n3);
    assert_string_equal(names[1], n4);
    spool_list_free(names, count);

    /* A new submission while older ones wait goes behind them. */
    char n5[256];
    spool("five", "body-5", 1793611700, n5, sizeof n5);
    assert_true(strcmp(n5, n4) > 0);

    /* The daemon is back: everything goes, oldest first. */
    fake fk2 = {.script = {SPOOL_DELIVERED, SPOOL_DELIVERED, SPOOL_DELIVERED}};
    assert_int_equal(spool_flush(tmpdir, fake_deliver, &fk2, &st, &err), 0);
    assert_int_equal(fk2.calls, 3);
    assert_string_equal(fk2.seen[0], "body-3");
    assert_string_equal(fk2.seen[1], "body-4");
    assert_string_equal(fk2.seen[2], "body-5");
    assert_int_equal(st.delivered, 3);
    assert_int_equal(st.remaining, 0);
    assert_int_equal(spool_list(tmpdir, &names, &count, &err), 0);
    assert_int_equal(count, 0);
    spool_list_free(names, count);

    /* Flushing an empty spool calls nobody. */
    fake fk3 = {.script = {SPOOL_STOP}};
    assert_int_equal(spool_flush(tmpdir, fake_deliver, &fk3, &st, &err), 0);
    assert_int_equal(fk3.calls, 0);
}

static void test_spool_dir_is_created(void **state)
{
    char sub[128], name[256];
    lm_error err;
    (void)state;
    path_join(sub, sizeof sub, tmpdir, "new");
    assert_int_equal(spool_write(sub, "id", "b", 1, 1793611800, name, sizeof name, &err), 0);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* A spool that cannot be created is an error that names it. */
    assert_int_equal(spool_write("/nonexistent/spool", "id", "b", 1, 1793611800, name, sizeof name,
                                 &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/spool"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        tmpdir_test(test_write_names_and_content),
        tmpdir_test(test_order_survives_clock_going_back),
        tmpdir_test(test_list_ignores_other_files),
        tmpdir_test(test_flush_bookkeeping),
        tmpdir_test(test_spool_dir_is_created),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
