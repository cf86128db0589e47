/* alert_group.h: when to tell whom about which alerts, as Alertmanager's aggregation groups
 * do it. No clock, no database and no I/O here: the caller passes the time and decides,
 * through a callback, which alerts are held back (silenced or inhibited) at sending time.
 *
 * An alert enters the group of its route and group key when it fires, and again when it
 * resolves after it was told as firing; pending alerts, and alerts resolved before anyone
 * was told, are never sent. A new group is sent group_wait after its first alert; later
 * changes wait until group_interval after the last notice; while anything in the group
 * fires, the whole group is sent again every repeat_interval (0: never). A notice lists
 * every alert of the group that fires and every one that resolved since the last notice;
 * resolved alerts then leave the group, and an empty group ends. */
#ifndef LEAMON_ALERT_GROUP_H
#define LEAMON_ALERT_GROUP_H

#include <stdbool.h>
#include <stddef.h>

#include "store_alert.h"

typedef struct {
    long long wait, interval, repeat;  /* milliseconds */
} group_timing;

typedef struct {
    stored_alert a;                    /* as last changed */
    char previous[16];                 /* the state before the last change */
    bool told;                         /* sent as firing */
    bool news;                         /* a change not yet sent */
} grouped_alert;

typedef struct {
    size_t route;
    char key[256];
    group_timing timing;
    grouped_alert *members;             /* owned */
    size_t n, cap;
    long long next_ms;                 /* when to look at it again; 0: not scheduled */
    long long last_sent_ms;            /* 0: never sent */
} alert_group;

typedef struct {
    alert_group *items;                /* owned */
    size_t n, cap;
} alert_groups;

/* An alert changed (a->state firing or resolved; others are ignored). 0, or -1 when out of
 * memory. */
int groups_add(alert_groups *gs, size_t route, const char *key, const group_timing *t,
               const stored_alert *a, const char *previous, long long now_ms);
/* An alert that fired and was told before a restart: kept for the reminders, sent again
 * only when it changes or repeat_interval after now_ms. */
int groups_seed(alert_groups *gs, size_t route, const char *key, const group_timing *t,
                const stored_alert *a, long long now_ms);

typedef enum { NOTICE_NEW, NOTICE_CHANGED, NOTICE_REPEAT } notice_reason;
const char *notice_reason_name(notice_reason r);

/* held: true when an alert is not to be told now (silenced, inhibited); it may first bring
 * *a up to date (a figure corrected since it fired). send: one notice, the members to list
 * (firing first, then resolved). */
typedef struct {
    bool (*held)(void *ctx, stored_alert *a);
    void (*send)(void *ctx, const alert_group *g, const grouped_alert *const *list, size_t n,
                 notice_reason why);
    void *ctx;
} group_sink;

/* Send every group whose time has come. */
void groups_flush(alert_groups *gs, long long now_ms, const group_sink *sink);
/* Send the news of every group now, due or not (leamond stops). */
void groups_flush_news(alert_groups *gs, long long now_ms, const group_sink *sink);
/* The earliest next_ms of all groups; 0 when none is scheduled. */
long long groups_next_ms(const alert_groups *gs);
void groups_free(alert_groups *gs);

#endif
