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
    size_t *slots;       /* owned: hash of (metric, area, period) -> index + 1, 0 empty */
    size_t nslots;       /* a power of two, at least twice count; 0 before the first add */
} records_t;

void records_init(records_t *self);
void records_free(records_t *self);

/* Append a copy of rec. Returns 0, or -1 when out of memory. */
int records_add(records_t *self, const proto_record *rec, size_t origin);

/* The index of the record with rec's metric, area and period, or -1 if there
 * is none. An empty area is compared as written: the client does not know the
 * reporter's home area (the daemon checks that case). */
long records_find(const records_t *self, const proto_record *rec);

/* How a file writes its numbers. */
typedef enum {
    NUM_POINT, /* 1234.5: '.' the decimal mark, ',' refused (a ',' separated file) */
    NUM_DUTCH, /* 1.234,5: ',' the decimal mark, '.' groups thousands by three */
    NUM_EITHER /* one mark, '.' or ',', as decimal (metric=value arguments) */
} num_style;

/* Parse a number as people type it, in style: [+-]digits[mark digits]. No
 * exponents, hex, inf or nan. A number that could be read two ways (1.000:
 * one thousand or one, where '.' is the decimal mark) or that breaks the
 * style's rules (1.00 or 1,000.5 in NUM_DUTCH) is refused, never guessed.
 * Returns 0, or -1 with a short reason in why that says how to write it. */
int records_parse_number(const char *s, num_style style, double *out, const char **why);

/* Check a metric code or area code as typed: 1..max printable ASCII
 * characters without spaces (the daemon checks it against its catalogue).
 * Returns 0 or -1 with a short reason in why. */
int records_check_code(const char *s, size_t max, const char **why);

/* Check a period as typed for a submission: a month, YYYY-MM (the daemon
 * takes months only). Returns 0 or -1 with a short reason in why. */
int records_check_month(const char *s, const char **why);

#endif
