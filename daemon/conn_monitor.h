/* conn_monitor.h: how many connections the request socket holds, from ZeroMQ's socket
 * monitor (accepted and disconnected events), for the metrics. */
#ifndef LEAMON_CONN_MONITOR_H
#define LEAMON_CONN_MONITOR_H

#include <stdatomic.h>

#include "error.h"

/* Start monitoring router; *pair is the socket to poll (ZMQ_POLLIN) for its events. 0, or
 * -1 with err. */
int conn_monitor_open(void **pair, void *zmq_ctx, void *router, lm_error *err);
/* Read the events waiting on pair into *connections. */
void conn_monitor_read(void *pair, atomic_int_fast64_t *connections);
void conn_monitor_close(void **pair, void *router);

#endif
