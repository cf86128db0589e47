/* op_submit.c: the reply to a submission (PROTOCOL.md §5.2). The work (checks, group
 * commit) is the batch's (batch.c); this says what it decided. */
#include "op.h"
#include "reply_submit.h"

void op_submit(op_ctx *c)
{
    proto_submit_reply r = {.accepted = c->submitted->accepted,
                            .duplicate = c->submitted->duplicate,
                            .dry_run = c->req->dry_run,
                            .errors = *c->errors,
                            .warnings = c->warnings ? *c->warnings : (proto_errors){0},
                            .retry_after_ms = c->submitted->retry_after_ms};
    proto_submit_reply_write(c->w, c->req->id, c->status, c->why, &r);
}
