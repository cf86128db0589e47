/* kvargs.h: records given on the command line as metric=value arguments. */
#ifndef LEAMON_KVARGS_H
#define LEAMON_KVARGS_H

#include <stddef.h>

#include "proto.h"
#include "records.h"

/* Parse n arguments "metric=value" (value with '.' or ',' as decimal mark,
 * NUM_EITHER), all for period (a month) and area ("" or NULL: the reporter's
 * home area). Records go to out with the argument number (1-based) as origin;
 * problems to errs with that number as index; a metric given twice is an
 * error at its second argument. Returns 0 if there were none, else -1. */
int kvargs_parse(char *const *args, size_t n, const char *period, const char *area,
                 records_t *out, proto_errors *errs);

#endif
