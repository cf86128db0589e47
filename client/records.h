/* records.h: the records of one submission, each with where it came from
 * (a CSV line or a metric=value argument), so the daemon's per-record errors
 * can be shown against the user's own input. */
#ifndef LEAMON_RECORDS_H
#define LEAMON_RECORDS_H

#include <stddef.h>

#include "proto.h"

typedef struct {
    proto_record *items; /* owned */
    size_t *origin;      /* per record: CSV line number or argument number (1-based) */
    size_t count;
    size_t cap;
} records_t;

void records_init(records_t *self);
void records_free(records_t *self);

/* Append a copy of rec. Returns 0, or -1 when out of memory. */
int records_add(records_t *self, const proto_record *rec, size_t origin);

/* Parse a number as people type it: [+-]digits[.digits]; with decimal_comma,
 * ',' is also accepted as the decimal mark (Dutch spreadsheets). No
 * exponents, hex, inf or nan, no thousands separators. Returns 0 or -1 with
 * a short reason in why. */
int records_parse_number(const char *s, int decimal_comma, double *out, const char **why);

/* Check a metric code or area code as typed: 1..max printable ASCII
 * characters without spaces (the daemon checks it against its catalogue).
 * Returns 0 or -1 with a short reason in why. */
int records_check_code(const char *s, size_t max, const char **why);

#endif
