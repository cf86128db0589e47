/* format.h: figures as text for people and as CSV for programs: a number with
 * its unit, a sparkline, strings made safe for a terminal, and tables printed
 * aligned or as CSV. Pure: nothing here talks to the daemon, so all of it is
 * unit-tested with fixed input (tests/unit/test_format.c).
 */
#ifndef LEAMON_FORMAT_H
#define LEAMON_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room for any text the fmt_* number and time functions write. */
#define FMT_NUMBER_MAX 64

/* What a missing value looks like in text: an en dash. */
#define FMT_MISSING "\xe2\x80\x93"

/* An indicator's value for people, by the indicator's unit: percent "78.4 %",
 * hours "15.8 uur", count "42" (a fraction, as a mean of counts can be, keeps
 * one decimal: "41.5"), any other unit one decimal and the unit's name
 * ("1234.5 euro"; none for an empty unit). Not finite: FMT_MISSING. */
void fmt_value(char *buf, size_t n, double v, const char *unit);

/* A plain number for people (numerators, denominators): whole numbers without
 * decimals, others with at most two ("47", "95.25", "0.5"). */
void fmt_number(char *buf, size_t n, double v);

/* A number for CSV: '.' as decimal point, the shortest text that reads back
 * as v ("78.4", "42"); "" if v is not finite. */
void fmt_csv_number(char *buf, size_t n, double v);

/* Unix seconds as local time "2026-11-05 14:02", or as UTC ISO 8601
 * "2026-11-05T13:02:00Z" for CSV. Falls back to the number if out of range. */
void fmt_time(char *buf, size_t n, int64_t t);
void fmt_time_iso(char *buf, size_t n, int64_t t);

/* The inverse for people typing a time: unix seconds ("1772323200"), or
 * local time "2026-03-01" (00:00 that day) or "2026-03-01 14:30" (also with
 * 'T' for the space). Returns 0, or -1 if s is none of these or names no
 * local time (2026-02-30, 25:00, a time skipped by daylight saving). */
int fmt_parse_time(const char *s, int64_t *out);

/* A sparkline of count values, one block (U+2581..U+2588) per value scaled
 * from the lowest present value to the highest (all equal: the middle
 * block), and a space for each value with present[i] false. buf needs
 * FMT_SPARK_BYTES(count) bytes. Returns 0, or -1 if buf is too small. */
#define FMT_SPARK_BYTES(count) ((count) * 3 + 1)
int fmt_sparkline(char *buf, size_t n, const double *values, const bool *present, size_t count);

/* Copy len bytes of src into dst (size n) for printing on a terminal: valid
 * UTF-8 is kept (Dutch names keep their accents), control characters (C0,
 * DEL, C1) and malformed bytes become '?'. Truncates at a character
 * boundary. */
void fmt_clean(char *dst, size_t n, const char *src, size_t len);

/* Columns s takes on a terminal: UTF-8 characters, not bytes. */
size_t fmt_width(const char *s);

/* Write one CSV field, quoted as RFC 4180 says when it holds a comma, a
 * double quote, CR or LF (or starts or ends with a space). 0 or -1. */
int fmt_csv_field(FILE *out, const char *s);

/* ---- tables ----------------------------------------------------------- */

typedef enum { TABLE_LEFT, TABLE_RIGHT } table_align;

typedef struct {
    const char *heading; /* as printed: "ON TIME" in text, "on_time" for CSV */
    table_align align;
} table_col;

typedef struct table table_t;

/* A table with ncols columns (cols is copied by reference: keep it alive,
 * string literals are). NULL when out of memory. */
table_t *table_new(const table_col *cols, size_t ncols);
void table_destroy(table_t **self);

/* Append a cell to the current row; a row is complete after ncols cells and
 * the next cell starts a new one. NULL is an empty cell. 0, or -1 when out
 * of memory. table_addf formats the cell printf-style. */
int table_add(table_t *self, const char *cell);
int table_addf(table_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A horizontal rule under the rows so far (text only; CSV skips it). */
int table_rule(table_t *self);

/* Complete rows so far (rules not counted). */
size_t table_rows(const table_t *self);

/* Aligned text: a heading line and one line per row, each line starting
 * with indent, columns two spaces apart, widths in characters, no trailing
 * spaces. 0 or -1 (a short last row is an error). */
int table_print(const table_t *self, FILE *out, const char *indent);

/* CSV: the heading row and one row per row, comma separated, LF line ends,
 * fields quoted only when needed. 0 or -1. */
int table_print_csv(const table_t *self, FILE *out);

/* Cells of figures, appended as table_add does (0 or -1): a number
 * (fmt_number in text, fmt_csv_number unrounded in CSV; FMT_MISSING in text
 * and "" in CSV when !has), a whole number, a time in UTC ISO 8601 (both ""
 * when !has). */
int cell_number(table_t *t, bool has, double v, bool csv);
int cell_int(table_t *t, bool has, int64_t v);
int cell_time_iso(table_t *t, bool has, int64_t v);

#endif
