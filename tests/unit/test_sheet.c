/* Unit tests of the export formats made from a command's CSV (client/sheet.c, xlsx.c):
 * CSV read back, numbers recognised, CSV for Dutch Excel, Dutch headings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"
#include "xlsx.h"

static void test_parse(void **state)
{
    (void)state;
    static const char csv[] = "area,name,value\n"
                              "WK1,\"Noord, \"\"oud\"\"\",78.4\n"
                              "WK2,,\n";
    sheet_t s;
    assert_int_equal(sheet_parse(&s, csv, sizeof csv - 1), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.rows[1].n, 3);
    assert_string_equal(s.rows[1].cells[1], "Noord, \"oud\"");
    assert_string_equal(s.rows[1].cells[2], "78.4");
    assert_string_equal(s.rows[2].cells[1], "");
    assert_string_equal(s.rows[2].cells[2], "");
    sheet_free(&s);
    assert_int_equal(sheet_parse(&s, "a,\"open\n", 8), -1); /* a quote left open */
    assert_int_equal(sheet_parse(&s, "", 0), 0);
    assert_int_equal(s.n, 0);
    sheet_free(&s);
}

static void test_numbers(void **state)
{
    (void)state;
    static const char *const yes[] = {"0", "-12", "78.4", "1e+20", "2.5E-3"};
    static const char *const no[] = {"", "-", "1.", ".5", "2026-10", "1,5", "WK1", "1e", "nan"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        assert_true(sheet_is_number(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        assert_false(sheet_is_number(no[i]));
}

static void test_csv_nl(void **state)
{
    (void)state;
    static const char csv[] = "area,name,value,period\nWK1,\"a;b\",78.4,2026-10\nWK2,x,-0.5,2026\n";
    sheet_t s;
    assert_int_equal(sheet_parse(&s, csv, sizeof csv - 1), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    assert_int_equal(sheet_write_csv_nl(&s, m), 0);
    assert_int_equal(fclose(m), 0);
    assert_string_equal(buf, "\xef\xbb\xbf"
                             "area;name;value;period\r\n"
                             "WK1;\"a;b\";78,4;2026-10\r\n"
                             "WK2;x;-0,5;2026\r\n");
    free(buf);
    sheet_free(&s);
    assert_string_equal(xlsx_heading("numerator"), "Teller");
    assert_string_equal(xlsx_heading("odd"), "odd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_csv_nl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
