/* compl_grid.h: one organisation's completeness as one table, metrics by months
 * (compl_grid.c): what was owed, sent on time or late, and what is still due by when. */
#ifndef LEAMON_COMPL_GRID_H
#define LEAMON_COMPL_GRID_H

#include <stdio.h>

#include "reply_compl.h"

/* r's rows, all of one organisation (r->organisation), as that table, with a line of
 * totals under it. 0, or -1 when out cannot be written. */
int compl_print_grid(FILE *out, const proto_completeness_reply *r);

#endif
