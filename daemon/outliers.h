/* outliers.h: the catalogue's outlier check on a submission (checks.h): a figure far from
 * the reporter's own history for that metric and area is stored, with a warning that says
 * what to look at. */
#ifndef LEAMON_OUTLIERS_H
#define LEAMON_OUTLIERS_H

#include <stddef.h>

#include "catalog.h"
#include "proto.h"
#include "store.h"

/* Warn (into warns, by record) about the records of req (validated, of reporter) that are
 * outliers against the reporter's stored months before them. The number of warnings, or
 * -1 when the store cannot be read. */
long outliers_check(store *db, const catalog *cat, const char *reporter, const proto_request *req,
                    proto_errors *warns);

#endif
