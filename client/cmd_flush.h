/* cmd_flush.h: delivering what waits in the spool, for `leamon flush` and
 * for `leamon submit`, which flushes before it sends (cmd_flush.c). */
#ifndef LEAMON_CMD_FLUSH_H
#define LEAMON_CMD_FLUSH_H

#include "leamon.h"
#include "reply_submit.h"
#include "rpc.h"
#include "spool.h"

/* The submit fields of a reply to a submission (proto_submit_reply_read), as PROTOCOL.md
 * §4 says which statuses carry them (200, 401, 403, 409, 422, 503); zeroed for any other
 * (400 and 413: the request could not be read; 500: not always). 0, or -1 with e when
 * the reader refuses them. */
int submit_reply_read(const rpc_reply *reply, proto_submit_reply *sr, lm_error *e);

/* Deliver what waits in the spool dir, in order (the caller holds the lock).
 * Returns 0 (see stats for what happened) or an exit status. */
int flush_pending(leamon_ctx *ctx, const char *dir, spool_stats *stats);

#endif
