/* conn_monitor.h: how many connections the request socket holds, from ZeroMQ's socket
 * monitor (accepted and disconnected events), for the metrics and the cap per key. */
#ifndef LEAMON_CONN_MONITOR_H
#define LEAMON_CONN_MONITOR_H

#include <stdatomic.h>
#include <stdint.h>

#include "conn_cap.h"
#include "error.h"

/* Start monitoring router; *pair is the socket to poll (ZMQ_POLLIN) for its events. 0, or
 * -1 with err. */
int conn_monitor_open(void **pair, void *zmq_ctx, void *router, lm_error *err);
/* Read the events waiting on pair into *connections and, unless it is NULL, cap (now_ms
 * its clock). -1 if cap could not take an accepted connection (out of memory), else 0. */
int conn_monitor_read(void *pair, atomic_int_fast64_t *connections, conn_cap *cap,
                      long long now_ms);
void conn_monitor_close(void **pair, void *router);

/* What tells the connection on fd from another that may get the same descriptor: a hash of
 * its local and peer addresses; 0 if they cannot be read. */
uint64_t conn_monitor_tag(int fd);

#endif
