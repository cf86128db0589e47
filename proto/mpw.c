/* mpw.c: the msgpack writer with deferred container lengths (mpw.h). */
#include "mpw.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The largest header (map 32 / array 32): reserved at the open, shrunk at the close. */
#define RESERVED 5

static int append(void *data, const char *buf, size_t len)
{
    mpw *w = data;
    if (w->failed)
        return -1;
    if (len > w->cap - w->size) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->size < len) {
            if (cap > SIZE_MAX / 2)
                goto fail;
            cap *= 2;
        }
        char *grown = realloc(w->data, cap);
        if (!grown)
            goto fail;
        w->data = grown;
        w->cap = cap;
    }
    memcpy(w->data + w->size, buf, len);
    w->size += len;
    return 0;
fail:
    w->failed = true;
    return -1;
}

void mpw_init(mpw *w)
{
    memset(w, 0, sizeof *w);
    msgpack_packer_init(&w->pk, w, append);
}

void mpw_free(mpw *w)
{
    free(w->data);
    w->data = NULL;
    w->size = w->cap = 0;
}

void mpw_reset(mpw *w)
{
    w->size = 0;
    w->depth = 0;
    w->failed = false;
}

bool mpw_ok(const mpw *w)
{
    return !w->failed && w->depth == 0;
}

const char *mpw_data(const mpw *w)
{
    return w->data;
}

size_t mpw_size(const mpw *w)
{
    return w->size;
}

/* One more object in the open container. */
static bool counted(mpw *w)
{
    if (w->failed)
        return false;
    if (w->depth > 0) {
        if (w->open[w->depth - 1].n == UINT32_MAX) {
            w->failed = true;
            return false;
        }
        w->open[w->depth - 1].n++;
    }
    return true;
}

static void check(mpw *w, int rc)
{
    if (rc != 0)
        w->failed = true;
}

static void open_container(mpw *w, bool map)
{
    if (!counted(w))
        return;
    if (w->depth == MPW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    static const char zeros[RESERVED];
    size_t at = w->size;
    if (append(w, zeros, RESERVED) != 0)
        return;
    w->open[w->depth++] = (mpw_open){at, 0, map};
}

void mpw_map(mpw *w)
{
    open_container(w, true);
}

void mpw_array(mpw *w)
{
    open_container(w, false);
}

void mpw_end(mpw *w)
{
    if (w->failed)
        return;
    if (w->depth == 0 || (w->open[w->depth - 1].map && w->open[w->depth - 1].n % 2)) {
        w->failed = true; /* nothing open, or a key without its value */
        return;
    }
    mpw_open o = w->open[--w->depth];
    uint32_t n = o.map ? o.n / 2 : o.n;
    unsigned char h[RESERVED];
    size_t hl;
    if (n < 16) {
        h[0] = (unsigned char)((o.map ? 0x80 : 0x90) | n);
        hl = 1;
    } else if (n < 65536) {
        h[0] = o.map ? 0xde : 0xdc;
        h[1] = (unsigned char)(n >> 8);
        h[2] = (unsigned char)n;
        hl = 3;
    } else {
        h[0] = o.map ? 0xdf : 0xdd;
        for (int i = 0; i < 4; i++)
            h[1 + i] = (unsigned char)(n >> (24 - 8 * i));
        hl = 5;
    }
    memcpy(w->data + o.at, h, hl);
    if (hl < RESERVED) {
        memmove(w->data + o.at + hl, w->data + o.at + RESERVED, w->size - o.at - RESERVED);
        w->size -= RESERVED - hl;
    }
}

void mpw_strn(mpw *w, const char *s, size_t n)
{
    if (counted(w))
        check(w, msgpack_pack_str_with_body(&w->pk, s, n));
}

void mpw_str(mpw *w, const char *s)
{
    mpw_strn(w, s, strlen(s));
}

void mpw_int(mpw *w, int64_t v)
{
    if (counted(w))
        check(w, msgpack_pack_int64(&w->pk, v));
}

void mpw_number(mpw *w, double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9007199254740992.0)
        mpw_int(w, (int64_t)v);
    else
        mpw_float(w, v);
}

void mpw_float(mpw *w, double v)
{
    if (counted(w))
        check(w, msgpack_pack_double(&w->pk, v));
}

void mpw_bool(mpw *w, bool v)
{
    if (counted(w))
        check(w, v ? msgpack_pack_true(&w->pk) : msgpack_pack_false(&w->pk));
}

void mpw_nil(mpw *w)
{
    if (counted(w))
        check(w, msgpack_pack_nil(&w->pk));
}

void mpw_bin(mpw *w, const void *p, size_t n)
{
    if (counted(w))
        check(w, msgpack_pack_bin_with_body(&w->pk, p, n));
}

void mpw_opt_number(mpw *w, bool has, double v)
{
    if (has)
        mpw_number(w, v);
    else
        mpw_nil(w);
}

void mpw_opt_int(mpw *w, bool has, int64_t v)
{
    if (has)
        mpw_int(w, v);
    else
        mpw_nil(w);
}

void mpw_opt_str(mpw *w, const char *s)
{
    if (s[0])
        mpw_str(w, s);
    else
        mpw_nil(w);
}

void mpw_key(mpw *w, const char *key)
{
    mpw_str(w, key);
}

void mpw_kv_str(mpw *w, const char *key, const char *v)
{
    mpw_key(w, key);
    mpw_str(w, v);
}

void mpw_kv_int(mpw *w, const char *key, int64_t v)
{
    mpw_key(w, key);
    mpw_int(w, v);
}

void mpw_kv_number(mpw *w, const char *key, double v)
{
    mpw_key(w, key);
    mpw_number(w, v);
}

void mpw_kv_bool(mpw *w, const char *key, bool v)
{
    mpw_key(w, key);
    mpw_bool(w, v);
}

void mpw_kv_nil(mpw *w, const char *key)
{
    mpw_key(w, key);
    mpw_nil(w);
}

void mpw_kv_opt_number(mpw *w, const char *key, bool has, double v)
{
    mpw_key(w, key);
    mpw_opt_number(w, has, v);
}

void mpw_kv_opt_int(mpw *w, const char *key, bool has, int64_t v)
{
    mpw_key(w, key);
    mpw_opt_int(w, has, v);
}

void mpw_kv_opt_str(mpw *w, const char *key, const char *v)
{
    mpw_key(w, key);
    mpw_opt_str(w, v);
}
