/* ops.h: the answer to each operation, packed as a msgpack reply. */
#ifndef LEAMON_OPS_H
#define LEAMON_OPS_H

#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>

#include "identity.h"
#include "proto.h"
#include "server.h"

/* A submission's outcome, filled by the group commit. */
typedef struct {
    int64_t accepted;
    bool duplicate;
    int64_t retry_after_ms;  /* a 503's hint; 0: the default (5000) */
} submit_result;

/* Replies. Each returns 0, or -1 if packing failed. */
int ops_reply_error(msgpack_packer *pk, const char *id, int status, const char *why);
int ops_reply_ping(msgpack_packer *pk, const proto_request *req, time_t now);
int ops_reply_status(msgpack_packer *pk, server *srv, const proto_request *req,
                     const identity *who, time_t now);
int ops_reply_catalog(msgpack_packer *pk, const server *srv, const proto_request *req,
                      const identity *who);
int ops_reply_submit(msgpack_packer *pk, const proto_request *req, int status, const char *why,
                     const submit_result *res, const proto_errors *errs);

#endif
