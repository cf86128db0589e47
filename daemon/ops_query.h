/* ops_query.h: the staff queries: snapshot, series and completeness. */
#ifndef LEAMON_OPS_QUERY_H
#define LEAMON_OPS_QUERY_H

#include <msgpack.h>
#include <time.h>

#include "identity.h"
#include "proto.h"
#include "server.h"

/* Pack the reply to a snapshot, series or completeness request: its result, or an error
 * reply (400 bad period, 403 not for partners, 404 unknown indicator/area/metric, 500). */
int ops_reply_query(msgpack_packer *pk, server *srv, const proto_request *req,
                    const identity *who, time_t now);

#endif
