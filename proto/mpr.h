/* mpr.h: reading a msgpack reply into typed fields.
 *
 * Each call reads one field of a map into its destination. A required field that is
 * absent or of another type fails the reader; an optional one (mpr_opt_*) may also be
 * nil or absent, which gives "" or has = false. Failure is sticky: the first one is kept
 * in why, and every later call does nothing. Strings are copied, cut to the destination's
 * size at a character's end, with control characters (C0, DEL and C1) and bytes that are
 * not UTF-8 turned into '?': what a reply carries is for display. */
#ifndef LEAMON_MPR_H
#define LEAMON_MPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <msgpack.h>

#include "error.h"

typedef struct {
    bool failed;
    char why[200];
} mpr;

void mpr_init(mpr *r);
/* 0, or -1 with the reader's failure as a 500-status error in e ("malformed reply: ..."). */
int mpr_done(const mpr *r, lm_error *e);
/* Fail the reader with a reason (the first one counts). */
void mpr_fail(mpr *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void mpr_str(mpr *r, const msgpack_object *map, const char *key, char *dst, size_t n);
void mpr_opt_str(mpr *r, const msgpack_object *map, const char *key, char *dst, size_t n);
void mpr_int(mpr *r, const msgpack_object *map, const char *key, int64_t *out);
void mpr_opt_int(mpr *r, const msgpack_object *map, const char *key, bool *has, int64_t *out);
void mpr_number(mpr *r, const msgpack_object *map, const char *key, double *out);
void mpr_opt_number(mpr *r, const msgpack_object *map, const char *key, bool *has, double *out);
void mpr_bool(mpr *r, const msgpack_object *map, const char *key, bool *out);
/* A map or array value (NULL when the reader failed; the mpr_opt_ ones also when nil or
 * absent). */
const msgpack_object *mpr_map(mpr *r, const msgpack_object *map, const char *key);
const msgpack_object *mpr_opt_map(mpr *r, const msgpack_object *map, const char *key);
const msgpack_object *mpr_array(mpr *r, const msgpack_object *map, const char *key);
const msgpack_object *mpr_opt_array(mpr *r, const msgpack_object *map, const char *key);
/* The i-th element of array as a map (the reader fails if it is not one). */
const msgpack_object *mpr_elem_map(mpr *r, const msgpack_object *array, uint32_t i);
/* The i-th element of array as a string into dst. */
void mpr_elem_str(mpr *r, const msgpack_object *array, uint32_t i, char *dst, size_t n);
/* Room for the elements of array (NULL array: none): zeroed, *n of them; NULL when there
 * are none or the reader failed (out of memory). Free it with free(). */
void *mpr_alloc(mpr *r, const msgpack_object *array, size_t size, size_t *n);

#endif
