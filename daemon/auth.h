/* auth.h: CURVE identity. A ZAP handler admits only known public keys at the handshake;
 * each request is then mapped from its key (ZeroMQ's User-Id) to an organisation or
 * staff member of the registry in force. */
#ifndef LEAMON_AUTH_H
#define LEAMON_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "error.h"
#include "identity.h"
#include "log.h"

/* Bind the ZAP endpoint in ctx; must happen before the request socket binds. */
int auth_start(void *ctx, void **zap, lm_error *err);

/* Answer every ZAP request waiting on zap, without blocking. */
void auth_handle(void *zap, const registry *reg, const log_ctx *lg);

/* Who sent a request: in secure mode from user_id (the client key, Z85, set by auth_handle),
 * else from the reporter the request names. claimed is the request's "reporter" field ("" if
 * absent). 0, or -1 with a 401 or 403 in e. */
int auth_identify(const registry *reg, bool secure, const char *user_id, const char *claimed,
                  identity *out, lm_error *e);

#endif
