/* cmd_silence.h: the printers of the silence commands silence, silences and unsilence
 * (cmd_silence.c), also used by `leamon alerts` for the silences not yet ended. They take
 * what proto's typed readers read. Return 0, or -1 when out of memory or out cannot be
 * written. */
#ifndef LEAMON_CMD_SILENCE_H
#define LEAMON_CMD_SILENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "reply_alert.h"

/* Silences as a table (ID, STATE, MATCHERS, STARTS, UNTIL, BY, NOTE), each line after
 * indent. */
int silence_print_table(FILE *out, const proto_silence *s, size_t n, const char *indent);
/* Silences as CSV: a header line, then one line per silence, times in UTC. */
int silence_print_csv(FILE *out, const proto_silence *s, size_t n);
/* A silence or unsilence reply, as text. */
int silence_print_reply(FILE *out, const proto_silence_reply *r);

#endif
