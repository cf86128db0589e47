/* reply_stored.h: the typed figures reply (PROTOCOL.md §5.17): an organisation's figures
 * as the daemon holds them, each with its corrections and retractions. */
#ifndef LEAMON_REPLY_STORED_H
#define LEAMON_REPLY_STORED_H

#include "reply.h"

/* One change of a stored figure: a new value sent (corrected), or the figure taken back
 * (retracted: no new value). */
typedef struct {
    int64_t at;
    char change[PROTO_TEXT_WORD];          /* corrected, retracted */
    double old_value;
    bool has_new;
    double new_value;
    char by[PROTO_MAX_CODE + 1];           /* the organisation, or the admin who retracted */
    char request[PROTO_MAX_ID + 1];        /* the request id that made the change */
} proto_figure_change;

typedef struct {
    char metric[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    char period[PROTO_MAX_PERIOD + 1];
    bool has_value;                        /* false: retracted, and not sent again */
    double value;
    bool has_reported;
    int64_t reported_at;                   /* when it was first stored */
    bool has_updated;
    int64_t updated_at;                    /* when its value last changed */
    char submission[PROTO_MAX_ID + 1];     /* the request id of its value; "" when none */
    proto_figure_change *changes;          /* owned; oldest first */
    size_t n_changes;
} proto_stored_figure;

typedef struct {
    char organisation[PROTO_MAX_CODE + 1];
    char name[PROTO_TEXT_NAME];
    char from[PROTO_MAX_PERIOD + 1];       /* the first and last month listed */
    char to[PROTO_MAX_PERIOD + 1];
    bool truncated;                        /* more figures, or changes, than were listed */
    proto_stored_figure *figures;          /* owned, each with its changes */
    size_t n_figures;
} proto_figures_reply;

void proto_figures_reply_write(mpw *w, const char *id, const proto_figures_reply *r);
int proto_figures_reply_read(const msgpack_object *root, proto_figures_reply *r, lm_error *e);
void proto_figures_reply_free(proto_figures_reply *r);

#endif
