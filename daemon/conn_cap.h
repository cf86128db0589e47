/* conn_cap.h: how many connections each CURVE key holds, so that one key cannot hold more
 * than max_connections_per_key of the request socket's connections at once.
 *
 * libzmq tells the parts apart: the ZAP handler sees the key but not the connection, the
 * socket monitor sees the connection's descriptor (accepted, disconnected) but not the key,
 * and a request carries both (its descriptor, and the serial the ZAP handler gave its
 * connection). So a key's count is its connections known from their requests plus the
 * handshakes admitted that no request has claimed yet. A connection that sends no request
 * within first_request_timeout of its accept is closed; an admission is given up once no
 * connection accepted before it is still open without a request (its own is then gone).
 * Every event is applied in the order libzmq produced it: the monitor's accepted
 * connections must be read before a handshake is admitted and before the requests read
 * are claimed, so that a descriptor reused by a new connection is never taken for the old
 * one. Pure bookkeeping: no sockets, no clock. */
#ifndef LEAMON_CONN_CAP_H
#define LEAMON_CONN_CAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONN_CAP_KEY_BYTES 32

typedef struct conn_cap conn_cap;

/* max: connections one key may hold (> 0); first_request_ms: how long a connection may go
 * without a request from its accept. NULL when out of memory. */
conn_cap *conn_cap_new(long long max, long long first_request_ms);
void conn_cap_free(conn_cap *c);

/* The monitor: a connection was accepted on fd, or the one on fd is gone. tag: what tells
 * this connection from another on the same descriptor (its addresses), handed back to
 * close_fd. 0, or -1 when out of memory (the connection is then not tracked: it is neither
 * counted nor closed). */
int conn_cap_accepted(conn_cap *c, int fd, uint64_t tag, long long now_ms);
void conn_cap_disconnected(conn_cap *c, int fd);

/* The ZAP handler admits a handshake of key: the serial to give its connection (> 0), 0 when
 * key holds max connections already, -1 out of memory. */
long long conn_cap_admit(conn_cap *c, const uint8_t key[CONN_CAP_KEY_BYTES]);

/* A request came on fd from the connection admitted as serial: the connection is the key's
 * from now on, until it is gone. A request of an earlier connection on a descriptor that is
 * now another's, or with a serial no admission knows (any longer), changes nothing. */
void conn_cap_seen(conn_cap *c, int fd, unsigned long long serial);

/* Connections accepted at least first_request_ms ago that have sent no request: close_fd is
 * called for each (once); then the admissions whose connections are gone are given up.
 * Returns how many were handed to close_fd. */
size_t conn_cap_expire(conn_cap *c, long long now_ms,
                       void (*close_fd)(void *ctx, int fd, uint64_t tag), void *ctx);

/* Is anything due to expire later (a connection without a request, an admission)? */
bool conn_cap_waiting(const conn_cap *c);

/* Connections key holds: those known from their requests and the admissions not yet
 * claimed. */
size_t conn_cap_held(const conn_cap *c, const uint8_t key[CONN_CAP_KEY_BYTES]);

#endif
