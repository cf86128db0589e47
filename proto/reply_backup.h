/* reply_backup.h: the typed backup reply (PROTOCOL.md §5.12): one chunk of the copy. */
#ifndef LEAMON_REPLY_BACKUP_H
#define LEAMON_REPLY_BACKUP_H

#include "reply.h"

typedef struct {
    int64_t backup, size, offset;
    bool done;
    const char *data;  /* reading: points into the reply, valid while it lives */
    size_t n_data;
} proto_backup_reply;

void proto_backup_reply_write(mpw *w, const char *id, const proto_backup_reply *r);
int proto_backup_reply_read(const msgpack_object *root, proto_backup_reply *r, lm_error *e);

#endif
