/* reply_alert.h: alerts as the outside world sees them (PROTOCOL.md §5.8-§5.11, §5.15):
 * the alerts, ack, silence (and unsilence) and silences replies and the events on the PUB
 * socket, one writer and one reader each. */
#ifndef LEAMON_REPLY_ALERT_H
#define LEAMON_REPLY_ALERT_H

#include "reply.h"

typedef struct {
    int64_t at;
    char from[PROTO_TEXT_WORD];   /* "" for the first change */
    char to[PROTO_TEXT_WORD];
    char period[PROTO_MAX_PERIOD + 1];
    bool has_value;
    double value;
} proto_alert_change;

/* One alert. Texts that may be nil on the wire are "" when nil. */
typedef struct {
    int64_t id;
    char rule[PROTO_MAX_CODE + 1];
    char kind[PROTO_TEXT_WORD];
    char severity[PROTO_TEXT_WORD];
    char indicator[PROTO_MAX_CODE + 1];
    char metric[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    char area_name[PROTO_TEXT_NAME];
    char organisation[PROTO_MAX_CODE + 1];
    char period[PROTO_MAX_PERIOD + 1];
    char last_period[PROTO_MAX_PERIOD + 1];
    char state[PROTO_TEXT_WORD];
    bool has_value, has_reference;
    double value, threshold, reference;
    int64_t expected, reported;
    char message[PROTO_TEXT_LINE];
    bool has_first_fired;
    int64_t first_fired, changed_at;
    char acked_by[PROTO_MAX_CODE + 1];
    bool has_acked_at;
    int64_t acked_at;
    char ack_note[PROTO_MAX_NOTE + 1];
    bool has_silenced_until;
    int64_t silenced_until;
    bool has_silence_id;           /* the silence holding it (with silenced_until) */
    int64_t silence_id;
    bool has_inhibited_by;         /* a firing alert that explains it: not sent to receivers */
    int64_t inhibited_by;
    bool with_history;             /* listed and acked alerts carry it; events do not */
    proto_alert_change *history;   /* owned */
    size_t n_history;
} proto_alert;

/* A silence. The matchers are "" for any; until, by and created are its end, its maker
 * and when it was made, under the names they had before silences had matchers. */
typedef struct {
    char rule[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    int64_t until;
    char by[PROTO_MAX_CODE + 1];
    char note[PROTO_MAX_NOTE + 1];
    int64_t created;
    int64_t id;
    char indicator[PROTO_MAX_CODE + 1];
    char organisation[PROTO_MAX_CODE + 1];
    char severity[PROTO_TEXT_WORD];
    int64_t starts;
    char expired_by[PROTO_MAX_CODE + 1]; /* "" (nil) unless ended early by unsilence */
    char state[PROTO_TEXT_WORD];         /* active, pending or expired */
} proto_silence;

typedef struct {
    bool truncated;
    proto_silence *silences;  /* owned */
    size_t n_silences;
    proto_alert *alerts;      /* owned, each with its history */
    size_t n_alerts;
} proto_alerts_reply;

/* silence and unsilence: the silence made, or the one ended; lifted: it no longer holds
 * anything (the silences ended, or this one had ended before); expired: how many
 * silences this request ended. */
typedef struct {
    proto_silence silence;
    bool lifted;
    int64_t expired;
} proto_silence_reply;

typedef struct {
    bool truncated;
    proto_silence *silences;  /* owned */
    size_t n_silences;
} proto_silences_reply;

/* A PUB event: the alert (without history) and the state before ("" for a new alert). */
typedef struct {
    proto_alert alert;
    char previous[PROTO_TEXT_WORD];
} proto_alert_event;

void proto_alerts_reply_write(mpw *w, const char *id, const proto_alerts_reply *r);
int proto_alerts_reply_read(const msgpack_object *root, proto_alerts_reply *r, lm_error *e);
void proto_alerts_reply_free(proto_alerts_reply *r);

/* ack: the alert, with its acknowledgement. */
void proto_ack_reply_write(mpw *w, const char *id, const proto_alert *a);
int proto_ack_reply_read(const msgpack_object *root, proto_alert *a, lm_error *e);

void proto_silence_reply_write(mpw *w, const char *id, const proto_silence_reply *r);
int proto_silence_reply_read(const msgpack_object *root, proto_silence_reply *r, lm_error *e);

void proto_silences_reply_write(mpw *w, const char *id, const proto_silences_reply *r);
int proto_silences_reply_read(const msgpack_object *root, proto_silences_reply *r, lm_error *e);
void proto_silences_reply_free(proto_silences_reply *r);

/* The event map (the topic frame is the sender's). */
void proto_alert_event_write(mpw *w, const proto_alert_event *ev);
int proto_alert_event_read(const msgpack_object *root, proto_alert_event *ev, lm_error *e);

void proto_alert_free(proto_alert *a);

#endif
