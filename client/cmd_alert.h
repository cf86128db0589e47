/* cmd_alert.h: the printers of the alert commands alerts, ack, silence and
 * watch (cmd_alert.c). Like the query printers they take a reply's maps and
 * nothing else, and trust nothing in them. Return 0, or -1 when out of
 * memory or out cannot be written. */
#ifndef LEAMON_CMD_ALERT_H
#define LEAMON_CMD_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <msgpack.h>

/* What `leamon alerts` asked for, for the title and the empty result: the
 * state (open, pending, firing, resolved, all), and the rule, area (NULL:
 * any) and time of the last change asked for. */
typedef struct {
    const char *state, *rule, *area;
    bool has_since;
    int64_t since;
} alert_filter;

/* An alerts reply's root map: as text (a table, then each alert's message
 * with its acknowledgement and silence, then the silences in force) or as
 * CSV (one row per alert). indicators is a catalog reply's indicators
 * array, for the units of values and thresholds, or NULL. */
int alert_print_list(FILE *out, const msgpack_object *reply, const msgpack_object *indicators,
                     const alert_filter *f, bool csv);
/* An ack reply's and a silence reply's root map, as text. */
int alert_print_acked(FILE *out, const msgpack_object *reply);
int alert_print_silence(FILE *out, const msgpack_object *reply);
/* One event from the PUB socket: its topic and its map, as one line of
 * text or as one JSON object (the map with "topic" added). */
int alert_print_event(FILE *out, const char *topic, size_t topic_len, const msgpack_object *event,
                      bool json);

#endif
