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
int ctx_rpc_failure(leamon_ctx *ctx, rpc_result r, const char *err);

/* Exit status for a reply the op's typed reader refused (e from proto_*_reply_read), after
 * saying "malformed reply from leamond: ...": 3, as for a daemon that cannot answer. */
int ctx_malformed(leamon_ctx *ctx, const lm_error *e);

/* Print a reply as JSON on ctx->out, one line. */
int ctx_print_json(leamon_ctx *ctx, const rpc_reply *reply);

#endif
