/* reply_fields.h: reading the fields of a reply map from the daemon,
 * trusting none of them: a missing or mistyped field reads as absent, and a
 * string is cleaned for printing before anyone sees it. */
#ifndef LEAMON_REPLY_FIELDS_H
#define LEAMON_REPLY_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <msgpack.h>

/* The string at key cleaned for printing (control characters and malformed
 * UTF-8 become '?', see fmt_clean) into buf, or "" if absent or not a
 * string. Returns buf. */
const char *reply_text(const msgpack_object *map, const char *key, char *buf, size_t n);

/* A finite number at key into *out; false when absent, nil, not a number or
 * not finite. */
bool reply_number(const msgpack_object *map, const char *key, double *out);

/* The array at key, or NULL when absent or not an array. */
const msgpack_object *reply_array(const msgpack_object *map, const char *key);

#endif
