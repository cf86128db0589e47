/* period.h: the period grammar shared by leamond and leamon.
 *
 *   month        2026-10     (year, index 1..12)
 *   quarter      2026-Q4     (year, index 1..4)
 *   year         2026        (calendar year, index 0)
 *   school year  2025/26     (1 August 2025 - 31 July 2026; year = 2025, index 0)
 *
 * Parsing is strict: exactly these forms, no spaces, years 1900..9998.
 */
#ifndef LEAMON_PERIOD_H
#define LEAMON_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef enum {
    PERIOD_MONTH,
    PERIOD_QUARTER,
    PERIOD_YEAR,
    PERIOD_SCHOOLYEAR
} period_kind;

typedef struct {
    period_kind kind;
    int year;  /* calendar year; for a school year the year it starts in */
    int index; /* month 1..12, quarter 1..4, 0 for year and school year */
} period;

/* Longest canonical text ("2025/26", "2026-Q4") plus NUL, with room to spare. */
#define PERIOD_TEXT_MAX 16

/* Parse s into *out. Returns 0, or -1 if s is not a well-formed period
 * (out is then untouched). */
int period_parse(const char *s, period *out);

/* Write the canonical text of p into buf (at least PERIOD_TEXT_MAX bytes).
 * Returns 0, or -1 if p is invalid or len too small. */
int period_format(const period *p, char *buf, size_t len);

/* "month", "quarter", "year", "school year". */
const char *period_kind_name(period_kind kind);

/* True if p's fields are in range. */
bool period_valid(const period *p);

/* Month arithmetic: a month as one integer (year * 12 + month - 1), so that
 * consecutive months differ by one. */
int period_month_number(int year, int month);

/* First and last month (inclusive) of p, as month numbers. */
int period_first_month(const period *p);
int period_last_month(const period *p);

/* The month with month number n. */
period period_month_from_number(int n);

/* Number of months in p (1, 3, 12, 12). */
int period_month_count(const period *p);

/* Order by first month, then by last month: negative, 0, positive. */
int period_compare(const period *a, const period *b);

/* True if every month of inner lies inside outer (a period contains itself). */
bool period_contains(const period *outer, const period *inner);

/* The period of kind `kind` that holds month (a month period): 2026-10 -> 2026-Q4, 2026,
 * 2026/27. Returns 0, or -1 if month is not a month or the result is out of range. */
int period_containing(const period *month, period_kind kind, period *out);

/* The period of the same kind just before p (2026-01 -> 2025-12,
 * 2026-Q1 -> 2025-Q4, 2025/26 -> 2024/25). Returns 0, or -1 if it would
 * leave the supported range. */
int period_previous(const period *p, period *out);

/* The period of the same kind just after p. Returns 0, or -1 past the supported range. */
int period_next(const period *p, period *out);

/* The same period one year earlier. Returns 0 or -1 as above. */
int period_year_earlier(const period *p, period *out);

/* The month containing t, in local time. Returns 0, or -1 on failure. */
int period_of_time(time_t t, period *out);

/* Start of p (first second, local time) and its end (first second after it). */
time_t period_start(const period *p);
time_t period_end(const period *p);

#endif
