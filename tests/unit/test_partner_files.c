/* Unit tests for files as partners' programs export them (client/csv.c with
 * client/textin.c): the corpus in tests/data/partner/ and variants inline,
 * each with its expected records or its exact error. */
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
#include "records.h"
#include "textin.h"

/* A file of tests/data/partner/ (the tests run from the top directory). */
static void parse_file(parsed *p, const char *name, const char *period)
{
    char path[256];
    snprintf(path, sizeof path, "tests/data/partner/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    parse_stream(p, f, period);
    fclose(f);
}

#define parse_text(p, text, period) parse_bytes((p), (text), sizeof(text) - 1, (period))

/* ---- the corpus ------------------------------------------------------------ */

/* Excel NL "CSV UTF-8": BOM, sep=;, CRLF, a Dutch header, empty columns after the
 * last, an empty row, a decimal comma and a thousands dot. */
static void test_excel_nl(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "excel-nl.csv", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 3);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 1000, 3);
    assert_record(&p, 1, "vve.uren.per_week", "WK016402", "2026-10", 16.5, 4);
    assert_record(&p, 2, "vve.wachtlijst", "", "2026-10", 12, 6);
    done(&p);
}

/* LibreOffice: ',' between quoted fields, '.' the decimal mark. */
static void test_libreoffice(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "libreoffice.csv", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 3);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 2);
    assert_record(&p, 1, "vve.uren.per_week", "WK016401", "2026-10", 12.5, 3);
    assert_record(&p, 2, "vve.wachtlijst", "", "2026-10", 3, 4);
    done(&p);
}

/* An administration system's TSV: Dutch headers in an order of its own, a column of
 * its own (ignored), decimal commas, so a thousands dot. */
static void test_administration_tsv(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "administratie.tsv", NULL);
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 3);
    assert_record(&p, 0, "vve.uren.per_week", "WK016401", "2026-09", 12.5, 2);
    assert_record(&p, 1, "vve.plaatsen", "WK016402", "2026-09", 1200, 3);
    assert_record(&p, 2, "vve.wachtlijst", "", "2026-09", 7, 4);
    done(&p);
}

/* Excel's "Unicode text": UTF-16LE with a BOM, tabs, a comment with an é and a
 * character outside the BMP (a surrogate pair). */
static void test_excel_unicode_text(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "excel-unicode.txt", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_int_equal(p.recs.count, 2);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 3);
    assert_record(&p, 1, "vve.uren.per_week", "WK016402", "2026-10", 15.5, 4);
    done(&p);
}

/* Indicator;Gebied;Periode;Aantal: four columns by name, each row its own month. */
static void test_indicator_gebied_periode(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "indicator-gebied.csv", NULL);
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-09", 41, 2);
    assert_record(&p, 1, "vve.plaatsen", "WK016402", "2026-10", 1002, 3);
    done(&p);
}

static void test_workbooks(void **state)
{
    (void)state;
    parsed p;
    parse_file(&p, "workbook.xlsx", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1);
    assert_error_is(&p, 0, 0, "file",
                    "an Excel workbook (.xlsx), not a CSV file: in Excel choose Save As > CSV "
                    "UTF-8, or run xlsx2csv FILE.xlsx > FILE.csv (Debian package xlsx2csv)");
    done(&p);
    parse_file(&p, "workbook.xls", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_error(&p, 0, 0, "file", "an old Excel workbook (.xls), not a CSV file: in Excel "
                                   "choose Save As > CSV UTF-8");
    done(&p);
    static const char ods[] = "PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"
                              "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00mimetype"
                              "application/vnd.oasis.opendocument.spreadsheet";
    parse_bytes(&p, ods, sizeof ods - 1, "2026-10");
    assert_error(&p, 0, 0, "file", "a LibreOffice spreadsheet (.ods), not a CSV file");
    done(&p);
}

/* ---- variants inline ---------------------------------------------------------- */

static void test_reordered_english_header(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "area,metric,value\nWK016402,vve.plaatsen,40\n,vve.wachtlijst,2\n", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 2);
    assert_record(&p, 1, "vve.wachtlijst", "", "2026-10", 2, 3);
    done(&p);
    /* without an area column: the home area */
    parse_text(&p, "WAARDE;METRIEK\n16,5;vve.uren.per_week\n", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.uren.per_week", "", "2026-10", 16.5, 2);
    done(&p);
}

/* A column that looks like the area or the period but is not read would send every figure
 * to the home area or --period's month: it must be named. */
static void test_near_names_not_ignored(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "Metriek;Wijk code;Waarde\nvve.plaatsen;WK016401;40\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1);
    assert_error_is(&p, 0, 1, "header",
                    "column 2, 'Wijk code', is not read: if it holds the area, name it area, "
                    "wijk, gebied or buurt; if not, give it another name");
    done(&p);
    /* beside the column itself, a name of that kind is one of the export's own */
    parse_text(&p, "Metriek;Wijk;Wijknaam;Maand;Waarde\nvve.plaatsen;WK016401;Es;2026-09;40\n",
               NULL);
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016401", "2026-09", 40, 2);
    done(&p);
}

static void test_sep_line(void **state)
{
    (void)state;
    parsed p;
    /* quoted, and naming ',' though the first line below has a ';' (which would make it
     * a ';' file) */
    parse_text(&p, "\"sep=,\"\nvve.a;b,WK016402,1\nvve.plaatsen,,2\n", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.a;b", "WK016402", "2026-10", 1, 2);
    assert_record(&p, 1, "vve.plaatsen", "", "2026-10", 2, 3);
    done(&p);
    parse_text(&p, "sep=|\nvve.plaatsen|WK016402|40\n", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 2);
    done(&p);
}

static void test_tsv_without_decimal_commas(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "metric\tarea\tvalue\nvve.uren.per_week\tWK016402\t12.5\t\t\n"
                   "vve.plaatsen\t\t40\n",
               "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.uren.per_week", "WK016402", "2026-10", 12.5, 2);
    assert_record(&p, 1, "vve.plaatsen", "", "2026-10", 40, 3);
    done(&p);
}

/* In a ',' file '.' is the decimal mark; 1.000 could still be meant as a thousand. */
static void test_ambiguous_thousands(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "metric,area,value\nvve.plaatsen,WK016402,1.000\nvve.uren.per_week,,0.125\n",
               "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1);
    assert_error_is(&p, 0, 2, "value",
                    "ambiguous: one thousand, or one with three decimals? write 1000 or 1.0 (no "
                    "thousands separators): '1.000' (column 3)");
    assert_record(&p, 0, "vve.uren.per_week", "", "2026-10", 0.125, 3);
    done(&p);
}

static void test_trailing_empty_columns_without_header(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "vve.plaatsen;WK016402;40;;\r\nvve.wachtlijst;WK016402;;;\r\n", "2026-10");
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, 1);
    assert_error_is(&p, 0, 2, "value", "missing (column 3)");
    assert_record(&p, 0, "vve.plaatsen", "WK016402", "2026-10", 40, 1);
    done(&p);
}

static void test_column_count_messages(void **state)
{
    (void)state;
    parsed p;
    /* four fields without a header: how to name a period column */
    parse_text(&p, "vve.plaatsen;WK016402;2026-10;40\n", NULL);
    assert_error_is(&p, 0, 1, "record",
                    "expected 3 fields (metric;area;value), got 4; for a period column, begin "
                    "with a header line: metric;area;period;value");
    done(&p);
    /* with a header: its own names */
    parse_text(&p, "Metriek;Wijk;Waarde\nvve.plaatsen;WK016402;40;x\n", "2026-10");
    assert_error_is(&p, 0, 2, "record", "expected 3 fields (Metriek;Wijk;Waarde), got 4");
    done(&p);
}

static void test_line_ends_and_periods(void **state)
{
    (void)state;
    parsed p;
    /* old Mac line ends (CR only) count as lines */
    parse_text(&p, "metric,area,value\rvve.plaatsen,,1\r\rvve.wachtlijst,,2\r", "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 1, "vve.wachtlijst", "", "2026-10", 2, 4);
    done(&p);
    /* submissions take months: a quarter in the period column is an error there */
    parse_text(&p, "metric;area;period;value\nvve.plaatsen;;2026-Q4;1\n", NULL);
    assert_error(&p, 0, 2, "period", "not a month: figures are sent per month");
    assert_error(&p, 0, 2, "period", "'2026-Q4' (column 3)");
    done(&p);
}

/* Every error in line order, duplicates among them, the first PROTO_MAX_ERRORS kept. */
static void test_errors_in_line_order(void **state)
{
    (void)state;
    size_t n = PROTO_MAX_ERRORS + 200, cap = 64 + n * 40, used = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    used += (size_t)snprintf(text, cap, "metric,area,value\nvve.plaatsen,WK016402,1\n");
    /* line 3 repeats line 2; then a bad number and a repeat, by turns */
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, i % 2 ? "vve.plaatsen,WK%06zu,x\n"
                                                               : "vve.plaatsen,WK016402,%zu\n",
                                 i);
    parsed p;
    parse_bytes(&p, text, used, "2026-10");
    free(text);
    assert_int_equal(p.rc, -1);
    assert_int_equal(p.errs.total, n);
    assert_int_equal(p.errs.count, PROTO_MAX_ERRORS);
    assert_error_is(&p, 0, 3, "record", "same metric, area and period as line 2: keep one of "
                                        "the two");
    assert_error(&p, 1, 4, "value", "not a number: 'x'");
    for (size_t i = 1; i < p.errs.count; i++)
        assert_true(p.errs.items[i].index > p.errs.items[i - 1].index);
    done(&p);
}

/* ---- textin.c ---------------------------------------------------------------- */

static void test_utf16(void **state)
{
    (void)state;
    parsed p;
    /* big-endian with a BOM */
    static const char be[] = "\xFE\xFF\0m\0,\0a\0,\0v\0\n\0v\0v\0e\0.\0x\0,\0,\0" "4\0\n";
    parse_bytes(&p, be, sizeof be - 1, "2026-10");
    assert_int_equal(p.rc, -1); /* m,a,v is read as a row: 'v' is not a number */
    done(&p);
    static const char be_ok[] = "\xFE\xFF\0v\0v\0e\0.\0x\0;\0;\0" "4\0,\0" "5\0\n";
    parse_bytes(&p, be_ok, sizeof be_ok - 1, "2026-10");
    assert_int_equal(p.rc, 0);
    assert_record(&p, 0, "vve.x", "", "2026-10", 4.5, 1);
    done(&p);
    /* no BOM: said so, with what to do */
    static const char bare[] = "v\0v\0e\0.\0x\0,\0,\0" "4\0\n\0";
    parse_bytes(&p, bare, sizeof bare - 1, "2026-10");
    assert_error_is(&p, 0, 0, "file", "UTF-16 text without a byte order mark: save it as CSV "
                                      "UTF-8 from the spreadsheet");
    done(&p);
    /* a NUL in UTF-8 text */
    static const char nul[] = "vve.x,,4\nab\0c\n";
    parse_bytes(&p, nul, sizeof nul - 1, "2026-10");
    assert_error(&p, 0, 0, "file", "a NUL byte at byte 12: not a text file");
    done(&p);

    char *out;
    size_t len;
    lm_error err;
    static const unsigned char pair[] = {0x3C, 0xD8, 0x7C, 0xDF, 0xE9, 0x00, 0x41, 0x00};
    assert_int_equal(textin_utf16_to_utf8(pair, sizeof pair, false, &out, &len, &err), 0);
    assert_string_equal(out, "\xF0\x9F\x8D\xBC\xC3\xA9" "A");
    assert_int_equal(len, 7);
    free(out);
    static const unsigned char lone[] = {0x41, 0x00, 0x3C, 0xD8, 0x41, 0x00};
    assert_int_equal(textin_utf16_to_utf8(lone, sizeof lone, false, &out, &len, &err), -1);
    assert_string_equal(err.msg, "malformed UTF-16 text (a lone surrogate at byte 4); save it "
                                 "as CSV UTF-8 from the spreadsheet");
    assert_null(out);
    assert_int_equal(textin_utf16_to_utf8(lone, 3, false, &out, &len, &err), -1);
    assert_int_equal(textin_utf16_to_utf8(lone, 0, true, &out, &len, &err), 0);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excel_nl),
        cmocka_unit_test(test_libreoffice),
        cmocka_unit_test(test_administration_tsv),
        cmocka_unit_test(test_excel_unicode_text),
        cmocka_unit_test(test_indicator_gebied_periode),
        cmocka_unit_test(test_workbooks),
        cmocka_unit_test(test_reordered_english_header),
        cmocka_unit_test(test_near_names_not_ignored),
        cmocka_unit_test(test_sep_line),
        cmocka_unit_test(test_tsv_without_decimal_commas),
        cmocka_unit_test(test_ambiguous_thousands),
        cmocka_unit_test(test_trailing_empty_columns_without_header),
        cmocka_unit_test(test_column_count_messages),
        cmocka_unit_test(test_line_ends_and_periods),
        cmocka_unit_test(test_errors_in_line_order),
        cmocka_unit_test(test_utf16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
