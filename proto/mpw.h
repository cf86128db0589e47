/* mpw.h: a msgpack writer for replies whose lengths are known only at the end.
 *
 * Maps and arrays are opened, filled and closed; the writer counts their entries and
 * writes each header at the close, in the smallest msgpack form, so the bytes are the same
 * as a hand-counted map's. Errors are sticky: after the first failure (out of memory, a
 * map with a key but no value, too deep) every call does nothing and mpw_ok says false.
 * The writer owns its buffer, so an error reply can start over with mpw_reset.
 *
 *     mpw w;
 *     mpw_init(&w);
 *     mpw_map(&w);
 *     mpw_kv_str(&w, "server", "leamond");
 *     if (has_time) mpw_kv_int(&w, "time", now);
 *     mpw_end(&w);
 *     if (mpw_ok(&w)) send(mpw_data(&w), mpw_size(&w));
 *     mpw_free(&w);
 */
#ifndef LEAMON_MPW_H
#define LEAMON_MPW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <msgpack.h>

#define MPW_MAX_DEPTH 16

typedef struct {
    size_t at;      /* offset of the reserved header */
    uint32_t n;     /* objects written inside so far (keys and values of a map) */
    bool map;
} mpw_open;

typedef struct {
    char *data;     /* owned */
    size_t size, cap;
    msgpack_packer pk;
    mpw_open open[MPW_MAX_DEPTH];
    int depth;
    bool failed;
} mpw;

void mpw_init(mpw *w);
void mpw_free(mpw *w);
/* Empty again, with the error cleared. */
void mpw_reset(mpw *w);
/* True if nothing failed and every map and array opened has been closed. */
bool mpw_ok(const mpw *w);
const char *mpw_data(const mpw *w);
size_t mpw_size(const mpw *w);

/* Containers: open, write the entries (a map: key, value, key, value ...), close. */
void mpw_map(mpw *w);
void mpw_array(mpw *w);
void mpw_end(mpw *w);

/* Values. */
void mpw_str(mpw *w, const char *s);
void mpw_strn(mpw *w, const char *s, size_t n);
void mpw_int(mpw *w, int64_t v);
/* Whole numbers as msgpack integers, others as float64 (counts look like counts). */
void mpw_number(mpw *w, double v);
/* Always a float64. */
void mpw_float(mpw *w, double v);
void mpw_bool(mpw *w, bool v);
void mpw_nil(mpw *w);
void mpw_bin(mpw *w, const void *p, size_t n);
/* The value, or nil when absent (!has; "" for a string). */
void mpw_opt_number(mpw *w, bool has, double v);
void mpw_opt_int(mpw *w, bool has, int64_t v);
void mpw_opt_str(mpw *w, const char *s);

/* A key and its value, in a map. */
void mpw_key(mpw *w, const char *key);
void mpw_kv_str(mpw *w, const char *key, const char *v);
void mpw_kv_int(mpw *w, const char *key, int64_t v);
void mpw_kv_number(mpw *w, const char *key, double v);
void mpw_kv_bool(mpw *w, const char *key, bool v);
void mpw_kv_nil(mpw *w, const char *key);
void mpw_kv_opt_number(mpw *w, const char *key, bool has, double v);
void mpw_kv_opt_int(mpw *w, const char *key, bool has, int64_t v);
void mpw_kv_opt_str(mpw *w, const char *key, const char *v);

#endif
