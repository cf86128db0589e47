/* help.h: leamon's manual pages (help.c), printed by --help and `leamon
 * help COMMAND`. */
#ifndef LEAMON_HELP_H
#define LEAMON_HELP_H

#include <stdio.h>

#include "leamon.h"

/* The overview: the commands, the global options, the exit statuses. */
void help_main(FILE *out);
/* One command's manual page, with its options. */
void help_command(FILE *out, const command_t *cmd);

/* The commands' manual pages (command_t.help). */
extern const char help_submit[], help_flush[], help_keygen[], help_ping[], help_status[],
    help_catalog[], help_snapshot[], help_series[], help_completeness[], help_figures[], help_alerts[],
    help_ack[], help_silence[], help_silences[], help_unsilence[], help_watch[], help_backup[], help_report[], help_retract[],
    help_close[], help_reopen[];

#endif
