/* session.h: what commands share to talk to the daemon: the connection's
 * keys, a new request, sending it, and turning failures into exit statuses. */
#ifndef LEAMON_SESSION_H
#define LEAMON_SESSION_H

#include "leamon.h"
#include "proto.h"
#include "rpc.h"

/* Set up the connection settings (keys, CURVE) once. Returns 0, or an exit
 * status after printing why. */
int ctx_connect(leamon_ctx *ctx);

/* Fill a new request's id (random unless given), op and reporter. Returns 0,
 * or an exit status after printing why. */
int ctx_request(leamon_ctx *ctx, proto_request *req, proto_op op, const char *id);

/* Encode, send and wait: the common path of ping, status and catalog. On 0,
 * reply holds a 2xx..4xx reply; otherwise an exit status after printing why. */
int ctx_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply);

/* Exit status for an rpc_result that is not RPC_REPLY, after printing err. */
int ctx_rpc_failure(leamon_ctx *ctx, rpc_result r, const lm_error *err);

/* Exit status for a reply the op's typed reader refused (e from proto_*_reply_read), after
 * saying "malformed reply from leamond: ...": 3, as for a daemon that cannot answer. */
int ctx_malformed(leamon_ctx *ctx, const lm_error *e);

/* Print a reply as JSON on ctx->out, one line. */
int ctx_print_json(leamon_ctx *ctx, const rpc_reply *reply);

/* What a command does with a 200 reply once the op's typed reader has run on it (read_rc
 * its result, e its error): 0, print what was read for people (or as CSV); REPLY_DONE,
 * --format json: the reply was printed as it came; else the exit status of a reply the
 * reader refused, after saying so (ctx_malformed). */
#define REPLY_DONE (-1)
int ctx_take_reply(leamon_ctx *ctx, const rpc_reply *reply, int read_rc, const lm_error *e);

#endif
