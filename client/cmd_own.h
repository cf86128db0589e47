/* cmd_own.h: `leamon figures`: an organisation's figures as the daemon holds them, with
 * their corrections and retractions (cmd_own.c). The printer takes the typed reply alone,
 * so the unit tests feed it by hand. */
#ifndef LEAMON_CMD_OWN_H
#define LEAMON_CMD_OWN_H

#include <stdbool.h>
#include <stdio.h>

#include "reply_stored.h"

/* The figures as a table for people (a row per figure, its changes indented under it) or
 * as CSV (a row per figure and per change). 0, or -1 when out cannot be written. */
int own_print_figures(FILE *out, const proto_figures_reply *r, bool csv);

#endif
