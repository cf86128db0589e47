/* reply_build.c: the pieces of a reply built by hand for the tests (reply_build.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "period.h"
#include "reply_build.h"

proto_area_info test_area(const char *code, const char *name, const char *level,
                          const char *parent)
{
    proto_area_info a;
    memset(&a, 0, sizeof a);
    SET(a.code, code);
    SET(a.name, name);
    SET(a.level, level);
    SET(a.parent, parent);
    return a;
}

int test_month_no(const char *text)
{
    period p;
    assert_int_equal(period_parse(text, &p), 0);
    return period_first_month(&p);
}
