/* cmd_query.h: the printers of the query commands snapshot, series and
 * completeness (cmd_query.c). They take a 200 reply's root map and nothing
 * else, so the unit tests feed them hand-made replies; they trust nothing
 * in it. */
#ifndef LEAMON_CMD_QUERY_H
#define LEAMON_CMD_QUERY_H

#include <stdbool.h>
#include <stdio.h>
#include <msgpack.h>

/* A reply as text for people (aligned tables, notes below) or as CSV. by is
 * the snapshot's breakdown asked for: "", "area" or "reporter".
 * only_missing keeps the organisations that are missing or late. Return 0,
 * or -1 when out of memory or out cannot be written. */
int query_print_snapshot(FILE *out, const msgpack_object *reply, const char *by, bool csv);
int query_print_series(FILE *out, const msgpack_object *reply, bool csv);
int query_print_completeness(FILE *out, const msgpack_object *reply, bool csv,
                             bool only_missing);

#endif
