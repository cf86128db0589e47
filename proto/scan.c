/* scan.c: the structure of a msgpack message checked before it is unpacked, and one object
 * read from it without unpacking it (scan.h). */
#include "scan.h"

#include <stdbool.h>
#include <string.h>

#include "proto.h"

/* Big-endian unsigned of n bytes at p. */
static uint64_t be(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Every container is opened and counted down; a count beyond the bytes left fails. */
int proto_scan(const unsigned char *buf, size_t len, size_t *end, lm_error *e)
{
    uint64_t left[SCAN_MAX_DEPTH + 1]; /* elements still to read at each open level */
    int depth = 0;
    size_t pos = 0;
    left[0] = 1;
    while (depth > 0 || left[0] > 0) {
        if (left[depth] == 0) {
            depth--;
            continue;
        }
        left[depth]--;
        if (pos >= len)
            goto truncated;
        unsigned char t = buf[pos++];
        uint64_t skip = 0, count = 0;
        size_t hdr = 0;
        bool container = false;
        if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) {
            /* fixint, nil, false, true: nothing follows */
        } else if (t >= 0xa0 && t <= 0xbf) {
            skip = t & 0x1f;
        } else if (t >= 0x80 && t <= 0x8f) {
            count = 2u * (t & 0x0f);
            container = true;
        } else if (t >= 0x90 && t <= 0x9f) {
            count = t & 0x0f;
            container = true;
        } else {
            switch (t) {
            case 0xcc: case 0xd0: skip = 1; break;
            case 0xcd: case 0xd1: skip = 2; break;
            case 0xca: case 0xce: case 0xd2: skip = 4; break;
            case 0xcb: case 0xcf: case 0xd3: skip = 8; break;
            case 0xd4: skip = 2; break;  /* fixext 1: type + data */
            case 0xd5: skip = 3; break;
            case 0xd6: skip = 5; break;
            case 0xd7: skip = 9; break;
            case 0xd8: skip = 17; break;
            case 0xc4: case 0xd9: hdr = 1; break;             /* bin 8, str 8 */
            case 0xc5: case 0xda: hdr = 2; break;             /* bin 16, str 16 */
            case 0xc6: case 0xdb: hdr = 4; break;             /* bin 32, str 32 */
            case 0xc7: case 0xc8: case 0xc9: hdr = (size_t)1 << (t - 0xc7); break; /* ext */
            case 0xdc: case 0xde: hdr = 2; container = true; break;
            case 0xdd: case 0xdf: hdr = 4; container = true; break;
            default:
                return lm_fail(e, PROTO_BAD_REQUEST,
                            "not a msgpack message (byte 0x%02x at offset %zu)", t, pos - 1);
            }
            if (hdr) {
                if (len - pos < hdr)
                    goto truncated;
                uint64_t n = be(buf + pos, hdr);
                pos += hdr;
                if (container)
                    count = (t == 0xde || t == 0xdf) ? 2 * n : n;
                else
                    skip = n + ((t >= 0xc7 && t <= 0xc9) ? 1 : 0); /* ext: type byte */
            }
        }
        if (container) {
            if (count > len - pos)
                goto truncated;
            if (depth == SCAN_MAX_DEPTH)
                return lm_fail(e, PROTO_BAD_REQUEST,
                               "nested deeper than %d levels", SCAN_MAX_DEPTH);
            left[++depth] = count;
        } else {
            if (skip > len - pos)
                goto truncated;
            pos += (size_t)skip;
        }
    }
    *end = pos;
    return 0;
truncated:
    return lm_fail(e, PROTO_BAD_REQUEST, "truncated msgpack message");
}

/* proto_scan, then the object's tag and header read as msgpack-c reads them. */
int proto_scan_object(const unsigned char *buf, size_t len, msgpack_object *out, size_t *head,
                      size_t *end, lm_error *e)
{
    if (proto_scan(buf, len, end, e) != 0)
        return -1;
    memset(out, 0, sizeof *out);
    unsigned char t = buf[0];
    const unsigned char *p = buf + 1;
    size_t n = 0; /* header bytes after the tag */
    if (t <= 0x7f) {
        out->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
        out->via.u64 = t;
    } else if (t >= 0xe0) {
        out->type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
        out->via.i64 = (int8_t)t;
    } else if (t <= 0x8f) {
        out->type = MSGPACK_OBJECT_MAP;
        out->via.map.size = t & 0x0f;
    } else if (t <= 0x9f) {
        out->type = MSGPACK_OBJECT_ARRAY;
        out->via.array.size = t & 0x0f;
    } else if (t <= 0xbf) {
        out->type = MSGPACK_OBJECT_STR;
        out->via.str.size = t & 0x1f;
        out->via.str.ptr = (const char *)p;
    } else if (t == 0xc0) {
        out->type = MSGPACK_OBJECT_NIL;
    } else if (t == 0xc2 || t == 0xc3) {
        out->type = MSGPACK_OBJECT_BOOLEAN;
        out->via.boolean = t == 0xc3;
    } else if (t >= 0xc4 && t <= 0xc6) { /* bin 8, 16, 32 */
        n = (size_t)1 << (t - 0xc4);
        out->type = MSGPACK_OBJECT_BIN;
        out->via.bin.size = (uint32_t)be(p, n);
        out->via.bin.ptr = (const char *)p + n;
    } else if (t >= 0xc7 && t <= 0xc9) { /* ext 8, 16, 32: size, type, data */
        n = ((size_t)1 << (t - 0xc7)) + 1;
        out->type = MSGPACK_OBJECT_EXT;
        out->via.ext.size = (uint32_t)be(p, n - 1);
        out->via.ext.type = (int8_t)p[n - 1];
        out->via.ext.ptr = (const char *)p + n;
    } else if (t == 0xca) {
        uint32_t bits = (uint32_t)be(p, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        n = 4;
        out->type = MSGPACK_OBJECT_FLOAT32;
        out->via.f64 = f;
    } else if (t == 0xcb) {
        uint64_t bits = be(p, 8);
        n = 8;
        out->type = MSGPACK_OBJECT_FLOAT64;
        memcpy(&out->via.f64, &bits, sizeof out->via.f64);
    } else if (t >= 0xcc && t <= 0xcf) { /* uint 8, 16, 32, 64 */
        n = (size_t)1 << (t - 0xcc);
        out->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
        out->via.u64 = be(p, n);
    } else if (t >= 0xd0 && t <= 0xd3) { /* int 8, 16, 32, 64 */
        n = (size_t)1 << (t - 0xd0);
        uint64_t u = be(p, n);
        int64_t v = n == 1 ? (int8_t)u : n == 2 ? (int16_t)u : n == 4 ? (int32_t)u : (int64_t)u;
        /* As msgpack-c: a signed encoding of a value >= 0 reads as a positive integer. */
        out->type = v < 0 ? MSGPACK_OBJECT_NEGATIVE_INTEGER : MSGPACK_OBJECT_POSITIVE_INTEGER;
        if (v < 0)
            out->via.i64 = v;
        else
            out->via.u64 = (uint64_t)v;
    } else if (t >= 0xd4 && t <= 0xd8) { /* fixext 1, 2, 4, 8, 16: type, data */
        n = 1;
        out->type = MSGPACK_OBJECT_EXT;
        out->via.ext.size = 1u << (t - 0xd4);
        out->via.ext.type = (int8_t)p[0];
        out->via.ext.ptr = (const char *)p + 1;
    } else if (t >= 0xd9 && t <= 0xdb) { /* str 8, 16, 32 */
        n = (size_t)1 << (t - 0xd9);
        out->type = MSGPACK_OBJECT_STR;
        out->via.str.size = (uint32_t)be(p, n);
        out->via.str.ptr = (const char *)p + n;
    } else if (t == 0xdc || t == 0xdd) {
        n = t == 0xdc ? 2 : 4;
        out->type = MSGPACK_OBJECT_ARRAY;
        out->via.array.size = (uint32_t)be(p, n);
    } else { /* 0xde, 0xdf: map 16, 32 (proto_scan refused every other tag) */
        n = t == 0xde ? 2 : 4;
        out->type = MSGPACK_OBJECT_MAP;
        out->via.map.size = (uint32_t)be(p, n);
    }
    *head = 1 + n;
    return 0;
}
