/* cmd_flush.h: delivering what waits in the spool, for `leamon flush` and
 * for `leamon submit`, which flushes before it sends (cmd_flush.c). */
#ifndef LEAMON_CMD_FLUSH_H
#define LEAMON_CMD_FLUSH_H

#include "leamon.h"
#include "spool.h"

/* Deliver what waits in the spool dir, in order (the caller holds the lock).
 * Returns 0 (see stats for what happened) or an exit status. */
int flush_pending(leamon_ctx *ctx, const char *dir, spool_stats *stats);

#endif
