/* scan.h: checking a msgpack message's structure before msgpack-c unpacks it, and reading
 * a message's top level without unpacking the rest.
 *
 * msgpack-c reserves room for a container's declared size before it checks that the
 * bytes exist, so a 5-byte message could make it allocate gigabytes. proto_scan walks
 * the structure without allocating: every element takes at least one byte, so a count
 * larger than the bytes left is a lie. */
#ifndef LEAMON_SCAN_H
#define LEAMON_SCAN_H

#include <stddef.h>
#include <msgpack.h>

#include "error.h"

/* Nesting deeper than this is refused. */
#define SCAN_MAX_DEPTH 32

/* 0 with *end at the end of the first object in buf, or -1 with a 400 in e. */
int proto_scan(const unsigned char *buf, size_t len, size_t *end, lm_error *e);

/* The first object in buf as msgpack-c would unpack it, but shallow, allocating nothing:
 * a number, nil or boolean with its value; a string, binary or extension pointing into buf;
 * a map or an array with its size only (via.map.ptr, via.array.ptr NULL), its elements
 * beginning *head bytes into buf. *end as proto_scan, which checks the object whole: walking
 * its elements one proto_scan_object at a time cannot fail. 0, or -1 with a 400 in e. */
int proto_scan_object(const unsigned char *buf, size_t len, msgpack_object *out, size_t *head,
                      size_t *end, lm_error *e);

#endif
