/* Unit tests for the client's small shared pieces: what a malformed reply
 * says (rpc.c), table cells of figures (format.c), checking a command's
 * arguments (args.c), the one error setter (proto/error.c) and arrays that
 * grow (proto/grow.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "grow.h"
#include "leamon.h"
#include "proto.h"
#include "rpc.h"

/* ---- rpc.c: a malformed reply ------------------------------------------------ */

static void test_malformed_reply(void **state)
{
    (void)state;
    lm_error said, e;
    /* what proto's readers say (mpr_done), worded for the user; not a reply's status */
    lm_fail(&e, PROTO_INTERNAL, "malformed reply: 'verdict' is not a string");
    rpc_malformed(&said, &e);
    assert_string_equal(said.msg, "malformed reply from leamond: 'verdict' is not a string");
    assert_int_equal(said.status, 0);
    assert_string_equal(rpc_malformed_why(&e), "'verdict' is not a string");
    lm_fail(&e, PROTO_INTERNAL, "protocol version 2, expected 1");
    rpc_malformed(&said, &e);
    assert_string_equal(said.msg, "malformed reply from leamond: protocol version 2, expected 1");
}

/* ---- format.c: cells -------------------------------------------------------- */

static void test_cells(void **state)
{
    (void)state;
    static const table_col cols[] = {{"A", TABLE_LEFT}, {"B", TABLE_RIGHT}, {"C", TABLE_LEFT}};
    table_t *t = table_new(cols, 3);
    assert_non_null(t);
    assert_int_equal(cell_number(t, true, 1234.5678, false), 0);
    assert_int_equal(cell_int(t, true, -42), 0);
    assert_int_equal(cell_time_iso(t, true, 1793883720), 0);
    assert_int_equal(cell_number(t, false, 1, false), 0);
    assert_int_equal(cell_int(t, false, 1), 0);
    assert_int_equal(cell_time_iso(t, false, 1), 0);
    assert_int_equal(cell_number(t, true, 1234.5678, true), 0);
    assert_int_equal(cell_number(t, false, 1, true), 0);
    assert_int_equal(cell_number(t, true, 0.1, true), 0);
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(table_print(t, f, ""), 0);
    assert_int_equal(table_print_csv(t, f), 0);
    assert_int_equal(fclose(f), 0);
    /* text: numbers rounded, a missing one an en dash, cells after the last
     * filled one left out; CSV: numbers unrounded, missing ones empty */
    assert_string_equal(out, "A            B  C\n"
                             "1234.57    -42  2026-11-05T13:02:00Z\n"
                             "\xe2\x80\x93\n"
                             "1234.5678       0.1\n"
                             "A,B,C\n"
                             "1234.57,-42,2026-11-05T13:02:00Z\n"
                             "\xe2\x80\x93,,\n"
                             "1234.5678,,0.1\n");
    free(out);
    table_destroy(&t);
}

/* ---- args.c ----------------------------------------------------------------- */

typedef struct {
    leamon_ctx ctx;
    char *err;
    size_t len, seen;
} cmdline;

/* The context of `leamon COMMAND ARGS...` as main() leaves it. */
static void cmdline_begin(cmdline *c, const char *command, char **args, size_t nargs)
{
    memset(c, 0, sizeof *c);
    c->ctx.cmd = leamon_find_command(command);
    assert_non_null(c->ctx.cmd);
    c->ctx.pos = args;
    c->ctx.npos = nargs;
    c->ctx.err = open_memstream(&c->err, &c->len);
    assert_non_null(c->ctx.err);
}

/* What the command said on stderr since the last time asked. */
static const char *said(cmdline *c)
{
    assert_int_equal(fflush(c->ctx.err), 0);
    const char *news = c->err + c->seen;
    c->seen = c->len;
    return news;
}

static void cmdline_end(cmdline *c)
{
    fclose(c->ctx.err);
    free(c->err);
}

static void test_args(void **state)
{
    (void)state;
    char q[48];
    arg_quote(q, sizeof q, "a\tb", 40);
    assert_string_equal(q, "a?b");
    arg_quote(q, sizeof q, "0123456789abcdefghij", 10);
    assert_string_equal(q, "0123456789");

    char *two[] = {"vve_bereik", "extra"};
    cmdline c;
    cmdline_begin(&c, "snapshot", two, 2);
    assert_int_equal(arg_count(&c.ctx, 1, "INDICATOR"), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: snapshot takes one INDICATOR, not 2 arguments\n");
    c.ctx.npos = 1;
    assert_int_equal(arg_count(&c.ctx, 1, "INDICATOR"), 0);
    assert_string_equal(said(&c), "");
    c.ctx.npos = 0;
    assert_int_equal(arg_count(&c.ctx, 1, "INDICATOR"), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: snapshot needs INDICATOR (see leamon snapshot --help)\n");
    c.ctx.npos = 2;
    assert_int_equal(arg_count(&c.ctx, 0, ""), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: snapshot takes no arguments, only options (see leamon "
                                  "snapshot --help)\n");

    assert_int_equal(arg_code(&c.ctx, "--area", "WK016401", PROTO_MAX_AREA), 0);
    assert_int_equal(arg_code(&c.ctx, "--area", "WK 01", PROTO_MAX_AREA), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: --area 'WK 01': must be 1 to 32 printable characters "
                                  "without spaces\n");
    assert_int_equal(arg_code(&c.ctx, "rule", "r123456789", 5), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: rule 'r123456789': must be 1 to 5 printable "
                                  "characters without spaces\n");

    period p;
    assert_int_equal(arg_period(&c.ctx, "period", "2026-Q4", &p), 0);
    assert_int_equal(p.kind, PERIOD_QUARTER);
    assert_int_equal(arg_period(&c.ctx, "period", NULL, &p), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: snapshot needs --period PERIOD (2026-10, 2026-Q4, 2026 "
                                  "or 2025/26)\n");
    assert_int_equal(arg_period(&c.ctx, "from", "2026-13\x07", &p), LEAMON_EXIT_USAGE);
    assert_string_equal(said(&c), "leamon: --from '2026-13?': not a period (2026-10, 2026-Q4, 2026 "
                                  "or 2025/26)\n");
    cmdline_end(&c);
}

/* ---- error.c and grow.c --------------------------------------------------- */

static void test_lm_fail(void **state)
{
    (void)state;
    lm_error err;
    assert_int_equal(lm_fail(&err, 0, "%s: %d", "spool", 7), -1);
    assert_string_equal(err.msg, "spool: 7");
    assert_int_equal(err.status, 0);
    assert_int_equal(lm_fail(&err, PROTO_NOT_FOUND, "no such %s", "alert"), -1);
    assert_int_equal(err.status, PROTO_NOT_FOUND);
    /* A message longer than LM_ERROR_MAX is cut, and always terminated. */
    char long_text[LM_ERROR_MAX + 100];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    lm_fail(&err, 0, "%s", long_text);
    assert_int_equal(strlen(err.msg), LM_ERROR_MAX - 1);
    /* Nowhere to put it: only the -1. */
    assert_int_equal(lm_fail(NULL, 0, "nothing %s", "written"), -1);
    lm_error_clear(&err);
    assert_int_equal(err.status, 0);
    assert_string_equal(err.msg, "");
}

/* proto/grow.h: doubling from 16, the array kept when no room can be had. */
static void test_grow(void **state)
{
    (void)state;
    int *items = NULL;
    size_t cap = 0, n = 0;
    for (; n < 100; n++) {
        assert_int_equal(GROW(items, cap, n + 1), 0);
        items[n] = (int)n;
    }
    assert_int_equal(cap, 128); /* 16, 32, 64, 128 */
    for (size_t i = 0; i < n; i++)
        assert_int_equal(items[i], (int)i);
    /* room left: the same array */
    int *before = items;
    assert_int_equal(GROW(items, cap, 100), 0);
    assert_ptr_equal(items, before);
    /* a size that would overflow: -1, the array and its capacity kept */
    size_t huge = SIZE_MAX / 2;
    assert_int_equal(grow_array(&items, &huge, huge + 1, 0, 4), -1);
    assert_int_equal(huge, SIZE_MAX / 2);
    assert_ptr_equal(items, before);
    /* a bound: never more than most, and nothing past it */
    assert_int_equal(GROW_AT_MOST(items, cap, 129, 130), 0);
    assert_int_equal(cap, 130);
    assert_int_equal(GROW_AT_MOST(items, cap, 131, 130), -1);
    assert_int_equal(cap, 130);
    free(items);
}

int main(void)
{
    if (setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_reply),
        cmocka_unit_test(test_cells),
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_lm_fail),
        cmocka_unit_test(test_grow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
