/* alert_msg.h: an alert as the outside world sees it: the typed alert of the alerts reply
 * and of PUB events (proto/reply_alert.h, PROTOCOL.md §5.8, §5.11), the PUB topic, and the
 * hook's environment variables (docs/alert-rules.md). */
#ifndef LEAMON_ALERT_MSG_H
#define LEAMON_ALERT_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "reply_alert.h"
#include "store_alert.h"

/* The alert as replies and events carry it (without history). */
void alert_msg_fill(proto_alert *out, const registry *reg, const stored_alert *a,
                    int64_t silenced_until);

/* "alert.<severity>.<indicator or metric>.<area>" */
void alert_msg_topic(const registry *reg, const stored_alert *a, char *buf, size_t n);

/* The hook's environment: n_vars "LEAMON_ALERT_...=value" strings into vars (each of
 * size var_size). Returns how many were written. */
#define ALERT_MSG_ENV_VARS 21
size_t alert_msg_env(const registry *reg, const stored_alert *a, const char *previous,
                     char vars[][512], size_t n_vars);

#endif
