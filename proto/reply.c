/* reply.c: the common fields of every reply (reply.h). */
#include "reply.h"

void proto_reply_open(mpw *w, const char *id, int status, const char *error)
{
    mpw_map(w);
    mpw_kv_int(w, "v", PROTO_VERSION);
    mpw_kv_str(w, "id", id);
    mpw_kv_int(w, "status", status);
    if (status != PROTO_OK)
        mpw_kv_str(w, "error", error ? error : "");
}

void proto_reply_error(mpw *w, const char *id, int status, const char *error)
{
    mpw_reset(w);
    proto_reply_open(w, id, status, error);
    mpw_end(w);
}

int proto_reply_head(const msgpack_object *root, proto_head *h, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    int64_t v = 0, status = 0;
    mpr_int(&r, root, "v", &v);
    mpr_str(&r, root, "id", h->id, sizeof h->id);
    mpr_int(&r, root, "status", &status);
    if (!r.failed && v != PROTO_VERSION)
        mpr_fail(&r, "protocol version %lld, expected %d", (long long)v, PROTO_VERSION);
    h->status = (int)status;
    if (status != PROTO_OK)
        mpr_str(&r, root, "error", h->error, sizeof h->error);
    else
        h->error[0] = '\0';
    return mpr_done(&r, e);
}
