/* html.h: writing the report's HTML: a growing text buffer, escaping for
 * text and attribute values, and the data-* attributes that say which of the
 * daemon's numbers an element shows. Pure: nothing here talks to the
 * daemon. */
#ifndef LEAMON_REPORT_HTML_H
#define LEAMON_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>

/* Appending never stops on its own: a failed allocation sets failed and
 * every later append is dropped, so the writer checks once at the end. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} rbuf;

void rb_init(rbuf *b);
void rb_free(rbuf *b);
void rb_add(rbuf *b, const char *s);
void rb_addn(rbuf *b, const char *s, size_t n);
void rb_addf(rbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as HTML text or attribute value: & < > " ' become entities. */
void rb_esc(rbuf *b, const char *s);

/* Which number of the daemon's an element shows: written as data-indicator,
 * data-area, data-period, data-field and data-value (or data-suppressed /
 * data-missing), so a program can check the report against the daemon. */
typedef struct {
    const char *indicator, *area, *period, *field;
} data_ref;

/* The data-* attributes of ref (with a leading space): data-value="raw"
 * when raw is given, else data-suppressed="suppressed" when that is given,
 * else data-missing="missing" (escaped; "" when not given). */
void rb_data_attrs(rbuf *b, const data_ref *ref, const char *raw, const char *suppressed,
                   const char *missing);

#endif
