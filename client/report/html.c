/* html.c: the growing buffer the page is written into, HTML escaping and
 * the data-* attributes of a number (see html.h). */
#include "report/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rb_init(rbuf *b)
{
    memset(b, 0, sizeof *b);
}

void rb_free(rbuf *b)
{
    free(b->buf);
    memset(b, 0, sizeof *b);
}

static bool rb_reserve(rbuf *b, size_t more)
{
    if (b->failed)
        return false;
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 16384;
    while (cap < b->len + more + 1) {
        if (cap > (size_t)1 << 30) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->buf, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->buf = p;
    b->cap = cap;
    return true;
}

void rb_addn(rbuf *b, const char *s, size_t n)
{
    if (!rb_reserve(b, n))
        return;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

void rb_add(rbuf *b, const char *s)
{
    rb_addn(b, s, strlen(s));
}

void rb_addf(rbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (w < 0) {
        b->failed = true;
        return;
    }
    if (!rb_reserve(b, (size_t)w))
        return;
    va_start(ap, fmt);
    int w2 = vsnprintf(b->buf + b->len, (size_t)w + 1, fmt, ap);
    va_end(ap);
    if (w2 != w) {
        b->failed = true;
        return;
    }
    b->len += (size_t)w;
}

void rb_esc(rbuf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *ent = NULL;
        switch (*s) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        default:
            continue;
        }
        rb_addn(b, run, (size_t)(s - run));
        rb_add(b, ent);
        run = s + 1;
    }
    rb_addn(b, run, (size_t)(s - run));
}

void rb_data_attrs(rbuf *b, const data_ref *ref, const char *raw, const char *suppressed,
                   const char *missing)
{
    rb_add(b, " data-indicator=\"");
    rb_esc(b, ref->indicator);
    rb_add(b, "\" data-area=\"");
    rb_esc(b, ref->area);
    rb_add(b, "\" data-period=\"");
    rb_esc(b, ref->period);
    rb_add(b, "\" data-field=\"");
    rb_esc(b, ref->field);
    if (raw) {
        rb_add(b, "\" data-value=\"");
        rb_esc(b, raw);
    } else if (suppressed) {
        rb_add(b, "\" data-suppressed=\"");
        rb_esc(b, suppressed);
    } else {
        rb_add(b, "\" data-missing=\"");
        rb_esc(b, missing ? missing : "");
    }
    rb_add(b, "\"");
}
