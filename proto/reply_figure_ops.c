/* reply_figure_ops.c: writing and reading the retract, close and reopen replies
 * (reply_figure_ops.h). */
#include "reply_figure_ops.h"

#include <string.h>

void proto_retract_reply_write(mpw *w, const char *id, const proto_retract_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "organisation", r->organisation);
    mpw_kv_str(w, "metric", r->metric);
    mpw_kv_str(w, "area", r->area);
    mpw_kv_str(w, "period", r->period);
    mpw_kv_number(w, "value", r->value);
    mpw_kv_bool(w, "duplicate", r->duplicate);
    mpw_end(w);
}

int proto_retract_reply_read(const msgpack_object *root, proto_retract_reply *r, lm_error *e)
{
    mpr rd;
    mpr_init(&rd);
    memset(r, 0, sizeof *r);
    mpr_str(&rd, root, "organisation", r->organisation, sizeof r->organisation);
    mpr_str(&rd, root, "metric", r->metric, sizeof r->metric);
    mpr_str(&rd, root, "area", r->area, sizeof r->area);
    mpr_str(&rd, root, "period", r->period, sizeof r->period);
    mpr_number(&rd, root, "value", &r->value);
    mpr_bool(&rd, root, "duplicate", &r->duplicate);
    return mpr_done(&rd, e);
}

void proto_close_reply_write(mpw *w, const char *id, const proto_close_reply *r)
{
    proto_reply_open(w, id, PROTO_OK, NULL);
    mpw_kv_str(w, "period", r->period);
    mpw_kv_bool(w, "closed", r->closed);
    mpw_kv_int(w, "months", r->months);
    mpw_end(w);
}

int proto_close_reply_read(const msgpack_object *root, proto_close_reply *r, lm_error *e)
{
    mpr rd;
    mpr_init(&rd);
    memset(r, 0, sizeof *r);
    mpr_str(&rd, root, "period", r->period, sizeof r->period);
    mpr_bool(&rd, root, "closed", &r->closed);
    mpr_int(&rd, root, "months", &r->months);
    return mpr_done(&rd, e);
}
