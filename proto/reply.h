/* reply.h: the common part of every reply (PROTOCOL.md §4): v, id, status, and error when
 * status is not 200. Each op's typed reply (reply_*.h) is written with proto_reply_open
 * ... mpw_end, and read back with proto_reply_head first.
 *
 * String sizes of the typed replies: each field holds what the daemon can send. */
#ifndef LEAMON_REPLY_H
#define LEAMON_REPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <msgpack.h>

#include "error.h"
#include "mpr.h"
#include "mpw.h"
#include "proto.h"

#define PROTO_TEXT_WORD   16   /* a state, kind, severity, unit, level ... */
#define PROTO_TEXT_LABEL  160  /* a metric's or indicator's label */
#define PROTO_TEXT_NAME   120  /* an organisation's, staff member's or area's name */
#define PROTO_TEXT_REASON 160  /* why a figure has no value */
#define PROTO_TEXT_SOURCE 300  /* where a target comes from */
#define PROTO_TEXT_LINE   400  /* an alert's message */

typedef struct {
    char id[PROTO_MAX_ID + 1];
    int status;
    char error[LM_ERROR_MAX]; /* "" when status is 200 */
} proto_head;

/* Open the reply map and write the common fields; the op's fields follow, then mpw_end. */
void proto_reply_open(mpw *w, const char *id, int status, const char *error);
/* The whole reply of a request that failed (common fields only), replacing whatever w
 * held. */
void proto_reply_error(mpw *w, const char *id, int status, const char *error);
/* The common fields of a reply map. 0, or -1 with e set. */
int proto_reply_head(const msgpack_object *root, proto_head *h, lm_error *e);

#endif
