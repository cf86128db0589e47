/* auth.h: CURVE identity. A ZAP handler admits only known public keys at the handshake;
 * each request is then mapped from its key (ZeroMQ's User-Id) to an organisation or
 * staff member of the registry in force. */
#ifndef LEAMON_AUTH_H
#define LEAMON_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "conn_cap.h"
#include "error.h"
#include "identity.h"
#include "log.h"
#include "metrics.h"

/* Bind the ZAP endpoint in ctx; must happen before the request socket binds. */
int auth_start(void *ctx, void **zap, lm_error *err);

/* The ZAP metadata property that names a request socket's connection (conn_cap.h); each
 * request carries it. */
#define AUTH_CONNECTION_PROPERTY "X-Connection"

/* The cap on connections per key, for the handshakes of the request socket. */
typedef struct {
    conn_cap *cap;            /* NULL: no cap */
    long long max;            /* max_connections_per_key, for the log */
    void (*drain)(void *ctx); /* reads the monitor's events into cap */
    void *ctx;
} auth_cap;

/* Answer every ZAP request waiting on zap, without blocking. cap: NULL, or the cap on the
 * request socket's connections per key; the refusals are counted in counts (NULL: not). */
void auth_handle(void *zap, const registry *reg, const log_ctx *lg, const auth_cap *cap,
                 metrics *counts);

/* Who sent a request: in secure mode from user_id (the client key, Z85, set by auth_handle),
 * else from the reporter the request names. claimed is the request's "reporter" field ("" if
 * absent). 0, or -1 with a 401 or 403 in e. */
int auth_identify(const registry *reg, bool secure, const char *user_id, const char *claimed,
                  identity *out, lm_error *e);

#endif
