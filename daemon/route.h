/* route.h: who is told about which alert, and how (leamond.conf's receivers, routes and
 * inhibit rules), as Alertmanager's routing tree does it, flattened to an ordered list.
 *
 * A receiver is a command (`exec`: the notification as JSON on its standard input) or a mail
 * address list (`mail`: a Dutch plain-text mail through the system's `sendmail -t`). A route
 * matches alerts on severity, rule, indicator, area (and everything below it), organisation
 * and state; the first route that matches takes the alert, unless it says `continue`. Each
 * route groups its alerts (group_by) and times their notices (group_wait, group_interval,
 * repeat_interval): see alert_group.h. */
#ifndef LEAMON_ROUTE_H
#define LEAMON_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "store_alert.h"

typedef enum { RECEIVER_EXEC, RECEIVER_MAIL } receiver_kind;

typedef struct {
    char name[PROTO_MAX_CODE + 1];
    receiver_kind kind;
    char command[CONFIG_PATH_MAX];     /* exec: run by /bin/sh -c */
    char to[512];                      /* mail: addresses, separated by commas */
} receiver;

/* What a route groups by: the alerts alike in these go into one notice. */
enum {
    GROUP_BY_RULE = 1u << 0,
    GROUP_BY_AREA = 1u << 1,
    GROUP_BY_INDICATOR = 1u << 2,
    GROUP_BY_ORGANISATION = 1u << 3,
    GROUP_BY_SEVERITY = 1u << 4,
    GROUP_BY_ALERT = 1u << 5,          /* each alert on its own */
};

typedef struct {
    size_t receiver;                   /* index into routing.receivers */
    /* Matchers: "" matches anything. */
    char severity[16], rule[PROTO_MAX_CODE + 1], indicator[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1], organisation[PROTO_MAX_CODE + 1], state[16];
    unsigned group_by;
    long long group_wait, group_interval, repeat_interval; /* seconds; repeat 0: never */
    bool cont;                         /* go on to the next routes after a match */
} route;

/* While an alert of a source rule fires, alerts of the target rules it explains are not
 * notified (still judged, listed and kept). A late source (an organisation has not
 * reported) explains a target alert in an area the organisation reports for (not the areas
 * above it: one location of many does not explain the gemeente), whose figures lack
 * someone's and whose last period is not before the late months began. Any other
 * source explains target alerts in its own area or below it. */
typedef struct {
    char source[PROTO_MAX_CODE + 1];
    char (*targets)[PROTO_MAX_CODE + 1]; /* owned; none: every rule but the source */
    size_t n_targets;
} inhibit_rule;

typedef struct {
    receiver *receivers;               /* owned */
    size_t n_receivers, cap_receivers;
    route *routes;                     /* owned, in order */
    size_t n_routes, cap_routes;
    inhibit_rule *inhibits;            /* owned */
    size_t n_inhibits, cap_inhibits;
    char sendmail[CONFIG_PATH_MAX];
    char mail_from[256];
    long long timeout;                 /* seconds a receiver may run */
} routing;

/* Read the receivers, routes and inhibit rules of s->file, checked against reg (rules,
 * areas, organisations named must exist). Without `routes`: one route per alert to the
 * alert_hook, when that is set. Without `inhibit`: every late rule inhibits every other
 * rule. 0, or -1 with err ("FILE:LINE: SETTING: message"). */
int routing_load(routing *rt, const settings *s, const registry *reg, lm_error *err);
void routing_free(routing *rt);

/* Does route ro take alert a? */
bool route_matches(const route *ro, const registry *reg, const stored_alert *a);

/* The group of a within its route: the values of group_by, "" when it groups by nothing. */
void route_group_key(const route *ro, const registry *reg, const stored_alert *a, char *key,
                     size_t n);

/* Could a firing alert of in's source explain a? False saves reading the sources: a is no
 * target of in, or in's source is late and a's figures are all in. */
bool routing_may_inhibit(const registry *reg, const inhibit_rule *in, const stored_alert *a);

/* Does the stored alert src, firing, explain alert a under the inhibit rules? */
bool routing_inhibits(const routing *rt, const registry *reg, const stored_alert *src,
                      const stored_alert *a);

/* "30s", "5m", "4h", "7d" or a plain number of seconds into *out: 0, or -1. */
int route_duration(const char *text, long long *out);

#endif
