/* json_mp.c: a small JSON reader that writes msgpack (json_mp.h). */
#include "json_mp.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *end;
    mpw *w;
    char *buf;      /* a decoded string */
    size_t cap;
} jp;

static void skip_ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
        j->p++;
}

static int put(jp *j, size_t n, char c)
{
    if (n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 64;
        char *b = realloc(j->buf, cap);
        if (!b)
            return -1;
        j->buf = b;
        j->cap = cap;
    }
    j->buf[n] = c;
    return 0;
}

/* Encode code point cp as UTF-8 at j->buf[*n]. */
static int put_utf8(jp *j, size_t *n, unsigned cp)
{
    char b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    }
    for (size_t i = 0; i < k; i++)
        if (put(j, (*n)++, b[i]) != 0)
            return -1;
    return 0;
}

/* A string into j->buf; its length in *len. */
static int string(jp *j, size_t *len)
{
    size_t n = 0;
    j->p++; /* the opening quote */
    while (j->p < j->end && *j->p != '"') {
        char c = *j->p++;
        if ((unsigned char)c < 0x20)
            return -1;
        if (c == '\\') {
            if (j->p >= j->end)
                return -1;
            char e = *j->p++;
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *at = strchr(from, e);
            if (e == 'u') {
                if (j->end - j->p < 4)
                    return -1;
                char hex[5] = {j->p[0], j->p[1], j->p[2], j->p[3], 0};
                char *stop;
                unsigned cp = (unsigned)strtoul(hex, &stop, 16);
                if (*stop)
                    return -1;
                j->p += 4;
                if (put_utf8(j, &n, cp) != 0)
                    return -1;
                continue;
            }
            if (!at || !e)
                return -1;
            c = to[at - from];
        }
        if (put(j, n++, c) != 0)
            return -1;
    }
    if (j->p >= j->end)
        return -1;
    j->p++;
    *len = n;
    return 0;
}

static int value(jp *j, int depth);

static int number(jp *j)
{
    const char *s = j->p;
    bool frac = false;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    while (j->p < j->end && strchr("0123456789.eE+-", *j->p)) {
        frac |= *j->p == '.' || *j->p == 'e' || *j->p == 'E';
        j->p++;
    }
    char text[64];
    size_t n = (size_t)(j->p - s);
    if (n == 0 || n >= sizeof text)
        return -1;
    memcpy(text, s, n);
    text[n] = '\0';
    char *stop;
    if (frac) {
        double d = strtod(text, &stop);
        if (*stop)
            return -1;
        mpw_float(j->w, d); /* as JSON wrote it, even when whole */
        return 0;
    }
    long long v = strtoll(text, &stop, 10);
    if (*stop)
        return -1;
    mpw_int(j->w, v);
    return 0;
}

static bool word(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return false;
    j->p += n;
    return true;
}

static int container(jp *j, int depth, bool map)
{
    char close = map ? '}' : ']';
    j->p++;
    if (map)
        mpw_map(j->w);
    else
        mpw_array(j->w);
    skip_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        mpw_end(j->w);
        return 0;
    }
    for (;;) {
        skip_ws(j);
        if (map) {
            size_t len;
            if (j->p >= j->end || *j->p != '"' || string(j, &len) != 0)
                return -1;
            mpw_strn(j->w, j->buf, len);
            skip_ws(j);
            if (j->p >= j->end || *j->p++ != ':')
                return -1;
        }
        if (value(j, depth + 1) != 0)
            return -1;
        skip_ws(j);
        if (j->p >= j->end)
            return -1;
        char c = *j->p++;
        if (c == close)
            break;
        if (c != ',')
            return -1;
    }
    mpw_end(j->w);
    return 0;
}

static int value(jp *j, int depth)
{
    skip_ws(j);
    if (j->p >= j->end || depth > 30)
        return -1;
    char c = *j->p;
    if (c == '{' || c == '[')
        return container(j, depth, c == '{');
    if (c == '"') {
        size_t len;
        if (string(j, &len) != 0)
            return -1;
        mpw_strn(j->w, j->buf, len);
        return 0;
    }
    if (word(j, "null")) {
        mpw_nil(j->w);
        return 0;
    }
    if (word(j, "true")) {
        mpw_bool(j->w, true);
        return 0;
    }
    if (word(j, "false")) {
        mpw_bool(j->w, false);
        return 0;
    }
    return number(j);
}

int json_to_msgpack(const char *text, size_t len, mpw *w)
{
    jp j = {text, text + len, w, NULL, 0};
    int rc = value(&j, 0);
    skip_ws(&j);
    if (j.p != j.end)
        rc = -1;
    free(j.buf);
    return rc == 0 && mpw_ok(w) ? 0 : -1;
}
