/* test_log.c: journald gets the priority and the fields of what an event is about;
 * elsewhere a line opens with an ISO 8601 time in UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

typedef struct {
    char fields[8][1200];
    int n;
    int fail;          /* return this instead of 0 */
} journal_log;

static int fake_send(const log_ctx *lg, const char *const *fields, int n)
{
    journal_log *j = lg->journal_ctx;
    j->n = n;
    for (int i = 0; i < n && i < 8; i++)
        snprintf(j->fields[i], sizeof j->fields[i], "%s", fields[i]);
    return j->fail;
}

static bool has(const journal_log *j, const char *field)
{
    for (int i = 0; i < j->n; i++)
        if (strcmp(j->fields[i], field) == 0)
            return true;
    return false;
}

static void test_journald_gets_fields(void **state)
{
    journal_log j = {0};
    log_ctx lg;
    (void)state;
    log_init(&lg, LOG_INFO);
    lg.journal = true;
    lg.journal_send = fake_send;
    lg.journal_ctx = &j;
    log_event(&lg, LOG_WARNING, &(log_about){"ko-a", "ko-a-2026-11", 0}, "submit %s refused",
              "ko-a-2026-11");
    assert_int_equal(j.n, 5);
    assert_true(has(&j, "MESSAGE=submit ko-a-2026-11 refused"));
    assert_true(has(&j, "PRIORITY=4"));
    assert_true(has(&j, "SYSLOG_IDENTIFIER=leamond"));
    assert_true(has(&j, "LEAMON_REPORTER=ko-a"));
    assert_true(has(&j, "LEAMON_REQUEST_ID=ko-a-2026-11"));
    log_event(&lg, LOG_INFO, &(log_about){"", "", 42}, "alert %d", 42);
    assert_int_equal(j.n, 4);
    assert_true(has(&j, "LEAMON_ALERT_ID=42"));
    /* Without what it is about: the message and its priority. */
    log_msg(&lg, LOG_ERR, "disk full");
    assert_int_equal(j.n, 3);
    assert_true(has(&j, "PRIORITY=3"));
    /* Below the level: nothing. */
    j.n = 0;
    log_msg(&lg, LOG_DEBUG, "chatter");
    assert_int_equal(j.n, 0);
}

/* stderr of f() as text (malloc'd). */
static char *stderr_of(void (*f)(const log_ctx *), const log_ctx *lg)
{
    char path[] = "/tmp/leamon-test-log-XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    assert_true(fd >= 0 && saved >= 0);
    fflush(stderr);
    assert_int_equal(dup2(fd, 2), 2);
    f(lg);
    fflush(stderr);
    assert_int_equal(dup2(saved, 2), 2);
    close(saved);
    char *text = calloc(1, 4096);
    assert_non_null(text);
    assert_true(pread(fd, text, 4095, 0) >= 0);
    close(fd);
    unlink(path);
    return text;
}

static void say_twice(const log_ctx *lg)
{
    log_event(lg, LOG_WARNING, &(log_about){"ko-a", "r1", 0}, "busy");
}

static void test_elsewhere_a_line_with_its_time(void **state)
{
    log_ctx lg;
    (void)state;
    log_init(&lg, LOG_INFO);
    lg.journal = false;
    char *text = stderr_of(say_twice, &lg);
    /* 2026-12-04T19:55:18.123Z leamond: warning: busy */
    assert_int_equal(strlen(text), strlen("2026-12-04T19:55:18.123Z leamond: warning: busy\n"));
    assert_true(text[4] == '-' && text[10] == 'T' && text[19] == '.' && text[23] == 'Z');
    assert_string_equal(text + 25, "leamond: warning: busy\n");
    free(text);
}

static void test_without_journald_the_line_goes_to_stderr(void **state)
{
    journal_log j = {.fail = -2};
    log_ctx lg;
    (void)state;
    log_init(&lg, LOG_INFO);
    lg.journal = true;
    lg.journal_send = fake_send;
    lg.journal_ctx = &j;
    char *text = stderr_of(say_twice, &lg);
    assert_string_equal(text, "<4>busy\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journald_gets_fields),
        cmocka_unit_test(test_elsewhere_a_line_with_its_time),
        cmocka_unit_test(test_without_journald_the_line_goes_to_stderr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
