/* store_alert.h: alerts, their state changes, and silences in the database. */
#ifndef LEAMON_STORE_ALERT_H
#define LEAMON_STORE_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "store.h"

/* One alert episode. Texts are "" when absent. */
typedef struct {
    int64_t id;
    char rule[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    char subject[PROTO_MAX_CODE + 1];   /* late: the organisation; else "" */
    char period[PROTO_MAX_PERIOD + 1];  /* onset */
    char last_period[PROTO_MAX_PERIOD + 1];
    char state[16];
    char severity[16];
    bool has_value, has_ref;
    double value, threshold, ref;
    int64_t expected, reported;
    char message[400];
    bool has_fired;
    int64_t first_fired, changed_at;
    char acked_by[PROTO_MAX_CODE + 1];  /* "" when not acknowledged */
    int64_t acked_at;
    char ack_note[PROTO_MAX_NOTE + 1];
} stored_alert;

typedef struct {
    int64_t at;
    char from[16];                      /* "" for the first */
    char to[16];
    char period[PROTO_MAX_PERIOD + 1];
    bool has_value;
    double value;
} stored_alert_change;

/* A silence (migration 7): matchers ("" = any), who made it and why, when it holds.
 * Rows are never replaced or deleted: an early end sets ends and expired_by. */
typedef struct {
    int64_t id;
    char rule[PROTO_MAX_CODE + 1];
    char indicator[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    char organisation[PROTO_MAX_CODE + 1];
    char severity[16];
    char created_by[PROTO_MAX_CODE + 1];
    char note[PROTO_MAX_NOTE + 1];
    int64_t starts, ends;               /* it holds from starts until before ends */
    char expired_by[PROTO_MAX_CODE + 1]; /* "" unless ended early (unsilence) */
    int64_t created;                    /* when it was made */
} stored_silence;

/* Every episode of (rule, area, subject), oldest onset first; *rows is malloc'd (free it
 * even on failure). 0 or -1. */
int store_alerts_of(store *s, const char *rule, const char *area, const char *subject,
                    stored_alert **rows, size_t *n);
/* Insert a (its id is set) or update its state, figures, message and onset period (an
 * open alert whose start moved). 0 or -1. */
int store_alert_insert(store *s, stored_alert *a);
int store_alert_update(store *s, const stored_alert *a);
/* Append a state change to a's history (from "" for a new alert). 0 or -1. */
int store_alert_change(store *s, const stored_alert *a, const char *from, int64_t at);
/* One alert by id: 1, 0 (none), -1. */
int store_alert_get(store *s, int64_t id, stored_alert *out);
/* Alerts in one of states (at most three names, NULL-terminated; NULL: any), changed at or after
 * since, of rule and area when not "", newest change first; at most max (more: *more). */
int store_alert_list(store *s, const char *const *states, int64_t since, const char *rule,
                     const char *area, size_t max, stored_alert **rows, size_t *n, bool *more);
int store_alert_history(store *s, int64_t id, stored_alert_change **rows, size_t *n);
int store_alert_ack(store *s, int64_t id, const char *by, int64_t at, const char *note);

/* Silences. Add one (its id is set): 0 or -1. */
int store_silence_add(store *s, stored_silence *si);
/* One by id: 1, 0 (none), -1. */
int store_silence_get(store *s, int64_t id, stored_silence *out);
/* End it at now, by whom: 1, 0 when it had already ended, -1. */
int store_silence_expire(store *s, int64_t id, int64_t now, const char *by);
/* Those not yet ended at now (in force or still to start), oldest first. */
int store_silences_open(store *s, int64_t now, stored_silence **rows, size_t *n);
/* Those not yet ended at now with exactly si's matchers, oldest first. */
int store_silences_exact(store *s, const stored_silence *si, int64_t now,
                         stored_silence **rows, size_t *n);
/* Those that end after since (INT64_MIN: every one): in force first, then those still to
 * start, each newest first, then the ended ones, the latest end first; at most max (more:
 * *more). */
int store_silences_list(store *s, int64_t now, int64_t since, size_t max,
                        stored_silence **rows, size_t *n, bool *more);

#endif
