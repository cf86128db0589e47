/* reply_submit.h: the typed submit reply (PROTOCOL.md §5.2, §6): what was stored, or why
 * nothing was. Unlike the other replies it carries its fields in the error cases too. */
#ifndef LEAMON_REPLY_SUBMIT_H
#define LEAMON_REPLY_SUBMIT_H

#include "reply.h"

typedef struct {
    int64_t accepted;
    bool duplicate, dry_run;
    proto_errors errors;       /* 422: the record errors (owned), and their total */
    proto_errors warnings;     /* 200: figures stored that look wrong (owned); sent when any */
    bool has_retry;            /* 503 */
    int64_t retry_after_ms;
} proto_submit_reply;

/* The reply with its status: errors go out with 422, retry_after_ms with 503. */
void proto_submit_reply_write(mpw *w, const char *id, int status, const char *error,
                              const proto_submit_reply *r);
/* Read a submit reply of any status that carries the submit fields. */
int proto_submit_reply_read(const msgpack_object *root, proto_submit_reply *r, lm_error *e);
void proto_submit_reply_free(proto_submit_reply *r);

#endif
