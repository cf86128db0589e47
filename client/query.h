/* query.h: asking the daemon a question and handling its answer, as the
 * query, alert and report commands share it: a request set up, sent, a
 * refusal explained, and the exit status once the answer is printed. */
#ifndef LEAMON_QUERY_H
#define LEAMON_QUERY_H

#include "leamon.h"
#include "proto.h"
#include "rpc.h"

/* ctx_connect, then ctx_request for op (a random id). 0 or an exit status. */
int query_start(leamon_ctx *ctx, proto_request *req, proto_op op);

/* A new request for op from the same reporter as like, with a fresh random
 * id; nothing else set. 0, or -1 when no random id can be had. */
int query_request_like(const proto_request *like, proto_request *req, proto_op op);

/* Send req and wait. 0 with a 200 reply to print (also with --format json:
 * the caller prints it), or an exit status after printing why: a refusal
 * (4xx) is printed as JSON with --format json, else as an error with hints
 * (query_refused). */
int query_call(leamon_ctx *ctx, const proto_request *req, rpc_reply *reply);
int query_refused(leamon_ctx *ctx, const rpc_reply *reply);

/* The exit status after printing: 0 when rc is 0, else 2 after saying the
 * output could not be written. */
int query_printed(leamon_ctx *ctx, int rc);

#endif
