/* csv_check.c: parsing a submission file in a test (csv_check.h). */
#include "csv_check.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "csv.h"

void parse_stream(parsed *p, FILE *f, const char *period)
{
    records_init(&p->recs);
    proto_errors_init(&p->errs);
    p->rc = csv_parse(f, period, NULL, &p->recs, &p->errs);
}

void parse_bytes(parsed *p, const char *bytes, size_t len, const char *period)
{
    FILE *f = fmemopen((void *)bytes, len, "r");
    assert_non_null(f);
    parse_stream(p, f, period);
    fclose(f);
}

void parse(parsed *p, const char *text, const char *period)
{
    parse_bytes(p, text, strlen(text), period);
}

void done(parsed *p)
{
    records_free(&p->recs);
    proto_errors_free(&p->errs);
}

void assert_record(const parsed *p, size_t i, const char *metric, const char *area,
                   const char *period, double value, size_t line)
{
    if (i >= p->recs.count)
        fail_msg("record %zu expected, %zu read (first error: %s)", i, p->recs.count,
                 p->errs.count ? p->errs.items[0].message : "none");
    assert_string_equal(p->recs.items[i].metric, metric);
    assert_string_equal(p->recs.items[i].area, area);
    assert_string_equal(p->recs.items[i].period, period);
    if (p->recs.items[i].value != value)
        fail_msg("record %zu: value %.17g, expected %.17g", i, p->recs.items[i].value, value);
    assert_int_equal(p->recs.origin[i], line);
}

static void assert_place(const parsed *p, size_t i, long line, const char *field)
{
    if (i >= p->errs.count)
        fail_msg("error %zu expected, %zu listed", i, p->errs.count);
    assert_int_equal(p->errs.items[i].index, line);
    assert_string_equal(p->errs.items[i].field, field);
}

void assert_error(const parsed *p, size_t i, long line, const char *field, const char *part)
{
    assert_place(p, i, line, field);
    if (!strstr(p->errs.items[i].message, part))
        fail_msg("error %zu: '%s' does not contain '%s'", i, p->errs.items[i].message, part);
}

void assert_error_is(const parsed *p, size_t i, long line, const char *field,
                     const char *message)
{
    assert_place(p, i, line, field);
    assert_string_equal(p->errs.items[i].message, message);
}
