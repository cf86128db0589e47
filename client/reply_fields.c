/* reply_fields.c: reading the fields of a reply map (see reply_fields.h). */
#include "reply_fields.h"

#include <math.h>

#include "format.h"
#include "proto.h"

const char *reply_text(const msgpack_object *map, const char *key, char *buf, size_t n)
{
    const msgpack_object *v = proto_get(map, key);
    if (v && v->type == MSGPACK_OBJECT_STR)
        fmt_clean(buf, n, v->via.str.ptr, v->via.str.size);
    else
        buf[0] = '\0';
    return buf;
}

bool reply_number(const msgpack_object *map, const char *key, double *out)
{
    return proto_get_double(map, key, out) == 0 && isfinite(*out);
}

const msgpack_object *reply_array(const msgpack_object *map, const char *key)
{
    const msgpack_object *v = proto_get(map, key);
    return v && v->type == MSGPACK_OBJECT_ARRAY ? v : NULL;
}
