/* reply_backup.c: writing and reading a backup chunk (reply_backup.h). */
#include "reply_backup.h"

#include <string.h>

void proto_backup_reply_write(mpw *w, const char *id, const proto_backup_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_int(w, "backup", r->backup);
    mpw_kv_int(w, "size", r->size);
    mpw_kv_int(w, "offset", r->offset);
    mpw_kv_bool(w, "done", r->done);
    mpw_key(w, "data");
    mpw_bin(w, r->data, r->n_data);
    mpw_end(w);
}

int proto_backup_reply_read(const msgpack_object *root, proto_backup_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_int(&r, root, "backup", &out->backup);
    mpr_int(&r, root, "size", &out->size);
    mpr_int(&r, root, "offset", &out->offset);
    mpr_bool(&r, root, "done", &out->done);
    const msgpack_object *d = proto_get(root, "data");
    if (!r.failed && (!d || d->type != MSGPACK_OBJECT_BIN))
        mpr_fail(&r, "'data' is missing or not binary");
    else if (!r.failed) {
        out->data = d->via.bin.ptr;
        out->n_data = d->via.bin.size;
    }
    return mpr_done(&r, e);
}
