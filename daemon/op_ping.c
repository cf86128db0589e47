/* op_ping.c: the ping op (PROTOCOL.md §5.1): the daemon is alive, and its clock. */
#include "op.h"
#include "reply_info.h"
#include "version.h"

void op_ping(op_ctx *c)
{
    proto_ping_reply r = {"leamond " LEAMOND_VERSION, (int64_t)c->now};
    proto_ping_reply_write(c->w, c->req->id, &r);
}
