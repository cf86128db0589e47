/* alert_hold.h: why an alert is not told to anyone now: a silence holds it, or another
 * alert that fires explains it (an inhibit rule of route.h). Receivers skip such alerts;
 * the alert listing shows why. */
#ifndef LEAMON_ALERT_HOLD_H
#define LEAMON_ALERT_HOLD_H

#include <stdint.h>
#include <time.h>

#include "route.h"
#include "store.h"

typedef struct {
    int64_t silence_id;        /* the silence holding it; 0: none */
    int64_t silenced_until;    /* when that silence ends */
    int64_t inhibited_by;      /* the firing alert that explains it; 0: none */
} alert_hold_info;

/* 1 when held (out says why), 0 when not, -1 on a database error. */
int alert_hold(store *db, const registry *reg, const routing *rt, const stored_alert *a,
               time_t now, alert_hold_info *out);

#endif
