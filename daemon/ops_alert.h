/* ops_alert.h: replies to alerts, ack and silence (proto/PROTOCOL.md §5.8-§5.10). */
#ifndef LEAMON_OPS_ALERT_H
#define LEAMON_OPS_ALERT_H

#include <msgpack.h>
#include <time.h>

#include "identity.h"
#include "proto.h"
#include "server.h"

/* Pack the reply to an alerts, ack or silence request, or an error reply (400, 403 for
 * organisations and, for ack and silence, anyone but an admin; 404, 500). */
int ops_reply_alert(msgpack_packer *pk, server *srv, const proto_request *req,
                    const identity *who, time_t now);

#endif
