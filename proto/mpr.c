/* mpr.c: reading typed fields out of a msgpack reply (mpr.h). */
#include "mpr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

void mpr_init(mpr *r)
{
    r->failed = false;
    r->why[0] = '\0';
}

int mpr_done(const mpr *r, lm_error *e)
{
    if (!r->failed)
        return 0;
    return lm_fail(e, PROTO_INTERNAL, "malformed reply: %s", r->why);
}

void mpr_fail(mpr *r, const char *fmt, ...)
{
    if (r->failed)
        return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof r->why, fmt, ap);
    va_end(ap);
}

/* The value of key, or NULL (with the reader failed when required). */
static const msgpack_object *field(mpr *r, const msgpack_object *map, const char *key,
                                   bool required)
{
    if (r->failed)
        return NULL;
    if (!map || map->type != MSGPACK_OBJECT_MAP) {
        mpr_fail(r, "a map was expected around '%s'", key);
        return NULL;
    }
    const msgpack_object *v = proto_get(map, key);
    if (!v && required)
        mpr_fail(r, "'%s' is missing", key);
    return v;
}

static bool is_nil(const msgpack_object *v)
{
    return !v || v->type == MSGPACK_OBJECT_NIL;
}

/* Bytes of the valid UTF-8 character at s (n left), 0 if none; C1 controls count as
 * invalid: they move a terminal's cursor. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n || (len == 1 && (c < 0x20 || c == 0x7F)) || (len == 2 && c < 0xC2) ||
        (len == 4 && c > 0xF4))
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    unsigned char d = len > 1 ? s[1] : 0;
    if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0) || (c == 0xF0 && d < 0x90) ||
        (c == 0xF4 && d >= 0x90) || (c == 0xC2 && d < 0xA0))
        return 0;
    return len;
}

static void copy_text(const msgpack_object *v, char *dst, size_t n)
{
    const unsigned char *s = (const unsigned char *)v->via.str.ptr;
    size_t len = v->via.str.size, out = 0;
    for (size_t i = 0; i < len && out < n - 1;) {
        size_t k = utf8_char(s + i, len - i);
        if (k == 0) {
            dst[out++] = '?';
            i++;
            continue;
        }
        if (out + k > n - 1)
            break; /* no half character at the cut */
        memcpy(dst + out, s + i, k);
        out += k;
        i += k;
    }
    dst[out] = '\0';
}

static void text(mpr *r, const msgpack_object *v, const char *key, char *dst, size_t n)
{
    if (v->type != MSGPACK_OBJECT_STR) {
        mpr_fail(r, "'%s' is not a string", key);
        return;
    }
    copy_text(v, dst, n);
}

void mpr_str(mpr *r, const msgpack_object *map, const char *key, char *dst, size_t n)
{
    dst[0] = '\0';
    const msgpack_object *v = field(r, map, key, true);
    if (v)
        text(r, v, key, dst, n);
}

void mpr_opt_str(mpr *r, const msgpack_object *map, const char *key, char *dst, size_t n)
{
    dst[0] = '\0';
    const msgpack_object *v = field(r, map, key, false);
    if (!is_nil(v))
        text(r, v, key, dst, n);
}

static void integer(mpr *r, const msgpack_object *v, const char *key, int64_t *out)
{
    if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX)
        *out = (int64_t)v->via.u64;
    else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        *out = v->via.i64;
    else
        mpr_fail(r, "'%s' is not an integer", key);
}

void mpr_int(mpr *r, const msgpack_object *map, const char *key, int64_t *out)
{
    *out = 0;
    const msgpack_object *v = field(r, map, key, true);
    if (v)
        integer(r, v, key, out);
}

void mpr_opt_int(mpr *r, const msgpack_object *map, const char *key, bool *has, int64_t *out)
{
    *has = false;
    *out = 0;
    const msgpack_object *v = field(r, map, key, false);
    if (is_nil(v))
        return;
    integer(r, v, key, out);
    *has = !r->failed;
}

static void number(mpr *r, const msgpack_object *v, const char *key, double *out)
{
    if (proto_obj_number(v, out) != 0)
        mpr_fail(r, "'%s' is not a number", key);
}

void mpr_number(mpr *r, const msgpack_object *map, const char *key, double *out)
{
    *out = 0;
    const msgpack_object *v = field(r, map, key, true);
    if (v)
        number(r, v, key, out);
}

void mpr_opt_number(mpr *r, const msgpack_object *map, const char *key, bool *has, double *out)
{
    *has = false;
    *out = 0;
    const msgpack_object *v = field(r, map, key, false);
    if (is_nil(v))
        return;
    number(r, v, key, out);
    *has = !r->failed;
}

void mpr_bool(mpr *r, const msgpack_object *map, const char *key, bool *out)
{
    *out = false;
    const msgpack_object *v = field(r, map, key, true);
    if (!v)
        return;
    if (v->type != MSGPACK_OBJECT_BOOLEAN)
        mpr_fail(r, "'%s' is not a boolean", key);
    else
        *out = v->via.boolean;
}

static const msgpack_object *container(mpr *r, const msgpack_object *map, const char *key,
                                       bool required, msgpack_object_type type)
{
    const msgpack_object *v = field(r, map, key, required);
    if (!v || (!required && v->type == MSGPACK_OBJECT_NIL))
        return NULL;
    if (v->type != type) {
        mpr_fail(r, "'%s' is not %s", key, type == MSGPACK_OBJECT_MAP ? "a map" : "an array");
        return NULL;
    }
    return v;
}

const msgpack_object *mpr_map(mpr *r, const msgpack_object *map, const char *key)
{
    return container(r, map, key, true, MSGPACK_OBJECT_MAP);
}

const msgpack_object *mpr_opt_map(mpr *r, const msgpack_object *map, const char *key)
{
    return container(r, map, key, false, MSGPACK_OBJECT_MAP);
}

const msgpack_object *mpr_array(mpr *r, const msgpack_object *map, const char *key)
{
    return container(r, map, key, true, MSGPACK_OBJECT_ARRAY);
}

const msgpack_object *mpr_opt_array(mpr *r, const msgpack_object *map, const char *key)
{
    return container(r, map, key, false, MSGPACK_OBJECT_ARRAY);
}

const msgpack_object *mpr_elem_map(mpr *r, const msgpack_object *array, uint32_t i)
{
    if (r->failed)
        return NULL;
    const msgpack_object *e = &array->via.array.ptr[i];
    if (e->type != MSGPACK_OBJECT_MAP) {
        mpr_fail(r, "element %u of an array is not a map", (unsigned)i);
        return NULL;
    }
    return e;
}

void mpr_elem_str(mpr *r, const msgpack_object *array, uint32_t i, char *dst, size_t n)
{
    dst[0] = '\0';
    if (r->failed)
        return;
    const msgpack_object *e = &array->via.array.ptr[i];
    if (e->type != MSGPACK_OBJECT_STR)
        mpr_fail(r, "element %u of an array is not a string", (unsigned)i);
    else
        copy_text(e, dst, n);
}

void *mpr_alloc(mpr *r, const msgpack_object *array, size_t size, size_t *n)
{
    *n = 0;
    if (r->failed || !array || array->via.array.size == 0)
        return NULL;
    void *items = calloc(array->via.array.size, size);
    if (!items) {
        mpr_fail(r, "out of memory");
        return NULL;
    }
    *n = array->via.array.size;
    return items;
}
