/* sheet.h: a command's CSV output (RFC 4180, ',' and '.', as table_print_csv writes it)
 * read back into rows of fields, for the export formats made from it: csv-nl (for Dutch
 * Excel: ';' between fields, a decimal comma, a UTF-8 byte order mark, CRLF) and xlsx
 * (xlsx.h). The commands print CSV as always; main.c hands what they printed to these.
 * Pure: unit-tested with fixed input (tests/unit/test_sheet.c). */
#ifndef LEAMON_SHEET_H
#define LEAMON_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char **cells; /* owned, each NUL-terminated */
    size_t n;
} sheet_row;

typedef struct {
    sheet_row *rows; /* owned; the first is the header */
    size_t n, cap;
} sheet_t;

/* Parse CSV text (len bytes) into s (zeroed first). 0, or -1 when out of memory or the
 * text is not CSV (a quote left open). */
int sheet_parse(sheet_t *s, const char *text, size_t len);
void sheet_free(sheet_t *s);

/* Whether a cell is a number as fmt_csv_number writes one: "-12", "78.4", "1e+20". */
bool sheet_is_number(const char *cell);

/* s as CSV for Dutch Excel onto out: the byte order mark, ';' between fields, numbers
 * with a decimal comma, CRLF, fields quoted when they hold ';', '"', CR or LF. 0 or -1. */
int sheet_write_csv_nl(const sheet_t *s, FILE *out);

#endif
