/* reply_build.h: the pieces of a reply the report and format tests build by hand, without
 * a daemon: a string into a fixed field, an area, a month's number. Each fails the running
 * test on an error. */
#ifndef LEAMON_REPLY_BUILD_H
#define LEAMON_REPLY_BUILD_H

#include <stdio.h>

#include "reply_info.h"

/* A string into a char array field, cut to fit. */
#define SET(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

/* An area of the registry as the catalog reply gives it (parent "" for the top). */
proto_area_info test_area(const char *code, const char *name, const char *level,
                          const char *parent);

/* The number of month text ("2026-09"). */
int test_month_no(const char *text);

#endif
