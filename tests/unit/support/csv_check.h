/* csv_check.h: parse a submission file in a test and check its records and errors
 * (client/csv.c). The assertions fail the running cmocka test. */
#ifndef LEAMON_CSV_CHECK_H
#define LEAMON_CSV_CHECK_H

#include <stddef.h>
#include <stdio.h>

#include "proto.h"
#include "records.h"

typedef struct {
    records_t recs;
    proto_errors errs;
    int rc;
} parsed;

/* csv_parse of a stream, of len bytes, or of a C string; done() frees what they read. */
void parse_stream(parsed *p, FILE *f, const char *period);
void parse_bytes(parsed *p, const char *bytes, size_t len, const char *period);
void parse(parsed *p, const char *text, const char *period);
void done(parsed *p);

/* Record i is this one, from this line. */
void assert_record(const parsed *p, size_t i, const char *metric, const char *area,
                   const char *period, double value, size_t line);

/* Error i is at line, about field, and its message contains part (assert_error) or is
 * message (assert_error_is). */
void assert_error(const parsed *p, size_t i, long line, const char *field, const char *part);
void assert_error_is(const parsed *p, size_t i, long line, const char *field,
                     const char *message);

#endif
