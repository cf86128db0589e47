/* cmd_query.h: the printers of the query commands snapshot, series and
 * completeness (cmd_query.c). They take a 200 reply as proto's typed reader
 * read it and nothing else, so the unit tests feed them by hand. */
#ifndef LEAMON_CMD_QUERY_H
#define LEAMON_CMD_QUERY_H

#include <stdbool.h>
#include <stdio.h>

#include "reply_compl.h"
#include "reply_figures.h"

/* A reply as text for people (aligned tables, notes below) or as CSV. by is
 * the snapshot's breakdown asked for (an empty one reads as by area).
 * only_missing keeps the organisations that are missing or late. Return 0,
 * or -1 when out of memory or out cannot be written. */
int query_print_snapshot(FILE *out, const proto_snapshot_reply *r, proto_breakdown by, bool csv);
int query_print_series(FILE *out, const proto_series_reply *r, bool csv);
int query_print_completeness(FILE *out, const proto_completeness_reply *r, bool csv,
                             bool only_missing);

#endif
