/* reply_submit.c: writing and reading the submit reply (reply_submit.h). */
#include "reply_submit.h"

#include <string.h>

static void list_write(mpw *w, const char *key, const proto_errors *list)
{
    mpw_key(w, key);
    mpw_array(w);
    for (size_t i = 0; i < list->count; i++) {
        const proto_error *er = &list->items[i];
        mpw_map(w);
        mpw_kv_int(w, "index", er->index);
        mpw_kv_str(w, "field", er->field);
        mpw_kv_str(w, "code", er->code);
        mpw_kv_str(w, "message", er->message);
        mpw_end(w);
    }
    mpw_end(w);
}

static void list_read(mpr *r, const msgpack_object *root, const char *key, proto_errors *out)
{
    const msgpack_object *list = mpr_opt_array(r, root, key);
    for (uint32_t i = 0; list && !r->failed && i < list->via.array.size; i++) {
        const msgpack_object *m = mpr_elem_map(r, list, i);
        int64_t index = 0;
        char field[sizeof out->items[0].field], code[sizeof out->items[0].code],
            message[sizeof out->items[0].message];
        mpr_int(r, m, "index", &index);
        mpr_str(r, m, "field", field, sizeof field);
        mpr_str(r, m, "code", code, sizeof code);
        mpr_str(r, m, "message", message, sizeof message);
        if (!r->failed)
            proto_errors_add(out, (long)index, field, code, "%s", message);
    }
}

void proto_submit_reply_write(mpw *w, const char *id, int status, const char *error,
                              const proto_submit_reply *r)
{
    proto_reply_open(w, id, status, error);
    mpw_kv_int(w, "accepted", status == PROTO_OK ? r->accepted : 0);
    mpw_kv_bool(w, "duplicate", r->duplicate);
    mpw_kv_bool(w, "dry_run", r->dry_run);
    if (status == PROTO_INVALID) {
        list_write(w, "errors", &r->errors);
        mpw_kv_int(w, "error_count", (int64_t)r->errors.total);
    }
    if (status == PROTO_OK && r->warnings.count)
        list_write(w, "warnings", &r->warnings);
    if (status == PROTO_UNAVAILABLE || status == PROTO_TOO_MANY)
        mpw_kv_int(w, "retry_after_ms", r->retry_after_ms ? r->retry_after_ms : 5000);
    mpw_end(w);
}

int proto_submit_reply_read(const msgpack_object *root, proto_submit_reply *out, lm_error *e)
{
    mpr r;
    mpr_init(&r);
    memset(out, 0, sizeof *out);
    mpr_int(&r, root, "accepted", &out->accepted);
    mpr_bool(&r, root, "duplicate", &out->duplicate);
    mpr_bool(&r, root, "dry_run", &out->dry_run);
    mpr_opt_int(&r, root, "retry_after_ms", &out->has_retry, &out->retry_after_ms);
    list_read(&r, root, "errors", &out->errors);
    list_read(&r, root, "warnings", &out->warnings);
    if (proto_get(root, "errors") && !r.failed) {
        int64_t total = 0;
        mpr_int(&r, root, "error_count", &total);
        if (total > 0)
            out->errors.total = (size_t)total;
    }
    if (mpr_done(&r, e) == 0)
        return 0;
    proto_submit_reply_free(out);
    return -1;
}

void proto_submit_reply_free(proto_submit_reply *r)
{
    proto_errors_free(&r->errors);
    proto_errors_free(&r->warnings);
}
