/* proto.c: small pieces of the msgpack codec shared by requests and replies: quoting,
 * numbers, reading map fields, and rendering a message as JSON. */
#include "proto.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void proto_quote(char *dst, size_t n, const char *s, size_t len)
{
    if (n == 0)
        return;
    size_t room = n - 1, i = 0;
    bool cut = len > room;
    if (cut)
        room = room > 3 ? room - 3 : 0;
    for (; i < len && i < room; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (cut)
        for (size_t k = 0; k < 3 && i < n - 1; k++)
            dst[i++] = '.';
    dst[i] = '\0';
}

bool proto_key_is(const msgpack_object *key, const char *name)
{
    size_t n = strlen(name);
    return key->type == MSGPACK_OBJECT_STR && key->via.str.size == n &&
           memcmp(key->via.str.ptr, name, n) == 0;
}

int proto_obj_number(const msgpack_object *obj, double *out)
{
    switch (obj->type) {
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        *out = (double)obj->via.u64;
        return 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        *out = (double)obj->via.i64;
        return 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        *out = obj->via.f64;
        return 0;
    default:
        return -1;
    }
}

/* ---- encoding ---------------------------------------------------------- */

int proto_pack_str(msgpack_packer *pk, const char *s)
{
    size_t n = strlen(s);
    if (msgpack_pack_str(pk, n) != 0)
        return -1;
    return msgpack_pack_str_body(pk, s, n);
}

int proto_pack_kv_str(msgpack_packer *pk, const char *key, const char *value)
{
    return proto_pack_str(pk, key) == 0 && proto_pack_str(pk, value) == 0 ? 0 : -1;
}

int proto_pack_kv_int(msgpack_packer *pk, const char *key, int64_t value)
{
    return proto_pack_str(pk, key) == 0 && msgpack_pack_int64(pk, value) == 0 ? 0 : -1;
}

/* Whole numbers go out as integers, so counts look like counts on the wire. */
int proto_pack_number(msgpack_packer *pk, double value)
{
    if (isfinite(value) && value == floor(value) && fabs(value) < 9007199254740992.0)
        return msgpack_pack_int64(pk, (int64_t)value);
    return msgpack_pack_double(pk, value);
}

/* ---- reading replies --------------------------------------------------- */

const msgpack_object *proto_get(const msgpack_object *map, const char *key)
{
    if (!map || map->type != MSGPACK_OBJECT_MAP)
        return NULL;
    for (uint32_t i = 0; i < map->via.map.size; i++)
        if (proto_key_is(&map->via.map.ptr[i].key, key))
            return &map->via.map.ptr[i].val;
    return NULL;
}

int proto_get_int(const msgpack_object *map, const char *key, int64_t *out)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v)
        return -1;
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX) {
        *out = (int64_t)v->via.u64;
        return 0;
    }
    if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
        *out = v->via.i64;
        return 0;
    }
    return -1;
}

int proto_get_double(const msgpack_object *map, const char *key, double *out)
{
    const msgpack_object *v = proto_get(map, key);
    return v ? proto_obj_number(v, out) : -1;
}

int proto_get_bool(const msgpack_object *map, const char *key, bool *out)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_BOOLEAN)
        return -1;
    *out = v->via.boolean;
    return 0;
}

int proto_get_str(const msgpack_object *map, const char *key, char *dst, size_t n)
{
    const msgpack_object *v = proto_get(map, key);
    if (!v || v->type != MSGPACK_OBJECT_STR || n == 0)
        return -1;
    size_t len = v->via.str.size < n - 1 ? v->via.str.size : n - 1;
    memcpy(dst, v->via.str.ptr, len);
    dst[len] = '\0';
    return 0;
}

/* ---- JSON rendering ---------------------------------------------------- */

static int json_str(FILE *out, const char *s, size_t n)
{
    if (fputc('"', out) == EOF)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int r;
        if (c == '"' || c == '\\')
            r = fprintf(out, "\\%c", c);
        else if (c == '\n')
            r = fputs("\\n", out);
        else if (c < 0x20 || c == 0x7f)
            r = fprintf(out, "\\u%04x", c);
        else
            r = fputc(c, out);
        if (r < 0)
            return -1;
    }
    return fputc('"', out) == EOF ? -1 : 0;
}

static int json_double(FILE *out, double d)
{
    if (!isfinite(d))
        return fputs("null", out) < 0 ? -1 : 0;
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", d);
    if (strtod(buf, NULL) != d)
        snprintf(buf, sizeof buf, "%.17g", d);
    return fputs(buf, out) < 0 ? -1 : 0;
}

int proto_write_json(FILE *out, const msgpack_object *o)
{
    int r = 0;
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        return fputs("null", out) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_BOOLEAN:
        return fputs(o->via.boolean ? "true" : "false", out) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return fprintf(out, "%llu", (unsigned long long)o->via.u64) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return fprintf(out, "%lld", (long long)o->via.i64) < 0 ? -1 : 0;
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return json_double(out, o->via.f64);
    case MSGPACK_OBJECT_STR:
        return json_str(out, o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
    case MSGPACK_OBJECT_EXT: {
        const char *p = o->type == MSGPACK_OBJECT_BIN ? o->via.bin.ptr : o->via.ext.ptr;
        uint32_t n = o->type == MSGPACK_OBJECT_BIN ? o->via.bin.size : o->via.ext.size;
        if (fputc('"', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < n && r >= 0; i++)
            r = fprintf(out, "%02x", (unsigned char)p[i]);
        return r < 0 || fputc('"', out) == EOF ? -1 : 0;
    }
    case MSGPACK_OBJECT_ARRAY:
        if (fputc('[', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < o->via.array.size; i++) {
            if ((i && fputc(',', out) == EOF) || proto_write_json(out, &o->via.array.ptr[i]) != 0)
                return -1;
        }
        return fputc(']', out) == EOF ? -1 : 0;
    case MSGPACK_OBJECT_MAP:
        if (fputc('{', out) == EOF)
            return -1;
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            const msgpack_object_kv *kv = &o->via.map.ptr[i];
            if (i && fputc(',', out) == EOF)
                return -1;
            if (kv->key.type == MSGPACK_OBJECT_STR) {
                if (json_str(out, kv->key.via.str.ptr, kv->key.via.str.size) != 0)
                    return -1;
            } else {
                /* JSON keys are strings; leamon never sends other keys. */
                if (fputs("\"?\"", out) < 0)
                    return -1;
            }
            if (fputc(':', out) == EOF || proto_write_json(out, &kv->val) != 0)
                return -1;
        }
        return fputc('}', out) == EOF ? -1 : 0;
    }
    return -1;
}
