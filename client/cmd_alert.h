/* cmd_alert.h: the printers of the alert commands alerts, ack and
 * watch (cmd_alert.c). Like the query printers they take what proto's typed
 * readers read. Return 0, or -1 when out of memory or out cannot be written. */
#ifndef LEAMON_CMD_ALERT_H
#define LEAMON_CMD_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <msgpack.h>

#include "reply_alert.h"
#include "reply_info.h"

/* What `leamon alerts` asked for, for the title and the empty result: the
 * state (open, pending, firing, resolved, all), and the rule, area (NULL:
 * any) and time of the last change asked for. */
typedef struct {
    const char *state, *rule, *area;
    bool has_since;
    int64_t since;
} alert_filter;

/* An alerts reply: as text (a table, then each alert's message with its acknowledgement
 * and silence, then the silences in force) or as CSV (one row per alert). cat is the
 * catalogue, for the units of values and thresholds, or NULL. */
int alert_print_list(FILE *out, const proto_alerts_reply *r, const proto_catalog_reply *cat,
                     const alert_filter *f, bool csv);
/* The alert an ack sent back, as text. */
int alert_print_acked(FILE *out, const proto_alert *a);
/* One event from the PUB socket as one line of text; or its topic and map as one JSON
 * object (the map with "topic" added). */
int alert_print_event(FILE *out, const proto_alert_event *ev);
int alert_print_event_json(FILE *out, const char *topic, size_t topic_len,
                           const msgpack_object *event);

#endif
