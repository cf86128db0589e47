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
#include "csv_check.h"
#include "kvargs.h"
#include "records.h"

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
    assert_error(&p, 1, 3, "period", "not a month (YYYY-MM, like 2026-10): '2026-13' (column 3)");
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
          "vve.uren.per_week;WK016401;12,25\r\n"
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

    /* '.' groups thousands: one thousand places is 1000, never 1. */
    parse(&p, "vve.plaatsen;WK016402;1.000\nvve.uren.per_week;WK016402;1.234,5\n"
              "vve.plaatsen;WK016401;-12.345.678\n",
          "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 1000, 1);
    assert_record(&p, 1, "vve.uren.per_week", "WK016402", "2026-10", 1234.5, 2);
    assert_record(&p, 2, "vve.plaatsen", "WK016401", "2026-10", -12345678, 3);
    done(&p);

    /* What breaks the Dutch rules is an error at its line and column, never guessed. */
    parse(&p,
          "metric;area;value\n"
          "vve.plaatsen;WK016402;1.00\n"
          "vve.plaatsen;WK016401;1,000.5\n"
          "vve.uren.per_week;WK016401;12.25\n"
          "vve.uren.per_week;WK016402;0.500\n"
          "vve.wachtlijst;WK016402;1.0000\n"
          "vve.wachtlijst;WK016401;1,5,0\n",
          "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 6);
    assert_error(&p, 0, 2, "value", "'.' only groups thousands by three (1.000 = 1000)");
    assert_error(&p, 0, 2, "value", "'1.00' (column 3)");
    assert_error(&p, 1, 3, "value", "',' is the decimal mark (1.234,5 or 1234,5), not '.': "
                                    "'1,000.5' (column 3)");
    assert_error(&p, 2, 4, "value", "'12.25' (column 3)");
    assert_error(&p, 3, 5, "value", "'0.500'");
    assert_error(&p, 4, 6, "value", "'1.0000'");
    assert_error(&p, 5, 7, "value", "not a number: '1,5,0'");
    assert_int_equal(p.recs.count, 0);
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
    assert_int_equal(p.errs.total, 7);
    assert_error(&p, 0, 3, "value", "not a number: 'veertig' (column 3)");
    assert_error(&p, 1, 5, "value", "not a number: '1e3'");
    assert_error(&p, 2, 6, "value", "missing");
    assert_error(&p, 3, 7, "value", "0x10");
    assert_error(&p, 4, 8, "value", "nan");
    assert_error(&p, 5, 9, "value", "5.");
    /* The same figure twice: an error at the second line, naming the first, in line order. */
    assert_error(&p, 6, 10, "record", "same metric, area and period as line 2");
    /* Good rows are still parsed (they are not sent while errors remain). */
    assert_int_equal(p.recs.count, 1);
    assert_int_equal(p.recs.origin[0], 2);
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
    parse(&p, "metric,gebied,waarden\nvve.plaatsen,WK016402,40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1); /* the rows are not read against a broken header */
    assert_error(&p, 0, 1, "header", "no value column: name one value, waarde or aantal");
    done(&p);
    parse(&p, "Metriek;Waarde;Aantal\nvve.plaatsen;1;2\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 1, "header",
                 "two value columns, 'Waarde' (column 2) and 'Aantal' (column 3): keep one");
    done(&p);
    /* A header of the export's own names, none known: said once, at line 1. */
    parse(&p, "Locatie;Doelgroep;Getal\nvve.plaatsen;WK016402;40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1);
    assert_error(&p, 0, 1, "header", "looks like a header, but names no known column");
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

/* records_parse_number: n reads as want, or is refused with a reason containing want_why. */
static void assert_number(const char *n, num_style style, double want)
{
    double v = -99;
    const char *why = "";
    if (records_parse_number(n, style, &v, &why) != 0)
        fail_msg("'%s' (style %d) refused: %s", n, (int)style, why);
    if (v != want)
        fail_msg("'%s' (style %d) read as %.17g, expected %.17g", n, (int)style, v, want);
}

static void assert_not_number(const char *n, num_style style, const char *want_why)
{
    double v = -99;
    const char *why = "";
    if (records_parse_number(n, style, &v, &why) == 0)
        fail_msg("'%s' (style %d) read as %.17g, expected an error", n, (int)style, v);
    if (!strstr(why, want_why))
        fail_msg("'%s': '%s' does not contain '%s'", n, why, want_why);
    assert_true(v == -99);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_number("42", NUM_POINT, 42);
    assert_number("-3.25", NUM_POINT, -3.25);
    assert_number("+7", NUM_POINT, 7);
    assert_number("1000.000", NUM_POINT, 1000);
    assert_number("0.125", NUM_POINT, 0.125);
    assert_number("12.5", NUM_POINT, 12.5);
    assert_not_number("3,5", NUM_POINT, "decimal mark is '.'");
    assert_not_number("1.000", NUM_POINT, "ambiguous");
    assert_not_number("-10.500", NUM_POINT, "ambiguous");
    assert_not_number(".5", NUM_POINT, "not a number");
    assert_not_number("5.", NUM_POINT, "not a number");
    assert_not_number("1 000", NUM_POINT, "not a number");
    assert_not_number("inf", NUM_POINT, "not a number");
    assert_not_number("1e3", NUM_POINT, "not a number");
    assert_not_number("-", NUM_POINT, "not a number");
    assert_not_number("1.2.3", NUM_POINT, "not a number");
    assert_not_number("", NUM_POINT, "missing");

    /* Dutch: ',' decimal, '.' thousands in groups of three */
    assert_number("3,5", NUM_DUTCH, 3.5);
    assert_number("1.000", NUM_DUTCH, 1000);
    assert_number("1.234,5", NUM_DUTCH, 1234.5);
    assert_number("-12.345.678,25", NUM_DUTCH, -12345678.25);
    assert_number("0,125", NUM_DUTCH, 0.125);
    assert_number("1000", NUM_DUTCH, 1000);
    assert_not_number("1.00", NUM_DUTCH, "groups thousands by three");
    assert_not_number("12.25", NUM_DUTCH, "groups thousands by three");
    assert_not_number("1000.000", NUM_DUTCH, "groups thousands by three");
    assert_not_number("0.500", NUM_DUTCH, "groups thousands by three");
    assert_not_number(".500", NUM_DUTCH, "groups thousands by three");
    assert_not_number("1.000.", NUM_DUTCH, "groups thousands by three");
    assert_not_number("1,000.5", NUM_DUTCH, "',' is the decimal mark");
    assert_not_number("1,5,0", NUM_DUTCH, "not a number");
    assert_not_number("1,", NUM_DUTCH, "not a number");
    assert_not_number(",5", NUM_DUTCH, "not a number");

    /* arguments: one mark of either kind */
    assert_number("16,5", NUM_EITHER, 16.5);
    assert_number("16.5", NUM_EITHER, 16.5);
    assert_number("0,125", NUM_EITHER, 0.125);
    assert_not_number("1.000", NUM_EITHER, "ambiguous");
    assert_not_number("1,000", NUM_EITHER, "ambiguous");
    assert_not_number("1.234,5", NUM_EITHER, "no thousands separator");
}

static void test_kvargs(void **state)
{
    (void)state;
    records_t recs;
    proto_errors errs;
    records_init(&recs);
    proto_errors_init(&errs);
    char *args[] = {"vve.plaatsen=40", "vve.uren.per_week=16,5", "x=", "=4", "novalue",
                    "vve.plaatsen=1.000", "vve.plaatsen=41"};
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
    assert_string_equal(errs.items[2].message,
                        "expected metric=value, got 'novalue' (no spaces around '=')");
    proto_errors_free(&errs);
    records_free(&recs);
    /* a figure that reads two ways, and a metric given twice */
    assert_int_equal(kvargs_parse(args + 5, 2, "2026-10", NULL, &recs, &errs), -1);
    assert_int_equal(errs.total, 1);
    assert_int_equal(errs.items[0].index, 1);
    assert_true(strstr(errs.items[0].message, "ambiguous") != NULL);
    proto_errors_free(&errs);
    records_free(&recs);
    char *twice[] = {"vve.plaatsen=40", "vve.wachtlijst=2", "vve.plaatsen=41"};
    assert_int_equal(kvargs_parse(twice, 3, "2026-10", NULL, &recs, &errs), -1);
    assert_int_equal(errs.items[0].index, 3);
    assert_string_equal(errs.items[0].message,
                        "vve.plaatsen again (argument 1): give each metric once");
    proto_errors_free(&errs);
    records_free(&recs);
    assert_int_equal(kvargs_parse(args, 1, "oktober", NULL, &recs, &errs), -1);
    assert_string_equal(errs.items[0].field, "period");
    proto_errors_free(&errs);
    assert_int_equal(kvargs_parse(args, 1, "2026-Q4", NULL, &recs, &errs), -1);
    assert_string_equal(errs.items[0].message, "--period '2026-Q4': not a month: figures are "
                                               "sent per month (YYYY-MM, like 2026-10), also "
                                               "for a quarter or a school year");
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
