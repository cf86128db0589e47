/* Unit tests for client/csv.c (and the number rules of client/records.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "kvargs.h"
#include "records.h"

typedef struct {
    records_t recs;
    proto_errors errs;
    int rc;
} parsed;

static void parse(parsed *p, const char *text, const char *period)
{
    records_init(&p->recs);
    proto_errors_init(&p->errs);
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    p->rc = csv_parse(f, period, &p->recs, &p->errs);
    fclose(f);
}

static void done(parsed *p)
{
    records_free(&p->recs);
    proto_errors_free(&p->errs);
}

static void assert_record(const parsed *p, size_t i, const char *metric, const char *area,
                          const char *period, double value, size_t line)
{
    assert_true(i < p->recs.count);
    assert_string_equal(p->recs.items[i].metric, metric);
    assert_string_equal(p->recs.items[i].area, area);
    assert_string_equal(p->recs.items[i].period, period);
    assert_true(p->recs.items[i].value == value);
    assert_int_equal(p->recs.origin[i], line);
}

/* Error i is at line, about field, and its message contains part. */
static void assert_error(const parsed *p, size_t i, long line, const char *field, const char *part)
{
    assert_true(i < p->errs.count);
    assert_int_equal(p->errs.items[i].index, line);
    assert_string_equal(p->errs.items[i].field, field);
    if (!strstr(p->errs.items[i].message, part))
        fail_msg("error %zu: '%s' does not contain '%s'", i, p->errs.items[i].message, part);
}

static void test_header_comments_blank_lines(void **state)
{
    (void)state;
    parsed p;
    parse(&p,
          "# Kinderopvang A, oktober\n"
          "\n"
          "metric,area,value\n"
          "  vve.plaatsen , WK016402 , 40 \n"
          "   # indented comment\n"
          "vve.uren.per_week,,15.5\n",
          "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.errs.total, 0);
    assert_int_equal(p.recs.count, 2);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 4);
    assert_record(&p, 1, "vve.uren.per_week", "", "2026-10", 15.5, 6);
    done(&p);
}

static void test_no_header(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "vve.plaatsen,WK016402,40\nvve.wachtlijst,WK016402,-0\n", "2026-09");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 2);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-09", 40, 1);
    assert_record(&p, 1, "vve.wachtlijst", "WK016402", "2026-09", 0, 2);
    done(&p);
}

static void test_header_is_case_insensitive(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "Metric , AREA,Value\nvve.plaatsen,WK016402,1\n", "2026-09");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 1);
    done(&p);
}

static void test_period_column(void **state)
{
    (void)state;
    parsed p;
    /* Without --period every row needs its own period. */
    parse(&p,
          "metric,area,period,value\n"
          "vve.plaatsen,WK016402,2026-09,40\n"
          "vve.plaatsen,WK016402,2026-10,41\n",
          NULL);
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-09", 40, 2);
    assert_record(&p, 1, "vve.plaatsen", "WK016402", "2026-10", 41, 3);
    done(&p);

    /* An empty period cell takes --period; without one it is an error. */
    parse(&p, "metric,area,period,value\nvve.plaatsen,,,40\n", "2026-08");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "", "2026-08", 40, 2);
    done(&p);
    parse(&p, "metric,area,period,value\nvve.plaatsen,,,40\nvve.plaatsen,,2026-13,40\n", NULL);
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 2);
    assert_error(&p, 0, 2, "period", "no period");
    assert_error(&p, 1, 3, "period", "not a period");
    assert_int_equal(p.recs.count, 0);
    done(&p);
}

static void test_missing_period_without_column(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "vve.plaatsen,WK016402,40\n", NULL);
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "period", "--period");
    done(&p);
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "\xEF\xBB\xBFmetric,area,value\r\nvve.plaatsen,WK016402,40\r\n\r\nvve.wachtlijst,,2\r\n",
          "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 2);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 2);
    assert_record(&p, 1, "vve.wachtlijst", "", "2026-10", 2, 4);
    done(&p);
}

static void test_semicolon_decimal_comma(void **state)
{
    (void)state;
    parsed p;
    parse(&p,
          "metric;area;value\r\n"
          "vve.uren.per_week;;16,5\r\n"
          "vve.uren.per_week;WK016401;12.25\r\n"
          "vve.plaatsen;WK016402;40\r\n",
          "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 3);
    assert_record(&p, 0, "vve.uren.per_week", "", "2026-10", 16.5, 2);
    assert_record(&p, 1, "vve.uren.per_week", "WK016401", "2026-10", 12.25, 3);
    assert_record(&p, 2, "vve.plaatsen", "WK016402", "2026-10", 40, 4);
    done(&p);

    /* No header: the first data line decides. */
    parse(&p, "# export\nvve.uren.per_week;WK016401;7,75\n", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.uren.per_week", "WK016401", "2026-10", 7.75, 2);
    done(&p);

    /* Thousands separators are refused rather than guessed. */
    parse(&p, "vve.plaatsen;WK016402;1.234,5\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "value", "thousands");
    done(&p);
}

static void test_decimal_comma_with_comma_separator(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "metric,area,value\nvve.uren.per_week,WK016401,16,5\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 2, "record", "got 4");
    assert_error(&p, 0, 2, "record", "';'");
    done(&p);
}

static void test_bad_numbers_have_their_lines(void **state)
{
    (void)state;
    parsed p;
    parse(&p,
          "metric,area,value\n"
          "vve.plaatsen,WK016402,40\n"
          "vve.plaatsen,WK016402,veertig\n"
          "# comment\n"
          "vve.plaatsen,WK016402,1e3\n"
          "vve.plaatsen,WK016402,\n"
          "vve.plaatsen,WK016402,0x10\n"
          "vve.plaatsen,WK016402,nan\n"
          "vve.plaatsen,WK016402,5.\n"
          "vve.plaatsen,WK016402,12\n",
          "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 6);
    assert_error(&p, 0, 3, "value", "not a number: 'veertig'");
    assert_error(&p, 1, 5, "value", "not a number: '1e3'");
    assert_error(&p, 2, 6, "value", "missing");
    assert_error(&p, 3, 7, "value", "0x10");
    assert_error(&p, 4, 8, "value", "nan");
    assert_error(&p, 5, 9, "value", "5.");
    /* Good rows are still parsed (they are not sent while errors remain). */
    assert_int_equal(p.recs.count, 2);
    assert_int_equal(p.recs.origin[1], 10);
    done(&p);
}

static void test_column_count_errors(void **state)
{
    (void)state;
    parsed p;
    parse(&p,
          "metric,area,value\n"
          "vve.plaatsen,40\n"
          "vve.plaatsen,WK016402,40,extra\n"
          "vve.plaatsen\n"
          "vve.plaatsen,WK016402,40\n",
          "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 3);
    assert_error(&p, 0, 2, "record", "expected 3 fields (metric,area,value), got 2");
    assert_error(&p, 1, 3, "record", "got 4");
    assert_error(&p, 2, 4, "record", "got 1");
    assert_int_equal(p.recs.count, 1);
    done(&p);

    parse(&p, "metric,area,period,value\nvve.plaatsen,WK016402,40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 2, "record", "expected 4 fields (metric,area,period,value), got 3");
    done(&p);
}

static void test_bad_header(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "metric,gebied,waarde\nvve.plaatsen,WK016402,40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "header", "metric,area,value");
    done(&p);
}

static void test_quoted_fields(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "\"metric\";\"area\";\"value\"\n\"vve.uren.per_week\";\"WK016401\";\"16,5\"\n",
          "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.uren.per_week", "WK016401", "2026-10", 16.5, 2);
    done(&p);
    parse(&p, "vve.plaatsen,\"WK016402,40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "record", "quote");
    done(&p);
}

static void test_bad_codes(void **state)
{
    (void)state;
    parsed p;
    char text[256];
    snprintf(text, sizeof text, "vve plaatsen,WK016402,1\nvve.plaatsen,%s,1\n",
             "WK0164020000000000000000000000000000");
    parse(&p, text, "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "metric", "without spaces");
    assert_error(&p, 1, 2, "area", "too long");
    done(&p);
}

static void test_empty_input(void **state)
{
    (void)state;
    parsed p;
    parse(&p, "# nothing yet\nmetric,area,value\n\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 0, "file", "no records");
    done(&p);
}

static void test_too_many_records(void **state)
{
    (void)state;
    size_t n = PROTO_MAX_RECORDS + 5, cap = 32 + n * 32, used = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    used += (size_t)snprintf(text, cap, "metric,area,value\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, "vve.plaatsen,WK%06zu,1\n", i);
    parsed p;
    parse(&p, text, "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1); /* parsing stops there */
    assert_error(&p, 0, PROTO_MAX_RECORDS + 2, "record", "more than 10000 records");
    assert_int_equal(p.recs.count, PROTO_MAX_RECORDS);
    done(&p);
    free(text);
}

static void test_numbers(void **state)
{
    (void)state;
    double v = 0;
    const char *why = NULL;
    assert_int_equal(records_parse_number("42", 0, &v, &why), 0);
    assert_true(v == 42);
    assert_int_equal(records_parse_number("-3.25", 0, &v, &why), 0);
    assert_true(v == -3.25);
    assert_int_equal(records_parse_number("+7", 0, &v, &why), 0);
    assert_true(v == 7);
    assert_int_equal(records_parse_number("3,5", 1, &v, &why), 0);
    assert_true(v == 3.5);
    assert_int_equal(records_parse_number("3,5", 0, &v, &why), -1);
    assert_int_equal(records_parse_number(".5", 0, &v, &why), -1);
    assert_int_equal(records_parse_number("1 000", 0, &v, &why), -1);
    assert_int_equal(records_parse_number("inf", 0, &v, &why), -1);
    assert_int_equal(records_parse_number("-", 0, &v, &why), -1);
    assert_int_equal(records_parse_number("1.2.3", 0, &v, &why), -1);
}

static void test_kvargs(void **state)
{
    (void)state;
    records_t recs;
    proto_errors errs;
    records_init(&recs);
    proto_errors_init(&errs);
    char *args[] = {"vve.plaatsen=40", "vve.uren.per_week=16,5", "x=", "=4", "novalue"};
    assert_int_equal(kvargs_parse(args, 2, "2026-10", "WK016402", &recs, &errs), 0);
    assert_int_equal(recs.count, 2);
    assert_string_equal(recs.items[1].metric, "vve.uren.per_week");
    assert_string_equal(recs.items[1].area, "WK016402");
    assert_true(recs.items[1].value == 16.5);
    assert_int_equal(recs.origin[1], 2);
    records_free(&recs);
    assert_int_equal(kvargs_parse(args, 5, "2026-10", NULL, &recs, &errs), -1);
    assert_int_equal(errs.total, 3);
    assert_int_equal(errs.items[0].index, 3);
    assert_string_equal(errs.items[0].field, "value");
    assert_int_equal(errs.items[1].index, 4);
    assert_string_equal(errs.items[1].field, "metric");
    assert_int_equal(errs.items[2].index, 5);
    proto_errors_free(&errs);
    assert_int_equal(kvargs_parse(args, 1, "oktober", NULL, &recs, &errs), -1);
    assert_string_equal(errs.items[0].field, "period");
    proto_errors_free(&errs);
    records_free(&recs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_comments_blank_lines),
        cmocka_unit_test(test_no_header),
        cmocka_unit_test(test_header_is_case_insensitive),
        cmocka_unit_test(test_period_column),
        cmocka_unit_test(test_missing_period_without_column),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_semicolon_decimal_comma),
        cmocka_unit_test(test_decimal_comma_with_comma_separator),
        cmocka_unit_test(test_bad_numbers_have_their_lines),
        cmocka_unit_test(test_column_count_errors),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_bad_codes),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_too_many_records),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_kvargs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
