/* alerts.h: evaluating the catalogue's alert rules against the stored snapshots and
 * reports, and keeping the alert table in step (one row per episode, a history row per
 * state change). Every state change becomes an event for notify.c, to be sent only after
 * the caller has committed the transaction these functions write in. */
#ifndef LEAMON_ALERTS_H
#define LEAMON_ALERTS_H

#include <stdint.h>
#include <time.h>

#include "alert_eval.h"
#include "config.h"
#include "snapshot.h"
#include "store_alert.h"

/* Periods looked back over: rules with `every = month` see two years; late rules a year. */
#define ALERTS_LOOKBACK 24
#define ALERTS_LATE_LOOKBACK 12

typedef struct {
    stored_alert a;           /* as stored after the change */
    char previous[16];        /* the state before; "" for a new alert */
    int64_t silenced_until;   /* 0, or the end of the silence holding it: not to be published */
    int64_t silence_id;       /* 0, or that silence's id */
} alert_event;

typedef struct {
    alert_event *items;       /* owned */
    size_t n, cap;
} alert_events;
void alert_events_free(alert_events *ev);

/* One indicator rule for one area (an index), at time now. Only final (or closed) periods
 * with enough reporters in (the rule's min_reported) are judged: a month's figures are
 * final grace_days after it ends, or once every expected reporter is in. 0 or -1
 * (store_errmsg). */
int alerts_evaluate_area(store *db, const registry *reg, const alert_rule *r, int at,
                         time_t now, long long grace_days, alert_events *ev);
/* The first month owed: the catalogue's owed_from, else the month leamond first started on
 * this database (meta "first_start"), but never before first_period. 0 or -1. */
int alerts_owed_from(store *db, const catalog *cat, period *out);

/* One late rule for every organisation it watches, or, when due is not NULL, for those
 * whose flag in due (one per organisation of reg) is set: one read of the reports. */
int alerts_evaluate_late(store *db, const registry *reg, const alert_rule *r,
                         const bool *due, time_t now, alert_events *ev);
/* The next moment after now at which a deadline passes: a late rule's (a month's end plus
 * the rule's days), or, for the other rules, a month's end plus grace_days, when its figures
 * become final. The rules are judged then, not an hour later. 0: no rule. */
time_t alerts_next_deadline(const registry *reg, time_t now, long long grace_days);

/* Where a judgement of every rule, a piece at a time, has got to: rule, then area. */
typedef struct {
    size_t rule, area;
} alerts_cursor;

/* Every rule from c on, at most max subjects (an indicator rule in one area it watches, or
 * a late rule for every organisation); c moves past those judged. 1 when the last rule is
 * done, 0 when more is left, -1 on error (c then points at the subject that failed). */
int alerts_evaluate_from(store *db, const registry *reg, alerts_cursor *c, size_t max,
                         time_t now, long long grace_days, alert_events *ev);

/* The indicator rules watching what a snapshot refresh changed. */
int alerts_evaluate_changes(store *db, const registry *reg, const snapshot_changes *ch,
                            time_t now, long long grace_days, alert_events *ev);

#endif
