/* alert_list.h: alerts as the alerts and ack replies list them: each with the silence
 * holding it and its history (shared by op_alerts.c and op_ack.c). */
#ifndef LEAMON_ALERT_LIST_H
#define LEAMON_ALERT_LIST_H

#include <time.h>

#include "config.h"
#include "route.h"
#include "reply_alert.h"
#include "store_alert.h"

/* Fill out from a, with its history (owned by out: proto_alert_free). 0 or -1
 * (store_errmsg). */
int alert_list_fill(proto_alert *out, store *db, const registry *reg, const routing *rt,
                    const stored_alert *a, time_t now);

/* A silence as the replies give it, with its state at now. */
void alert_list_silence(proto_silence *out, const stored_silence *s, time_t now);

#endif
