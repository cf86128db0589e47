/* json_mp.h: JSON text to msgpack bytes, for tests that compare the examples of
 * PROTOCOL.md with what the codec writes. Objects keep their key order; integers become
 * msgpack integers and numbers with a fraction or exponent float64. */
#ifndef LEAMON_JSON_MP_H
#define LEAMON_JSON_MP_H

#include <stddef.h>

#include "mpw.h"

/* Convert the one JSON value in text[0..len) (surrounding white space allowed) into w.
 * 0, or -1 when it is not exactly one valid JSON value. */
int json_to_msgpack(const char *text, size_t len, mpw *w);

#endif
