/* reply_figure_ops.h: the typed replies of retract, close and reopen (PROTOCOL.md §5.13,
 * §5.14): a figure taken back, and months closed or reopened. */
#ifndef LEAMON_REPLY_FIGURE_OPS_H
#define LEAMON_REPLY_FIGURE_OPS_H

#include "reply.h"

typedef struct {
    char organisation[PROTO_MAX_CODE + 1]; /* whose figure it was */
    char metric[PROTO_MAX_CODE + 1];
    char area[PROTO_MAX_AREA + 1];
    char period[PROTO_MAX_PERIOD + 1];
    double value;                          /* the value that was stored */
    bool duplicate;                        /* this request id had already retracted it */
} proto_retract_reply;

typedef struct {
    char period[PROTO_MAX_PERIOD + 1];
    bool closed;                           /* close: true; reopen: false */
    int64_t months;                        /* months of the period whose state changed */
} proto_close_reply;

void proto_retract_reply_write(mpw *w, const char *id, const proto_retract_reply *r);
int proto_retract_reply_read(const msgpack_object *root, proto_retract_reply *r, lm_error *e);

void proto_close_reply_write(mpw *w, const char *id, const proto_close_reply *r);
int proto_close_reply_read(const msgpack_object *root, proto_close_reply *r, lm_error *e);

#endif
